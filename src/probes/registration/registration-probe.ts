// The registration probe: RDAP first, WHOIS when the TLD has no RDAP service or RDAP fails. A
// definite answer from RDAP ("not registered", "slow down") is final: asking WHOIS too would
// contradict the registry or ignore its request. Every outcome is a result, never a throw.
import { lookupRdap, type RdapOptions } from "./rdap-probe.js";
import {
  EMPTY_REGISTRATION,
  LookupFailure,
  type RegistrationData,
  type RegistrationResult,
  tldOf,
} from "./registration.js";
import { lookupWhois, type WhoisOptions } from "./whois-probe.js";

export interface RegistrationProbeOptions {
  rdap: RdapOptions;
  whois: WhoisOptions;
  now?: () => Date;
}

type Source = RegistrationResult["source"];

export async function probeRegistration(
  domain: string,
  options: RegistrationProbeOptions,
): Promise<RegistrationResult> {
  const checkedAt = options.now?.() ?? new Date();
  const tld = tldOf(domain);
  const found = (source: Source, server: string, data: RegistrationData): RegistrationResult => ({
    ...data,
    domain,
    checkedAt,
    source,
    server,
    outcome: "registered",
    error: null,
    expiryNote:
      data.expiryDate === null
        ? `the .${tld} registry does not publish an expiry date (${source === "rdap" ? "no RDAP expiration event" : "none in its WHOIS answer"})`
        : null,
    retryAfter: null,
  });
  const failed = (source: Source, failure: LookupFailure, message = failure.message): RegistrationResult => ({
    ...EMPTY_REGISTRATION,
    domain,
    checkedAt,
    source,
    server: null,
    outcome: failure.outcome,
    error: message,
    expiryNote: null,
    retryAfter: failure.retryAfter,
  });

  let rdapFailure: LookupFailure;
  try {
    const answer = await lookupRdap(domain, options.rdap);
    if (answer) return found("rdap", answer.server, answer.data);
    rdapFailure = new LookupFailure("unsupported", `no RDAP service is listed for .${tld}`);
  } catch (error) {
    if (!(error instanceof LookupFailure)) throw error;
    if (error.outcome === "not_registered" || error.outcome === "rate_limited") return failed("rdap", error);
    rdapFailure = error;
  }
  try {
    const answer = await lookupWhois(domain, options.whois);
    return found("whois", answer.server, answer.data);
  } catch (error) {
    if (!(error instanceof LookupFailure)) throw error;
    const message = `RDAP: ${rdapFailure.message}; WHOIS: ${error.message}`;
    // "No WHOIS server" says less than why RDAP failed, unless RDAP had nothing either.
    if (error.outcome === "unsupported" && rdapFailure.outcome !== "unsupported") {
      return failed("rdap", rdapFailure, message);
    }
    return failed("whois", error, error.outcome === "not_registered" ? error.message : message);
  }
}
