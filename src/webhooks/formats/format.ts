// One webhook body format: turns the generic event into what a receiver expects. One file each.
import type { WebhookEvent } from "../webhook-event.js";

export type Format = (event: WebhookEvent) => unknown;

/** A one-line headline and a body in plain words, which chat formats build on. */
export function headline(event: WebhookEvent): { title: string; text: string; severity: string } {
  if (event.type === "webhook.test") {
    return { title: "CertPulse test delivery", text: event.data.message, severity: "info" };
  }
  return {
    title: `[${event.data.severity.toUpperCase()}] ${event.data.title}`,
    text: event.data.message,
    severity: event.data.severity,
  };
}
