// The alerts expiry thresholds raise, shared by certificate and registration expiry; the thresholds
// themselves are the expiry policy's (domains/expiry-policy.ts), which the domain's status follows too.
// Pure: the thresholds of a domain, the expiry and the time in; the alerts that hold out.
//
// Only the tightest threshold crossed raises an alert: a domain first seen 5 days before expiry gets
// the 7-day alert, not the 30-, 14- and 7-day ones at once. Every crossed threshold still "holds", so
// the earlier alerts stay open until the expiry moves (a renewal) and resolves them all.
import type { AlertType, Severity } from "../../db/generated/sqlite/client.js";
import type { Threshold } from "../../domains/expiry-policy.js";
import { daysUntil, isoDay } from "../../lib/days.js";

/** An alert as the rules describe it; the alerts service stores it once per dedupe key. */
export interface AlertDraft {
  type: AlertType;
  severity: Severity;
  title: string;
  message: string;
  thresholdDays: number | null;
  /** Unique per domain, type, threshold and certificate (or expiry date): the alert is raised once. */
  dedupeKey: string;
  /** A notice (ssl_changed) describes an event, not a condition: it is resolved when raised. */
  notice?: boolean;
}

/** What one check says about a family of alert types. */
export interface Evaluation {
  /** The types this evaluation speaks for: their open alerts not in `holds` are resolved. */
  types: AlertType[];
  /** Alerts to raise, unless already raised. */
  raise: AlertDraft[];
  /** Dedupe keys whose condition still holds (raised now or before). */
  holds: string[];
}

export interface ExpiryFacts {
  type: "ssl_expiry" | "whois_expiry";
  /** Start of the dedupe key: domain and what expires (certificate fingerprint, registration). */
  keyPrefix: string;
  expiresAt: Date;
  thresholds: Threshold[];
  /** "SSL certificate" / "Domain registration". */
  subject: string;
  /** The message's first sentence up to "expires", e.g. "The SSL certificate for example.com". */
  what: string;
  /** Added after the days remaining, e.g. the share of the lifetime left. */
  detail?: (threshold: Threshold) => string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function expiryAlerts(facts: ExpiryFacts, now: Date): Evaluation {
  const left = facts.expiresAt.getTime() - now.getTime();
  const days = daysUntil(facts.expiresAt, now) as number;
  const on = isoDay(facts.expiresAt);
  const key = (part: string) => `${facts.keyPrefix}:${facts.expiresAt.getTime()}:${part}`;
  if (left <= 0) {
    const expired: AlertDraft = {
      type: facts.type,
      severity: "critical",
      title: `${facts.subject} has expired`,
      message: `${facts.what} expired on ${on}.`,
      thresholdDays: 0,
      dedupeKey: key("expired"),
    };
    return {
      types: [facts.type],
      raise: [expired],
      holds: [...facts.thresholds.map((t) => key(t.key)), expired.dedupeKey],
    };
  }
  const crossed = facts.thresholds.filter((t) => left <= t.ms);
  const tightest = crossed.at(-1);
  const raise: AlertDraft[] = tightest
    ? [
        {
          type: facts.type,
          // The threshold's severity, not the days left: the domain's status turns with the same one.
          severity: tightest.severity,
          title: `${facts.subject} expires in ${plural(days, "day")}`,
          message: `${facts.what} expires on ${on}. ${plural(days, "day")} remaining.${facts.detail?.(tightest) ?? ""}`,
          thresholdDays: tightest.days,
          dedupeKey: key(tightest.key),
        },
      ]
    : [];
  return { types: [facts.type], raise, holds: crossed.map((t) => key(t.key)) };
}
