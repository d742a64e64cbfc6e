// Registration checks: one lookup per registrable domain per refresh, whoever monitors hosts under
// it. The Registration row says when the next lookup is due and holds a lease while one runs, so
// concurrent callers (here: one promise; across instances: the lease) never ask the registry twice.
// Each lookup is stored as history and copied onto the summary of every domain it covers.

import { randomUUID } from "node:crypto";
import type { AlertsService, RegistrationDomain } from "../alerts/alerts.service.js";
import type { Db } from "../db/client.js";
import type { Domain, Prisma, WhoisCheck } from "../db/generated/sqlite/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import { healthSummary } from "../domains/health-summary.js";
import { hasPublicRegistration } from "../domains/hostname.js";
import type { EventBus } from "../events/event-bus.js";
import { daysUntil } from "../lib/days.js";
import { type PagingInput, pagingSchema, readPage } from "../lib/paging.js";
import type { Telemetry } from "../lib/telemetry.js";
import { parseInput } from "../lib/validate.js";
import type { RegistrationResult } from "../probes/registration/registration.js";
import { nextLookupAt } from "./check-policy.js";

export type RegistrationProber = (registrableDomain: string) => Promise<RegistrationResult>;

export interface WhoisChecksOptions {
  /** How long a successful lookup stands (CERTPULSE_WHOIS_CHECK_HOURS). */
  intervalMs: number;
  /** Who holds a lease, so it can be told apart from other instances' claims. */
  instanceId: string;
  /** How long a claim holds before another instance may take over: longer than any lookup. */
  leaseMs: number;
  /** The expiry policy's share of a certificate's lifetime (for the domains' summaries). */
  lifetimePercent: number;
  /** How long scheduled lookups must keep failing before whois_error (CERTPULSE_WHOIS_FAILURE_ALERT_HOURS). */
  failureAlertMs: number;
  telemetry: Telemetry;
}

/** A forced check (POST /check) still reuses a lookup this young: a burst costs one question. */
const FORCE_MIN_AGE_MS = 60_000;

export function whoisCheckData(result: RegistrationResult) {
  const { domain, ...fields } = result;
  return { ...fields, registrableDomain: domain } satisfies Prisma.WhoisCheckUncheckedCreateInput;
}

/** What a registration check reads of each domain it covers: both halves of its summary. */
const HALVES = {
  id: true,
  userId: true,
  hostname: true,
  sslExpiresAt: true,
  sslValidFrom: true,
  sslValidTo: true,
  sslError: true,
  alertDays: true,
  whoisExpiresAt: true,
  whoisError: true,
  whoisCheckedAt: true,
} as const;

export class WhoisChecksService {
  private readonly inFlight = new Map<string, Promise<WhoisCheck | null>>();

  constructor(
    private readonly db: Db,
    private readonly probe: RegistrationProber,
    private readonly alerts: AlertsService,
    private readonly events: EventBus,
    private readonly options: WhoisChecksOptions,
  ) {}

  /**
   * The registration check for this domain: a fresh shared one, or a new lookup when it is due (or
   * `force`d, within reason). Null only when another instance holds the first lookup right now.
   */
  async run(domain: Domain, { force = false, now = new Date() } = {}): Promise<WhoisCheck | null> {
    if (!hasPublicRegistration(domain.hostname)) {
      // Not applicable: no registry holds this name. (A domain added before this rule existed may
      // still be booked; it is taken off the schedule.)
      if (domain.nextWhoisCheckAt !== null) {
        await this.db.domain.updateMany({ where: { id: domain.id }, data: { nextWhoisCheckAt: null } });
      }
      return null;
    }
    const key = domain.registrableDomain;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refresh(key, force ? domain.id : null, now).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    let check = await pending;
    // Another domain's forced lookup that failed is that domain's alone: this one keeps the shared one.
    if (check?.forDomainId && check.forDomainId !== domain.id) check = (await this.stateOf(key)).latestCheck;
    // A reused check still has to reach a domain added since it ran; one that holds it already is skipped.
    if (check) await this.applySummaries(check, [domain.id], now, await this.failingSinceOf(key, check, now));
    return check;
  }

  /** When the run of failed lookups a failed check belongs to began; null after a definite answer. */
  private async failingSinceOf(
    registrableDomain: string,
    check: WhoisCheck,
    now: Date,
  ): Promise<Date | null> {
    if (check.outcome === "registered" || check.outcome === "not_registered") return null;
    const state = await this.db.registration.findUnique({
      where: { registrableDomain },
      select: { failingSince: true },
    });
    return state?.failingSince ?? now;
  }

