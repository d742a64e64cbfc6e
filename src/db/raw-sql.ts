// Values for the few statements written as SQL (the import's multi-row INSERT, the chain's
// certificates), in each provider's own column formats, so Prisma reads the rows as its own:
// SQLite's text `2026-01-02T03:04:05.678+00:00`, PostgreSQL's timestamp(3) and jsonb.
import { Prisma } from "./generated/sqlite/client.js";
import type { Provider } from "./provider.js";

export function sqlTimestamp(provider: Provider, date: Date | null) {
  if (date === null) return null;
  const iso = date.toISOString().slice(0, -1);
  return provider === "postgresql" ? Prisma.sql`${iso}::timestamp(3)` : `${iso}+00:00`;
}

export function sqlJson(provider: Provider, value: unknown) {
  const text = JSON.stringify(value);
  return provider === "postgresql" ? Prisma.sql`${text}::jsonb` : text;
}
