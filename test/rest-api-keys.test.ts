// REST /api/v1/api-keys as ssltrackr-api.txt writes it, plus listing and revocation.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashKey } from "../src/access/api-key-format.js";
import { createUser, harness } from "./helpers/app.js";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KEY = /^ssa_live_[A-Za-z0-9_-]{32}$/;

let t: Awaited<ReturnType<typeof harness>>;

before(async () => {
  t = await harness();
});
after(() => t.close());

describe("POST /api-keys", () => {
  test("201 with the spec's fields; the key is shown once and works", async () => {
    const api = t.client((await createUser(t.app)).key);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await api.post("/api-keys", {
      label: "CI/CD Pipeline",
      permissions: ["read", "write"],
      expires_at: expiresAt,
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).slice(0, 7), [
      "id",
      "label",
      "key",
      "permissions",
      "expires_at",
      "last_used_at",
      "created_at",
    ]);
    assert.equal(res.body.label, "CI/CD Pipeline");
    assert.match(res.body.key, KEY);
    assert.deepEqual(res.body.permissions, ["read", "write"]);
    assert.equal(res.body.expires_at, expiresAt);
    assert.equal(res.body.last_used_at, null);
    assert.match(res.body.created_at, ISO_MS);
    assert.ok(res.body.key.startsWith(res.body.prefix));

    const withNewKey = await t.client(res.body.key).post("/domains", { hostname: "new-key.example.com" });
    assert.equal(withNewKey.status, 201);
    const stored = await t.app.services.db.apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    assert.equal(stored.keyHash, hashKey(res.body.key));
    assert.ok(!JSON.stringify(stored).includes(res.body.key), "the key itself is never stored");
  });

  test("permissions default to read; a read key really cannot write", async () => {
    const api = t.client((await createUser(t.app)).key);
    const res = await api.post("/api-keys", { label: "reader" });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.permissions, ["read"]);
    assert.equal(res.body.expires_at, null);
    const reader = t.client(res.body.key);
    assert.equal((await reader.get("/domains")).status, 200);
    assert.equal((await reader.post("/domains", { hostname: "x.example.com" })).status, 403);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["missing label", {}, /label is required/],
    ["blank label", { label: "  " }, /label is required/],
    ["label of 101 characters", { label: "x".repeat(101) }, /at most 100/],
    ["unknown permission", { label: "x", permissions: ["admin"] }, /permissions/],
    ["permissions not an array", { label: "x", permissions: "read" }, /permissions: expected an array/],
    ["empty permissions", { label: "x", permissions: [] }, /at least one/],
    ["expires_at in the past", { label: "x", expires_at: "2020-01-01T00:00:00.000Z" }, /future/],
    ["expires_at not a date", { label: "x", expires_at: "tomorrow" }, /expires_at/],
  ];
  for (const [name, body, message] of invalid) {
    test(`400 and no key made: ${name}`, async () => {
      const user = await createUser(t.app);
      const res = await t.client(user.key).post("/api-keys", body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ["error"]);
      assert.match(res.body.error, message);
      assert.equal(await t.app.services.db.apiKey.count({ where: { userId: user.userId } }), 2);
    });
  }
});

describe("GET /api-keys and DELETE /api-keys/{id}", () => {
  test("the list never shows a key, only its prefix, newest first", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const created = (await api.post("/api-keys", { label: "listed" })).body;
    const res = await api.get("/api-keys");
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 3);
    assert.equal(res.body.data[0].id, created.id);
    for (const key of res.body.data) {
      assert.equal(key.key, undefined);
      assert.match(key.prefix, /^ssa_live_.{4}$/);
    }
    assert.ok(!JSON.stringify(res.body).includes(created.key));
  });

  test("revoking stops the key, keeps it listed with revoked_at, and is 404 for unknown ids", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const created = (await api.post("/api-keys", { label: "doomed", permissions: ["read"] })).body;
    const res = await api.delete(`/api-keys/${created.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { message: "API key revoked" });
    assert.equal((await t.client(created.key).get("/domains")).status, 401);
    const listed = (await api.get("/api-keys")).body.data.find((k: { id: string }) => k.id === created.id);
    assert.match(listed.revoked_at, ISO_MS);
    const unknown = await api.delete("/api-keys/00000000-0000-4000-8000-000000000000");
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: "API key not found" });
  });
});
