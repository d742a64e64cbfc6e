// Applies committed migrations at start-up and from `certpulse migrate`, recording each in Prisma's
// own _prisma_migrations table (same columns, same checksum) so `prisma migrate status` agrees.
// We apply them ourselves because `prisma migrate deploy` through the PostgreSQL adapter does not
// work offline (DESIGN.md). Each migration runs in one transaction; on PostgreSQL an advisory lock
// lets several instances start at once, on SQLite BEGIN IMMEDIATE serialises writers.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { type Migration, readMigrations } from "./migrations.js";
import { providerOf, sqlitePath } from "./provider.js";

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const INSERT = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
  VALUES ($1, $2, $3, $4, $5, 1)`;

/** Any fixed 64-bit number: the key of the advisory lock that serialises migrating instances. */
const ADVISORY_LOCK_KEY = 724_311_973_020;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Which migrations still need to run; refuses a database left with a failed migration. */
function pending(all: Migration[], applied: AppliedRow[]): Migration[] {
  const failed = applied.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was not rolled back; resolve it before starting`,
    );
  }
  const done = new Set(applied.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
  return all.filter((migration) => !done.has(migration.name));
}

export async function migrate(databaseUrl: string): Promise<string[]> {
  return providerOf(databaseUrl) === "postgresql"
    ? migratePostgres(databaseUrl)
    : migrateSqlite(sqlitePath(databaseUrl));
}

function migrateSqlite(file: string): string[] {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(SQLITE_TABLE);
    const insert = db.prepare(INSERT.replace(/\$\d/g, "?"));
    const run = db.transaction(() => {
      const applied = db.prepare('SELECT * FROM "_prisma_migrations"').all() as AppliedRow[];
      const todo = pending(readMigrations("sqlite"), applied);
      for (const migration of todo) {
        const startedAt = new Date().toISOString();
        db.exec(migration.sql);
        insert.run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
      }
      return todo.map((migration) => migration.name);
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(POSTGRES_TABLE);
    const { rows } = await client.query<AppliedRow>('SELECT * FROM "_prisma_migrations"');
    const todo = pending(readMigrations("postgresql"), rows);
    for (const migration of todo) {
      const startedAt = new Date();
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(INSERT, [randomUUID(), migration.checksum, new Date(), migration.name, startedAt]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    return todo.map((migration) => migration.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
