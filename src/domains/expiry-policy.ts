// The one expiry policy: when a certificate or a registration gets close enough to its expiry to
// matter, and how much. The alert rules raise an alert at each threshold, and the domain's summary
// turns warning and critical at the same moments, so a domain is critical exactly while it has an
// open critical expiry alert (and warning while its tightest open one is a warning).
import { DAY_MS } from "../lib/days.js";

/** Alert thresholds in days when a domain sets none. */
export const DEFAULT_ALERT_DAYS = [30, 14, 7, 3, 1];
/** A threshold this close to expiry, or closer, is critical; further out it is a warning. */
export const CRITICAL_DAYS = 7;

export interface Threshold {
  /** Reached when at most this much time is left. */
  ms: number;
  /** As the API shows it: whole days. */
  days: number;
  /** For a share-of-lifetime threshold: the percentage left. */
  percent?: number;
  /** The threshold's part of an alert's dedupe key. */
  key: string;
  severity: "warning" | "critical";
}

const severityOf = (days: number) => (days <= CRITICAL_DAYS ? "critical" : "warning");

/** "N days" means N whole days left: reached as soon as less than N + 1 days remain. */
const dayThreshold = (days: number): Threshold => ({
  ms: (days + 1) * DAY_MS - 1,
  days,
  key: `${days}d`,
  severity: severityOf(days),
});

/** A certificate's validity period, and the share of it left that also counts as a threshold. */
export interface Lifetime {
  ms: number;
  percent: number;
}

/**
 * The thresholds, largest first: the domain's alert days (or the defaults). With a certificate's
 * lifetime and a percentage, day thresholds earlier than that share of the lifetime give way to one
 * threshold at it: a 47-day certificate warns with a third of its life left (day 31), not at 30 days
 * left (day 17), when it has barely reached its renewal window; a 6-day certificate is not critical
 * from the day it is issued. Long-lived certificates keep the day thresholds.
 */
export function thresholdsFor(alertDays: number[] | null, lifetime?: Lifetime | null): Threshold[] {
  const days = [...(alertDays && alertDays.length > 0 ? alertDays : DEFAULT_ALERT_DAYS)].sort(
    (a, b) => b - a,
  );
  const all = days.map(dayThreshold);
  if (!lifetime || lifetime.percent <= 0 || lifetime.ms <= 0) return all;
  const shareMs = (lifetime.ms * lifetime.percent) / 100;
  const kept = all.filter((t) => t.ms <= shareMs);
  if (kept.length === all.length) return all;
  const percent = Math.round(lifetime.percent);
  const shareDays = Math.floor(shareMs / DAY_MS);
  return [
    { ms: shareMs, days: shareDays, percent, key: `${percent}pct`, severity: severityOf(shareDays) },
    ...kept,
  ];
}

export interface Boundaries {
  /** From when the domain is warning: the first threshold. */
  warningAt: Date | null;
  /** From when it is critical: the first critical threshold (none when every threshold is a warning). */
  criticalAt: Date | null;
}

/** The moments one expiry's thresholds are reached. */
export function boundariesOf(expiresAt: Date | null, thresholds: Threshold[]): Boundaries {
  if (expiresAt === null || thresholds.length === 0) return { warningAt: null, criticalAt: null };
  const at = (t: Threshold | undefined) => (t ? new Date(expiresAt.getTime() - t.ms) : null);
  return { warningAt: at(thresholds[0]), criticalAt: at(thresholds.find((t) => t.severity === "critical")) };
}
