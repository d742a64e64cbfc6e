// What a registration lookup (RDAP or WHOIS) finds out about a registrable domain, and the ways it
// can fail. Every outcome is a result, never a throw: the service stores it and the scheduler
// decides from `outcome` and `retryAfter` when to ask again.

export const REGISTRATION_OUTCOMES = [
  "registered",
  "not_registered",
  /** The registry asked us to slow down; `retryAfter` says when to ask again. */
  "rate_limited",
  "timeout",
  "unreachable",
  /** The server answered with an error status. */
  "server_error",
  /** Garbage, the wrong kind of object, or more than the size limit. */
  "invalid_response",
  /** Neither an RDAP service nor a WHOIS server is known for this TLD. */
  "unsupported",
] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];

export interface RegistrationData {
  registrar: string | null;
  registrarIanaId: string | null;
  createdDate: Date | null;
  expiryDate: Date | null;
  updatedDate: Date | null;
  /** Whether the delegation is signed (DS records at the parent); null when the answer does not say. */
  dnssec: boolean | null;
  /** Lower-case, without a trailing dot. */
  nameservers: string[];
  statuses: string[];
}

export interface RegistrationResult extends RegistrationData {
  /** The registrable domain that was looked up. */
  domain: string;
  checkedAt: Date;
  source: "rdap" | "whois" | null;
  /** The RDAP URL or WHOIS host:port whose answer the data comes from. */
  server: string | null;
  outcome: RegistrationOutcome;
  /** Why the lookup failed or found nothing; null when it found the registration. */
  error: string | null;
  /** Why a registered domain has no expiry date (some registries never publish one). */
  expiryNote: string | null;
  /** For rate_limited: when the registry allows another question. */
  retryAfter: Date | null;
}

/** A lookup step that failed in a way the caller may fall back from (RDAP → WHOIS) or record. */
export class LookupFailure extends Error {
  constructor(
    readonly outcome: Exclude<RegistrationOutcome, "registered">,
    message: string,
    readonly retryAfter: Date | null = null,
  ) {
    super(message);
  }
}

export const EMPTY_REGISTRATION: RegistrationData = {
  registrar: null,
  registrarIanaId: null,
  createdDate: null,
  expiryDate: null,
  updatedDate: null,
  dnssec: null,
  nameservers: [],
  statuses: [],
};

/** Fields the first answer lacks, taken from the second (the registry's word wins over the registrar's). */
export function mergeRegistration(first: RegistrationData, second: RegistrationData): RegistrationData {
  return {
    registrar: first.registrar ?? second.registrar,
    registrarIanaId: first.registrarIanaId ?? second.registrarIanaId,
    createdDate: first.createdDate ?? second.createdDate,
    expiryDate: first.expiryDate ?? second.expiryDate,
    updatedDate: first.updatedDate ?? second.updatedDate,
    dnssec: first.dnssec ?? second.dnssec,
    nameservers: first.nameservers.length > 0 ? first.nameservers : second.nameservers,
    statuses: first.statuses.length > 0 ? first.statuses : second.statuses,
  };
}

/** A registry answer that leaves out what the registrar may know. */
export function isThin(data: RegistrationData): boolean {
  return data.expiryDate === null || data.registrar === null || data.nameservers.length === 0;
}

/** The last label: what "no service for .tld" messages name. */
export const tldOf = (domain: string) => domain.slice(domain.lastIndexOf(".") + 1);

export const normalizeNameserver = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");
