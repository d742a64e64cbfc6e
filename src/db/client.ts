// Prisma Client for the configured provider, connected through its driver adapter (no Rust engine).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { providerOf, sqlitePath } from "./provider.js";

/**
 * Both generated clients are built from one model and expose the same API; the SQLite client's
 * type stands for both, so services and Pothos are written once.
 */
export type Db = SqliteClient;

export function createDb(databaseUrl: string): Db {
  if (providerOf(databaseUrl) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10 });
    // The PostgreSQL client has the same model API under a distinct generated type.
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const adapter = new PrismaBetterSQLite3({ url: sqlitePath(databaseUrl), timeout: 10_000 });
  return new SqliteClient({ adapter });
}
