// Scheduled checks: which domains are due, claiming them so that several instances on one database
// never check a domain twice in one window, running the due checks and booking the next ones.
// A claim is a lease (claimedBy, claimExpiresAt): an instance that dies mid-check leaves a claim that
// simply expires, and the domain is due again for everyone.
import type { Db } from "../db/client.js";
import { type Domain, Prisma } from "../db/generated/sqlite/client.js";
import type { Provider } from "../db/provider.js";
import type { Lane, Work } from "../scheduler/scheduler.js";
import { nextSslCheckAt } from "./check-policy.js";
import type { SslChecksService } from "./ssl-checks.service.js";
import type { WhoisChecksService } from "./whois-checks.service.js";

export interface ScheduledChecksOptions {
  /** Time between SSL checks of a healthy domain (CERTPULSE_SSL_CHECK_HOURS). */
  sslIntervalMs: number;
  /** How long a claim holds: longer than both checks of one domain can take. */
  leaseMs: number;
  instanceId: string;
  provider: Provider;
  /** Jitter source; tests pin it. */
  random?: () => number;
}

/** When a registration lookup is held by another instance, look again this much later. */
const REGISTRATION_RECHECK_MS = 60_000;

const unclaimedAt = (now: Date): Prisma.DomainWhereInput => ({
  OR: [{ claimExpiresAt: null }, { claimExpiresAt: { lte: now } }],
});

/**
 * Due at `now` and not held; in the `first` lane, only domains never checked since added or
 * retargeted. `isActive: { not: false }` rather than `true` keeps SQLite's planner off the
 * (isActive, next…At) indexes where it has a better one: the primary key for the claim's UPDATE,
 * (sslCheckedAt, nextSslCheckAt) for the first-check lane (otherwise it walks every due row).
 */
const dueWhere = (now: Date, lane: Lane): Prisma.DomainWhereInput => ({
  isActive: { not: false },
  ...(lane === "first" ? { sslCheckedAt: null } : {}),
  AND: [{ OR: [{ nextSslCheckAt: { lte: now } }, { nextWhoisCheckAt: { lte: now } }] }, unclaimedAt(now)],
});

/** A timestamp as PostgreSQL's `timestamp(3)` columns hold it (UTC, no zone), whatever the session zone. */
const pgTimestamp = (date: Date) => date.toISOString().slice(0, -1);

export class ScheduledChecksService implements Work<Domain> {
  private batches = 0;

  constructor(
    private readonly db: Db,
    private readonly sslChecks: SslChecksService,
    private readonly whoisChecks: WhoisChecksService,
    private readonly options: ScheduledChecksOptions,
  ) {}

  /** Claims up to `limit` active domains with a check due at `now`, most overdue first. */
  async claim(now: Date, limit: number, lane: Lane = "any"): Promise<Domain[]> {
    // A token per batch: the rows this call won are exactly those carrying it.
    const token = `${this.options.instanceId}#${++this.batches}`;
    const until = new Date(now.getTime() + this.options.leaseMs);
    if (this.options.provider === "postgresql") {
      const at = pgTimestamp(now);
      // SKIP LOCKED: instances claiming at the same moment each take different rows, nobody waits.
      await this.db.$executeRaw`
        UPDATE "Domain" SET "claimedBy" = ${token}, "claimExpiresAt" = ${pgTimestamp(until)}::timestamp(3)
        WHERE "id" IN (
          SELECT "id" FROM "Domain"
          WHERE "isActive"
            AND ("nextSslCheckAt" <= ${at}::timestamp(3) OR "nextWhoisCheckAt" <= ${at}::timestamp(3))
            AND ("claimExpiresAt" IS NULL OR "claimExpiresAt" <= ${at}::timestamp(3))
            ${lane === "first" ? Prisma.sql`AND "sslCheckedAt" IS NULL` : Prisma.empty}
          ORDER BY LEAST("nextSslCheckAt", "nextWhoisCheckAt"), "id"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)`;
    } else {
      // SQLite runs one writer at a time: the conditional update is the claim, whoever read the same rows.
      // The most overdue of each kind, each read in order off its (isActive, next…At, id) index and
      // cut at `limit`: one query with OR would gather every due row and sort them (60 ms at
      // 100,000 due). The first-check lane needs only never-checked domains' SSL times.
      const [ssl, whois] = await Promise.all([
        this.db.domain.findMany({
          where:
            lane === "first"
              ? { ...dueWhere(now, lane), nextSslCheckAt: { lte: now } }
              : { isActive: true, nextSslCheckAt: { lte: now }, ...unclaimedAt(now) },
          orderBy: [{ nextSslCheckAt: "asc" }, { id: "asc" }],
          take: limit,
          select: { id: true, nextSslCheckAt: true },
        }),
        lane === "first"
          ? []
          : this.db.domain.findMany({
              where: { isActive: true, nextWhoisCheckAt: { lte: now }, ...unclaimedAt(now) },
              orderBy: [{ nextWhoisCheckAt: "asc" }, { id: "asc" }],
              take: limit,
              select: { id: true, nextWhoisCheckAt: true },
            }),
      ]);
      const due = [
        ...ssl.map((row) => ({ id: row.id, at: row.nextSslCheckAt as Date })),
        ...whois.map((row) => ({ id: row.id, at: row.nextWhoisCheckAt as Date })),
      ].sort((x, y) => x.at.getTime() - y.at.getTime());
      const candidates = [...new Set(due.map((row) => row.id))].slice(0, limit);
      if (candidates.length === 0) return [];
      // RETURNING: the rows won, as they are now, in the same statement.
      return this.db.domain.updateManyAndReturn({
        where: { id: { in: candidates }, ...dueWhere(now, lane) },
        data: { claimedBy: token, claimExpiresAt: until },
      });
    }
    return this.db.domain.findMany({ where: { claimedBy: token } });
  }

