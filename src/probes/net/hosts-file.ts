// Reads a hosts(5) file (CERTPULSE_HOSTS_FILE): "address name [aliases…]" per line, "#" comments.
// Consulted before DNS, so operators and tests can point names at addresses without touching
// /etc/hosts. The format is a few lines of parsing; no library is worth a dependency for it.
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";

/** Every address the file gives for a name, in file order (names compare case-insensitively). */
export function addressesIn(text: string, name: string): string[] {
  const wanted = name.toLowerCase().replace(/\.$/, "");
  const found: string[] = [];
  for (const line of text.split("\n")) {
    const [address, ...names] = (line.split("#")[0] ?? "").trim().split(/\s+/);
    if (!address || isIP(address) === 0) continue;
    if (names.some((entry) => entry.toLowerCase().replace(/\.$/, "") === wanted)) found.push(address);
  }
  return found;
}

export async function lookupInHostsFile(file: string, name: string): Promise<string[]> {
  return addressesIn(await readFile(file, "utf8"), name);
}
