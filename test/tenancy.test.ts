// One user's key never reads, changes or lists another user's domains or keys.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createUser, harness, type TestUser } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let alice: TestUser;
let bob: TestUser;
let aliceDomain: { id: string; hostname: string };

before(async () => {
  t = await harness();
  alice = await createUser(t.app);
  bob = await createUser(t.app);
  aliceDomain = (await t.client(alice.key).post("/domains", { hostname: "alice.example.com", notes: "mine" }))
    .body;
});
after(() => t.close());

test("B gets 404 for A's domain through REST, and A's domain is untouched", async () => {
  const b = t.client(bob.key);
  const notFound = { error: "Domain not found" };
  assert.deepEqual((await b.get(`/domains/${aliceDomain.id}`)).body, notFound);
  const put = await b.put(`/domains/${aliceDomain.id}`, { notes: "hijacked", is_active: false });
  assert.equal(put.status, 404);
  assert.deepEqual(put.body, notFound);
  const del = await b.delete(`/domains/${aliceDomain.id}`);
  assert.equal(del.status, 404);
  const mine = await t.client(alice.key).get(`/domains/${aliceDomain.id}`);
  assert.equal(mine.body.notes, "mine");
  assert.equal(mine.body.is_active, true);
});

test("B never sees A's domain in a list or a search, and may monitor the same hostname", async () => {
  const b = t.client(bob.key);
  const list = await b.get("/domains?search=alice");
  assert.deepEqual(list.body, { data: [], pagination: { page: 1, per_page: 20, total: 0, total_pages: 0 } });
  const same = await b.post("/domains", { hostname: "alice.example.com" });
  assert.equal(same.status, 201);
  assert.notEqual(same.body.id, aliceDomain.id);
  assert.equal((await t.client(alice.key).get("/domains")).body.pagination.total, 1);
});

test("B gets NOT_FOUND for A's domain through GraphQL", async () => {
  const b = t.client(bob.key);
  const read = await b.graphql("query ($id: ID!) { domain(id: $id) { id notes } }", { id: aliceDomain.id });
  assert.equal(read.body.errors[0].extensions.code, "NOT_FOUND");
  assert.equal(read.body.data, null);
  const update = await b.graphql(
    'mutation ($id: ID!) { updateDomain(id: $id, input: { notes: "x" }) { id } }',
    { id: aliceDomain.id },
  );
  assert.equal(update.body.errors[0].extensions.code, "NOT_FOUND");
  const del = await b.graphql("mutation ($id: ID!) { deleteDomain(id: $id) }", { id: aliceDomain.id });
  assert.equal(del.body.errors[0].extensions.code, "NOT_FOUND");
  const all = await b.graphql("{ domains(perPage: 100) { data { id } } }");
  assert.ok(!JSON.stringify(all.body).includes(aliceDomain.id));
});

test("B cannot list or revoke A's keys", async () => {
  const aliceKeys = (await t.client(alice.key).get("/api-keys")).body.data as { id: string }[];
  const bobKeys = (await t.client(bob.key).get("/api-keys")).body.data as { id: string }[];
  assert.equal(bobKeys.length, 2);
  assert.ok(bobKeys.every((k) => !aliceKeys.some((a) => a.id === k.id)));
  const revoke = await t.client(bob.key).delete(`/api-keys/${aliceKeys[0]!.id}`);
  assert.equal(revoke.status, 404);
  assert.equal((await t.client(alice.key).get("/domains")).status, 200);
});
