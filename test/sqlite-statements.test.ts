// Reused SQLite statements: each SQL text is prepared once, and every use binds its own arguments,
// in the call sequence Prisma's better-sqlite3 adapter makes (prepare → bind → reader/columns/raw).
import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { reuseStatements } from "../src/db/sqlite-statements.js";

function countingDb() {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  let prepared = 0;
  const prepare = db.prepare.bind(db);
  (db as { prepare: unknown }).prepare = (sql: string) => {
    prepared++;
    return prepare(sql);
  };
  reuseStatements(db);
  return { db, prepared: () => prepared };
}

test("a SQL text is prepared once and bound afresh on every use", () => {
  const { db, prepared } = countingDb();
  const read = (id: number) => {
    const statement = db.prepare("SELECT name FROM t WHERE id = ?").bind([id]);
    assert.equal(statement.reader, true);
    assert.deepEqual(
      statement.columns().map((column) => column.name),
      ["name"],
    );
    return statement.raw().all();
  };
  assert.deepEqual(read(1), [["a"]]);
  assert.deepEqual(read(2), [["b"]]);
  assert.deepEqual(read(3), []);
  assert.equal(prepared(), 1);

  const write = db.prepare("UPDATE t SET name = ? WHERE id = ?").bind(["c", 1]);
  assert.equal(write.reader, false);
  assert.equal(write.run().changes, 1);
  assert.deepEqual(read(1), [["c"]]);
  db.prepare("BEGIN").run();
  db.prepare("ROLLBACK").run();
});

test("the cache keeps the most recently used texts and prepares an evicted one again", () => {
  const { db, prepared } = countingDb();
  const use = (n: number) => db.prepare(`SELECT ${n}`).bind([]).raw().all();
  use(0);
  for (let n = 1; n <= 500; n++) use(n);
  assert.equal(prepared(), 501);
  use(500);
  assert.equal(prepared(), 501, "a recent text is still cached");
  use(0);
  assert.equal(prepared(), 502, "the oldest was evicted past 500 texts");
});
