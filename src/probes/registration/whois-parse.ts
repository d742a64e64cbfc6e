// Reads one WHOIS answer. Labels are normalised by whoiser's parser (a maintained table of how
// gTLDs and many ccTLDs name their fields: JPRS's "[Expires on]", Nominet's indented blocks, AFNIC's
// "Expiry Date", DENIC's "Nserver"…); what it leaves as text (dates, DNSSEC wording, referrals,
// "not found" and rate-limit notices) is read here.
import { domainToUnicode } from "node:url";
import whoiser from "whoiser/src/parsers.js";
import { parseServer, type WhoisServer } from "../../lib/whois-server.js";
import { EMPTY_REGISTRATION, normalizeNameserver, type RegistrationData } from "./registration.js";
import { parseWhoisDate } from "./whois-dates.js";

export type WhoisAnswer =
  | { kind: "registration"; data: RegistrationData; referral: WhoisServer | null }
  /** An answer about something else (IANA's record of the TLD) that names the server to ask. */
  | { kind: "referral"; referral: WhoisServer }
  | { kind: "not_registered" | "rate_limited" | "unreadable"; message: string };

// Each written by a real registry when the domain is free: Verisign and Nominet ("No match for"),
// PIR ("NOT FOUND"), AFNIC ("%% NOT FOUND"), JPRS ("No match!!"), DENIC ("Status: free"), others.
const NOT_FOUND = [
  /^\W*no match\b/im,
  /^\W*not found\b/im,
  /\bno entries found\b/i,
  /\bno data found\b/i,
  /^\W*domain not found\b/im,
  /\bobject does not exist\b/i,
  /^\s*status:\s*(free|available)\s*$/im,
  /\bis available for registration\b/i,
  /\bhas not been registered\b/i,
];
const RATE_LIMITED = [
  /\blimit (exceeded|reached)\b/i,
  /\brate limit/i,
  /\btoo many (requests|queries|connections)\b/i,
  /\bquery limit\b/i,
  /\baccess control limit\b/i,
  /\bquota exceeded\b/i,
  /\bexceeded (the )?(maximum|allowed) (number of )?(queries|requests)\b/i,
];
// "refer:" is IANA's; the others are how registries point at the registrar's server.
const REFERRAL = /^\s*(?:refer|registrar whois server|whois server|referralserver)\s*:[ \t]*(\S+)\s*$/im;

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() || null;

function dnssec(fields: Record<string, string | string[]>): boolean | null {
  const said = first(fields.DNSSEC)?.toLowerCase();
  if (said) {
    if (/^(signed|yes|signeddelegation|active|true)\b/.test(said)) return true;
    if (/^(unsigned|no|inactive|false)\b/.test(said)) return false;
  }
  if (first(fields.Dnskey)) return true; // DENIC lists the keys of a signed zone
  if ("Signing Key" in fields) return first(fields["Signing Key"]) !== null; // JPRS
  return null;
}

function registration(fields: Record<string, string | string[]>): RegistrationData {
  const list = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value : value ? [value] : [];
  return {
    ...EMPTY_REGISTRATION,
    // Nominet: "Gandi SAS [Tag = GANDI]"
    registrar: first(fields.Registrar)?.replace(/\s*\[Tag = [^\]]*\]$/, "") ?? null,
    registrarIanaId: first(fields["Registrar IANA ID"]),
    createdDate: parseWhoisDate(first(fields["Created Date"]) ?? undefined),
    expiryDate: parseWhoisDate(first(fields["Expiry Date"]) ?? undefined),
    updatedDate: parseWhoisDate(first(fields["Updated Date"]) ?? undefined),
    dnssec: dnssec(fields),
    nameservers: [...new Set(list(fields["Name Server"]).map(normalizeNameserver))],
    // gTLDs follow each EPP status with the URL explaining it.
    statuses: [
      ...new Set(list(fields["Domain Status"]).map((s) => s.replace(/\s+https?:\/\/\S+$/, "").trim())),
    ],
  };
}

export function readWhoisAnswer(domain: string, text: string): WhoisAnswer {
  const fields = whoiser.parseDomainWhois(domain, text.replace(/\r\n?/g, "\n"));
  const named = first(fields["Domain Name"])?.toLowerCase().replace(/\.$/, "") ?? null;
  const aboutDomain = named === domain || (named !== null && named === domainToUnicode(domain));
  const referralText = REFERRAL.exec(text)?.[1];
  const referral = referralText ? parseServer(referralText) : null;
  const data = registration(fields);

  if (NOT_FOUND.some((pattern) => pattern.test(text)) && (!aboutDomain || data.expiryDate === null)) {
    return { kind: "not_registered", message: "the registry has no record of this domain (WHOIS)" };
  }
  if (aboutDomain || (named === null && data.expiryDate !== null)) {
    return { kind: "registration", data, referral };
  }
  if (referral) return { kind: "referral", referral };
  if (RATE_LIMITED.some((pattern) => pattern.test(text))) {
    return { kind: "rate_limited", message: "the WHOIS server is rate limiting queries" };
  }
  return { kind: "unreadable", message: "the WHOIS answer has no registration data for this domain" };
}
