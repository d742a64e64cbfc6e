// Start-up migrations: recorded in Prisma's _prisma_migrations with Prisma's checksums, applied once
// even when several instances start against one database at the same moment.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
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
