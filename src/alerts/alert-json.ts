// An alert as JSON: the REST API's GET /alerts rows and the `data` of a webhook's alert.triggered
// event are this one shape, built from a stored Alert row or from the REST adapter's GraphQL
// selection (which names its fields as the row does).
import type { Alert } from "../db/generated/sqlite/client.js";
import { iso, lower } from "../lib/json.js";

export type AlertFields = {
  [K in
    | "id"
    | "domainId"
    | "hostname"
    | "type"
    | "severity"
    | "title"
    | "message"
    | "thresholdDays"]: unknown;
} & { triggeredAt: unknown; resolvedAt: unknown };

export interface AlertJson {
  id: string;
  domain_id: string | null;
  hostname: string;
  alert_type: Alert["type"];
  severity: Alert["severity"];
  title: string;
  message: string;
  threshold_days: number | null;
  triggered_at: string;
  resolved_at: string | null;
}

export const alertJson = (a: AlertFields) =>
  ({
    id: a.id,
    domain_id: a.domainId,
    hostname: a.hostname,
    alert_type: lower(a.type),
    severity: lower(a.severity),
    title: a.title,
    message: a.message,
    threshold_days: a.thresholdDays,
    triggered_at: iso(a.triggeredAt),
    resolved_at: iso(a.resolvedAt),
  }) as AlertJson;
