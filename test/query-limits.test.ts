// No GraphQL request, however built, holds the server: tokens, depth, aliases, directives, fields and
// cost are each limited, and each refusal is a BAD_USER_INPUT that names the limit and its variable.
// (No valid query of this schema is deeper than the default depth limit: depth is shown configured.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
before(async () => {
  t = await harness();
  api = t.client((await createUser(t.app)).key);
  await api.post("/domains", { hostname: "limits.example.com" });
});
after(() => t.close());

async function refused(query: string, message: RegExp, variables?: Record<string, unknown>) {
  const res = await api.graphql(query, variables);
  assert.equal(res.body.data ?? null, null, JSON.stringify(res.body).slice(0, 300));
  const [error] = res.body.errors;
  assert.equal(error.extensions.code, "BAD_USER_INPUT", JSON.stringify(error));
  assert.match(error.message, message);
  // The server is still there for everyone else.
  assert.equal((await t.client().request("GET", "/healthz")).status, 200);
}

const NESTED =
  "data { hostname latestSslCheck { grade } latestWhoisCheck { expiryDate } alerts { data { title } } }";

test("the README's heaviest page (100 domains with checks and alerts) is allowed", async () => {
  const res = await api.graphql(`{ domains(perPage: 100) { ${NESTED} pagination { total } } }`);
  assert.equal(res.body.errors, undefined);
  assert.equal(res.body.data.domains.pagination.total, 1);
});

test("50 aliases of a 100-domain page: refused for its aliases", async () => {
  const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: domains(perPage: 100) { ${NESTED} }`).join(
    " ",
  );
  await refused(`{ ${aliases} }`, /^Too many aliases: more than 15 \(CERTPULSE_GRAPHQL_MAX_ALIASES\)$/);
});

test("cheap aliases: 100 are refused for their number, 1,000 before they are even parsed", async () => {
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ");
  await refused(`{ ${aliases(100)} }`, /^Too many aliases/);
  await refused(`{ ${aliases(1000)} }`, /^Query too large/);
});

test("page sizes multiply the cost, from literals and variables alike", async () => {
  const query = `query ($n: Int) { domains(perPage: $n) { data { alerts(perPage: $n) { data { title message } } } } }`;
  await refused(
    query,
    /^Query too costly: \d+ where at most 10000 is allowed \(CERTPULSE_GRAPHQL_MAX_COST\)$/,
    {
      n: 100,
    },
  );
  const small = await api.graphql(query, { n: 5 });
  assert.equal(small.body.errors, undefined);
});

test("every REST list's own query fits the default limits at its largest page", async () => {
  for (const path of ["/domains?per_page=100", "/alerts?per_page=100", "/webhooks?per_page=100"]) {
    assert.equal((await api.get(path)).status, 200, path);
  }
});

test("a 2,000-level nested document stops at the token limit, not in the parser's stack", async () => {
  const nested = `${"{ a ".repeat(2000)}${"} ".repeat(2000)}`;
  await refused(nested, /^Query too large: more than 2000 tokens \(CERTPULSE_GRAPHQL_MAX_TOKENS\)$/);
});

test("too many directives and too many fields are refused", async () => {
  const directives = Array.from({ length: 21 }, () => "@include(if: true)").join(" ");
  await refused(`{ domains ${directives} { data { id } } }`, /^Too many directives: more than 20/);
  const fields = Array.from({ length: 501 }, () => "id").join(" ");
  await refused(`{ domains { data { ${fields} } } }`, /^Too many fields: \d+ where at most 500 is allowed/);
});

test("the limits are configurable", async () => {
  const strict = await harness({
    CERTPULSE_GRAPHQL_MAX_ALIASES: "1",
    CERTPULSE_GRAPHQL_MAX_COST: "100",
    CERTPULSE_GRAPHQL_MAX_DEPTH: "3",
  });
  try {
    const client = strict.client((await createUser(strict.app)).key);
    const two = await client.graphql(
      "{ a: domains { pagination { total } } b: domains { pagination { total } } }",
    );
    assert.match(two.body.errors[0].message, /more than 1 \(CERTPULSE_GRAPHQL_MAX_ALIASES\)/);
    const costly = await client.graphql("{ domains(perPage: 50) { data { id hostname } } }");
    assert.match(costly.body.errors[0].message, /at most 100 is allowed/);
    const deep = await client.graphql(
      "{ domains(perPage: 1) { data { alerts(perPage: 1) { data { title } } } } }",
    );
    assert.match(deep.body.errors[0].message, /^Query too deep: 5 where at most 3 is allowed/);
  } finally {
    await strict.close();
  }
});
