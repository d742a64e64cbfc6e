// Configuration for Prisma 6's CLI (the `prisma-migrate` package), used only by scripts/migrations.ts
// for `prisma migrate diff`. Prisma 7's CLI needs a native schema engine that it downloads, which
// cannot work offline; Prisma 6's `engine: "js"` runs the WebAssembly engine its npm package ships.
// It opens the adapter even for a pure schema diff: scripts/migrations.ts points it at a scratch file.
// Run only through scripts/prisma6.ts, which sets the variables.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma-migrate/config";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  // A copy of the provider's schema with a placeholder URL (scripts/migrations.ts writes it).
  schema: process.env.CERTPULSE_MIGRATE_SCHEMA,
  migrations: { path: process.env.CERTPULSE_MIGRATIONS_PATH },
  async adapter() {
    return new PrismaBetterSqlite3({ url: process.env.DATABASE_URL ?? "file:./scratch.db" }) as never;
  },
});
