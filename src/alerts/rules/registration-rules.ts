// Which alerts a registration lookup raises, holds and resolves for one monitored domain:
// whois_expiry and whois_error. Pure, like the SSL rules.
//
// Severity rule: expiry by the expiry policy's thresholds (critical from 7 days), "not registered" is
// critical, and lookups that have kept failing for a day (the registration is then unwatched) are a
// warning; a single failure, or a registry's rate limit, says nothing: registries are often briefly
// unreachable, and a lookup is shared, so one user's forced lookup must not alarm another.
import type { WhoisCheck } from "../../db/generated/sqlite/client.js";
import { thresholdsFor } from "../../domains/expiry-policy.js";
import { type AlertDraft, type Evaluation, expiryAlerts } from "./thresholds.js";

export interface RegistrationAlertInput {
  /** The domain's summary after the lookup was applied (a failed lookup keeps the last expiry). */
  domain: { id: string; alertDays: number[] | null; whoisExpiresAt: Date | null; whoisError: string | null };
  check: WhoisCheck;
  /** The newest lookup before this one that found the registration: anchors one error alert per episode. */
  lastRegisteredId: string | null;
  /** Whether this failed lookup ends a run of failures long enough to raise whois_error. */
  failurePersisted: boolean;
  now: Date;
}

function errors({ domain, check, lastRegisteredId, failurePersisted }: RegistrationAlertInput): AlertDraft[] {
  const name = check.registrableDomain;
  const key = (kind: string) => `${domain.id}:whois_error:${lastRegisteredId ?? "never"}:${kind}`;
  if (check.outcome === "registered") return [];
  const notRegistered: AlertDraft = {
    type: "whois_error",
    severity: "critical",
    title: `${name} is not registered`,
    message: `The registry says ${name} is not registered: anyone can register it.`,
    thresholdDays: null,
    dedupeKey: key("not_registered"),
  };
  if (check.outcome === "not_registered") return [notRegistered];
  // A failed lookup changes no verdict: "not registered", if that was the last answer, still holds.
  const drafts = domain.whoisError !== null ? [notRegistered] : [];
  if (failurePersisted) {
    drafts.push({
      type: "whois_error",
      severity: "warning",
      title: `Registration lookup of ${name} failed`,
      message: `CertPulse could not check the registration of ${name}: ${check.error ?? check.outcome}.`,
      thresholdDays: null,
      dedupeKey: key("failed"),
    });
  }
  return drafts;
}

export function registrationAlerts(input: RegistrationAlertInput): Evaluation {
  const { domain, check, now } = input;
  if (check.outcome === "rate_limited") return { types: [], raise: [], holds: [] };
  const problems = errors(input);
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
    raise: [...fromExpiry.raise, ...problems],
    holds: [...fromExpiry.holds, ...problems.map((p) => p.dedupeKey)],
  };
}
