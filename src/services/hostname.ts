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
