// The SSRF guard: probes (and webhooks) reach public unicast addresses only, unless the operator
// allows private targets. ipaddr.js knows the special-purpose ranges of both address families.
import ipaddr from "ipaddr.js";

/** Null when the address may be contacted, else the name of the range that forbids it. */
export function forbiddenRange(address: string): string | null {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === "unicast" ? null : range;
}
