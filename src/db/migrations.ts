// The committed migrations of one provider, read from prisma/<provider>/migrations in Prisma's layout.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";
import type { Provider } from "./provider.js";

export interface Migration {
  name: string;
  sql: string;
  /** Prisma's checksum: SHA-256 of migration.sql, hex, so `prisma migrate status` agrees with us. */
  checksum: string;
}

export function migrationsDir(provider: Provider): string {
  return join(packageRoot(), "prisma", provider, "migrations");
}

export function readMigrations(provider: Provider): Migration[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}
