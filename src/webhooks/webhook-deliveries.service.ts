// Webhook deliveries: the queue in the database (so a restart loses none), claimed with a lease like
// scheduled checks, sent with retries and exponential back-off, logged per webhook. A webhook that
// keeps failing for a day is turned off and its owner gets a webhook_disabled alert.
import { z } from "zod";
import type { AlertsService } from "../alerts/alerts.service.js";
import type { Db } from "../db/client.js";
import type { Webhook, WebhookDelivery } from "../db/generated/sqlite/client.js";
import { HOUR_MS } from "../lib/days.js";
import { pagingFields, readPage } from "../lib/paging.js";
import type { Telemetry } from "../lib/telemetry.js";
import { type Loose, parseInput } from "../lib/validate.js";
import type { HttpClient } from "../probes/net/http-client.js";
import type { Work } from "../scheduler/scheduler.js";
import { testEvent, type WebhookEvent } from "./webhook-event.js";
import { type DeliveryAttempt, sendWebhook } from "./webhook-sender.js";
import type { WebhooksService } from "./webhooks.service.js";

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

/** Attempts per delivery: the first and seven retries, 10 s … 12 h apart (about 15 hours in all). */
const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 12 * HOUR_MS;
/** A webhook is turned off once it has failed this many times in a row over at least a day. */
const DISABLE_AFTER_FAILURES = 5;
const DISABLE_AFTER_MS = 24 * HOUR_MS;

/** The next attempt after `attempts` failed ones: 10 s, 40 s, 160 s, … ×4 each, capped at 12 h, ±10 %. */
export function nextAttemptAt(attempts: number, now: Date, random: () => number): Date {
  const delay = Math.min(FIRST_RETRY_MS * 4 ** (attempts - 1), MAX_RETRY_MS);
  return new Date(now.getTime() + delay * (0.9 + 0.2 * random()));
}

const listSchema = z.object({
  ...pagingFields,
  status: z.enum(DELIVERY_STATUSES, { error: "status must be one of pending, succeeded, failed" }).nullish(),
});
export type ListDeliveriesInput = Loose<z.input<typeof listSchema>>;

export interface WebhookDeliveriesOptions {
  instanceId: string;
  telemetry: Telemetry;
  /** How long a claim holds: longer than one attempt can take. */
  leaseMs: number;
  random?: () => number;
}

export class WebhookDeliveriesService implements Work<WebhookDelivery> {
  private batches = 0;

  constructor(
    private readonly db: Db,
    private readonly http: HttpClient,
    private readonly webhooks: WebhooksService,
    private readonly alerts: AlertsService,
    private readonly options: WebhookDeliveriesOptions,
  ) {}

  /**
   * Claims due deliveries, at most one per webhook at a time (across instances too): a receiver
   * that hangs holds one slot until the timeout, never the whole queue.
   */
  async claim(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const token = `${this.options.instanceId}#${++this.batches}`;
    const busy = await this.db.webhookDelivery.findMany({
      where: { status: "pending", claimExpiresAt: { gt: now } },
      select: { webhookId: true },
      distinct: ["webhookId"],
    });
    const free = { OR: [{ claimExpiresAt: null }, { claimExpiresAt: { lte: now } }] };
    const due = await this.db.webhookDelivery.findMany({
      where: {
        status: "pending",
        nextAttemptAt: { lte: now },
        webhookId: { notIn: busy.map((b) => b.webhookId) },
        webhook: { isActive: true },
        ...free,
      },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      take: limit * 4,
      select: { id: true, webhookId: true },
    });
    const oldestPerWebhook = new Map<string, string>();
    for (const { webhookId, id } of due)
      if (!oldestPerWebhook.has(webhookId)) oldestPerWebhook.set(webhookId, id);
    const ids = [...oldestPerWebhook.values()].slice(0, limit);
    if (ids.length === 0) return [];
    // The conditional update is the claim: of two instances that read the same rows, one wins each.
    await this.db.webhookDelivery.updateMany({
      where: { id: { in: ids }, status: "pending", ...free },
      data: { claimedBy: token, claimExpiresAt: new Date(now.getTime() + this.options.leaseMs) },
    });
    return this.db.webhookDelivery.findMany({ where: { claimedBy: token } });
  }