  /**
   * What is due and not yet started, per kind, and since when the oldest of it has waited: the
   * scheduler's backlog and lag as /metrics reports them. Registrations are counted once each, as
   * they are looked up (one lookup covers every domain under a registrable domain).
   */
  async backlog(now: Date): Promise<Record<"ssl" | "registration", { due: number; oldest: Date | null }>> {
    const [ssl, registration] = await Promise.all([
      this.db.domain.aggregate({
        where: { isActive: true, nextSslCheckAt: { lte: now }, ...unclaimedAt(now) },
        _count: { _all: true },
        _min: { nextSslCheckAt: true },
      }),
      this.db.registration.aggregate({
        where: {
          nextCheckAt: { lte: now },
          OR: [{ claimExpiresAt: null }, { claimExpiresAt: { lte: now } }],
        },
        _count: { _all: true },
        _min: { nextCheckAt: true },
      }),
    ]);
    return {
      ssl: { due: ssl._count._all, oldest: ssl._min.nextSslCheckAt },
      registration: { due: registration._count._all, oldest: registration._min.nextCheckAt },
    };
  }

  /**
   * Runs the checks a claimed domain is due for, books the next ones and releases the claim.
   * Throws what the checks throw (a bug, a lost database), after booking a retry so a failing
   * domain never spins.
   */
  async run(domain: Domain, now: Date): Promise<void> {
    const due = (at: Date | null) => at !== null && at <= now;
    const sslDue = due(domain.nextSslCheckAt);
    const whoisDue = due(domain.nextWhoisCheckAt);
    const random = this.options.random ?? Math.random;
    const nextSsl = (failures: number) => nextSslCheckAt(failures, this.options.sslIntervalMs, now, random);
    let sslNext: Date | null = null;
    try {
      await Promise.all([
        sslDue &&
          this.sslChecks.run(domain, now).then((check) => {
            sslNext = nextSsl(check.error === null ? 0 : domain.failureCount + 1);
          }),
        whoisDue && this.whoisChecks.run(domain, { now }),
      ]);
    } finally {
      if (sslDue) sslNext ??= nextSsl(domain.failureCount + 1);
      await this.release(domain, sslNext, whoisDue, now);
    }
  }

  private async release(domain: Domain, sslNext: Date | null, whoisDue: boolean, now: Date): Promise<void> {
    const held = { id: domain.id, claimedBy: domain.claimedBy };
    const unclaimed = { claimedBy: null, claimExpiresAt: null };
    // The registration service books the lookup for every domain it covers; a domain it could not
    // (lookup held by another instance, or failed) looks again a little later instead of every tick.
    if (whoisDue) {
      const registration = await this.whoisChecks.nextCheckOf(domain);
      const soonest = new Date(now.getTime() + REGISTRATION_RECHECK_MS);
      await this.db.domain.updateMany({
        where: { ...held, nextWhoisCheckAt: { lte: now } },
        data: { nextWhoisCheckAt: registration && registration > soonest ? registration : soonest },
      });
    }
    if (sslNext) {
      // Booked and released in one statement, unless the domain was edited meanwhile (a new target
      // is due at once): then its time stands, and the claim is released alone.
      const { count } = await this.db.domain.updateMany({
        where: { ...held, nextSslCheckAt: domain.nextSslCheckAt },
        data: { nextSslCheckAt: sslNext, ...unclaimed },
      });
      if (count > 0) return;
    }
    await this.db.domain.updateMany({ where: held, data: unclaimed });
  }
}
