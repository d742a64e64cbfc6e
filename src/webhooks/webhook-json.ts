// A webhook and one of its deliveries as JSON (the REST API's shape); the secret only where it is shown.
import { lower, type Row } from "../lib/json.js";

export const webhookJson = (w: Row, secret?: string) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  format: lower(w.format),
  event_types: (w.eventTypes as string[]).map(lower),
  min_severity: lower(w.minSeverity),
  is_active: w.isActive,
  ...(secret === undefined ? {} : { secret }),
  failure_count: w.failureCount,
  disabled_at: w.disabledAt,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

export const deliveryJson = (d: Row) => ({
  id: d.id,
  webhook_id: d.webhookId,
  alert_id: d.alertId,
  event_type: d.eventType,
  status: lower(d.status),
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  last_attempt_at: d.lastAttemptAt,
  response_status: d.responseStatus,
  response_body: d.responseBody,
  duration_ms: d.durationMs,
  error: d.error,
  created_at: d.createdAt,
  payload: d.payload,
});
