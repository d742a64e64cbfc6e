// Prisma Client for the configured provider, connected through its driver adapter (no Rust engine).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite from "better-sqlite3";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { providerOf, sqlitePath } from "./provider.js";
import { reuseStatements } from "./sqlite-statements.js";

/**
 * Both generated clients are built from one model and expose the same API; the SQLite client's
 * type stands for both, so services and Pothos are written once.
 */
export type Db = SqliteClient;

export interface DbOptions {
  /** Told every SQL statement the client runs (tests count them per request). */
  onQuery?: (sql: string) => void;
}

export function createDb(databaseUrl: string, { onQuery }: DbOptions = {}): Db {
  const log = onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  let db: Db;
  if (providerOf(databaseUrl) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10 });
    // The PostgreSQL client has the same model API under a distinct generated type.
    db = new PostgresClient({ adapter, log }) as unknown as Db;
  } else {
    const adapter = new PrismaBetterSqlite3({ url: sqlitePath(databaseUrl), timeout: 10_000 });
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const connection = await connect();
      reuseStatements((connection as unknown as { client: BetterSqlite.Database }).client);
      return connection;
    };
    db = new SqliteClient({ adapter, log });
  }
  if (onQuery) (db as unknown as QueryEvents).$on("query", (event) => onQuery(event.query));
  return db;
}

/** Whether the database answers a trivial statement (readiness). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** `$on("query")` is typed only on a client whose type knows it logs queries. */
type QueryEvents = { $on(event: "query", listener: (event: { query: string }) => void): void };
