// Configuration for Prisma 6's CLI (the `prisma-migrate` package), run only through
// scripts/prisma6.ts (`migrate diff` for migrations, `migrate status` in a test), which sets the
// variables below. Prisma 7's CLI needs a native schema engine that it downloads, which cannot work
// offline; Prisma 6's `engine: "js"` runs the WebAssembly engine its npm package ships. It opens the
// adapter even for a pure schema diff, so scripts/migrations.ts points it at a scratch file.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma-migrate/config";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  // A copy of the provider's schema with a placeholder URL (scripts/prisma6.ts writes it).
  schema: process.env.CERTPULSE_MIGRATE_SCHEMA,
  migrations: { path: process.env.CERTPULSE_MIGRATIONS_PATH },
  async adapter() {
    return new PrismaBetterSqlite3({ url: process.env.DATABASE_URL ?? "file:./scratch.db" }) as never;
  },
});
