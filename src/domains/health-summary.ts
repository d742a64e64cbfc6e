// The one place a domain's summary columns are computed: the error flag, the earliest expiry and the
// moments it turns warning and critical, from its SSL half and its registration half together. Both
// check services and a change of alert_days call it, so neither half is ever recomputed on its own.
// The moments come from the expiry policy the alert rules use (expiry-policy.ts).
import { boundariesOf, thresholdsFor } from "./expiry-policy.js";

export interface HealthState {
  /** Why the certificate cannot be reached or trusted; null when it is healthy. */
  sslError: string | null;
  /** The certificate chain's earliest expiry, as last seen. */
  sslExpiresAt: Date | null;
  /** The certificate's validity start, as last seen: its lifetime scales the thresholds. */
  sslValidFrom: Date | null;
  /** The leaf certificate's expiry, as last seen (with sslValidFrom, its lifetime). */
  sslValidTo: Date | null;
  /** Set only when the registration is gone (not registered); a failed lookup is not an error. */
  whoisError: string | null;
  whoisExpiresAt: Date | null;
  /** The domain's alert thresholds in days; null for the defaults. */
  alertDays: unknown;
}

export interface HealthSummary {
  hasError: boolean;
  expiresAt: Date | null;
  warningAt: Date | null;
  criticalAt: Date | null;
}

/** The earlier of two optional dates. */
export function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * The summary columns of a domain in this state: an error if either half has one; expiry at the
 * earlier of the two; warning and critical from whichever half reaches its threshold first. The
 * certificate's thresholds scale with its lifetime (`lifetimePercent`, as its alerts do).
 */
export function healthSummary(state: HealthState, lifetimePercent: number): HealthSummary {
  const alertDays = state.alertDays as number[] | null;
  const lifetimeMs =
    state.sslValidFrom && state.sslValidTo ? state.sslValidTo.getTime() - state.sslValidFrom.getTime() : 0;
  const ssl = boundariesOf(
    state.sslExpiresAt,
    thresholdsFor(alertDays, { ms: lifetimeMs, percent: lifetimePercent }),
  );
  const whois = boundariesOf(state.whoisExpiresAt, thresholdsFor(alertDays));
  return {
    hasError: state.sslError !== null || state.whoisError !== null,
    expiresAt: earliest(state.sslExpiresAt, state.whoisExpiresAt),
    warningAt: earliest(ssl.warningAt, whois.warningAt),
    criticalAt: earliest(ssl.criticalAt, whois.criticalAt),
  };
}
