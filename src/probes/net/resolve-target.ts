// Where a probe connects: the domain's pinned address, else the hosts file, else DNS; then the
// private-address guard. DNS is injectable so tests and the CLI can swap it.
import { lookup as dnsLookup, Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { forbiddenRange } from "./address-guard.js";
import { lookupInHostsFile } from "./hosts-file.js";

export type Lookup = (host: string) => Promise<string[]>;

export interface ResolveOptions {
  /** Connect here instead of resolving; the hostname stays the SNI name. */
  address?: string | null;
  hostsFile?: string;
  allowPrivate: boolean;
  lookup?: Lookup;
}

export class TargetRefused extends Error {}

const systemLookup: Lookup = async (host) =>
  (await dnsLookup(host, { all: true })).map((entry) => entry.address);

/**
 * Asks these DNS servers (`ip` or `ip:port`) instead of the system's resolver: A and AAAA records,
 * IPv4 first. A name neither has is ENOTFOUND, as the system's lookup says it.
 */
export function serversLookup(servers: string[]): Lookup {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers(servers);
  return async (host) => {
    const answers = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    const addresses = answers.flatMap((answer) => (answer.status === "fulfilled" ? answer.value : []));
    if (addresses.length > 0) return addresses;
    const failed = answers.find((answer) => answer.status === "rejected") as PromiseRejectedResult;
    const code = (failed.reason as { code?: string }).code;
    // NODATA for both families is no address at all: the same as NXDOMAIN to a caller.
    throw Object.assign(new Error(`${host} could not be resolved`), {
      code: code === "ENODATA" || code === "ENOTFOUND" ? "ENOTFOUND" : code,
    });
  };
}

/** The addresses to try, in order; throws TargetRefused when none may be contacted. */
export async function resolveTarget(host: string, options: ResolveOptions): Promise<string[]> {
  let addresses: string[];
  if (options.address) addresses = [options.address];
  else if (isIP(host)) addresses = [host];
  else {
    const fromFile = options.hostsFile ? await lookupInHostsFile(options.hostsFile, host) : [];
    addresses = fromFile.length > 0 ? fromFile : await (options.lookup ?? systemLookup)(host);
  }
  if (options.allowPrivate) return addresses;
  const allowed = addresses.filter((address) => forbiddenRange(address) === null);
  if (allowed.length === 0) {
    const first = addresses[0] ?? host;
    throw new TargetRefused(
      `${host} resolves to ${first} (${forbiddenRange(first) ?? "no address"}), which is not a public address; ` +
        "set CERTPULSE_ALLOW_PRIVATE_TARGETS=true to allow private targets",
    );
  }
  return allowed;
}
