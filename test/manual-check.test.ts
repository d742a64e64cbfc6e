// POST /check and checkDomain: both checks now, the spec's summaries, 404 for a domain that is not
// the caller's, and one 10-a-minute budget per user across REST and GraphQL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import { type Client, createUser, harness } from "./helpers/app.js";
import { testPki } from "./helpers/pki.js";
import { bootstrapFile, type RdapServer, startRdapServer } from "./helpers/registry-servers.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
let dir: string;
let server: Running;
let rdap: RdapServer;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-check-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 shop.example.com\n");
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  const leaf = await pki.leaf({ cn: "shop.example.com" });
  server = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  rdap = await startRdapServer();
  rdap.route("/dns.json", { status: 200, json: bootstrapFile([[["com"], [`${rdap.url}/`]]]) });
  rdap.route("/domain/example.com", {
    status: 200,
    json: rdapDomain({
      name: "example.com",
      registrar: { name: "Gandi SAS", ianaId: "81" },
      expires: "2030-03-15T00:00:00Z",
      nameservers: ["ns1.example.com"],
    }),
  });
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "1500",
    CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
  });
  api = t.client((await createUser(t.app)).key);
});
after(async () => {
  await t.close();
  await server.close();
  await rdap.close();
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

test("POST /check runs both checks now and returns their summaries as the spec shows", async () => {
  const created = (await api.post("/domains", { hostname: "shop.example.com", port: server.port })).body;
  const res = await api.post("/check", { domain_id: created.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ["ssl", "whois"]);
  assert.deepEqual(Object.keys(res.body.ssl), [
    "subject",
    "issuer",
    "valid_to",
    "days_remaining",
    "grade",
    "tls_version",
    "chain_valid",
    "checked_at",
    "error",
  ]);
  assert.equal(res.body.ssl.subject, "CN=shop.example.com");
  assert.equal(res.body.ssl.chain_valid, true);
  assert.equal(res.body.ssl.error, null);
  assert.deepEqual(Object.keys(res.body.whois), [
    "registrar",
    "expiry_date",
    "days_remaining",
    "checked_at",
    "outcome",
    "error",
  ]);
  assert.equal(res.body.whois.registrar, "Gandi SAS");
  assert.equal(res.body.whois.expiry_date, "2030-03-15T00:00:00.000Z");

  const domain = (await api.get(`/domains/${created.id}`)).body;
  assert.equal(domain.ssl_days_remaining, res.body.ssl.days_remaining);
  assert.equal(domain.whois_days_remaining, res.body.whois.days_remaining);
  assert.equal(domain.status, "valid");
  assert.equal((await api.get(`/domains/${created.id}/ssl`)).body.checked_at, res.body.ssl.checked_at);
});

test("404 for an unknown or another user's domain, 400 without domain_id, 403 for a read-only key", async () => {
  const created = (await api.post("/domains", { hostname: "www.example.com", port: server.port })).body;
  const user = await createUser(t.app);
  const other = t.client(user.key);
  assert.deepEqual(await other.post("/check", { domain_id: created.id }).then((r) => [r.status, r.body]), [
    404,
    { error: "Domain not found" },
  ]);
  assert.equal((await api.post("/check", { domain_id: "550e8400-e29b-41d4-a716-446655440000" })).status, 404);
  assert.deepEqual(await api.post("/check", {}).then((r) => [r.status, r.body]), [
    400,
    { error: "domain_id is required" },
  ]);
  assert.equal((await t.client(user.readKey).post("/check", { domain_id: created.id })).status, 403);
  const checks = await t.app.services.db.sslCheck.count({ where: { domainId: created.id } });
  assert.equal(checks, 0, "nothing ran");
});

test("10 checks a minute per user, one budget for REST and GraphQL", async () => {
  const user = await createUser(t.app);
  const client = t.client(user.key);
  const id = (await client.post("/domains", { hostname: "api.example.com", port: server.port })).body.id;
  const mutation = `mutation ($id: ID!) { checkDomain(input: { domainId: $id }) {
    domain { id sslDaysRemaining } ssl { grade } whois { registrar outcome } } }`;
  for (let i = 0; i < 5; i++) assert.equal((await client.post("/check", { domain_id: id })).status, 200);
  for (let i = 0; i < 5; i++) {
    const res = await client.graphql(mutation, { id });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    assert.equal(res.body.data.checkDomain.whois.registrar, "Gandi SAS");
  }
  const limited = await client.post("/check", { domain_id: id });
  assert.equal(limited.status, 429);
  assert.match(limited.body.error, /^Rate limit exceeded\. Try again in \d+ seconds\.$/);
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  const viaGraphql = await client.graphql(mutation, { id });
  assert.equal(viaGraphql.body.errors[0].extensions.code, "RATE_LIMITED");
  // Another user's budget is their own.
  assert.equal(
    (await api.post("/check", { domain_id: (await api.get("/domains")).body.data[0].id })).status,
    200,
  );
  // Ten checks, one registration lookup: the forced lookups reused the first (younger than a minute).
  assert.equal(rdap.hits.filter((path) => path === "/domain/example.com").length, 1);
});
