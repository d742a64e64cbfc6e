// Prisma CLI configuration. `engine: "js"` with a driver adapter makes the CLI use the WebAssembly
// schema engine shipped in the npm package, so nothing is downloaded (see ../shared/docs/DESIGN.md).
// Pick the schema with --schema prisma/sqlite/schema.prisma or prisma/postgresql/schema.prisma.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./data/certpulse.db";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "prisma/sqlite/schema.prisma",
  async adapter() {
    return url.startsWith("postgres")
      ? new PrismaPg({ connectionString: url })
      : new PrismaBetterSQLite3({ url });
  },
});
