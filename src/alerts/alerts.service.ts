// Alerts: stores what the rules (rules/ssl-rules.ts, rules/registration-rules.ts) say after each check,
// once per dedupe key, resolves the ones whose condition cleared, and lists a user's alerts.
// The unique (userId, dedupeKey) index is what makes "once" hold across restarts and instances.
// A new alert is stored together with a pending delivery for each of its owner's webhooks that
// wants it (one transaction: no alert without its deliveries), then published to subscribers.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.js";
import type { Alert, Domain, Prisma, SslCheck, WhoisCheck } from "../db/generated/sqlite/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import type { EventBus } from "../events/event-bus.js";
import { pageWindow, pagingFields, readPage } from "../lib/paging.js";
import type { Telemetry } from "../lib/telemetry.js";
import { type Loose, parseInput } from "../lib/validate.js";
import { alertEvent, wantsAlert } from "../webhooks/webhook-event.js";
import { ALERT_TYPES, SEVERITIES } from "./alert-kinds.js";
import { registrationAlerts } from "./rules/registration-rules.js";
import { sslAlerts } from "./rules/ssl-rules.js";
import type { AlertDraft, Evaluation } from "./rules/thresholds.js";

const listSchema = z.object({
  ...pagingFields,
  domainId: z.string().max(100).nullish(),
  severity: z.enum(SEVERITIES).nullish(),
  type: z.enum(ALERT_TYPES).nullish(),
  unresolved: z.boolean().nullish(),
});
export type ListAlertsInput = Loose<z.input<typeof listSchema>>;

/**
 * The filter, order and window of an alert list, validated (BAD_USER_INPUT names the field). The
 * caller scopes it: to the user (list) or to a domain already the caller's (a domain's alerts).
 */
export function alertListQuery(input: ListAlertsInput) {
  const args = parseInput(listSchema, input);
  const where: Prisma.AlertWhereInput = {};
  if (args.domainId) where.domainId = args.domainId;
  if (args.severity) where.severity = args.severity;
  if (args.type) where.type = args.type;
  if (args.unresolved === true) where.resolvedAt = null;
  if (args.unresolved === false) where.resolvedAt = { not: null };
  return {
    where,
    orderBy: [{ triggeredAt: "desc" }, { id: "desc" }] satisfies Prisma.AlertOrderByWithRelationInput[],
    ...pageWindow(args),
    page: args.page,
    perPage: args.perPage,
  };
}

type AlertDomain = Pick<Domain, "id" | "userId" | "hostname">;
type SslDomain = AlertDomain & Pick<Domain, "port" | "alertDays">;
/** A domain's summary right after a registration lookup was applied to it. */
export type RegistrationDomain = AlertDomain & Pick<Domain, "alertDays" | "whoisExpiresAt" | "whoisError">;

export interface AlertsOptions {
  /** Share of a certificate's lifetime left that also raises an expiry alert (CERTPULSE_ALERT_LIFETIME_PERCENT). */
  lifetimePercent: number;
  /** Called when deliveries were queued; the composition root wakes the delivery scheduler with it. */
  onDeliveriesQueued(): void;
  telemetry: Telemetry;
}

