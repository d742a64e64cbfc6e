// Prisma CLI configuration for `prisma generate` (Prisma 7; see package.json's build). The clients
// connect through driver adapters (src/db/client.ts), so no URL is needed here. Migrations are
// authored by scripts/migrations.ts with Prisma 6's WebAssembly schema engine (prisma/migrate.config.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
});
