// What a webhook receives, before formatting: a Standard Webhooks style event (type, timestamp,
// data) whose data is the alert as the REST API writes it, and which webhooks want which alert.

import { type AlertJson, alertJson } from "../alerts/alert-json.js";
import { atLeast } from "../alerts/alert-kinds.js";
import type { Alert, AlertType, Severity } from "../db/generated/sqlite/client.js";

export interface TestData {
  webhook_id: string;
  message: string;
}

export type WebhookEvent =
  | { type: "alert.triggered"; timestamp: string; data: AlertJson }
  | { type: "webhook.test"; timestamp: string; data: TestData };

export function alertEvent(alert: Alert): WebhookEvent {
  return { type: "alert.triggered", timestamp: alert.triggeredAt.toISOString(), data: alertJson(alert) };
}

export function testEvent(webhookId: string, now: Date): WebhookEvent {
  return {
    type: "webhook.test",
    timestamp: now.toISOString(),
    data: { webhook_id: webhookId, message: "A test delivery from CertPulse: this webhook is reachable." },
  };
}

export interface WebhookFilter {
  /** AlertType[]; empty means every type. */
  eventTypes: unknown;
  minSeverity: Severity;
}

/** Whether a webhook's filter lets an alert through. */
export function wantsAlert(webhook: WebhookFilter, alert: Pick<Alert, "type" | "severity">): boolean {
  const types = webhook.eventTypes as AlertType[];
  return (types.length === 0 || types.includes(alert.type)) && atLeast(alert.severity, webhook.minSeverity);
}
