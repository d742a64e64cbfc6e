// Bulk import and export of a user's domains. An import judges every line first (the same rules as
// one POST, the monitor limit, duplicates within the file), then writes all of it in one
// transaction, or nothing when a line is bad and the caller did not ask to skip bad lines.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { Prisma } from "../db/generated/sqlite/client.js";
import { counters, takeNumbers } from "../db/id-counter.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import type { Provider } from "../db/provider.js";
import { sqlJson, sqlTimestamp } from "../db/raw-sql.js";
import { conflict } from "../lib/errors.js";
import { sameJson } from "../lib/json.js";
import {
  type DomainFileFormat,
  type ExportRow,
  type RawLine,
  readDomainFile,
  writeDomainFile,
} from "./domain-file.js";
import { domainStatus, STATUS_COLUMNS } from "./domain-status.js";
import {
  changeData,
  type DomainChanges,
  type DomainsHooks,
  domainFields,
  monitorLimitReached,
} from "./domains.service.js";
import { hasPublicRegistration, registrableDomain } from "./hostname.js";

export const IMPORT_OUTCOMES = ["created", "updated", "unchanged", "rejected"] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportInput {
  content: string;
  format?: DomainFileFormat | null;
  dryRun?: boolean | null;
  skipInvalid?: boolean | null;
}

export interface ImportLineResult {
  line: number;
  target: string;
  hostname: string | null;
  port: number | null;
  outcome: ImportOutcome;
  reason: string | null;
  /** The domain created or matched; null for a rejected line and for one a dry run would create. */
  domainId: string | null;
}

export interface ImportResult {
  format: DomainFileFormat;
  dryRun: boolean;
  /** Whether anything was written: false for a dry run and for an import a bad line stopped. */
  applied: boolean;
  counts: Record<ImportOutcome, number>;
  lines: ImportLineResult[];
}

export interface ImportOptions extends Pick<DomainsHooks, "lifetimePercent" | "onChecksQueued"> {
  /** The SSL check interval: new domains' first checks never spread wider than one. */
  sslIntervalMs: number;
  provider: Provider;
}

/** A new domain's row as the bulk insert writes it. */
interface NewRow {
  id: string;
  hostname: string;
  port: number;
  address: string | null;
  notes: string | null;
  tags: string[];
  alertDays: number[] | null;
  isActive: boolean;
  httpPath: string;
  registrableDomain: string;
  due: Date;
  whoisDue: Date | null;
}

/** How long the import's transaction may run (10,000 rows take one to three seconds). */
const IMPORT_TIMEOUT_MS = 60_000;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Rows per INSERT: 17 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;

/**
 * Time between two new domains' first checks. An import of 10,000 domains starts at ten checks a
 * second, not all at once, and keeps that spread: each next check is one interval after the last.
 */
export const FIRST_CHECK_SPACING_MS = 100;

const lineSchema = z.strictObject({
  hostname: domainFields.hostname,
  port: domainFields.port.optional(),
  address: domainFields.address.optional(),
  notes: domainFields.notes.optional(),
  tags: domainFields.tags.optional(),
  alert_days: domainFields.alertDays.optional(),
  http_path: domainFields.httpPath.optional(),
  is_active: z.boolean({ error: "is_active must be true or false" }).optional(),
});
type Line = z.output<typeof lineSchema>;

/** What a line is compared with, and what changeData reads of the domain it changes. */
const CURRENT = {
  id: true,
  hostname: true,
  port: true,
  address: true,
  notes: true,
  tags: true,
  alertDays: true,
  isActive: true,
  httpPath: true,
  sslError: true,
  sslExpiresAt: true,
  sslValidFrom: true,
  sslValidTo: true,
  whoisError: true,
  whoisExpiresAt: true,
} satisfies Prisma.DomainSelect;
type Current = Prisma.DomainGetPayload<{ select: typeof CURRENT }>;

/** What an export reads: its columns and those the status comes from. */
const EXPORTED = {
  id: true,
  hostname: true,
  port: true,
  address: true,
  isActive: true,
  tags: true,
  notes: true,
  alertDays: true,
  httpPath: true,
  sslGrade: true,
  sslValidTo: true,
  whoisExpiresAt: true,
  createdAt: true,
  ...STATUS_COLUMNS,
} satisfies Prisma.DomainSelect;

/** Lines judged between two turns of the event loop, so a 10,000-line file never holds it. */
const JUDGED_PER_TURN = 500;

