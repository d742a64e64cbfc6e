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
import type { EventBus } from "../events/event-bus.js";
import { type PagingInput, pagingSchema, readPage } from "../lib/paging.js";
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
}

/** A forced check (POST /check) still reuses a lookup this young: a burst costs one question. */
const FORCE_MIN_AGE_MS = 60_000;

export function whoisCheckData(result: RegistrationResult) {
  const { domain, ...fields } = result;
  return { ...fields, registrableDomain: domain } satisfies Prisma.WhoisCheckUncheckedCreateInput;
}

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
    const key = domain.registrableDomain;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refresh(key, force, now).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const check = await pending;
    // A reused check still has to reach a domain added since it ran; one that holds it already is skipped.
    if (check) await this.applySummaries(check, [domain.id], now);
    return check;
  }

  private async refresh(registrableDomain: string, force: boolean, now: Date): Promise<WhoisCheck | null> {
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
      const result = await this.probe(registrableDomain);
      const failed = result.outcome !== "registered" && result.outcome !== "not_registered";
      const failureCount = failed ? state.failureCount + 1 : 0;
      const nextCheckAt = nextLookupAt(result, failureCount, this.options.intervalMs, now);
      const limited = result.outcome === "rate_limited";
      const id = randomUUID();
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
          data: { nextCheckAt, failureCount, claimedBy: null, claimExpiresAt: null, latestCheckId: id },
        }),
        this.db.domain.updateMany({ where: { registrableDomain }, data: { nextWhoisCheckAt: nextCheckAt } }),
      ]);
      const covered = await this.db.domain.findMany({ where: { registrableDomain }, select: { id: true } });
      await this.applySummaries(
        check,
        covered.map((d) => d.id),
        now,
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
   * known expiry stands; only a definite answer replaces it. A rate-limited one is not a check at
   * all: the summary stays as it was. Each updated domain's registration alerts follow, as of `now`.
   */
  private async applySummaries(check: WhoisCheck, domainIds: string[], now: Date): Promise<void> {
    if (check.outcome === "rate_limited") return;
    const domains = await this.db.domain.findMany({
      where: { id: { in: domainIds }, registrableDomain: check.registrableDomain },
      select: {
        id: true,
        userId: true,
        hostname: true,
        sslExpiresAt: true,
        sslError: true,
        alertDays: true,
        whoisExpiresAt: true,
        whoisError: true,
        whoisCheckedAt: true,
      },
    });
    const definite = check.outcome === "registered" || check.outcome === "not_registered";
    const updated: RegistrationDomain[] = [];
    const updates = domains
      // Only domains holding an older check (or none): an equal time is this check, already copied.
      .filter((d) => d.whoisCheckedAt === null || d.whoisCheckedAt < check.checkedAt)
      .map((d) => {
        const whoisExpiresAt = definite ? check.expiryDate : d.whoisExpiresAt;
        const whoisError =
          check.outcome === "registered"
            ? null
            : check.outcome === "not_registered"
              ? "the domain is not registered"
              : check.error;
        updated.push({
          id: d.id,
          userId: d.userId,
          hostname: d.hostname,
          alertDays: d.alertDays,
          whoisExpiresAt,
          whoisError,
        });
        return this.db.domain.update({
          where: { id: d.id },
          data: {
            whoisCheckedAt: check.checkedAt,
            whoisExpiresAt,
            whoisError,
            ...healthSummary({ ...d, whoisExpiresAt, whoisError }),
          },
        });
      });
    if (updates.length === 0) return;
    await this.db.$transaction(updates);
    await this.alerts.afterRegistrationCheck(check, updated, now);
    for (const domain of updated) {
      this.events.publish("checkCompleted", domain.userId, {
        domainId: domain.id,
        hostname: domain.hostname,
        kind: "whois",
        checkedAt: check.checkedAt,
        error: domain.whoisError,
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

  async pageFor(domain: Pick<Domain, "registrableDomain">, input: PagingInput) {
    const where = { registrableDomain: domain.registrableDomain };
    return readPage(
      parseInput(pagingSchema, input),
      (window) =>
        this.db.whoisCheck.findMany({ ...window, where, orderBy: [{ checkedAt: "desc" }, { id: "desc" }] }),
      () => this.db.whoisCheck.count({ where }),
    );
  }
}
