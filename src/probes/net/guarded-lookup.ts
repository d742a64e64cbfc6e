// A `lookup` for net.connect and undici that resolves through the same path as the TLS probe
// (hosts file, then DNS) and refuses private addresses unless allowed, so RDAP, WHOIS and webhook
// connections cannot be pointed at internal services by a hostile referral or link.
import { isIP, type LookupFunction } from "node:net";
import { forbiddenRange } from "./address-guard.js";
import { type ResolveOptions, resolveTarget, TargetRefused } from "./resolve-target.js";

export type GuardOptions = Pick<ResolveOptions, "allowPrivate" | "hostsFile" | "lookup">;

export function guardedLookup(options: GuardOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveTarget(hostname, options).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (lookupOptions.all) callback(null, entries);
        else callback(null, entries[0]?.address ?? "", entries[0]?.family ?? 4);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
}

/**
 * net.connect does not call `lookup` for an IP literal, so a literal is checked here before
 * connecting. Throws TargetRefused.
 */
export function assertAddressAllowed(host: string, options: GuardOptions): void {
  const literal = host.replace(/^\[|\]$/g, "");
  if (options.allowPrivate || isIP(literal) === 0) return;
  const range = forbiddenRange(literal);
  if (range !== null) {
    throw new TargetRefused(
      `${literal} is not a public address (${range}); set CERTPULSE_ALLOW_PRIVATE_TARGETS=true to allow private targets`,
    );
  }
}