  /** One attempt of a claimed delivery; a failure books the next one, or gives up after the last. */
  async run(delivery: WebhookDelivery, now: Date): Promise<void> {
    const webhook = await this.db.webhook.findUnique({ where: { id: delivery.webhookId } });
    if (!webhook) return; // Deleted meanwhile, and its deliveries with it.
    const attempt = await sendWebhook(
      this.http,
      webhook,
      delivery.id,
      delivery.payload as unknown as WebhookEvent,
    );
    const attempts = delivery.attempts + 1;
    const random = this.options.random ?? Math.random;
    const retryAt = attempt.ok || attempts >= MAX_ATTEMPTS ? null : nextAttemptAt(attempts, now, random);
    await this.record(delivery, attempt, attempts, now, retryAt);
    this.options.telemetry.deliveryFinished({
      webhookId: webhook.id,
      eventType: delivery.eventType,
      outcome: attempt.ok ? "succeeded" : retryAt ? "retrying" : "failed",
      status: attempt.status,
      error: attempt.error,
      ms: attempt.durationMs,
    });
    await this.trackHealth(webhook, attempt, now);
  }

  /** Sends a webhook.test event now and returns its log entry; no retry, no effect on the failure count. */
  async test(userId: string, webhookId: string, now = new Date()): Promise<WebhookDelivery> {
    const webhook = await this.webhooks.get(userId, webhookId);
    const event = testEvent(webhook.id, now);
    const delivery = await this.db.webhookDelivery.create({
      data: {
        webhookId: webhook.id,
        eventType: event.type,
        payload: event as unknown as object,
        nextAttemptAt: now,
        claimedBy: `${this.options.instanceId}#test`,
        claimExpiresAt: new Date(now.getTime() + this.options.leaseMs),
      },
    });
    const attempt = await sendWebhook(this.http, webhook, delivery.id, event);
    await this.record(delivery, attempt, 1, now, null);
    return this.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
  }

  async list(userId: string, webhookId: string, input: ListDeliveriesInput) {
    await this.webhooks.get(userId, webhookId);
    const { status, ...paging } = parseInput(listSchema, input);
    const where = { webhookId, ...(status ? { status } : {}) };
    return readPage(
      paging,
      (window) =>
        this.db.webhookDelivery.findMany({
          ...window,
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        }),
      () => this.db.webhookDelivery.count({ where }),
    );
  }

  private async record(
    delivery: WebhookDelivery,
    attempt: DeliveryAttempt,
    attempts: number,
    now: Date,
    retryAt: Date | null,
  ): Promise<void> {
    // Only while the claim is ours: had it expired and another instance sent it, its result stands.
    await this.db.webhookDelivery.updateMany({
      where: { id: delivery.id, claimedBy: delivery.claimedBy },
      data: {
        status: attempt.ok ? "succeeded" : retryAt ? "pending" : "failed",
        attempts,
        lastAttemptAt: now,
        nextAttemptAt: retryAt ?? delivery.nextAttemptAt,
        responseStatus: attempt.status,
        responseBody: attempt.body,
        durationMs: attempt.durationMs,
        error: attempt.error,
        claimedBy: null,
        claimExpiresAt: null,
      },
    });
  }

  /** A success clears the webhook's failure run; a failure extends it, and a long one turns it off. */
  private async trackHealth(webhook: Webhook, attempt: DeliveryAttempt, now: Date): Promise<void> {
    if (attempt.ok) {
      if (webhook.failureCount > 0) {
        await this.db.webhook.updateMany({
          where: { id: webhook.id },
          data: { failureCount: 0, failingSince: null },
        });
      }
      return;
    }
    await this.db.webhook.updateMany({
      where: { id: webhook.id, failingSince: null },
      data: { failingSince: now },
    });
    await this.db.webhook.updateMany({
      where: { id: webhook.id },
      data: { failureCount: { increment: 1 } },
    });
    const failing = await this.db.webhook.findUnique({ where: { id: webhook.id } });
    if (!failing) return; // Deleted while the attempt was out.
    const since = failing.failingSince ?? now;
    if (failing.failureCount < DISABLE_AFTER_FAILURES || now.getTime() - since.getTime() < DISABLE_AFTER_MS)
      return;
    const { count } = await this.db.webhook.updateMany({
      where: { id: webhook.id, isActive: true },
      data: { isActive: false, disabledAt: now },
    });
    if (count === 0) return; // Turned off already, by its owner or by another instance.
    await this.webhooks.failPending(webhook.id, "the webhook was disabled after repeated failures");
    await this.alerts.raise(
      { id: null, userId: webhook.userId, hostname: new URL(webhook.url).hostname },
      [
        {
          type: "webhook_disabled",
          severity: "warning",
          title: "Webhook disabled after repeated failures",
          message:
            `Deliveries to ${webhook.url} failed ${failing.failureCount} times in a row since ` +
            `${since.toISOString()} (last: ${attempt.error}). CertPulse stopped sending to it; ` +
            `set is_active to true on webhook ${webhook.id} to turn it back on.`,
          thresholdDays: null,
          dedupeKey: `webhook_disabled:${webhook.id}:${now.toISOString()}`,
        },
      ],
      now,
    );
  }
}