  /**
   * A new lookup when one is due, or when `forcedFor` (the domain whose user forced it) asks and the
   * last one is old enough. A forced lookup only ever spreads registry facts: when it fails, the
   * failure is that domain's alone, and the shared schedule, latest check and failure run stand.
   */
  private async refresh(
    registrableDomain: string,
    forcedFor: string | null,
    now: Date,
  ): Promise<WhoisCheck | null> {
    const force = forcedFor !== null;
    const state = await this.stateOf(registrableDomain);
    const latest = state.latestCheck;
    const due = state.nextCheckAt === null || state.nextCheckAt <= now;
    const forced =
      force &&
      (latest === null || now.getTime() - latest.checkedAt.getTime() >= FORCE_MIN_AGE_MS) &&
      !(latest?.retryAfter && latest.retryAfter > now);
    if (!due && !forced) return latest;

    const { count } = await this.db.registration.updateMany({
      where: { registrableDomain, OR: [{ claimExpiresAt: null }, { claimExpiresAt: { lte: now } }] },
      data: {
        claimedBy: this.options.instanceId,
        claimExpiresAt: new Date(now.getTime() + this.options.leaseMs),
      },
    });
    // Another instance is looking it up; it copies its answer onto every domain it covers.
    if (count === 0) return latest;

    try {
      const started = performance.now();
      const result = await this.probe(registrableDomain);
      const failed = result.outcome !== "registered" && result.outcome !== "not_registered";
      this.options.telemetry.checkFinished({
        kind: "registration",
        hostname: registrableDomain,
        outcome: failed ? "error" : "ok",
        days: daysUntil(result.expiryDate ?? null, now),
        error: failed ? (result.error ?? result.outcome) : null,
        ms: performance.now() - started,
      });
      const limited = result.outcome === "rate_limited";
      const id = randomUUID();
      const release = { claimedBy: null, claimExpiresAt: null };
      if (failed && forcedFor !== null && !limited) {
        const check = await this.db.whoisCheck.create({
          data: { ...whoisCheckData(result), id, forDomainId: forcedFor },
        });
        await this.db.registration.update({ where: { registrableDomain }, data: release });
        await this.applySummaries(check, [forcedFor], now, state.failingSince ?? now);
        return check;
      }
      const failureCount = failed ? state.failureCount + 1 : 0;
      const failingSince = failed ? (state.failingSince ?? now) : null;
      const nextCheckAt = nextLookupAt(result, failureCount, this.options.intervalMs, now);
      const [check] = await this.db.$transaction([
        this.db.whoisCheck.create({
          // A WHOIS server that says "slow down" gives no time: the back-off is when we ask again.
          data: {
            ...whoisCheckData(result),
            id,
            retryAfter: limited ? (result.retryAfter ?? nextCheckAt) : null,
          },
        }),
        this.db.registration.update({
          where: { registrableDomain },
          data: { nextCheckAt, failureCount, failingSince, ...release, latestCheckId: id },
        }),
        this.db.domain.updateMany({ where: { registrableDomain }, data: { nextWhoisCheckAt: nextCheckAt } }),
      ]);
      const covered = await this.db.domain.findMany({ where: { registrableDomain }, select: { id: true } });
      await this.applySummaries(
        check,
        covered.map((d) => d.id),
        now,
        failingSince,
      );
      return check;
    } catch (error) {
      await this.db.registration.updateMany({
        where: { registrableDomain, claimedBy: this.options.instanceId },
        data: { claimedBy: null, claimExpiresAt: null },
      });
      throw error;
    }
  }

  /**
   * The lookup state, created on first use. Not an upsert: on SQLite that is a read-then-write
   * transaction, which two instances can deadlock; two single statements wait on the lock instead.
   */
  private async stateOf(registrableDomain: string) {
    const query = { where: { registrableDomain }, include: { latestCheck: true } };
    const existing = await this.db.registration.findUnique(query);
    if (existing) return existing;
    try {
      // No include: that would make it a read-then-write transaction too. A new row has no checks.
      const created = await this.db.registration.create({ data: { registrableDomain } });
      return { ...created, latestCheck: null };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.db.registration.findUniqueOrThrow(query);
    }
  }

