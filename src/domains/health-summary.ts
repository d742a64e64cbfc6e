// The one place a domain's summary columns are computed: the error flag, the earliest expiry and the
// moments it turns warning and critical, from its SSL half and its registration half together. Both
// check services and a change of alert_days call it, so neither half is ever recomputed on its own.
import { DAY_MS } from "../lib/days.js";
import { CRITICAL_DAYS, DEFAULT_ALERT_DAYS } from "./domain-status.js";

export interface HealthState {
  /** Why the last SSL check failed or its chain is not valid; null when it is healthy. */
  sslError: string | null;
  /** The certificate chain's earliest expiry, as last seen. */
  sslExpiresAt: Date | null;
  /** Why the registration is a problem (not registered, lookup failed); null when it is fine. */
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
 * earlier of the two; warning from the largest threshold before it, critical from 7 days (or the
 * largest threshold, if that is smaller).
 */
export function healthSummary(state: HealthState): HealthSummary {
  const hasError = state.sslError !== null || state.whoisError !== null;
  const expiresAt = earliest(state.sslExpiresAt, state.whoisExpiresAt);
  if (expiresAt === null) return { hasError, expiresAt: null, warningAt: null, criticalAt: null };
  const alertDays = state.alertDays as number[] | null;
  const warningDays = Math.max(...(alertDays && alertDays.length > 0 ? alertDays : DEFAULT_ALERT_DAYS));
  const before = (days: number) => new Date(expiresAt.getTime() - days * DAY_MS);
  return {
    hasError,
    expiresAt,
    warningAt: before(warningDays),
    criticalAt: before(Math.min(CRITICAL_DAYS, warningDays)),
  };
}