function judge(raw: RawLine): { line: Line } | { reason: string } {
  if (raw.error) return { reason: raw.error };
  const parsed = lineSchema.safeParse(raw.fields);
  if (parsed.success) return { line: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue?.code === "unrecognized_keys") return { reason: `Unknown field: ${issue.keys.join(", ")}` };
  return { reason: issue?.message ?? "Invalid line" };
}

/** What a line changes on the domain it names; empty when it matches. */
function changesOf(current: Current, line: Line): DomainChanges {
  const changes: DomainChanges = {};
  if (line.address !== undefined && !sameJson(line.address, current.address)) changes.address = line.address;
  if (line.notes !== undefined && !sameJson(line.notes, current.notes)) changes.notes = line.notes;
  if (line.tags !== undefined && !sameJson(line.tags, current.tags)) changes.tags = line.tags;
  if (line.alert_days !== undefined && !sameJson(line.alert_days, current.alertDays)) {
    changes.alertDays = line.alert_days;
  }
  if (line.is_active !== undefined && line.is_active !== current.isActive) changes.isActive = line.is_active;
  if (line.http_path !== undefined && line.http_path !== current.httpPath) changes.httpPath = line.http_path;
  return changes;
}

const keyOf = (hostname: string, port: number) => `${hostname}:${port}`;

export class DomainImportService {
  constructor(
    private readonly db: Db,
    private readonly options: ImportOptions,
  ) {}