  /**
   * A failed lookup (timeout, garbage, …) says nothing new about the registration, so the last
   * known expiry and verdict stand (a failure is the lookup's state, shown on the check, never the
   * domain's error); only a definite answer replaces them. A rate-limited one is not a check at
   * all: the summary stays as it was. Each updated domain's registration alerts follow, as of `now`,
   * with `failingSince`: when the run of failed lookups this one belongs to began.
   */
  private async applySummaries(
    check: WhoisCheck,
    domainIds: string[],
    now: Date,
    failingSince: Date | null,
  ): Promise<void> {
    if (check.outcome === "rate_limited") return;
    const domains = await this.db.domain.findMany({
      where: { id: { in: domainIds }, registrableDomain: check.registrableDomain },
      select: HALVES,
    });
    const definite = check.outcome === "registered" || check.outcome === "not_registered";
    type Row = (typeof domains)[number];
    const dataFor = (d: Row) => {
      const whoisExpiresAt = definite ? check.expiryDate : d.whoisExpiresAt;
      const whoisError = !definite
        ? d.whoisError
        : check.outcome === "not_registered"
          ? "the domain is not registered"
          : null;
      return {
        whoisCheckedAt: check.checkedAt,
        whoisExpiresAt,
        whoisError,
        ...healthSummary({ ...d, whoisExpiresAt, whoisError }, this.options.lifetimePercent),
      };
    };
    // Only domains holding an older check (or none): an equal time is this check, already copied.
    const behind = domains.filter((d) => d.whoisCheckedAt === null || d.whoisCheckedAt < check.checkedAt);
    if (behind.length === 0) return;
    // The summary joins this half with the certificate's as it was read; a domain whose SSL check
    // (it runs beside this one) changed that meanwhile is read again and written from what it is now.
    const written = await this.db.$transaction(
      behind.map((d) =>
        this.db.domain.updateMany({
          where: {
            id: d.id,
            sslExpiresAt: d.sslExpiresAt,
            sslError: d.sslError,
            sslValidFrom: d.sslValidFrom,
          },
          data: dataFor(d),
        }),
      ),
    );
    const stale = behind.filter((_, i) => written[i]?.count === 0).map((d) => d.id);
    const rows = new Map(behind.map((d) => [d.id, d]));
    if (stale.length > 0) {
      const fresh = await this.db.domain.findMany({ where: { id: { in: stale } }, select: HALVES });
      await this.db.$transaction(
        fresh.map((d) => this.db.domain.update({ where: { id: d.id }, data: dataFor(d) })),
      );
      for (const d of fresh) rows.set(d.id, d);
    }
    const updated: RegistrationDomain[] = [...rows.values()].map((d) => {
      const { whoisExpiresAt, whoisError } = dataFor(d);
      return {
        id: d.id,
        userId: d.userId,
        hostname: d.hostname,
        alertDays: d.alertDays,
        whoisExpiresAt,
        whoisError,
      };
    });
    const failingFor = failingSince ? now.getTime() - failingSince.getTime() : 0;
    await this.alerts.afterRegistrationCheck(check, updated, now, failingFor >= this.options.failureAlertMs);
    for (const domain of updated) {
      this.events.publish("checkCompleted", domain.userId, {
        domainId: domain.id,
        hostname: domain.hostname,
        kind: "whois",
        checkedAt: check.checkedAt,
        error: check.outcome === "registered" ? null : check.error,
        sslCheck: null,
        whoisCheck: check,
      });
    }
  }

  /** When the registration covering a domain is next looked up (null: never looked up). */
  async nextCheckOf(domain: Pick<Domain, "registrableDomain">): Promise<Date | null> {
    const state = await this.db.registration.findUnique({
      where: { registrableDomain: domain.registrableDomain },
      select: { nextCheckAt: true },
    });
    return state?.nextCheckAt ?? null;
  }

  /** The newest check of each of these registrable domains (none yet: absent), in one query. */
  async latestOf(registrableDomains: readonly string[]): Promise<Map<string, WhoisCheck>> {
    const states = await this.db.registration.findMany({
      where: { registrableDomain: { in: [...registrableDomains] }, latestCheckId: { not: null } },
      select: { registrableDomain: true, latestCheck: true },
    });
    return new Map(states.flatMap((s) => (s.latestCheck ? [[s.registrableDomain, s.latestCheck]] : [])));
  }

  /**
   * The registration checks a domain's owner sees: those made since the domain was added (an
   * earlier one only when it is still the latest, what the domain's summary came from), and no
   * other domain's failed forced lookup.
   */
  async pageFor(domain: Pick<Domain, "id" | "registrableDomain" | "createdAt">, input: PagingInput) {
    const state = await this.db.registration.findUnique({
      where: { registrableDomain: domain.registrableDomain },
      select: { latestCheckId: true },
    });
    const where: Prisma.WhoisCheckWhereInput = {
      registrableDomain: domain.registrableDomain,
      OR: [{ forDomainId: null }, { forDomainId: domain.id }],
      AND: [{ OR: [{ checkedAt: { gte: domain.createdAt } }, { id: state?.latestCheckId ?? "" }] }],
    };
    return readPage(
      parseInput(pagingSchema, input),
      (window) =>
        this.db.whoisCheck.findMany({ ...window, where, orderBy: [{ checkedAt: "desc" }, { id: "desc" }] }),
      () => this.db.whoisCheck.count({ where }),
    );
  }
}
