// Whole days from now until a date, negative once it has passed: the one rule for every
// "days remaining" CertPulse reports, so REST, GraphQL, alerts and the CLI always agree.
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function daysUntil(date: Date | null, now: Date): number | null {
  return date === null ? null : Math.floor((date.getTime() - now.getTime()) / DAY_MS);
}

/** The calendar day (UTC) of a date, as reports print it: "2027-03-15", or "?" when unknown. */
export const isoDay = (date: Date | null) => date?.toISOString().slice(0, 10) ?? "?";
