// Monitored domains: validation, per-user uniqueness, the monitor limit, and the paged list.
import { isIP } from "node:net";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { type Domain, Prisma } from "../db/generated/sqlite/client.js";
import { counters, takeNumbers } from "../db/id-counter.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import { badInput, conflict, forbidden, notFound } from "../lib/errors.js";
import { pagingFields, readPage } from "../lib/paging.js";
import { type Loose, parseInput } from "../lib/validate.js";
import { STARTTLS_PROTOCOLS, type StartTlsProtocol, startTlsFor } from "../probes/starttls/starttls.js";
import type { TlsTarget } from "../probes/tls/tls-probe.js";
import { parseTarget } from "./domain-file.js";
import {
  hostPattern,
  hostWhere,
  intFilter,
  portWhere,
  sslDaysWhere,
  sslValidWhere,
} from "./domain-filters.js";
import { DOMAIN_STATUSES, statusWhere } from "./domain-status.js";
import { type HealthState, healthSummary } from "./health-summary.js";
import {
  hasPublicRegistration,
  hostnameSearchTerm,
  normalizeHostname,
  registrableDomain,
} from "./hostname.js";

export const DOMAIN_SORTS = ["hostname", "ssl_days_remaining", "whois_days_remaining", "created_at"] as const;
export type DomainSort = (typeof DOMAIN_SORTS)[number];

const hostname = z.string({ error: "hostname must be a string" }).transform((value, ctx) => {
  const normalized = normalizeHostname(value);
  if (normalized === null) {
    ctx.addIssue({
      code: "custom",
      message: "hostname must be a fully-qualified domain name (e.g. example.com)",
    });
    return z.NEVER;
  }
  return normalized;
});
const port = z
  .number({ error: "port must be an integer between 1 and 65535" })
  .int("port must be an integer between 1 and 65535")
  .min(1, "port must be an integer between 1 and 65535")
  .max(65535, "port must be an integer between 1 and 65535");
const notes = z.string().max(500, "notes must be at most 500 characters").nullable();
const tags = z
  .array(
    z.string().trim().min(1, "each tag must be 1-50 characters").max(50, "each tag must be 1-50 characters"),
  )
  .max(10, "at most 10 tags")
  .transform((list) => [...new Set(list)]);
const address = z
  .string()
  .refine((value) => isIP(value) !== 0, "address must be an IPv4 or IPv6 address")
  .nullable();
const alertDays = z
  .array(z.number().int().min(1, "alert_days must be whole days from 1 to 365").max(365))
  .min(1, "alert_days needs at least one threshold")
  .max(10, "at most 10 alert_days thresholds")
  .transform((days) => [...new Set(days)].sort((a, b) => b - a))
  .nullable();

const serviceId = z
  .string({ error: "service_id must be a string" })
  .trim()
  .min(1, "service_id must be 1-100 characters")
  .max(100, "service_id must be 1-100 characters")
  .nullable();
const notificationChannels = z
  .array(z.string({ error: "notification_channels must be webhook ids" }), {
    error: "notification_channels must be a list of webhook ids",
  })
  .max(25, "at most 25 notification_channels")
  .transform((ids) => [...new Set(ids)]);

/** The path of the check's HTTP request: an absolute path with an optional query, as a URL holds it. */
const httpPath = z
  .string({ error: "http_path must be a string" })
  .max(2000, "http_path must be at most 2000 characters")
  .refine((value) => /^\/[\x21-\x7e]*$/.test(value), "http_path must start with / and hold no spaces");
const proxyField = (name: string, max: number) =>
  z
    .string({ error: `proxy ${name} must be a string` })
    .min(1)
    .max(max, `proxy ${name} is at most ${max} characters`);
/** An HTTP CONNECT proxy; the password needs a username (Basic authentication sends both). */
const proxy = z
  .object({
    host: z
      .string({ error: "proxy host must be a string" })
      .refine(
        (value) => isIP(value) !== 0 || normalizeHostname(value) !== null || value === "localhost",
        "proxy host must be a hostname or an IP address",
      ),
    port: port,
    username: proxyField("username", 255).nullish(),
    password: proxyField("password", 255).nullish(),
  })
  .refine((value) => !value.password || value.username, "a proxy password needs a proxy username")
  .nullable();
