// A fresh, empty database per test app: a temporary SQLite file by default, or a new PostgreSQL
// database when DATABASE_URL names a PostgreSQL server (CI runs the suite both ways).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface TestDatabase {
  url: string;
  provider: "sqlite" | "postgresql";
  drop(): Promise<void>;
}

const base = process.env.DATABASE_URL;
export const usingPostgres = base?.startsWith("postgres") ?? false;

export async function freshDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    const dir = mkdtempSync(join(tmpdir(), "certpulse-test-"));
    return {
      url: `file:${join(dir, "test.db")}`,
      provider: "sqlite",
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new URL(base!);
  const name = `certpulse_t_${randomBytes(6).toString("hex")}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    provider: "postgresql",
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
