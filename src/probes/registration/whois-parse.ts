// Reads one WHOIS answer: whois-fields.ts splits it into labelled values, LABELS below says which
// label means which fact in the registries that write it, and the values (dates, DNSSEC wording,
// referrals, "not found" and rate-limit notices) are read here.
import { domainToUnicode } from "node:url";
import { parseServer, type WhoisServer } from "../../lib/whois-server.js";
import { EMPTY_REGISTRATION, normalizeNameserver, type RegistrationData, tldOf } from "./registration.js";
import { type DayOrder, dayOrderOf, parseWhoisDate } from "./whois-dates.js";
import { readWhoisFields, type WhoisField } from "./whois-fields.js";

export type WhoisAnswer =
  | { kind: "registration"; data: RegistrationData; referral: WhoisServer | null }
  /** An answer about something else (IANA's record of the TLD) that names the server to ask. */
  | { kind: "referral"; referral: WhoisServer }
  | { kind: "not_registered" | "rate_limited" | "unreadable"; message: string };

// Each written by a real registry when the domain is free: Verisign and Nominet ("No match for"),
// PIR ("NOT FOUND"), AFNIC ("%% NOT FOUND"), JPRS ("No match!!"), DENIC ("Status: free"), others.
const NOT_FOUND = [
  /^\W*no match\b/im,
  /^nincs talalat \/ no match\b/im, // .hu
  /\bno object found\b/i, // .ai, .cx, .gs
  /\breturned 0 objects\b/i, // IANA (.int)
  /\bno information available about domain name\b/i, // NASK
  /\bdomain is not registered\b/i, // RNIDS
  /^domain "[^"]+" not found\b/im, // IIS (.se, .nu)
  /\bdomain name not known\b/i, // Dot TK
  /\bno matching record\b/i, // CNNIC
  /^not available for (second level )?registration\b/im, // Verisign (.name): reserved or shared
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

/** Each fact's labels, as registries write them (lower case), with a registry that writes each. */
const LABELS = {
  domain: ["domain name", "domain", "ドメイン名", "domain name ascii"],
  expiry: [
    "registry expiry date", // gTLDs
    "registrar registration expiration date",
    "expiry date", // Nominet, HKIRC, AFNIC
    "expiration date", // KISA
    "expires", // Traficom, IIS, DK Hostmaster
    "expires on", // JPRS (English)
    "有効期限", // JPRS
    "expire", // .ee
    "expire-date", // IRNIC
    "expire date", // .it
    "domain datebilleduntil", // InternetNZ
    "paid-till", // RIPN
    "valid until", // SK-NIC
    "renewal date", // NASK
    "domain expires", // EDUCAUSE
    "record expires on", // TWNIC, MONIC
    "record will expire on", // Dot TK
    "expiration time", // CNNIC
    "registry expiration date",
    "expiry",
  ],
  created: [
    "creation date", // gTLDs
    "created", // RIPN, NASK, IIS
    "created on", // JPRS (English)
    "登録年月日", // JPRS
    "created date",
    "registered", // DK Hostmaster, .ee
    "registered on", // Nominet, CIDR (.gg)
    "registered date", // JPRS (English), KISA
    "registration date",
    "registration time", // CNNIC
    "record created on", // TWNIC, MONIC
    "first registration date", // SWITCH
    "domain record activated", // EDUCAUSE
    "domain registered", // Dot TK
    "domain created", // KazNIC
    "record created", // .hu
    "domain datecreated", // InternetNZ
    "domain name commencement date", // HKIRC
    "activated",
  ],
  updated: [
    "updated date",
    "last updated",
    "last update",
    "最終更新",
    "last modified",
    "modified",
    "changed",
    "domain record last updated",
    "last-update",
  ],
  registrar: [
    "registrar", // gTLDs, RIPN, Nominet (a block), NASK (a block), SWITCH (tab)
    "registrar name", // HKIRC
    "sponsoring registrar", // CNNIC
    "registrar organization",
    "registration service provider", // TWNIC
    "current registar", // KazNIC, so spelt
    "current registrar",
    "authorized agency", // KISA
    "registrar name", // InternetNZ
  ],
  /** Within a registrar's block: its name (.it, .eu, .ee, SK-NIC). */
  registrarInBlock: ["organization", "organisation", "name"],
  registrarIanaId: ["registrar iana id"],
  nameservers: [
    "name server", // gTLDs, JPRS (English)
    "ネームサーバ", // JPRS
    "name servers", // EDUCAUSE, SWITCH (blocks)
    "nameserver",
    "nameservers", // NASK, DK Hostmaster (block)
    "nserver", // RIPN, DENIC, Traficom
    "domain nameservers", // Dot TK (block)
    "name servers information", // HKIRC (block)
    "domain servers in listed order", // TWNIC, MONIC (block)
    "primary server", // KazNIC
    "secondary server",
    "name server information",
    "dns servers",
    "domain name servers", // MONIC (block)
    "primary name server", // KISA (blocks)
    "secondary name server",
    "ns name", // InternetNZ
    "dns", // RNIDS (.rs); DK Hostmaster's "DNS:" is the domain itself, which is dropped
  ],
  /** Within a name-server block: DK Hostmaster's "Hostname:", Nominet's plain lines. */
  nameserverInBlock: ["hostname", "host name", "name"],
  dnssec: ["dnssec", "署名鍵", "signing key", "dnskey", "ds records", "domain signed"],
  statuses: ["domain status", "status", "state", "状態"],
} as const;