const startTls = z
  .enum([...STARTTLS_PROTOCOLS, "tls"], {
    error: `start_tls must be tls or one of ${STARTTLS_PROTOCOLS.join(", ")}`,
  })
  .nullable();

/** `https://host[:port][/path]`: the hostname, the port and the HTTP path at once. */
const url = z.string({ error: "url must be a string" }).transform((value, ctx) => {
  const parsed = parseTarget(value);
  if (!/^https:\/\//i.test(value.trim()) || "error" in parsed) {
    ctx.addIssue({
      code: "custom",
      message: "error" in parsed ? `url: ${parsed.error}` : "url must be an https:// URL",
    });
    return z.NEVER;
  }
  const host = normalizeHostname(parsed.hostname);
  if (host === null) {
    ctx.addIssue({ code: "custom", message: "url: its host must be a fully-qualified domain name" });
    return z.NEVER;
  }
  return { ...parsed, hostname: host };
});

/** Each field's rule, shared with the importer so a line is judged exactly as a POST would be. */
export const domainFields = { hostname, port, address, notes, tags, alertDays, httpPath };

/** The URL's parts as the fields they set; a field given beside the URL must agree with it. */
function withUrl<T extends { url?: { hostname: string; port?: number; httpPath?: string } }>(
  { url, ...fields }: T,
  ctx: z.RefinementCtx,
) {
  if (!url) return fields;
  const parts = { hostname: url.hostname, port: url.port ?? 443, httpPath: url.httpPath ?? "/" };
  const given = fields as Record<string, unknown>;
  for (const [key, value] of Object.entries(parts)) {
    if (given[key] !== undefined && given[key] !== null && given[key] !== value) {
      ctx.addIssue({ code: "custom", message: `url and ${key} disagree: give one of them` });
    }
  }
  return { ...fields, ...parts };
}

/** The proxy as the domain's columns; null clears it. */
function proxyColumns(value: z.output<typeof proxy> | undefined) {
  if (value === undefined) return {};
  return {
    proxyHost: value?.host ?? null,
    proxyPort: value?.port ?? null,
    proxyUsername: value?.username ?? null,
    proxyPassword: value?.password ?? null,
  };
}

const createSchema = z
  .object({
    hostname: hostname.optional(),
    url: url.optional(),
    port: port.nullish(),
    httpPath: httpPath.nullish(),
    proxy: proxy.optional(),
    startTls: startTls.optional(),
    address: address.optional(),
    notes: notes.optional(),
    tags: tags.nullish().transform((value) => value ?? []),
    alertDays: alertDays.optional(),
    serviceId: serviceId.optional(),
    notificationChannels: notificationChannels.nullish(),
  })
  .transform((input, ctx) => {
    const { port, httpPath, proxy, ...fields } = withUrl(input, ctx);
    if (!fields.hostname) {
      ctx.addIssue({ code: "custom", message: "hostname is required" });
      return z.NEVER;
    }
    return {
      ...fields,
      hostname: fields.hostname,
      port: port ?? 443,
      httpPath: httpPath ?? "/",
      ...proxyColumns(proxy),
    };
  });
const updateSchema = z
  .object({
    hostname: hostname.optional(),
    url: url.optional(),
    port: port.optional(),
    httpPath: httpPath.optional(),
    proxy: proxy.optional(),
    startTls: startTls.optional(),
    address: address.optional(),
    isActive: z.boolean({ error: "is_active must be a boolean" }).optional(),
    notes: notes.optional(),
    tags: tags.optional(),
    alertDays: alertDays.optional(),
    serviceId: serviceId.optional(),
    /** Replaces the domain's channels; [] (or null) goes back to every matching webhook. */
    notificationChannels: notificationChannels.nullish(),
  })
  .transform((input, ctx) => {
    const { proxy, ...fields } = withUrl(input, ctx);
    return { ...fields, ...proxyColumns(proxy) };
  });
