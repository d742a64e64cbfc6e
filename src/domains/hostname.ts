// Hostname rules for monitored domains: a fully-qualified domain name, stored lower-case ASCII with
// IDNs as punycode (so lookups and uniqueness need no case-insensitive collation on either database).
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { getDomain, parse } from "tldts";

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

/** Special-use names (RFC 6761, 6762, 7686, 8375, 9476): never delegated, so never registered. */
const SPECIAL_USE = ["test", "example", "invalid", "localhost", "local", "onion", "alt", "arpa"];

/**
 * Whether a registry holds a registration for this host's domain: not for names under a TLD the
 * root zone does not delegate (.internal, .lan, .corp: the Public Suffix List's ICANN section is the
 * reference), special-use names, or names under a private suffix (app.github.io belongs to the
 * suffix's owner, not to whoever monitors it). Single labels and IP addresses are no hostnames here.
 */
export function hasPublicRegistration(hostname: string): boolean {
  const name = parse(hostname, { allowPrivateDomains: true });
  const tld = hostname.slice(hostname.lastIndexOf(".") + 1);
  return (
    name.isIcann === true && name.isPrivate !== true && name.domain !== null && !SPECIAL_USE.includes(tld)
  );
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