  /** `onProgress` hears how many lines are judged as it goes, then once more when all is written. */
  async import(
    userId: string,
    input: ImportInput,
    { now = new Date(), onProgress }: { now?: Date; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ImportResult> {
    const { format, lines: raw } = readDomainFile(input.content, input.format ?? undefined);
    const dryRun = input.dryRun ?? false;
    const [user, existing] = await Promise.all([
      this.db.user.findUniqueOrThrow({ where: { id: userId }, select: { monitorLimit: true } }),
      this.db.domain.findMany({ where: { userId }, select: CURRENT }),
    ]);
    const byKey = new Map(existing.map((domain) => [keyOf(domain.hostname, domain.port), domain]));
    const seen = new Map<string, number>();
    let available = user.monitorLimit - existing.length;
    const creates: { result: ImportLineResult; line: Line }[] = [];
    const updates: { id: string; data: Prisma.DomainUpdateInput }[] = [];
    let requeue = false;

    const lines: ImportLineResult[] = [];
    const judgeLine = (rawLine: RawLine): ImportLineResult => {
      const judged = judge(rawLine);
      const result: ImportLineResult = {
        line: rawLine.line,
        target: rawLine.target,
        hostname: null,
        port: null,
        outcome: "rejected",
        reason: null,
        domainId: null,
      };
      if ("reason" in judged) return { ...result, reason: judged.reason };
      const line = judged.line;
      const port = line.port ?? 443;
      Object.assign(result, { hostname: line.hostname, port });
      const key = keyOf(line.hostname, port);
      const earlier = seen.get(key);
      if (earlier !== undefined) return { ...result, reason: `line ${earlier} already lists ${key}` };
      seen.set(key, rawLine.line);
      const current = byKey.get(key);
      if (current) {
        const changes = changesOf(current, line);
        if (Object.keys(changes).length === 0)
          return { ...result, outcome: "unchanged", domainId: current.id };
        const change = changeData(current, changes, this.options.lifetimePercent);
        updates.push({ id: current.id, data: change.data });
        requeue ||= change.requeue;
        return { ...result, outcome: "updated", domainId: current.id };
      }
      if (available <= 0) return { ...result, reason: monitorLimitReached(user.monitorLimit) };
      available -= 1;
      result.outcome = "created";
      creates.push({ result, line });
      return result;
    };
    for (const [i, rawLine] of raw.entries()) {
      if (i > 0 && i % JUDGED_PER_TURN === 0) {
        onProgress?.(i, raw.length);
        await new Promise(setImmediate);
      }
      lines.push(judgeLine(rawLine));
    }

    const counts = Object.fromEntries(
      IMPORT_OUTCOMES.map((outcome) => [outcome, 0]),
    ) as ImportResult["counts"];
    for (const line of lines) counts[line.outcome] += 1;
    const blocked = counts.rejected > 0 && !(input.skipInvalid ?? false);
    if (dryRun || blocked) {
      onProgress?.(raw.length, raw.length);
      return { format, dryRun, applied: false, counts, lines };
    }

    const window = Math.min(this.options.sslIntervalMs, creates.length * FIRST_CHECK_SPACING_MS);
    const rows = creates.map(({ line, result }, i): NewRow => {
      const due = new Date(now.getTime() + Math.floor((window * i) / Math.max(creates.length, 1)));
      result.domainId = randomUUID();
      return {
        id: result.domainId,
        hostname: line.hostname,
        port: line.port ?? 443,
        address: line.address ?? null,
        notes: line.notes ?? null,
        tags: line.tags ?? [],
        alertDays: line.alert_days ?? null,
        isActive: line.is_active ?? true,
        httpPath: line.http_path ?? "/",
        registrableDomain: registrableDomain(line.hostname),
        due,
        // A name no registry holds (.internal, app.github.io, *.test) has no registration check.
        whoisDue: hasPublicRegistration(line.hostname) ? due : null,
      };
    });
    try {
      // Interactive, with its own timeout: Prisma 7 holds a batch ($transaction([...])) to its
      // 5-second default with no way to raise it, and 10,000 rows on a busy PostgreSQL can take longer.
      await this.db.$transaction(
        async (tx) => {
          const first = rows.length > 0 ? await takeNumbers(tx, counters.domain(userId), rows.length) : 0;
          for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
            await this.insert(tx, userId, rows.slice(i, i + INSERT_CHUNK), now, first + i);
          }
          for (const { id, data } of updates) await tx.domain.updateMany({ where: { id, userId }, data });
        },
        { maxWait: 10_000, timeout: IMPORT_TIMEOUT_MS },
      );
    } catch (error) {
      for (const { result } of creates) result.domainId = null;
      // Another request added one of these domains meanwhile: nothing of this import was kept.
      if (isUniqueViolation(error))
        throw conflict("A domain in this import was added meanwhile; nothing was imported");
      throw error;
    }
    if (creates.length > 0 || requeue) this.options.onChecksQueued();
    onProgress?.(raw.length, raw.length);
    return { format, dryRun, applied: true, counts, lines };
  }

  /**
   * One multi-row INSERT. Written as SQL because Prisma 7's createMany spends about 0.7 ms of CPU
   * per row in its query compiler (7 s for 10,000 domains, all of it blocking the event loop); this
   * is 1,000 rows a statement, its dates and JSON in each provider's column formats (raw-sql.ts).
   * `firstNumber`: the number of the chunk's first row; the rest follow it.
   */
  private insert(tx: Tx, userId: string, rows: NewRow[], now: Date, firstNumber: number) {
    const { provider } = this.options;
    const at = (date: Date | null) => sqlTimestamp(provider, date);
    const json = (value: unknown) => sqlJson(provider, value);
    const values = rows.map(
      (row, i) =>
        Prisma.sql`(${Prisma.join([
          row.id,
          userId,
          firstNumber + i,
          row.hostname,
          row.port,
          row.address,
          row.isActive,
          row.notes,
          json(row.tags),
          row.alertDays === null ? null : json(row.alertDays),
          row.httpPath,
          row.registrableDomain,
          at(row.due),
          at(row.whoisDue),
          at(now),
          at(now),
        ])})`,
    );
    return tx.$executeRaw`
      INSERT INTO "Domain" ("id", "userId", "number", "hostname", "port", "address", "isActive", "notes", "tags",
        "alertDays", "httpPath", "registrableDomain", "nextSslCheckAt", "nextWhoisCheckAt", "createdAt", "updatedAt")
      VALUES ${Prisma.join(values)}`;
  }

  /** Every domain of the user, by hostname and port, as a file that `import` reads back unchanged. */
  async export(userId: string, format: "csv" | "json", now = new Date()): Promise<string> {
    const domains = await this.db.domain.findMany({
      where: { userId },
      select: EXPORTED,
      orderBy: [{ hostname: "asc" }, { port: "asc" }],
    });
    const rows = domains.map(
      (d): ExportRow => ({
        id: d.id,
        hostname: d.hostname,
        port: d.port,
        address: d.address,
        is_active: d.isActive,
        tags: d.tags as string[],
        notes: d.notes,
        alert_days: d.alertDays as number[] | null,
        http_path: d.httpPath,
        status: domainStatus(d, now),
        ssl_grade: d.sslGrade,
        ssl_valid_to: d.sslValidTo?.toISOString() ?? null,
        whois_expires_at: d.whoisExpiresAt?.toISOString() ?? null,
        created_at: d.createdAt.toISOString(),
      }),
    );
    return writeDomainFile(rows, format);
  }
}