const listSchema = z.object({
  ...pagingFields,
  status: z
    .enum(["all", ...DOMAIN_STATUSES])
    .nullish()
    .transform((v) => v ?? "all"),
  search: z.string().max(253, "search must be at most 253 characters").nullish(),
  hostPattern,
  port: intFilter,
  sslValid: z.boolean().nullish(),
  sslDaysRemaining: intFilter,
  sort: z
    .enum(DOMAIN_SORTS)
    .nullish()
    .transform((v) => v ?? "created_at"),
  order: z
    .enum(["asc", "desc"])
    .nullish()
    .transform((v) => v ?? "desc"),
});

/** Callers may pass null for any field; the schema decides where null means "clear" and where it is an error. */
export type CreateDomainInput = Loose<z.input<typeof createSchema>>;
export type UpdateDomainInput = Loose<z.input<typeof updateSchema>>;
export type ListDomainsInput = Loose<z.input<typeof listSchema>>;

/** The relations to load with the rows, as Pothos plans them from a GraphQL selection. */
export type RelationQuery = { include?: Prisma.DomainInclude; select?: Prisma.DomainSelect };

export const monitorLimitReached = (limit: number) =>
  `Monitor limit reached: this account can monitor ${limit} domains`;

const DUPLICATE = "This domain is already being monitored";
const NOT_FOUND = "Domain not found";

/** Fields reset when what is monitored changes, so an old certificate never describes a new target. */
const SUMMARY_RESET = {
  sslGrade: null,
  sslValidTo: null,
  sslValidFrom: null,
  sslCheckedAt: null,
  sslError: null,
  sslExpiresAt: null,
  whoisExpiresAt: null,
  whoisCheckedAt: null,
  whoisError: null,
  expiresAt: null,
  criticalAt: null,
  warningAt: null,
  hasError: false,
  failureCount: 0,
} satisfies Prisma.DomainUpdateInput;

function orderBy(sort: DomainSort, order: "asc" | "desc"): Prisma.DomainOrderByWithRelationInput[] {
  // Day counts sort on the dates they come from, so the order stays right as days pass.
  // Unchecked domains (no date) come last either way; id breaks ties so pages never overlap. (Only
  // id: a third ORDER BY term makes SQLite sort the whole tie range, 30x slower at 10,000 domains.)
  const primary: Prisma.DomainOrderByWithRelationInput = {
    hostname: { hostname: order },
    created_at: { createdAt: order },
    ssl_days_remaining: { sslValidTo: { sort: order, nulls: "last" } },
    whois_days_remaining: { whoisExpiresAt: { sort: order, nulls: "last" } },
  }[sort] as Prisma.DomainOrderByWithRelationInput;
  return [primary, { id: order }];
}

type TargetColumns = Pick<
  Domain,
  | "hostname"
  | "port"
  | "address"
  | "httpPath"
  | "proxyHost"
  | "proxyPort"
  | "proxyUsername"
  | "proxyPassword"
  | "startTls"
>;

/** What the TLS probe connects to for a domain: its host, port, pinned address, HTTP path and proxy. */
export function probeTarget(domain: Loose<TargetColumns>): TlsTarget {
  const { proxyHost, proxyPort } = domain;
  return {
    host: domain.hostname as string,
    port: domain.port as number,
    address: domain.address ?? null,
    httpPath: domain.httpPath ?? "/",
    startTls: startTlsFor(domain.port as number, domain.startTls as StartTlsProtocol | "tls" | null),
    proxy:
      proxyHost && proxyPort
        ? { host: proxyHost, port: proxyPort, username: domain.proxyUsername, password: domain.proxyPassword }
        : null,
  };
}

/**
 * A domain named by its UUID or by its small number (clients that expect numeric ids): a UUID is
 * never all digits, so the two cannot be confused.
 */
export function domainWhere(idOrNumber: string): Prisma.DomainWhereInput {
  if (!/^\d{1,9}$/.test(idOrNumber)) return { id: idOrNumber };
  return { number: Number(idOrNumber) };
}

