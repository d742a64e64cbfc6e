// Creates and checks migrations for both providers from the one model.
//   npm run migration:new -- NAME   writes prisma/<provider>/migrations/<timestamp>_NAME for each provider
//   npm run migration:check         fails when the schema has changes no migration covers
// Each provider keeps migrated.prisma: the schema as of its newest migration. The next migration is
// the diff from it to the current schema, computed offline by `prisma migrate diff`.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Provider, prisma6, withUrl } from "./prisma6.js";

const providers: Provider[] = ["sqlite", "postgresql"];
// Prisma opens its configured adapter even for a pure schema diff: give it a throwaway SQLite file.
const scratch = `file:${join(mkdtempSync(join(tmpdir(), "certpulse-migrations-")), "scratch.db")}`;

function diff(provider: Provider): string {
  const snapshot = `prisma/${provider}/migrated.prisma`;
  const from = existsSync(snapshot)
    ? ["--from-schema-datamodel", withUrl(provider, snapshot)]
    : ["--from-empty"];
  const to = ["--to-schema-datamodel", withUrl(provider, `prisma/${provider}/schema.prisma`)];
  const sql = prisma6(provider, ["migrate", "diff", ...from, ...to, "--script"], scratch);
  return sql.includes("This is an empty migration.") ? "" : sql;
}

function timestamp(): string {
  return new Date().toISOString().replace(/\D/g, "").slice(0, 14);
}

const [command, name] = process.argv.slice(2);
if (command === "new") {
  if (!name || !/^[a-z0-9_]+$/.test(name))
    throw new Error("usage: npm run migration:new -- name_in_snake_case");
  const folder = `${timestamp()}_${name}`;
  for (const provider of providers) {
    const sql = diff(provider);
    if (!sql) {
      console.log(`${provider}: schema unchanged, no migration`);
      continue;
    }
    mkdirSync(`prisma/${provider}/migrations/${folder}`, { recursive: true });
    writeFileSync(`prisma/${provider}/migrations/${folder}/migration.sql`, sql);
    writeFileSync(`prisma/${provider}/migrations/migration_lock.toml`, `provider = "${provider}"\n`);
    copyFileSync(`prisma/${provider}/schema.prisma`, `prisma/${provider}/migrated.prisma`);
    console.log(`${provider}: wrote prisma/${provider}/migrations/${folder}/migration.sql`);
  }
} else if (command === "check") {
  const stale = providers.filter((provider) => diff(provider) !== "");
  if (stale.length > 0) {
    console.error(
      `Schema changes without a migration for: ${stale.join(", ")}. Run npm run migration:new -- NAME`,
    );
    process.exit(1);
  }
  console.log("migrations: up to date");
} else {
  throw new Error("usage: migrations.ts new NAME | check");
}
