// Sends one webhook delivery: renders the event in the webhook's format, signs it as Standard
// Webhooks says (webhook-id, webhook-timestamp, webhook-signature = v1,base64(HMAC-SHA256(secret,
// "id.timestamp.body"))) and POSTs it through the guarded HTTP client. Never throws: a refused
// address, a timeout or a 500 is a failed attempt with a reason, for the delivery log.
import { performance } from "node:perf_hooks";
import { Webhook } from "standardwebhooks";
import type { WebhookFormat } from "../db/generated/sqlite/client.js";
import { FORMATS } from "./formats/index.js";
import type { WebhookEvent } from "./webhook-event.js";

/** What sending needs of an HTTP client (the probes' guarded one): one POST, any status an answer. */
export interface Poster {
  post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
}

export interface WebhookTarget {
  url: string;
  secret: string;
  format: WebhookFormat;
}

export interface DeliveryAttempt {
  ok: boolean;
  status: number | null;
  /** The start of the answer, enough to see what a receiver complained about. */
  body: string | null;
  error: string | null;
  durationMs: number;
}

const KEPT_BODY_CHARS = 1000;

/**
 * `messageId` stays the same across retries of one delivery, so a receiver can drop duplicates;
 * the timestamp is the moment of sending, which receivers hold against their clock to refuse replays.
 */
export async function sendWebhook(
  http: Poster,
  target: WebhookTarget,
  messageId: string,
  event: WebhookEvent,
): Promise<DeliveryAttempt> {
  const body = JSON.stringify(FORMATS[target.format](event));
  const sentAt = new Date();
  const headers = {
    "content-type": "application/json",
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(target.secret).sign(messageId, sentAt, body),
  };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const answer = await http.post(target.url, body, headers);
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      ok,
      status: answer.status,
      body: answer.body.slice(0, KEPT_BODY_CHARS),
      error: ok ? null : `the receiver answered HTTP ${answer.status}`,
      durationMs: elapsed(),
    };
  } catch (error) {
    return { ok: false, status: null, body: null, error: (error as Error).message, durationMs: elapsed() };
  }
}