export type DomainChanges = z.output<typeof updateSchema>;

/**
 * The row update that applies `changes` to `current`: a new target (hostname, port, address) clears
 * the old certificate's summary and queues first checks; new thresholds move the status boundaries.
 * `requeue` says whether checks were queued (or a domain resumed), so the scheduler should wake.
 */
export function changeData(
  current: Pick<Domain, "hostname" | "port" | "address"> & HealthState,
  changes: DomainChanges,
  lifetimePercent: number,
): { data: Prisma.DomainUpdateInput; requeue: boolean } {
  // Channels are rows of their own (see setChannels), not a column.
  const { notificationChannels: _channels, ...fields } = changes;
  // null clears the per-domain thresholds (back to the defaults): a database NULL, not JSON null.
  const data: Prisma.DomainUpdateInput = {
    ...fields,
    alertDays: changes.alertDays === null ? Prisma.DbNull : changes.alertDays,
  };
  const target = (field: "hostname" | "port" | "address") =>
    changes[field] !== undefined && changes[field] !== current[field];
  const retarget = target("hostname") || target("port") || target("address");
  if (retarget) {
    const hostname = changes.hostname ?? current.hostname;
    Object.assign(data, SUMMARY_RESET, {
      nextSslCheckAt: new Date(),
      nextWhoisCheckAt: hasPublicRegistration(hostname) ? new Date() : null,
    });
    if (changes.hostname) data.registrableDomain = registrableDomain(changes.hostname);
  } else if (changes.alertDays !== undefined) {
    // New thresholds move the warning and critical boundaries of the same expiry.
    Object.assign(data, healthSummary({ ...current, alertDays: changes.alertDays }, lifetimePercent));
  }
  return { data, requeue: retarget || changes.isActive === true };
}

export interface DomainsHooks {
  /** Told when a domain's first checks are queued (added, or its target changed); the scheduler wakes. */
  onChecksQueued(): void;
  /** The expiry policy's share of a certificate's lifetime, for the summary a new alert_days moves. */
  lifetimePercent: number;
}

export class DomainsService {
  constructor(
    private readonly db: Db,
    private readonly hooks: DomainsHooks,
  ) {}

  /**
   * One page of the user's domains. `query` is the relations the caller will read (GraphQL passes
   * what the request selects), loaded with the page rather than per domain.
   */
  async list(userId: string, input: ListDomainsInput, query: RelationQuery = {}, now = new Date()) {
    const args = parseInput(listSchema, input);
    const where: Prisma.DomainWhereInput = { userId };
    const filters: Prisma.DomainWhereInput[] = [];
    if (args.status !== "all") filters.push(statusWhere(args.status, now));
    if (args.search?.trim()) {
      const term = hostnameSearchTerm(args.search);
      if (term === null) return { data: [], page: args.page, perPage: args.perPage, total: 0 };
      filters.push({ hostname: { contains: term } });
    }
    if (args.hostPattern) filters.push(hostWhere(args.hostPattern));
    if (args.port) filters.push(portWhere(args.port));
    if (typeof args.sslValid === "boolean") filters.push(sslValidWhere(args.sslValid, now));
    if (args.sslDaysRemaining) filters.push(sslDaysWhere(args.sslDaysRemaining, now));
    if (filters.length > 0) where.AND = filters;
    return readPage(
      args,
      (window) =>
        this.db.domain.findMany({ ...query, ...window, where, orderBy: orderBy(args.sort, args.order) }),
      () => (filters.length === 0 ? this.countOf(userId) : this.db.domain.count({ where })),
    );
  }