type Fact = keyof typeof LABELS;
const FACT_OF = new Map<string, Fact>();
for (const [fact, labels] of Object.entries(LABELS) as [Fact, readonly string[]][]) {
  if (fact === "nameserverInBlock" || fact === "registrarInBlock") continue;
  for (const label of labels) FACT_OF.set(label, fact);
}

/** Registries whose year-last numeric dates are month-first ("12/18/2001"); the rest are day-first. */
const MONTH_FIRST_TLDS = new Set(["tk", "ml", "ga", "cf", "gq"]);

function factsOf(fields: WhoisField[]): Map<Fact, string[]> {
  const facts = new Map<Fact, string[]>();
  const add = (fact: Fact, value: string) => facts.set(fact, [...(facts.get(fact) ?? []), value]);
  const inBlock = (field: WhoisField, block: Fact, labels: readonly string[]) =>
    field.section !== null && FACT_OF.get(field.section) === block && labels.includes(field.label);
  for (const field of fields) {
    const fact = FACT_OF.get(field.label);
    if (inBlock(field, "registrar", LABELS.registrarInBlock)) add("registrarInBlock", field.value);
    else if (fact) add(fact, field.value);
    else if (inBlock(field, "nameservers", LABELS.nameserverInBlock)) add("nameservers", field.value);
  }
  return facts;
}

function dnssec(values: string[]): boolean | null {
  for (const value of values) {
    const said = value.trim().toLowerCase();
    // "unsigned", "unsignedDelegation", "Unsigned delegation, DNSSEC disabled"; KISA: 미서명 / 서명
    if (/^(unsigned|no|inactive|false|not signed|미서명)/.test(said)) return false;
    if (/^(signed|yes|active|true|서명)/.test(said)) return true;
  }
  // DENIC lists the keys of a signed zone; JPRS's [Signing Key] is empty for an unsigned one.
  if (values.some((value) => /^\d+ \d+ \d+ \S{16,}/.test(value.trim()))) return true;
  return values.length > 0 && values.every((value) => value.trim() === "") ? false : null;
}

/** A name server as listed: "ns1.example.com. [192.0.2.1]", "ns1.example.com 192.0.2.1" → the name. */
function nameserver(value: string): string | null {
  const name = normalizeNameserver(value.split(/[\s[(,]/)[0] ?? "");
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name) && !/^\d+(\.\d+){3}$/.test(name) ? name : null;
}

/** A registrar named by handle ("MARK-0292", "AM-REG") rather than by name. */
const isHandle = (value: string | null) => value === null || /^[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(value);

function registration(facts: Map<Fact, string[]>, domain: string): RegistrationData {
  const tld = tldOf(domain);
  const first = (fact: Fact) =>
    facts
      .get(fact)
      ?.find((value) => value.trim() !== "")
      ?.trim() ?? null;
  const dateTexts = (["created", "expiry", "updated"] as const).flatMap((fact) => facts.get(fact) ?? []);
  const order: DayOrder = dayOrderOf(dateTexts, MONTH_FIRST_TLDS.has(tld) ? "month-first" : "day-first");
  // The first value of a fact that reads as a date: contacts' blocks later repeat "created:".
  const date = (fact: Fact) =>
    (facts.get(fact) ?? []).map((value) => parseWhoisDate(value, order)).find((d) => d !== null) ?? null;
  // JPRS publishes no expiry for .co.jp and the like; its state carries it: "Connected (2024/03/31)".
  const stateDate = (facts.get("statuses") ?? [])
    .map((value) => /\((\d{4}\/\d{2}\/\d{2})\)/.exec(value)?.[1])
    .find((value) => value !== undefined);
  return {
    ...EMPTY_REGISTRATION,
    // Nominet: "Gandi SAS [Tag = GANDI]"; KISA: "Megazone(http://HOSTING.KR)"
    registrar:
      (isHandle(first("registrar")) ? (first("registrarInBlock") ?? first("registrar")) : first("registrar"))
        ?.replace(/\s*\[Tag = [^\]]*\]$/, "")
        .replace(/\s*\(https?:\/\/[^)]*\)$/, "") || null,
    registrarIanaId: first("registrarIanaId"),
    createdDate: date("created"),
    expiryDate: date("expiry") ?? (tld === "jp" ? parseWhoisDate(stateDate) : null),
    updatedDate: date("updated"),
    dnssec: dnssec(facts.get("dnssec") ?? []),
    nameservers: [
      ...new Set(
        (facts.get("nameservers") ?? [])
          .map(nameserver)
          .filter((name): name is string => name !== null && name !== domain),
      ),
    ],
    // gTLDs follow each EPP status with the URL explaining it.
    statuses: [
      ...new Set(
        (facts.get("statuses") ?? []).map((s) => s.replace(/\s+https?:\/\/\S+$/, "").trim()).filter(Boolean),
      ),
    ],
  };
}

export function readWhoisAnswer(domain: string, text: string): WhoisAnswer {
  const facts = factsOf(readWhoisFields(text.replace(/\r\n?/g, "\n")));
  const names = (facts.get("domain") ?? [])
    .map((value) => value.trim().split(/\s/)[0]?.toLowerCase().replace(/\.$/, "") ?? "")
    .filter((name) => name !== "");
  const named = names.find((name) => name === domain || name === domainToUnicode(domain)) ?? names[0] ?? null;
  const aboutDomain = named === domain || (named !== null && named === domainToUnicode(domain));
  const referralText = REFERRAL.exec(text)?.[1];
  const referral = referralText ? parseServer(referralText) : null;
  const data = registration(facts, domain);

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
