// Webhooks: a user's endpoints for alerts, with their event filter, format and generated secret.
// Delivery lives in webhook-deliveries.service.ts; this file is what the owner creates and edits.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ALERT_TYPES, SEVERITIES } from "../alerts/alert-kinds.js";
import type { Db } from "../db/client.js";
import type { Prisma, Webhook } from "../db/generated/sqlite/client.js";
import { badInput, notFound } from "../lib/errors.js";
import { type PagingInput, pagingSchema, readPage } from "../lib/paging.js";
import { type Loose, parseInput } from "../lib/validate.js";
import { assertAddressAllowed, type GuardOptions } from "../probes/net/guarded-lookup.js";

export const WEBHOOK_FORMATS = ["generic", "slack", "discord"] as const;
/** Enough for every channel a team posts to; a runaway script creating more is refused. */
export const MAX_WEBHOOKS_PER_USER = 25;

const url = z
  .string({ error: "url is required" })
  .trim()
  .max(2048, "url must be at most 2048 characters")
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === "https:" || protocol === "http:";
    } catch {
      return false;
    }
  }, "url must be an absolute http or https URL");
const description = z.string().max(500, "description must be at most 500 characters").nullable();
const format = z.enum(WEBHOOK_FORMATS, { error: "format must be one of generic, slack, discord" });
const eventTypes = z
  .array(z.enum(ALERT_TYPES, { error: `event_types may only contain ${ALERT_TYPES.join(", ")}` }), {
    error: "event_types must be an array of alert types",
  })
  .transform((list) => [...new Set(list)].sort());
const minSeverity = z.enum(SEVERITIES, { error: "min_severity must be one of info, warning, critical" });

const createSchema = z.object({
  url,
  description: description.optional(),
  format: format.nullish().transform((value) => value ?? "generic"),
  eventTypes: eventTypes.nullish().transform((value) => value ?? []),
  minSeverity: minSeverity.nullish().transform((value) => value ?? "info"),
});
const updateSchema = z.object({
  url: url.optional(),
  description: description.optional(),
  format: format.optional(),
  eventTypes: eventTypes.optional(),
  minSeverity: minSeverity.optional(),
  isActive: z.boolean({ error: "is_active must be a boolean" }).optional(),
});

export type CreateWebhookInput = Loose<z.input<typeof createSchema>>;
export type UpdateWebhookInput = Loose<z.input<typeof updateSchema>>;

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly guard: GuardOptions,
  ) {}

  /** Creates a webhook; its secret is in this answer and in rotateSecret's only. */
  async create(userId: string, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const data = parseInput(createSchema, input);
    this.assertPublic(data.url);
    const count = await this.db.webhook.count({ where: { userId } });
    if (count >= MAX_WEBHOOKS_PER_USER) {
      throw badInput(`A user can have at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
    }
    const secret = newSecret();
    const webhook = await this.db.webhook.create({ data: { ...data, userId, secret } });
    return { webhook, secret };
  }

  async list(userId: string, input: PagingInput) {
    return readPage(
      parseInput(pagingSchema, input),
      (window) =>
        this.db.webhook.findMany({
          ...window,
          where: { userId },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        }),
      () => this.db.webhook.count({ where: { userId } }),
    );
  }

  async get(userId: string, id: string): Promise<Webhook> {
    const webhook = await this.db.webhook.findFirst({ where: { id, userId } });
    if (!webhook) throw notFound("Webhook not found");
    return webhook;
  }

  /**
   * Edits a webhook. Turning it off fails its pending deliveries; turning it on (or pointing it
   * elsewhere) starts its failure count afresh.
   */
  async update(userId: string, id: string, input: UpdateWebhookInput): Promise<Webhook> {
    const data = parseInput(updateSchema, input);
    if (data.url !== undefined) this.assertPublic(data.url);
    const current = await this.get(userId, id);
    const fresh = data.isActive === true || (data.url !== undefined && data.url !== current.url);
    const update: Prisma.WebhookUpdateManyMutationInput = {
      ...data,
      ...(fresh ? { failureCount: 0, failingSince: null, disabledAt: null } : {}),
    };
    await this.db.webhook.updateMany({ where: { id, userId }, data: update });
    if (data.isActive === false) await this.failPending(id, "the webhook was turned off");
    return this.get(userId, id);
  }

  async delete(userId: string, id: string): Promise<void> {
    const { count } = await this.db.webhook.deleteMany({ where: { id, userId } });
    if (count === 0) throw notFound("Webhook not found");
  }

  async rotateSecret(userId: string, id: string): Promise<{ webhook: Webhook; secret: string }> {
    const secret = newSecret();
    const { count } = await this.db.webhook.updateMany({ where: { id, userId }, data: { secret } });
    if (count === 0) throw notFound("Webhook not found");
    return { webhook: await this.get(userId, id), secret };
  }

  /** Pending deliveries of a webhook that will no longer be sent. */
  failPending(webhookId: string, reason: string) {
    return this.db.webhookDelivery.updateMany({
      where: { webhookId, status: "pending" },
      data: { status: "failed", error: reason, claimedBy: null, claimExpiresAt: null },
    });
  }

  /** Refuses a URL whose host is a literal private address now; names are checked when sending. */
  private assertPublic(value: string): void {
    try {
      assertAddressAllowed(new URL(value).hostname, this.guard);
    } catch (error) {
      throw badInput(`url must point to a public address: ${(error as Error).message}`);
    }
  }
}