export class AlertsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly options: AlertsOptions,
  ) {}

  /**
   * Raises and resolves the SSL alerts of a domain after one of its checks; returns the new ones.
   * `lastGoodBefore` is the domain's last successful check before this one (the caller has read it).
   */
  async afterSslCheck(
    domain: SslDomain,
    check: SslCheck,
    now: Date,
    lastGoodBefore: SslCheck | null,
  ): Promise<Alert[]> {
    const succeeded = check.error === null;
    const evaluation = sslAlerts({
      domain: { ...domain, alertDays: domain.alertDays as number[] | null },
      check,
      lastGood: succeeded ? check : lastGoodBefore,
      previousGood: succeeded ? lastGoodBefore : null,
      lifetimePercent: this.options.lifetimePercent,
      now,
    });
    return this.apply(domain, evaluation, now);
  }

  /** The same after a registration lookup, for each domain whose summary it just updated. */
  async afterRegistrationCheck(
    check: WhoisCheck,
    domains: RegistrationDomain[],
    now: Date,
    /** Whether the lookups have been failing long enough (CERTPULSE_WHOIS_FAILURE_ALERT_HOURS) to say so. */
    failurePersisted: boolean,
  ): Promise<Alert[]> {
    if (domains.length === 0) return [];
    const lastRegistered = await this.db.whoisCheck.findFirst({
      where: { registrableDomain: check.registrableDomain, outcome: "registered", id: { not: check.id } },
      orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    const raised: Alert[] = [];
    for (const domain of domains) {
      const evaluation = registrationAlerts({
        domain: { ...domain, alertDays: domain.alertDays as number[] | null },
        check,
        lastRegisteredId: lastRegistered?.id ?? null,
        failurePersisted,
        now,
      });
      raised.push(...(await this.apply(domain, evaluation, now)));
    }
    return raised;
  }

  private async apply(domain: AlertDomain, { types, raise, holds }: Evaluation, now: Date): Promise<Alert[]> {
    if (types.length === 0) return [];
    // One read of what is open for these types and of every alert the evaluation names, so a check
    // that changes nothing writes nothing (most checks: the same certificate, the same alerts).
    const keys = [...new Set([...holds, ...raise.map((draft) => draft.dedupeKey)])];
    const known = await this.db.alert.findMany({
      where: {
        userId: domain.userId,
        OR: [{ domainId: domain.id, type: { in: types }, resolvedAt: null }, { dedupeKey: { in: keys } }],
      },
      select: { id: true, domainId: true, type: true, dedupeKey: true, resolvedAt: true },
    });
    const held = new Set(holds);
    // Resolve first: an alert raised below is never in the way of its own resolution.
    const cleared = known.filter(
      (a) =>
        a.domainId === domain.id && types.includes(a.type) && a.resolvedAt === null && !held.has(a.dedupeKey),
    );
    if (cleared.length > 0) {
      const { count } = await this.db.alert.updateMany({
        where: { id: { in: cleared.map((a) => a.id) }, resolvedAt: null },
        data: { resolvedAt: now },
      });
      // All or none: a concurrent check of the same domain resolved them first, and said so.
      if (count > 0) {
        for (const a of cleared)
          this.options.telemetry.alertResolved({ type: a.type, hostname: domain.hostname });
      }
    }
    // A condition that cleared and came back (the old certificate served again) reopens its alert.
    const back = known.filter((a) => held.has(a.dedupeKey) && a.resolvedAt !== null);
    if (back.length > 0) {
      await this.db.alert.updateMany({
        where: { id: { in: back.map((a) => a.id) } },
        data: { resolvedAt: null },
      });
    }
    const raisedBefore = new Set(known.map((a) => a.dedupeKey));
    return this.raise(
      domain,
      raise.filter((draft) => !raisedBefore.has(draft.dedupeKey)),
      now,
    );
  }

  /**
   * Stores the drafts not raised before, each with its webhook deliveries, and publishes them.
   * `domain.id` is null for an alert about the account itself (a disabled webhook).
   */
  async raise(
    domain: { id: string | null; userId: string; hostname: string },
    drafts: AlertDraft[],
    now: Date,
  ): Promise<Alert[]> {
    if (drafts.length === 0) return [];
    // A domain that names notification channels alerts those webhooks only; one that names none,
    // every matching webhook of its owner. (Channels are the owner's own, checked when set.)
    const channels =
      domain.id === null
        ? []
        : await this.db.domainChannel.findMany({
            where: { domainId: domain.id },
            select: { webhookId: true },
          });
    const webhooks = await this.db.webhook.findMany({
      where: {
        userId: domain.userId,
        isActive: true,
        ...(channels.length > 0 ? { id: { in: channels.map((c) => c.webhookId) } } : {}),
      },
      select: { id: true, eventTypes: true, minSeverity: true },
    });
    const raised: Alert[] = [];
    for (const { notice, ...draft } of drafts) {
      const alert: Alert = {
        ...draft,
        id: randomUUID(),
        userId: domain.userId,
        domainId: domain.id,
        hostname: domain.hostname,
        triggeredAt: now,
        resolvedAt: notice ? now : null,
      };
      const event = alertEvent(alert) as unknown as Prisma.InputJsonObject;
      const deliveries = webhooks
        .filter((webhook) => wantsAlert(webhook, alert))
        .map((webhook) => ({
          webhookId: webhook.id,
          alertId: alert.id,
          eventType: "alert.triggered",
          payload: event,
          nextAttemptAt: now,
        }));
      try {
        await this.db.$transaction([
          this.db.alert.create({ data: alert }),
          this.db.webhookDelivery.createMany({ data: deliveries }),
        ]);
        raised.push(alert);
      } catch (error) {
        // Raised before: by an earlier check, another instance, or a concurrent manual check.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    // After the commit, so a subscriber that reads back what it was sent finds it.
    for (const alert of raised) {
      this.options.telemetry.alertRaised(alert);
      void this.events.publish("alertTriggered", alert.userId, alert);
    }
    if (raised.length > 0 && webhooks.length > 0) this.options.onDeliveriesQueued();
    return raised;
  }

  async list(userId: string, input: ListAlertsInput) {
    const { where, orderBy, ...paging } = alertListQuery(input);
    const owned = { ...where, userId };
    return readPage(
      paging,
      (window) => this.db.alert.findMany({ ...window, where: owned, orderBy }),
      () => this.db.alert.count({ where: owned }),
    );
  }
}
