// Start-up migrations: recorded in Prisma's _prisma_migrations with Prisma's checksums, applied once
// even when several instances start against one database at the same moment.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { prisma6 } from "../scripts/prisma6.js";
import { createDb } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { readMigrations } from "../src/db/migrations.js";
import { freshDatabase, type TestDatabase, usingPostgres } from "./helpers/database.js";

let database: TestDatabase;

before(async () => {
  database = await freshDatabase();
});
after(() => database.drop());

test("concurrent starts apply each migration exactly once and record Prisma's checksum", async () => {
  const expected = readMigrations(database.provider);
  assert.ok(expected.length > 0);
  const runs = await Promise.all(Array.from({ length: 4 }, () => migrate(database.url)));
  const applied = runs.flat();
  assert.deepEqual(applied.sort(), expected.map((m) => m.name).sort(), "each applied by exactly one run");

  const db = createDb(database.url);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string; checksum: string; finished: number }[]>(
      'SELECT migration_name, checksum, CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END AS finished FROM "_prisma_migrations" ORDER BY migration_name',
    );
    assert.deepEqual(
      rows.map((row) => ({ ...row, finished: Number(row.finished) })),
      expected.map((m) => ({ migration_name: m.name, checksum: m.checksum, finished: 1 })),
    );
    // The migrated tables are usable through Prisma.
    assert.equal(await db.domain.count(), 0);
  } finally {
    await db.$disconnect();
  }
  assert.deepEqual(await migrate(database.url), [], "nothing left to apply");
});

test("prisma migrate status agrees that the database is up to date", {
  skip: usingPostgres && "the Prisma CLI cannot reach PostgreSQL through the adapter offline (DESIGN.md)",
}, async () => {
  await migrate(database.url);
  const output = prisma6(database.provider, ["migrate", "status"], database.url);
  assert.match(output, /Database schema is up to date!/);
});

test("the small-ids migration numbers the rows before it in the order they were created", () => {
  // On SQLite in memory, straight from the migration files: the backfill SQL is the same on PostgreSQL.
  const folder = "prisma/sqlite/migrations";
  const names = readdirSync(folder)
    .filter((name) => /^\d/.test(name))
    .sort();
  const at = names.findIndex((name) => name.endsWith("_small_ids_http_proxies"));
  const db = new Database(":memory:");
  const apply = (name: string) => db.exec(readFileSync(`${folder}/${name}/migration.sql`, "utf8"));
  for (const name of names.slice(0, at)) apply(name);
  const day = (d: number) => `2026-01-0${d}T00:00:00.000+00:00`;
  const user = db.prepare(`INSERT INTO "User" ("id", "email", "createdAt", "updatedAt") VALUES (?, ?, ?, ?)`);
  user.run("late", "late@example.test", day(2), day(2));
  user.run("early", "early@example.test", day(1), day(1));
  const domain = db.prepare(
    `INSERT INTO "Domain" ("id", "userId", "hostname", "tags", "registrableDomain", "createdAt", "updatedAt")
     VALUES (?, ?, ?, '[]', 'example.com', ?, ?)`,
  );
  domain.run("c", "late", "c.example.com", day(3), day(3));
  domain.run("a", "late", "a.example.com", day(1), day(1));
  domain.run("b", "early", "b.example.com", day(2), day(2));
  domain.run("d", "late", "d.example.com", day(4), day(4));
  apply(names[at] as string);
  const rows = (sql: string) => db.prepare(sql).all();
  assert.deepEqual(rows(`SELECT "id", "number" FROM "User" ORDER BY "number"`), [
    { id: "early", number: 1 },
    { id: "late", number: 2 },
  ]);
  assert.deepEqual(rows(`SELECT "id", "number" FROM "Domain" WHERE "userId" = 'late' ORDER BY "number"`), [
    { id: "a", number: 1 },
    { id: "c", number: 2 },
    { id: "d", number: 3 },
  ]);
  assert.deepEqual(rows(`SELECT "name", "value" FROM "IdCounter" ORDER BY "name"`), [
    { name: "domain:early", value: 1 },
    { name: "domain:late", value: 3 },
    { name: "user", value: 2 },
  ]);
  db.close();
});
