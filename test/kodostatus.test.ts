// The Kodostatus dialect (kodostatus-ssl-monitors.txt) at /api/v1/ssl-monitors, against real TLS
// servers on loopback: the spec's request and answer, its error codes (400 for a domain that does not
// resolve, asked of a local DNS server; 422 when no certificate could be read, keeping nothing; 429
// past the creation limit), notification channels that route alerts, and one truth with SSLTrackr's
// /domains and GraphQL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { startDnsServer } from "./helpers/dns-server.js";
import { issue, testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer, startPlainHttpServer } from "./helpers/tls-servers.js";
import { type Receiver, startReceiver } from "./helpers/webhook-receiver.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let trusted: Running;
let selfSigned: Running;
let plain: Running;
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const receivers: Receiver[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-kodostatus-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 api.example.com self.example.com plain.example.com\n");
  const leaf = await pki.leaf({ cn: "api.example.com", notBefore: days(-10), notAfter: days(76) });
  trusted = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  const own = await issue({ cn: "self.example.com" });
  selfSigned = await startHttpsServer({ chain: [own.cert], key: own.key });
  plain = await startPlainHttpServer();
  dns = await startDnsServer();
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_DNS_SERVERS: dns.address,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "2000",
  });
});
after(async () => {
  await t.close();
  await Promise.all([
    trusted.close(),
    selfSigned.close(),
    plain.close(),
    dns.close(),
    ...receivers.map((r) => r.close()),
  ]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

/** A Kodostatus client: its key in X-API-Key, as the spec's curl sends it. */
async function kodostatusUser(monitorLimit?: number): Promise<{ api: Client; key: string }> {
  const user = await createUser(t.app, { monitorLimit });
  const api = t.client(undefined);
  const send = (method: string, path: string, body?: unknown) =>
    api.request(method, `/api/v1${path}`, { body, headers: { "x-api-key": user.key } });
  return {
    key: user.key,
    api: Object.assign(Object.create(api), {
      get: (path: string) => send("GET", path),
      post: (path: string, body?: unknown) => send("POST", path, body),
      put: (path: string, body?: unknown) => send("PUT", path, body),
      delete: (path: string) => send("DELETE", path),
    }) as Client,
  };
}

describe("POST /ssl-monitors", () => {
  test("creates the monitor with its first certificate check, in the spec's shape", async () => {
    const { api, key } = await kodostatusUser();
    const res = await api.post("/ssl-monitors", {
      domain: "api.example.com",
      port: trusted.port,
      alert_days: 30,
      service_id: "svc_xyz789",
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const m = res.body;
    assert.deepEqual(Object.keys(m), [
      "id",
      "domain",
      "port",
      "alert_days",
      "enabled",
      "last_checked_at",
      "certificate",
      "service_id",
      "created_at",
      "notification_channels",
    ]);
    assert.deepEqual(
      [m.domain, m.port, m.alert_days, m.enabled, m.service_id, m.notification_channels],
      ["api.example.com", trusted.port, 30, true, "svc_xyz789", []],
    );
    assert.match(m.last_checked_at, ISO);
    assert.match(m.created_at, ISO);
    assert.equal(m.certificate.subject, "CN=api.example.com");
    assert.match(m.certificate.issuer, /Intermediate/);
    assert.match(m.certificate.valid_from, ISO);
    assert.match(m.certificate.valid_to, ISO);
    assert.ok([75, 76].includes(m.certificate.days_until_expiry), String(m.certificate.days_until_expiry));
    assert.equal(m.certificate.is_valid, true);

    // One truth: SSLTrackr's list and GraphQL see the same domain, already checked.
    const sslTrackr = t.client(key);
    const listed = await sslTrackr.get("/domains");
    assert.deepEqual(
      listed.body.data.map((d: Record<string, unknown>) => [d.id, d.hostname, d.ssl_days_remaining !== null]),
      [[m.id, "api.example.com", true]],
    );
    const gql = await sslTrackr.graphql(
      `{ domain(id: "${m.id}") { serviceId alertDays latestSslCheck { grade } } }`,
    );
    assert.deepEqual(gql.body.data.domain.serviceId, "svc_xyz789");
    assert.deepEqual(gql.body.data.domain.alertDays, [30, 14, 7, 3, 1]);
    assert.match(gql.body.data.domain.latestSslCheck.grade, /^[AB]/);
  });

  test("defaults: port 443 and alert_days 30; an untrusted certificate is kept with is_valid false", async () => {
    const { api } = await kodostatusUser();
    const res = await api.post("/ssl-monitors", {
      domain: "self.example.com",
      port: selfSigned.port,
      alert_days: 14,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.alert_days, 14);
    assert.equal(res.body.certificate.is_valid, false);
    const got = await api.get(`/ssl-monitors/${res.body.id}`);
    assert.deepEqual(got.body, res.body);
  });

  test("400 for a bad domain or one that does not resolve; 422 when no certificate is served; nothing kept", async () => {
    const { api } = await kodostatusUser();
    const bad = await api.post("/ssl-monitors", { domain: "https://api.example.com" });
    assert.equal(bad.status, 400);
    const before = dns.queries.length;
    const unresolved = await api.post("/ssl-monitors", { domain: "nowhere.example.net" });
    assert.equal(unresolved.status, 400, JSON.stringify(unresolved.body));
    assert.equal(unresolved.body.error, "nowhere.example.net does not resolve");
    assert.ok(dns.queries.slice(before).includes("nowhere.example.net"), "asked the configured DNS server");
    const noTls = await api.post("/ssl-monitors", { domain: "plain.example.com", port: plain.port });
    assert.equal(noTls.status, 422);
    assert.equal(noTls.body.error, "SSL certificate could not be retrieved");
    assert.equal((await api.get("/ssl-monitors")).body.pagination.total, 0);
    assert.equal((await api.get("/alerts")).status, 200);
    assert.equal((await api.get("/alerts")).body.pagination.total, 0);
  });

  test("401 without a key; 429 past the creation limit, with Retry-After", async () => {
    const anonymous = await t.client(undefined).post("/ssl-monitors", { domain: "api.example.com" });
    assert.equal(anonymous.status, 401);
    const { api } = await kodostatusUser(100);
    let last = await api.post("/ssl-monitors", { domain: "plain.example.com", port: plain.port });
    for (let i = 0; i < 40 && last.status !== 429; i++) {
      last = await api.post("/ssl-monitors", { domain: "plain.example.com", port: plain.port });
    }
    assert.equal(last.status, 429);
    assert.equal(last.headers.get("retry-after"), "60");
    assert.equal(last.body.error, "Rate limit exceeded. Try again in 60 seconds.");
  });
});

describe("GET, PUT, DELETE /ssl-monitors", () => {
  test("lists, changes and deletes; notification channels must be the caller's and route alerts", async () => {
    const { api, key } = await kodostatusUser();
    const receiver = await startReceiver();
    const other = await startReceiver();
    receivers.push(receiver, other);
    const sslTrackr = t.client(key);
    const mine = (await sslTrackr.post("/webhooks", { url: receiver.url })).body.id;
    const unused = (await sslTrackr.post("/webhooks", { url: other.url })).body.id;
    const stranger = await createUser(t.app);
    const theirs = (await t.client(stranger.key).post("/webhooks", { url: receiver.url })).body.id;

    const refused = await api.post("/ssl-monitors", {
      domain: "self.example.com",
      port: selfSigned.port,
      notification_channels: [theirs],
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, `notification_channels: no webhook ${theirs}`);

    const created = await api.post("/ssl-monitors", {
      domain: "self.example.com",
      port: selfSigned.port,
      notification_channels: [mine],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.notification_channels, [mine]);
    // The self-signed certificate raised ssl_invalid: delivered to the named channel only.
    const sent = await receiver.nth(1);
    assert.match(sent.body, /ssl_invalid/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(other.received.length, 0, `webhook ${unused} is not a channel of this domain`);

    const listed = await api.get("/ssl-monitors");
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((m: { id: string }) => m.id),
      [created.body.id],
    );

    const changed = await api.put(`/ssl-monitors/${created.body.id}`, {
      alert_days: 45,
      enabled: false,
      service_id: "svc_2",
      notification_channels: [],
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(
      [
        changed.body.alert_days,
        changed.body.enabled,
        changed.body.service_id,
        changed.body.notification_channels,
      ],
      [45, false, "svc_2", []],
    );
    const gql = await sslTrackr.graphql(`{ domain(id: "${created.body.id}") { alertDays isActive } }`);
    assert.deepEqual(gql.body.data.domain, { alertDays: [45, 30, 14, 7, 3, 1], isActive: false });

    const foreign = await t.client(stranger.key).request("GET", `/api/v1/ssl-monitors/${created.body.id}`);
    assert.equal(foreign.status, 404);
    const deleted = await api.delete(`/ssl-monitors/${created.body.id}`);
    assert.deepEqual([deleted.status, deleted.body], [200, { message: "SSL monitor deleted" }]);
    assert.equal((await sslTrackr.get(`/domains/${created.body.id}`)).status, 404);
  });
});
