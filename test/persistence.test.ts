// What was acknowledged survives a restart: domains, keys, revocations and key usage.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createUser, startApp } from "./helpers/app.js";
import { freshDatabase, type TestDatabase } from "./helpers/database.js";

let database: TestDatabase;

before(async () => {
  database = await freshDatabase();
});
after(() => database.drop());

test("domains and keys survive a stop and start over the same database", async () => {
  const first = await startApp(database.url);
  const user = await createUser(first.app);
  const api = new Client(first.url, user.key);
  const domain = (await api.post("/domains", { hostname: "durable.example.com", tags: ["kept"] })).body;
  const created = (await api.post("/api-keys", { label: "kept", permissions: ["read"] })).body;
  const doomed = (await api.post("/api-keys", { label: "revoked" })).body;
  await api.delete(`/api-keys/${doomed.id}`);
  await new Client(first.url, created.key).get("/domains");
  await first.stop();

  const second = await startApp(database.url);
  try {
    const again = new Client(second.url, user.key);
    assert.deepEqual((await again.get(`/domains/${domain.id}`)).body, domain);
    assert.equal((await new Client(second.url, created.key).get("/domains")).status, 200);
    assert.equal((await new Client(second.url, doomed.key).get("/domains")).status, 401);
    const keys = (await again.get("/api-keys")).body.data as { id: string; last_used_at: string | null }[];
    assert.notEqual(keys.find((k) => k.id === created.id)?.last_used_at, null, "usage was flushed at stop");
  } finally {
    await second.stop();
  }
});

test("start-up migrations run once: a restart applies nothing new", async () => {
  const { migrate } = await import("../src/db/migrate.js");
  assert.deepEqual(await migrate(database.url), []);
});
