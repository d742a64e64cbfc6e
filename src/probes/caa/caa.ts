// CAA (RFC 8659): which CAs a name's DNS lets issue for it, looked up the way a CA does before it
// issues: the name's own CAA records, else its parent's, climbing to the closest ancestor that has
// any (the resolver follows CNAMEs, as a CA's recursive resolver does). The verdict: would the CA that
// issued the current certificate be allowed to issue its renewal?
import { Resolver } from "node:dns/promises";
import { LRUCache } from "lru-cache";
import { caaDomainsOf } from "./caa-issuers.js";

export interface CaaRecord {
  critical: boolean;
  tag: string;
  value: string;
}

/** A name's CAA records: [] when it has none (NODATA or NXDOMAIN); throws when DNS gives no answer. */
export type CaaResolve = (name: string) => Promise<CaaRecord[]>;

export interface CaaName {
  /** The certificate's name ("*.example.com" for a wildcard). */
  name: string;
  /** Where the relevant records were found: the name or an ancestor; null when none has any. */
  foundAt: string | null;
  /** The issuer domains of the `issue` and `issuewild` properties there (";" alone: no CA). */
  issue: string[];
  issuewild: string[];
  /** Whether the certificate's CA may issue for this name; null when DNS gave no answer. */
  allowed: boolean | null;
  /** Why not, or why unknown. */
  problem: string | null;
}

export interface CaaVerdict {
  /** allowed: every name lets the CA issue; refused: some name does not; unavailable: DNS gave no answer for some. */
  status: "allowed" | "refused" | "unavailable";
  /** The issuer's organization, as the certificate names it. */
  issuer: string;
  /** The CAA identities that CA answers to ("letsencrypt.org"). */
  caaDomains: string[];
  names: CaaName[];
}

export type CaaChecker = (
  names: string[],
  issuerParts: Record<string, string>,
  signal: AbortSignal,
) => Promise<CaaVerdict | null>;

/** RFC 8659 §4.2: the issuer domain name before any parameters; empty means no CA may issue. */
const issuerDomain = (value: string) => (value.split(";")[0] ?? "").trim().toLowerCase().replace(/\.$/, "");

/** The tags this knows; a critical record with any other tag forbids issuance (RFC 8659 §4.1). */
const KNOWN_TAGS = new Set([
  "issue",
  "issuewild",
  "iodef",
  "contactemail",
  "contactphone",
  "issuemail",
  "issuevmc",
]);

/** RFC 8659 §3: the name's records, else its parent's, up to (not including) the root. */
export async function relevantRecords(
  name: string,
  resolve: CaaResolve,
): Promise<{ foundAt: string | null; records: CaaRecord[] }> {
  const labels = name.replace(/^\*\./, "").split(".");
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join(".");
    const records = await resolve(candidate);
    if (records.length > 0) return { foundAt: candidate, records };
  }
  return { foundAt: null, records: [] };
}

/** Whether the records let a CA known by `caaDomains` issue for `name` (RFC 8659 §4.2, §4.3). */
export function judge(
  name: string,
  { foundAt, records }: { foundAt: string | null; records: CaaRecord[] },
  caaDomains: string[],
): CaaName {
  const values = (tag: string) => records.filter((r) => r.tag === tag).map((r) => issuerDomain(r.value));
  const issue = values("issue");
  const issuewild = values("issuewild");
  const base = { name, foundAt, issue, issuewild };
  const unknownCritical = records.find((r) => r.critical && !KNOWN_TAGS.has(r.tag));
  if (unknownCritical) {
    return {
      ...base,
      allowed: false,
      problem: `a critical CAA property "${unknownCritical.tag}" no CA understands forbids issuance`,
    };
  }
  // A wildcard name goes by issuewild when there is any, else by issue; other names by issue alone.
  const governing = name.startsWith("*.") && issuewild.length > 0 ? issuewild : issue;
  if (governing.length === 0) return { ...base, allowed: true, problem: null };
  const allowed = governing.some((domain) => domain !== "" && caaDomains.includes(domain));
  const named = governing.filter(Boolean);
  return {
    ...base,
    allowed,
    problem: allowed
      ? null
      : named.length === 0
        ? `CAA at ${foundAt} lets no CA issue`
        : `CAA at ${foundAt} lets only ${named.join(", ")} issue`,
  };
}

/** The resolver CAA lookups ask: the configured servers, else the system's. */
export function caaResolver({ servers, timeoutMs }: { servers?: string[]; timeoutMs: number }): CaaResolve {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers) resolver.setServers(servers);
  return async (name) => {
    try {
      const records = await resolver.resolveCaa(name);
      return records.map((record) => {
        const { critical, ...property } = record as unknown as Record<string, string | number>;
        const [tag, value] = Object.entries(property)[0] ?? ["", ""];
        return { critical: (Number(critical) & 128) !== 0, tag: tag.toLowerCase(), value: String(value) };
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENODATA" || code === "ENOTFOUND") return [];
      throw new Error(`no CAA answer for ${name} (${code ?? (error as Error).message})`);
    }
  };
}

/** Names checked per certificate: a CA checks every one, but a 100-name certificate is not looked up 100 times a check. */
const MAX_NAMES = 50;

/**
 * The checker the probe calls: nothing for a CA whose CAA identity is not known (a private CA is not
 * bound by CAA, and naming it would be a guess). Each name's answer is kept ten minutes, so a
 * certificate shared by many domains costs one lookup per name.
 */
export function caaChecker({
  resolve,
  issuers,
}: {
  resolve: CaaResolve;
  /** Extra issuer organizations and their CAA domains (CERTPULSE_CAA_ISSUERS). */
  issuers?: Record<string, string[]>;
}): CaaChecker {
  const cache = new LRUCache<string, { foundAt: string | null; records: CaaRecord[] }>({
    max: 10_000,
    ttl: 10 * 60_000,
  });
  const lookup = async (name: string) => {
    const known = cache.get(name);
    if (known) return known;
    const found = await relevantRecords(name, resolve);
    cache.set(name, found);
    return found;
  };
  return async (names, issuerParts, signal) => {
    const identity = caaDomainsOf(issuerParts, issuers);
    if (!identity) return null;
    const unique = [...new Set(names.map((n) => n.toLowerCase()))].filter((n) => !/^[\d.:]+$/.test(n));
    const judged = await Promise.all(
      unique.slice(0, MAX_NAMES).map(async (name): Promise<CaaName> => {
        if (signal.aborted) return unanswered(name, "no answer before the probe's deadline");
        try {
          return judge(name, await lookup(name), identity.domains);
        } catch (error) {
          return unanswered(name, (error as Error).message);
        }
      }),
    );
    const status = judged.some((n) => n.allowed === false)
      ? "refused"
      : judged.some((n) => n.allowed === null)
        ? "unavailable"
        : "allowed";
    return { status, issuer: identity.issuer, caaDomains: identity.domains, names: judged };
  };
}

const unanswered = (name: string, problem: string): CaaName => ({
  name,
  foundAt: null,
  issue: [],
  issuewild: [],
  allowed: null,
  problem,
});
