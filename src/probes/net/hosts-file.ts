// Reads a hosts(5) file (CERTPULSE_HOSTS_FILE): "address name [aliases…]" per line, "#" comments.
// Consulted before DNS, so operators and tests can point names at addresses without touching
// /etc/hosts. The format is a few lines of parsing; no library is worth a dependency for it.
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";

/** Each line's address and names, comments dropped, in file order (names without a trailing dot). */
function* entries(text: string): Generator<{ address: string; names: string[] }> {
  for (const line of text.split("\n")) {
    const [address, ...names] = (line.split("#")[0] ?? "").trim().split(/\s+/);
    if (address && isIP(address) !== 0) yield { address, names: names.map((n) => n.replace(/\.$/, "")) };
  }
}

/** Every address the file gives for a name, in file order (names compare case-insensitively). */
export function addressesIn(text: string, name: string): string[] {
  const wanted = name.toLowerCase().replace(/\.$/, "");
  const found: string[] = [];
  for (const { address, names } of entries(text)) {
    if (names.some((entry) => entry.toLowerCase() === wanted)) found.push(address);
  }
  return found;
}

/** The first name the file gives for an address (the reverse of addressesIn). */
export function nameIn(text: string, address: string): string | null {
  for (const entry of entries(text)) if (entry.address === address && entry.names[0]) return entry.names[0];
  return null;
}

export async function lookupInHostsFile(file: string, name: string): Promise<string[]> {
  return addressesIn(await readFile(file, "utf8"), name);
}
