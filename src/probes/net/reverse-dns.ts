// The name an address points back to (its PTR record), for the check's report. The hosts file
// answers first (its first name for the address), then the configured DNS servers. Without them the
// system's resolver is asked only for public addresses: a private range's PTR is the local network's
// business, and asking the world's DNS about it leaks what is monitored.
import { Resolver } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { forbiddenRange } from "./address-guard.js";
import { nameIn } from "./hosts-file.js";

export type ReverseLookup = (address: string) => Promise<string | null>;

export function reverseLookup({
  hostsFile,
  servers,
  timeoutMs = 2000,
}: {
  hostsFile?: string;
  servers?: string[];
  timeoutMs?: number;
}): ReverseLookup {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers) resolver.setServers(servers);
  return async (address) => {
    if (hostsFile) {
      const name = nameIn(await readFile(hostsFile, "utf8").catch(() => ""), address);
      if (name) return name;
    }
    if (!servers && forbiddenRange(address) !== null) return null;
    try {
      const [name] = await resolver.reverse(address);
      return name?.replace(/\.$/, "") ?? null;
    } catch {
      return null; // No PTR record, or no answer in time: the report says nothing rather than fail.
    }
  };
}
