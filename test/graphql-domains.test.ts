// The same domains through GraphQL as through REST: one implementation, two renderings.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let gql: Client;

before(async () => {
  t = await harness();
  gql = t.client((await createUser(t.app)).key);
});
after(() => t.close());

const FIELDS =
  "id hostname port isActive notes tags sslGrade sslDaysRemaining whoisDaysRemaining status createdAt updatedAt";

test("createDomain, then REST reads exactly what GraphQL wrote", async () => {
  const res = await gql.graphql(
    `mutation ($input: CreateDomainInput!) { createDomain(input: $input) { ${FIELDS} } }`,
    { input: { hostname: "GraphQL.Example.com", port: 8443, notes: "via graphql", tags: ["api"] } },
  );
  assert.equal(res.status, 200);
  const d = res.body.data.createDomain;
  assert.equal(d.hostname, "graphql.example.com");
  assert.equal(d.status, "PENDING");
  const rest = (await gql.get(`/domains/${d.id}`)).body;
  assert.deepEqual(
    {
      id: rest.id,
      hostname: rest.hostname,
      port: rest.port,
      isActive: rest.is_active,
      notes: rest.notes,
      tags: rest.tags,
      sslGrade: rest.ssl_grade,
      sslDaysRemaining: rest.ssl_days_remaining,
      whoisDaysRemaining: rest.whois_days_remaining,
      status: rest.status.toUpperCase(),
      createdAt: rest.created_at,
      updatedAt: rest.updated_at,
    },
    d,
  );
});

test("domains pages, filters and sorts like GET /domains", async () => {
  for (const name of ["a", "b", "c", "d", "e"]) {
    await gql.graphql("mutation ($h: String!) { createDomain(input: { hostname: $h }) { id } }", {
      h: `${name}.list.example.org`,
    });
  }
  const query = `query ($page: Int, $perPage: Int, $search: String) {
    domains(page: $page, perPage: $perPage, search: $search, sort: HOSTNAME, order: ASC) {
      data { hostname } pagination { page perPage total totalPages }
    }
  }`;
  const page2 = await gql.graphql(query, { page: 2, perPage: 2, search: "list.example" });
  assert.deepEqual(page2.body.data.domains, {
    data: [{ hostname: "c.list.example.org" }, { hostname: "d.list.example.org" }],
    pagination: { page: 2, perPage: 2, total: 5, totalPages: 3 },
  });
  const rest = await gql.get("/domains?page=2&per_page=2&search=list.example&sort=hostname&order=asc");
  assert.deepEqual(
    rest.body.data.map((d: { hostname: string }) => d.hostname),
    ["c.list.example.org", "d.list.example.org"],
  );
  const defaults = await gql.graphql("{ domains { pagination { page perPage } } }");
  assert.deepEqual(defaults.body.data.domains.pagination, { page: 1, perPage: 20 });
});

test("bad input is BAD_USER_INPUT with the REST API's message", async () => {
  const res = await gql.graphql(
    'mutation { createDomain(input: { hostname: "x.example.com", port: 70000 }) { id } }',
  );
  assert.equal(res.body.errors[0].extensions.code, "BAD_USER_INPUT");
  assert.equal(res.body.errors[0].message, "port must be an integer between 1 and 65535");
  const tooMany = await gql.graphql("{ domains(perPage: 101) { pagination { total } } }");
  assert.equal(tooMany.body.errors[0].extensions.code, "BAD_USER_INPUT");
  assert.equal(tooMany.body.errors[0].message, "per_page must be between 1 and 100");
});

test("updateDomain and deleteDomain", async () => {
  const id = (await gql.graphql('mutation { createDomain(input: { hostname: "upd.example.com" }) { id } }'))
    .body.data.createDomain.id;
  const updated = await gql.graphql(
    'mutation ($id: ID!) { updateDomain(id: $id, input: { isActive: false, tags: ["x"] }) { isActive tags } }',
    { id },
  );
  assert.deepEqual(updated.body.data.updateDomain, { isActive: false, tags: ["x"] });
  const dup = await gql.graphql('mutation { createDomain(input: { hostname: "upd.example.com" }) { id } }');
  assert.equal(dup.body.errors[0].extensions.code, "CONFLICT");
  assert.equal(dup.body.errors[0].message, "This domain is already being monitored");
  const deleted = await gql.graphql("mutation ($id: ID!) { deleteDomain(id: $id) }", { id });
  assert.equal(deleted.body.data.deleteDomain, id);
  assert.equal((await gql.get(`/domains/${id}`)).status, 404);
});

test("an invalid document is refused by validation and runs nothing", async () => {
  const res = await gql.graphql("{ nope }");
  assert.equal(res.body.data, undefined);
  assert.match(res.body.errors[0].message, /Cannot query field "nope"/);
});

test("account: the monitor limit, how many are used and how many remain; each caller sees their own", async () => {
  const user = await createUser(t.app, { monitorLimit: 3 });
  const api = t.client(user.key);
  const facts = async (client: Client) =>
    (await client.graphql("{ account { email monitorLimit monitorsUsed monitorsAvailable } }")).body.data
      .account;
  assert.deepEqual(await facts(api), {
    email: user.email,
    monitorLimit: 3,
    monitorsUsed: 0,
    monitorsAvailable: 3,
  });
  await api.post("/domains", { hostname: "account-1.example.com" });
  await api.post("/domains", { hostname: "account-2.example.com" });
  assert.deepEqual(await facts(api), {
    email: user.email,
    monitorLimit: 3,
    monitorsUsed: 2,
    monitorsAvailable: 1,
  });
  const readOnly = await facts(t.client(user.readKey));
  assert.equal(readOnly.monitorsUsed, 2);
  const other = await facts(gql);
  assert.notEqual(other.email, user.email);
  const anonymous = await t.client(undefined).graphql("{ account { email } }");
  assert.equal(anonymous.body.errors[0].extensions.code, "UNAUTHENTICATED");
});
