// When each check runs next: the SSL check's interval and back-off, the registration lookup's
// refresh by distance to expiry. Pure functions of the outcome, the failure count and the time.
import { HOUR_MS } from "../lib/days.js";
import type { RegistrationResult } from "../probes/registration/registration.js";

/** First retry after a failed SSL check; doubled per consecutive failure. */
const FIRST_RETRY_MS = 5 * 60_000;
/** A domain that keeps failing is still checked at least this many intervals apart (a day by default). */
const MAX_BACKOFF_INTERVALS = 4;

/**
 * The next SSL check: one interval after a success; after failures 5 min, 10, 20, … up to four
 * intervals, so a transient failure is confirmed soon and a dead host is not hammered. ±10 % jitter
 * spreads domains added together across the interval.
 */
export function nextSslCheckAt(failures: number, intervalMs: number, now: Date, random: () => number): Date {
  const delay =
    failures === 0
      ? intervalMs
      : Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_BACKOFF_INTERVALS * intervalMs);
  return new Date(now.getTime() + delay * (0.9 + 0.2 * random()));
}

/** First retry after a failed lookup; doubled per failure up to the interval. */
const FAILURE_BACKOFF_MS = 15 * 60_000;

/** When to look again: sooner as expiry nears (a renewal shows up in time), later after failures. */
export function nextLookupAt(
  result: RegistrationResult,
  failureCount: number,
  intervalMs: number,
  at: Date,
): Date {
  const now = at.getTime();
  const clamp = (ms: number, min: number) => new Date(now + Math.min(intervalMs, Math.max(min, ms)));
  if (result.outcome === "registered" || result.outcome === "not_registered") {
    const left = result.expiryDate ? result.expiryDate.getTime() - now : intervalMs;
    return clamp(left / 8, HOUR_MS);
  }
  if (result.outcome === "rate_limited" && result.retryAfter) {
    return clamp(result.retryAfter.getTime() - now, 60_000);
  }
  return clamp(FAILURE_BACKOFF_MS * 2 ** Math.min(failureCount - 1, 16), FAILURE_BACKOFF_MS);
}
