// Stored SSL checks: GET /domains/{id}/ssl as the spec writes it, the domain's summary and status,
// history through GraphQL, and failed probes stored as checks with an error.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";
import { testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer, startSilentServer } from "./helpers/tls-servers.js";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
let dir: string;
let server: Running;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-ssl-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 shop.example.com down.example.com\n");
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  // The trust store reads NODE_EXTRA_CA_CERTS when the app builds it, as in production.
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  const leaf = await pki.leaf({ cn: "shop.example.com", sans: ["shop.example.com", "www.shop.example.com"] });
  server = await startHttpsServer({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    hsts: "max-age=63072000; includeSubDomains",
  });
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "1500",
  });
  api = t.client((await createUser(t.app)).key);
});
after(async () => {
  await t.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

async function check(id: string) {
  const domain = await t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
  return t.app.services.sslChecks.run(domain);
}

describe("GET /domains/{id}/ssl", () => {
  test("404 until a check has run, and for another user's domain", async () => {
    const created = (await api.post("/domains", { hostname: "shop.example.com", port: 1 })).body;
    const res = await api.get(`/domains/${created.id}/ssl`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: "No SSL check has run for this domain yet" });
    const other = t.client((await createUser(t.app)).key);
    assert.deepEqual((await other.get(`/domains/${created.id}/ssl`)).body, { error: "Domain not found" });
  });

  test("the latest check with the spec's fields first, then the details", async () => {
    const created = (await api.post("/domains", { hostname: "shop.example.com", port: server.port })).body;
    await check(created.id);
    const res = await api.get(`/domains/${created.id}/ssl`);
    assert.equal(res.status, 200);
    const ssl = res.body;
    assert.deepEqual(Object.keys(ssl).slice(0, 14), [
      "id",
      "domain_id",
      "subject",
      "issuer",
      "valid_from",
      "valid_to",
      "days_remaining",
      "serial_number",
      "tls_version",
      "chain_valid",
      "hsts",
      "sans",
      "grade",
      "checked_at",
    ]);
    assert.equal(ssl.domain_id, created.id);
    assert.equal(ssl.subject, "CN=shop.example.com");
    assert.equal(ssl.issuer, "CN=CertPulse Test Intermediate");
    assert.match(ssl.valid_from, ISO_MS);
    assert.match(ssl.valid_to, ISO_MS);
    assert.equal(ssl.days_remaining, 89);
    assert.match(ssl.serial_number, /^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    assert.equal(ssl.tls_version, "TLSv1.3");
    assert.equal(ssl.chain_valid, true);
    assert.equal(ssl.hsts, true);
    assert.deepEqual(ssl.sans, ["shop.example.com", "www.shop.example.com"]);
    assert.equal(ssl.grade, "A+");
    assert.match(ssl.checked_at, ISO_MS);
    assert.equal(ssl.error, null);
    assert.equal(ssl.address, "127.0.0.1");
    assert.deepEqual(ssl.subject_parts, { CN: "shop.example.com" });
    assert.equal(ssl.key_type, "EC");
    assert.equal(ssl.signature_algorithm, "ecdsa-with-SHA256");
    assert.equal(ssl.hsts_max_age, 63_072_000);
    assert.equal(ssl.hsts_include_subdomains, true);
    assert.equal(ssl.hsts_preload, false);
    assert.deepEqual(ssl.protocols, { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true });
    assert.equal(ssl.chain.length, 2);
    assert.match(ssl.chain[0].valid_to, ISO_MS);
    assert.deepEqual(ssl.grade_reasons, ["HSTS with a max-age of at least 6 months: A+"]);

    const domain = (await api.get(`/domains/${created.id}`)).body;
    assert.equal(domain.ssl_grade, "A+");
    assert.equal(domain.ssl_days_remaining, 89);
    assert.equal(domain.status, "valid");

    // Thresholds set later move the boundaries, as they move the alerts: on this 90-day certificate
    // a 120-day threshold gives way to a third of its lifetime (30 days), so 89 days left is valid
    // and raises no alert. (health-summary.test.ts moves them on longer certificates.)
    const moved = await api.put(`/domains/${created.id}`, { alert_days: [120, 7] });
    assert.equal(moved.body.status, "valid");
    const reset = await api.put(`/domains/${created.id}`, { alert_days: null });
    assert.equal(reset.body.status, "valid");
  });

  test("a failed probe is a stored check with an error, and the domain shows error", async () => {
    const silent = await startSilentServer();
    try {
      const created = (await api.post("/domains", { hostname: "down.example.com", port: silent.port })).body;
      await check(created.id);
      const res = await api.get(`/domains/${created.id}/ssl`);
      assert.equal(res.status, 200);
      assert.equal(res.body.error, "timed out after 1500 ms during the TLS handshake");
      assert.equal(res.body.grade, null);
      assert.equal(res.body.subject, null);
      assert.equal(res.body.chain_valid, null);
      const domain = (await api.get(`/domains/${created.id}`)).body;
      assert.equal(domain.status, "error");
      assert.deepEqual(
        (await api.get("/domains?status=error")).body.data.map((d: { id: string }) => d.id),
        [created.id],
      );
    } finally {
      await silent.close();
    }
  });
});

test("GraphQL: latestSslCheck and the paged history, newest first", async () => {
  const gql = t.client((await createUser(t.app)).key);
  const created = (await gql.post("/domains", { hostname: "shop.example.com", port: server.port })).body;
  const first = await check(created.id);
  const second = await check(created.id);
  const res = await gql.graphql(
    `query ($id: ID!) { domain(id: $id) {
      latestSslCheck { id grade protocols { version accepted } chain { subject } }
      sslChecks(perPage: 1, page: 2) { data { id } pagination { page perPage total totalPages } }
    } }`,
    { id: created.id },
  );
  assert.equal(res.body.errors, undefined);
  const domain = res.body.data.domain;
  assert.equal(domain.latestSslCheck.id, second.id);
  assert.equal(domain.latestSslCheck.grade, "A+");
  assert.deepEqual(domain.latestSslCheck.protocols[3], { version: "TLSv1.3", accepted: true });
  assert.deepEqual(domain.sslChecks, {
    data: [{ id: first.id }],
    pagination: { page: 2, perPage: 1, total: 2, totalPages: 2 },
  });
  const bad = await gql.graphql(
    "query ($id: ID!) { domain(id: $id) { sslChecks(perPage: 500) { data { id } } } }",
    {
      id: created.id,
    },
  );
  assert.equal(bad.body.errors[0].extensions.code, "BAD_USER_INPUT");
});

test("protocol support is rescanned once per interval and carried forward in between", async () => {
  const { SslChecksService } = await import("../src/checks/ssl-checks.service.js");
  const { probeTls } = await import("../src/probes/tls/tls-probe.js");
  const { tlsProbeOptions } = await import("../src/app/probe-options.js");
  const options = tlsProbeOptions(t.config);
  const scans: boolean[] = [];
  let clock = new Date();
  const service = new SslChecksService(
    t.app.services.db,
    (target, { scanProtocols }) => {
      scans.push(scanProtocols);
      // The probe's own clock moves too, so each check is stored at its time.
      return probeTls(target, { ...options, scanProtocols, now: () => clock });
    },
    t.app.services.alerts,
    t.app.services.events,
    {
      protocolScanMs: 3_600_000,
      lifetimePercent: 33,
      telemetry: t.app.services.telemetry,
      provider: t.database.provider,
    },
  );
  const owner = t.client((await createUser(t.app)).key);
  const created = (await owner.post("/domains", { hostname: "shop.example.com", port: server.port })).body;
  const domain = () => t.app.services.db.domain.findUniqueOrThrow({ where: { id: created.id } });
  const at = async (minutes: number) => {
    clock = new Date(Date.now() + minutes * 60_000);
    return service.run(await domain(), clock);
  };
  // Every 40 minutes with a 1-hour scan interval: a check that carried the scan forward does not
  // make it new again, so the third check rescans.
  const checks = [await at(0), await at(40), await at(80), await at(120)];
  assert.deepEqual(scans, [true, false, true, false]);
  for (const check of checks) {
    assert.deepEqual(check.protocols, checks[0]?.protocols);
    assert.equal(check.grade, checks[0]?.grade);
  }
  assert.deepEqual(
    checks.map((c) => c.protocolsScannedAt?.getTime()),
    [checks[0], checks[0], checks[2], checks[2]].map((c) => c?.checkedAt.getTime()),
  );
});
