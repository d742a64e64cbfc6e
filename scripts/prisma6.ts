// Runs Prisma 6's CLI (the `prisma-migrate` package) for what Prisma 7's cannot do offline: its
// WebAssembly schema engine diffs schemas and reads migration status, where Prisma 7's native one
// must be downloaded. Used by scripts/migrations.ts and the migration tests; see prisma/migrate.config.ts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export type Provider = "sqlite" | "postgresql";

const CLI = join(
  dirname(createRequire(import.meta.url).resolve("prisma-migrate/package.json")),
  "build/index.js",
);
const work = mkdtempSync(join(tmpdir(), "certpulse-prisma6-"));

// Prisma 6 wants a datasource URL that resolves (else it reaches for its native engine); Prisma 7
// refuses one in the schema. Prisma 6 reads copies with a placeholder URL that is never dialled.
const PLACEHOLDER_URL: Record<Provider, string> = {
  sqlite: "file:./never-opened.db",
  postgresql: "postgresql://localhost:5432/never-opened",
};

let copies = 0;

/** A copy of a schema file with the placeholder URL, for Prisma 6. */
export function withUrl(provider: Provider, file: string): string {
  const text = readFileSync(file, "utf8");
  const copy = join(work, `${provider}-${++copies}.prisma`);
  writeFileSync(
    copy,
    /datasource db \{[^}]*\burl\b/.test(text)
      ? text
      : text.replace(
          /(datasource db \{\s*provider\s*=\s*"[a-z]+")/,
          `$1\n  url = "${PLACEHOLDER_URL[provider]}"`,
        ),
  );
  return copy;
}

/**
 * `prisma ARGS` with Prisma 6 for `provider`'s schema and migrations. `databaseUrl` is what its
 * adapter opens (a scratch SQLite file for a pure diff). Returns stdout.
 */
export function prisma6(provider: Provider, args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, [CLI, ...args, "--config", "prisma/migrate.config.ts"], {
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CERTPULSE_MIGRATE_SCHEMA: withUrl(provider, `prisma/${provider}/schema.prisma`),
      CERTPULSE_MIGRATIONS_PATH: resolve(`prisma/${provider}/migrations`),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