  /**
   * How many domains a user has. Prisma renders count() as COUNT(*) over a subquery, which costs
   * twice a plain COUNT(*) on the (userId, …) index; the unfiltered list, the most frequent request,
   * counts this way instead.
   */
  private async countOf(userId: string): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n FROM "Domain" WHERE "userId" = ${userId}`;
    return Number(row?.n ?? 0);
  }

  async get(userId: string, id: string, query: RelationQuery = {}): Promise<Domain> {
    const domain = await this.db.domain.findFirst({ ...query, where: { ...domainWhere(id), userId } });
    if (!domain) throw notFound(NOT_FOUND);
    return domain;
  }

  /** The target a create would monitor, or the BAD_USER_INPUT it would refuse with; writes nothing. */
  targetOf(input: CreateDomainInput): TlsTarget {
    const data = parseInput(createSchema, input);
    return probeTarget({ address: null, proxyHost: null, proxyPort: null, ...data });
  }

  /**
   * Adds a domain; `query` is what the caller will read of it (GraphQL passes its selection).
   * `sslDueAt`: when its first SSL check is due, for a caller that has just made one (else now).
   */
  async create(
    userId: string,
    input: CreateDomainInput,
    query: RelationQuery = {},
    { sslDueAt }: { sslDueAt?: Date } = {},
  ): Promise<Domain> {
    const { notificationChannels, ...data } = parseInput(createSchema, input);
    const channels = await this.ownedWebhooks(userId, notificationChannels ?? []);
    const user = await this.db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { monitorLimit: true },
    });
    const count = await this.db.domain.count({ where: { userId } });
    if (count >= user.monitorLimit) {
      throw forbidden(monitorLimitReached(user.monitorLimit));
    }
    const now = new Date();
    let created: Domain;
    try {
      created = await this.db.$transaction(async (tx) =>
        tx.domain.create({
          ...query,
          data: {
            ...data,
            alertDays: data.alertDays ?? undefined,
            userId,
            number: await takeNumbers(tx, counters.domain(userId)),
            registrableDomain: registrableDomain(data.hostname),
            nextSslCheckAt: sslDueAt ?? now,
            // A name no registry holds (.internal, app.github.io, *.test) has no registration check.
            nextWhoisCheckAt: hasPublicRegistration(data.hostname) ? now : null,
            channels: { create: channels.map((webhookId) => ({ webhookId })) },
          },
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(DUPLICATE);
      throw error;
    }
    this.hooks.onChecksQueued();
    return created;
  }

  async update(
    userId: string,
    idOrNumber: string,
    input: UpdateDomainInput,
    query: RelationQuery = {},
  ): Promise<Domain> {
    const changes = parseInput(updateSchema, input);
    const current = await this.get(userId, idOrNumber);
    const id = current.id;
    const { data, requeue } = changeData(current, changes, this.hooks.lifetimePercent);
    const channels =
      changes.notificationChannels === undefined
        ? undefined
        : await this.ownedWebhooks(userId, changes.notificationChannels ?? []);
    try {
      const [{ count }] = await this.db.$transaction([
        this.db.domain.updateMany({ where: { id, userId }, data }),
        ...(channels === undefined
          ? []
          : [
              this.db.domainChannel.deleteMany({ where: { domainId: id, domain: { userId } } }),
              this.db.domainChannel.createMany({
                data: channels.map((webhookId) => ({ domainId: id, webhookId })),
              }),
            ]),
      ]);
      if (count === 0) throw notFound(NOT_FOUND);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(DUPLICATE);
      throw error;
    }
    if (requeue) this.hooks.onChecksQueued();
    return this.get(userId, id, query);
  }

  /**
   * The webhook ids, once each is one of the user's own: a channel that is someone else's (or no
   * webhook at all) is refused with the same words, so ids of other users' webhooks reveal nothing.
   */
  private async ownedWebhooks(userId: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const owned = await this.db.webhook.findMany({
      where: { id: { in: ids }, userId },
      select: { id: true },
    });
    const mine = new Set(owned.map((webhook) => webhook.id));
    const stranger = ids.find((id) => !mine.has(id));
    if (stranger !== undefined) throw badInput(`notification_channels: no webhook ${stranger}`);
    return ids;
  }

  async delete(userId: string, id: string): Promise<void> {
    const { count } = await this.db.domain.deleteMany({ where: { ...domainWhere(id), userId } });
    if (count === 0) throw notFound(NOT_FOUND);
  }
}
