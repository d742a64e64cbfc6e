// Which alerts a registration lookup raises, holds and resolves for one monitored domain:
// whois_expiry and whois_error. Pure, like the SSL rules.
//
// Severity rule: expired or ≤ 7 days left and "not registered" are critical; expiry further out and a
// failed lookup (the registration is then unwatched) are warnings. A rate-limited lookup says nothing.
import type { WhoisCheck } from "../../db/generated/sqlite/client.js";
import { type AlertDraft, type Evaluation, expiryAlerts, thresholdsFor } from "./thresholds.js";

export interface RegistrationAlertInput {
  /** The domain's summary after the lookup was applied (a failed lookup keeps the last expiry). */
  domain: { id: string; alertDays: number[] | null; whoisExpiresAt: Date | null };
  check: WhoisCheck;
  /** The newest lookup before this one that found the registration: anchors one error alert per episode. */
  lastRegisteredId: string | null;
  now: Date;
}

function error({ domain, check, lastRegisteredId }: RegistrationAlertInput): AlertDraft | null {
  const name = check.registrableDomain;
  const key = (kind: string) => `${domain.id}:whois_error:${lastRegisteredId ?? "never"}:${kind}`;
  if (check.outcome === "registered") return null;
  if (check.outcome === "not_registered") {
    return {
      type: "whois_error",
      severity: "critical",
      title: `${name} is not registered`,
      message: `The registry says ${name} is not registered: anyone can register it.`,
      thresholdDays: null,
      dedupeKey: key("not_registered"),
    };
  }
  return {
    type: "whois_error",
    severity: "warning",
    title: `Registration lookup of ${name} failed`,
    message: `CertPulse could not check the registration of ${name}: ${check.error ?? check.outcome}.`,
    thresholdDays: null,
    dedupeKey: key("failed"),
  };
}

export function registrationAlerts(input: RegistrationAlertInput): Evaluation {
  const { domain, check, now } = input;
  if (check.outcome === "rate_limited") return { types: [], raise: [], holds: [] };
  const problem = error(input);
  const fromExpiry = domain.whoisExpiresAt
    ? expiryAlerts(
        {
          type: "whois_expiry",
          keyPrefix: `${domain.id}:whois_expiry:${check.registrableDomain}`,
          expiresAt: domain.whoisExpiresAt,
          thresholds: thresholdsFor(domain.alertDays),
          subject: "Domain registration",
          what: `The registration of ${check.registrableDomain}`,
        },
        now,
      )
    : { raise: [], holds: [] };
  return {
    types: ["whois_expiry", "whois_error"],
    raise: [...fromExpiry.raise, ...(problem ? [problem] : [])],
    holds: [...fromExpiry.holds, ...(problem ? [problem.dedupeKey] : [])],
  };
}
