// Hostname rules for monitored domains: a fully-qualified domain name, stored lower-case ASCII with
// IDNs as punycode (so lookups and uniqueness need no case-insensitive collation on either database).
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { getDomain } from "tldts";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The canonical form of a hostname, or null when it is not a valid FQDN. */
export function normalizeHostname(input: string): string | null {
  const trimmed = input.trim().replace(/\.$/, "");
  if (trimmed === "" || /[/:@?#\s*]/.test(trimmed) || isIP(trimmed)) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === "" || ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return null;
  return ascii;
}

/** The registrable domain (public suffix + one label) whose registration covers this host. */
export function registrableDomain(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: false }) ?? hostname;
}

/**
 * A search text in the form hostnames are stored in (lower-case ASCII, IDNs as punycode), or null
 * when no stored hostname can contain it. Only [a-z0-9.-] survive, so LIKE's wildcards (% and _)
 * never reach the query as patterns.
 */
export function hostnameSearchTerm(search: string): string | null {
  const term = search.trim().toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matches anything outside ASCII
  const ascii = /[^\x00-\x7f]/.test(term) ? domainToASCII(term) : term;
  return /^[a-z0-9.-]+$/.test(ascii) ? ascii : null;
}
