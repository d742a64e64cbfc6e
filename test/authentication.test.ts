// Every way a key can be wrong gets 401, a read-only key gets 403 for writes, through REST and GraphQL.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createUser, harness, type TestUser } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let user: TestUser;

before(async () => {
  t = await harness();
  user = await createUser(t.app);
});
after(() => t.close());

const LIST = "{ domains { pagination { total } } }";

describe("401 for a missing or bad key", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["no key at all", {}, /Missing API key/],
    ["a Basic header", { authorization: "Basic dXNlcjpwYXNz" }, /Bearer/],
    ["Bearer with nothing after it", { authorization: "Bearer " }, /Bearer/],
    ["a key without the ssa_ prefix", { authorization: "Bearer abc123" }, /Invalid API key/],
    [
      "a well-formed key nobody issued",
      { authorization: `Bearer ssa_live_${"A".repeat(32)}` },
      /Invalid API key/,
    ],
    ["an unknown key in X-API-Key", { "x-api-key": `ssa_live_${"B".repeat(32)}` }, /Invalid API key/],
  ];
  for (const [name, headers, message] of cases) {
    test(`REST: ${name}`, async () => {
      const res = await t.client().request("GET", "/api/v1/domains", { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(Object.keys(res.body), ["error"]);
      assert.match(res.body.error, message);
    });
    test(`GraphQL: ${name}`, async () => {
      const res = await t.client().request("POST", "/graphql", { headers, body: { query: LIST } });
      assert.equal(res.status, 401);
      assert.equal(res.body.errors[0].extensions.code, "UNAUTHENTICATED");
      assert.match(res.body.errors[0].message, message);
      assert.equal(res.body.data ?? null, null);
    });
  }

  test("an expired key is refused with its reason", async () => {
    // A key's expiry is fixed when it is made, and a verified key is cached with it: this one
    // expires a moment after its first use, while it is cached.
    const expiresAt = new Date(Date.now() + 500);
    const { key } = await t.app.services.apiKeys.createFor(user.userId, { label: "short-lived", expiresAt });
    assert.equal((await t.client(key).get("/domains")).status, 200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 10));
    const res = await t.client(key).get("/domains");
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: "API key has expired" });
  });

  test("a revoked key is refused at once, through REST and GraphQL", async () => {
    const { key, apiKey } = await t.app.services.apiKeys.createFor(user.userId, { label: "to revoke" });
    assert.equal((await t.client(key).get("/domains")).status, 200);
    const revoked = await t.client(user.key).delete(`/api-keys/${apiKey.id}`);
    assert.equal(revoked.status, 200);
    assert.deepEqual((await t.client(key).get("/domains")).body, { error: "API key has been revoked" });
    const gql = await t.client(key).graphql(LIST);
    assert.equal(gql.status, 401);
    assert.equal(gql.body.errors[0].message, "API key has been revoked");
  });
});

describe("keys that work", () => {
  test("Authorization: Bearer and X-API-Key both authenticate", async () => {
    const bearer = await t.client().request("GET", "/api/v1/domains", {
      headers: { authorization: `Bearer ${user.key}` },
    });
    assert.equal(bearer.status, 200);
    const header = await t.client().request("GET", "/api/v1/domains", { headers: { "x-api-key": user.key } });
    assert.equal(header.status, 200);
    assert.deepEqual(header.body, bearer.body);
  });

  test("last_used_at follows use without waiting for a write", async () => {
    const { key, apiKey } = await t.app.services.apiKeys.createFor(user.userId, { label: "usage" });
    const listed = async () =>
      (await t.client(user.key).get("/api-keys")).body.data.find((k: { id: string }) => k.id === apiKey.id);
    assert.equal((await listed()).last_used_at, null);
    const before = Date.now();
    await t.client(key).get("/domains");
    const used = Date.parse((await listed()).last_used_at);
    assert.ok(used >= before - 1000 && used <= Date.now(), "last_used_at is the time of the call");
    // Not yet written: the use is batched, then flushed (on a timer, and at shutdown).
    assert.equal(
      (await t.app.services.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt,
      null,
    );
    await t.app.services.keyUsage.flush();
    const stored = await t.app.services.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    assert.equal(stored.lastUsedAt?.getTime(), used);
  });
});

describe("403 for a read-only key that writes", () => {
  const writes: [string, string, unknown][] = [
    ["POST", "/domains", { hostname: "readonly.example.com" }],
    ["PUT", "/domains/00000000-0000-4000-8000-000000000000", { notes: "x" }],
    ["DELETE", "/domains/00000000-0000-4000-8000-000000000000", undefined],
    ["POST", "/api-keys", { label: "escalate", permissions: ["read", "write"] }],
    ["DELETE", "/api-keys/00000000-0000-4000-8000-000000000000", undefined],
  ];
  for (const [method, path, body] of writes) {
    test(`${method} ${path}`, async () => {
      const res = await t.client(user.readKey).request(method, `/api/v1${path}`, { body });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { error: "This API key lacks the permission write" });
    });
  }

  test("GraphQL mutations answer FORBIDDEN and change nothing", async () => {
    const res = await t
      .client(user.readKey)
      .graphql('mutation { createDomain(input: { hostname: "readonly.example.com" }) { id } }');
    assert.equal(res.status, 403);
    assert.equal(res.body.errors[0].extensions.code, "FORBIDDEN");
    const list = await t.client(user.readKey).get("/domains?search=readonly");
    assert.equal(list.status, 200);
    assert.equal(list.body.pagination.total, 0);
  });
});
