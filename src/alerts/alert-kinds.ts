// The kinds of alert and their severities, as the database enums hold them, and the severity order
// that subscription and webhook filters ("this severity or worse") go by.
import type { AlertType, Severity } from "../db/generated/sqlite/client.js";

export const ALERT_TYPES = [
  "ssl_expiry",
  "whois_expiry",
  "ssl_invalid",
  "ssl_unreachable",
  "ssl_changed",
  "whois_error",
  "webhook_disabled",
  "ssl_revoked",
  "caa_mismatch",
] as const satisfies readonly AlertType[];

/** Mildest first. */
export const SEVERITIES = ["info", "warning", "critical"] as const satisfies readonly Severity[];

/** True when `severity` is `min` or worse. */
export const atLeast = (severity: Severity, min: Severity): boolean =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);
