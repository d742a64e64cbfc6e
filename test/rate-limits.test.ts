// POST /api-keys is limited to 5 a minute per user, one budget for REST and GraphQL, and with Redis
// one budget across instances.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createUser, harness, startApp } from "./helpers/app.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const LIMITED = { error: "Rate limit exceeded. Try again in 60 seconds." };
const CREATE = 'mutation { createApiKey(input: { label: "gql" }) { key } }';

describe("in memory", () => {
  let t: Awaited<ReturnType<typeof harness>>;
  before(async () => {
    t = await harness();
  });
  after(() => t.close());

  test("the sixth POST /api-keys in a minute is 429, holds the caller the 60 s it says, and makes no key", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    for (let i = 0; i < 5; i++) assert.equal((await api.post("/api-keys", { label: `k${i}` })).status, 201);
    const res = await api.post("/api-keys", { label: "one too many" });
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, LIMITED);
    // The words are true: the caller is held 60 s from the refusal, and Retry-After says so.
    assert.equal(res.headers.get("retry-after"), "60");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await api.post("/api-keys", { label: "still held" });
    assert.equal(later.status, 429);
    const left = Number(later.headers.get("retry-after"));
    assert.ok(left >= 58 && left <= 59, `Retry-After ${left}`);
    assert.equal(later.body.error, `Rate limit exceeded. Try again in ${left} seconds.`);
    assert.equal(await t.app.services.db.apiKey.count({ where: { userId: user.userId } }), 2 + 5);
  });

  test("REST and GraphQL draw on one budget; other users keep theirs", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    for (let i = 0; i < 3; i++) assert.equal((await api.post("/api-keys", { label: `r${i}` })).status, 201);
    for (let i = 0; i < 2; i++) assert.ok((await api.graphql(CREATE)).body.data.createApiKey.key);
    const gql = await api.graphql(CREATE);
    assert.equal(gql.status, 429);
    assert.equal(gql.headers.get("retry-after") !== null, true);
    assert.equal(gql.body.errors[0].extensions.code, "RATE_LIMITED");
    assert.equal(gql.body.errors[0].message, LIMITED.error);
    assert.equal((await api.post("/api-keys", { label: "rest" })).status, 429);
    const other = t.client((await createUser(t.app)).key);
    assert.equal((await other.post("/api-keys", { label: "fresh budget" })).status, 201);
  });

  test("reads are not limited", async () => {
    const api = t.client((await createUser(t.app)).key);
    for (let i = 0; i < 20; i++) assert.equal((await api.get("/api-keys")).status, 200);
  });
});

describe("with Redis, across two instances", () => {
  let t: Awaited<ReturnType<typeof harness>>;
  let second: Awaited<ReturnType<typeof startApp>>;
  before(async () => {
    t = await harness({ REDIS_URL });
    second = await startApp(t.database.url, { REDIS_URL });
  });
  after(async () => {
    await second.stop();
    await t.close();
  });

  test("calls on either instance count against one budget", async () => {
    const user = await createUser(t.app);
    const first = t.client(user.key);
    const other = new Client(second.url, user.key);
    for (let i = 0; i < 3; i++) assert.equal((await first.post("/api-keys", { label: `a${i}` })).status, 201);
    for (let i = 0; i < 2; i++) assert.equal((await other.post("/api-keys", { label: `b${i}` })).status, 201);
    assert.deepEqual((await first.post("/api-keys", { label: "x" })).body, LIMITED);
    assert.deepEqual((await other.post("/api-keys", { label: "y" })).body, LIMITED);
  });
});
