// Alerts from real checks of real servers, with a clock the test moves: thresholds crossed one by one
// raise one alert each and never twice; a renewal resolves them and raises ssl_changed; untrusted,
// unreachable and unregistered domains raise one alert per episode; GET /alerts and GraphQL list them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { domainStatus } from "../src/domains/domain-status.js";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import { type Client, createUser, harness } from "./helpers/app.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { issue, testPki } from "./helpers/pki.js";
import {
  bootstrapFile,
  type HttpReply,
  type RdapServer,
  startRdapServer,
} from "./helpers/registry-servers.js";
import {
  type HttpsServer,
  type Running,
  startHttpsServer,
  startSwitchableServer,
} from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let pki: Awaited<ReturnType<typeof testPki>>;
let rdap: RdapServer;
let dir: string;
const servers: Running[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
/** What the registry says about example.net, changed by the registration test. */
let registry: HttpReply;
/** What it says about example.org, for the outage test. */
let outage: HttpReply;

const registered = (expires: Date): HttpReply => ({
  status: 200,
  json: rdapDomain({
    name: "example.net",
    registrar: { name: "Example Registrar", ianaId: "1234" },
    expires: expires.toISOString(),
  }),
});

before(async () => {
  pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-alerts-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(
    join(dir, "hosts"),
    "127.0.0.1 www.example.com shop.example.com api.example.net www.example.org mail.shared.org intranet.corp app.internal build.test nas.home.arpa me.github.io\n",
  );
  rdap = await startRdapServer();
  rdap.route("/dns.json", {
    status: 200,
    json: bootstrapFile([[["com", "net", "org"], [`${rdap.url}/rdap/`]]]),
  });
  // example.com stays registered for years; example.net is what the registration test changes.
  rdap.route("/rdap/domain/example.com", registered(days(3000)));
  registry = registered(days(3000));
  rdap.route("/rdap/domain/example.net", () => registry);
  rdap.route("/rdap/domain/example.org", () => outage);
  rdap.route("/rdap/domain/shared.org", () => registry);
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "2000",
    CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
  });
});
after(async () => {
  await t.close();
  await Promise.all([...servers.map((s) => s.close()), rdap.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

async function serverFor(hostname: string, validity: { from: number; to: number }): Promise<HttpsServer> {
  const leaf = await pki.leaf({ cn: hostname, notBefore: days(validity.from), notAfter: days(validity.to) });
  const server = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  servers.push(server);
  return server;
}

async function userWithDomain(hostname: string, port: number) {
  const user = await createUser(t.app);
  const api = t.client(user.key);
  const created = await api.post("/domains", { hostname, port });
  assert.equal(created.status, 201);
  return { api, id: created.body.id as string };
}

async function alertsOf(api: Client, query = "") {
  const res = await api.get(`/alerts?per_page=100${query}`);
  assert.equal(res.status, 200);
  // Oldest first, to read as a story.
  return (res.body.data as Record<string, unknown>[]).reverse();
}

/**
 * One health policy: the status a domain shows and its open alerts tell the same story. Critical
 * only with an open critical alert, and an open critical alert only on a domain at least critical;
 * warning exactly while its worst open expiry alert is a warning (unless it is in error).
 */
async function assertAgrees(api: Client, id: string, at: Date, when: string) {
  // The status as of the test's clock (the API would compute it at the real time).
  const status = domainStatus(await t.app.services.db.domain.findUniqueOrThrow({ where: { id } }), at);
  const open = await alertsOf(api, `&domain_id=${id}&unresolved=true`);
  const critical = open.some((a) => a.severity === "critical");
  const expiryWarning = open.some(
    (a) => a.severity === "warning" && ["ssl_expiry", "whois_expiry"].includes(a.alert_type as string),
  );
  const story = `${when}: status ${status}, open ${JSON.stringify(open.map((a) => [a.alert_type, a.severity]))}`;
  if (status === "critical") assert.ok(critical, story);
  if (critical) assert.ok(["critical", "error", "expired"].includes(status), story);
  if (status === "warning") assert.ok(expiryWarning && !critical, story);
  if (expiryWarning && !critical && status !== "error") assert.equal(status, "warning", story);
  if (status === "valid") assert.ok(!critical && !expiryWarning, story);
}

describe("expiry thresholds", () => {
  test("thresholds crossed one by one raise one alert each and never twice", async () => {
    // A year-long certificate (so the day thresholds apply) with 31.5 days left.
    const server = await serverFor("www.example.com", { from: -335, to: 31.5 });
    const { api, id } = await userWithDomain("www.example.com", server.port);
    const clock = clockedScheduler(t.app);
    for (const [day, expected] of [
      [0, []],
      [2, [30]],
      [3, [30]],
      [17, [30, 14]],
      [18, [30, 14]],
      [25, [30, 14, 7]],
      [29, [30, 14, 7, 3]],
      [30.8, [30, 14, 7, 3, 1]],
      [31.6, [30, 14, 7, 3, 1, 0]],
      [32.6, [30, 14, 7, 3, 1, 0]],
    ] as [number, number[]][]) {
      await clock.at(days(day));
      const alerts = await alertsOf(api, "&alert_type=ssl_expiry");
      assert.deepEqual(
        alerts.map((a) => a.threshold_days),
        expected,
        `on day ${day}`,
      );
      await assertAgrees(api, id, days(day), `day ${day}`);
    }
    const all = await alertsOf(api, "&alert_type=ssl_expiry");
    assert.deepEqual(
      all.map((a) => [a.severity, a.title]),
      [
        ["warning", "SSL certificate expires in 29 days"],
        ["warning", "SSL certificate expires in 14 days"],
        ["critical", "SSL certificate expires in 6 days"],
        ["critical", "SSL certificate expires in 2 days"],
        ["critical", "SSL certificate expires in 0 days"],
        ["critical", "SSL certificate has expired"],
      ],
    );
    assert.match(
      all[0]?.message as string,
      /^The SSL certificate for www\.example\.com:\d+ expires on \d{4}-\d\d-\d\d\. 29 days remaining\.$/,
    );
    // A check asked for by hand at the same moment changes nothing.
    const domain = await t.app.services.db.domain.findFirstOrThrow({
      where: { hostname: "www.example.com" },
    });
    await t.app.services.sslChecks.run(domain, days(32.6));
    assert.equal((await alertsOf(api, "&alert_type=ssl_expiry")).length, 6);
    // Every alert is still open: the certificate was never replaced.
    assert.ok(all.every((a) => a.resolved_at === null));
  });

  test("a short-lived certificate warns at a third of its lifetime, not at 30 days", async () => {
    const server = await serverFor("www.example.com", { from: -1, to: 46 });
    const { api, id } = await userWithDomain("www.example.com", server.port);
    const clock = clockedScheduler(t.app);
    await clock.at(days(17)); // 29 days left: a plain 30-day threshold would fire here
    assert.deepEqual(await alertsOf(api, "&alert_type=ssl_expiry"), []);
    await assertAgrees(api, id, days(17), "29 days left");
    await clock.at(days(30.7)); // 15.3 days left, under a third of 47
    await assertAgrees(api, id, days(30.7), "15.3 days left");
    const [share] = await alertsOf(api, "&alert_type=ssl_expiry");
    assert.equal(share?.threshold_days, 15);
    assert.equal(share?.title, "SSL certificate expires in 15 days");
    assert.match(share?.message as string, /That is 33% or less of its 47-day lifetime\.$/);
    await clock.at(days(32.5));
    assert.deepEqual(
      (await alertsOf(api, "&alert_type=ssl_expiry")).map((a) => a.threshold_days),
      [15, 14],
    );
  });

  test("a 5-day certificate: status and alerts agree every day, critical only at its lifetime's share", async () => {
    // Issued now, expiring in 5 days: a third of its life is 1.65 days. The 30/14/7/3-day thresholds
    // give way to that one; before it the domain is valid with no alert, from it critical with one.
    const server = await serverFor("shop.example.com", { from: 0, to: 5 });
    const { api, id } = await userWithDomain("shop.example.com", server.port);
    const clock = clockedScheduler(t.app);
    for (const [day, status, alerts] of [
      [0, "valid", 0],
      [1, "valid", 0], // 4 days left: once critical with no alert at all
      [2.5, "valid", 0],
      [3.5, "critical", 1], // 1.5 days left
      [4.5, "critical", 1],
      [5.5, "expired", 2],
    ] as [number, string, number][]) {
      await clock.at(days(day));
      await assertAgrees(api, id, days(day), `day ${day}`);
      const row = await t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
      assert.equal(domainStatus(row, days(day)), status, `day ${day}`);
      assert.equal((await alertsOf(api, "&alert_type=ssl_expiry")).length, alerts, `day ${day}`);
    }
    const [share] = await alertsOf(api, "&alert_type=ssl_expiry");
    assert.equal(share?.severity, "critical");
    assert.equal(share?.threshold_days, 1);
  });

  test("a renewed certificate resolves the expiry alerts and raises ssl_changed", async () => {
    const server = await serverFor("shop.example.com", { from: -80, to: 10 });
    const { api, id } = await userWithDomain("shop.example.com", server.port);
    const clock = clockedScheduler(t.app);
    await clock.at(days(0));
    const [expiring] = await alertsOf(api);
    assert.equal(expiring?.threshold_days, 14);
    assert.equal(expiring?.resolved_at, null);

    // Renewed: same name, same issuer, new key and dates.
    const renewed = await pki.leaf({ cn: "shop.example.com", notBefore: days(0), notAfter: days(90) });
    server.serve([renewed.cert, pki.intermediate.cert], renewed.key);
    await clock.at(days(1));
    const afterRenewal = await alertsOf(api);
    assert.equal(afterRenewal.length, 2);
    assert.ok(afterRenewal[0]?.resolved_at, "the expiry alert is resolved");
    const notice = afterRenewal[1];
    assert.equal(notice?.alert_type, "ssl_changed");
    assert.equal(notice?.severity, "info");
    assert.equal(notice?.title, "SSL certificate renewed");
    assert.match(
      notice?.message as string,
      /serves a renewed certificate \(same names and issuer\), valid until/,
    );

    // Replaced by one from another issuer with more names: a real change, a warning.
    const otherCa = await issue({ cn: "Other Test CA", ca: true, notAfter: days(3650) });
    const moved = await issue({
      cn: "shop.example.com",
      sans: ["shop.example.com", "cdn.example.com"],
      issuer: otherCa,
      notAfter: days(200),
    });
    server.serve([moved.cert], moved.key);
    await clock.at(days(2));
    const changed = (await alertsOf(api)).filter((a) => a.alert_type === "ssl_changed").at(-1);
    assert.equal(changed?.severity, "warning");
    assert.equal(changed?.title, "SSL certificate changed");
    assert.match(
      changed?.message as string,
      /names shop\.example\.com → cdn\.example\.com, shop\.example\.com/,
    );
    assert.match(changed?.message as string, /issuer CN=CertPulse Test Intermediate → CN=Other Test CA/);
    // Its issuer is unknown to us: that is its own alert.
    const untrusted = (await alertsOf(api, "&alert_type=ssl_invalid"))[0];
    assert.equal(untrusted?.severity, "critical");
    assert.equal(untrusted?.title, "SSL certificate is not trusted");
    assert.equal(untrusted?.domain_id, id);
  });
});

describe("problems raise one alert per episode and resolve when fixed", () => {
  test("self-signed, wrong host, then trusted", async () => {
    const selfSigned = await issue({ cn: "shop.example.com" });
    const server = await startHttpsServer({ chain: [selfSigned.cert], key: selfSigned.key });
    servers.push(server);
    const { api } = await userWithDomain("shop.example.com", server.port);
    const clock = clockedScheduler(t.app);
    await clock.at(days(0));
    await clock.at(days(1));
    let alerts = await alertsOf(api);
    assert.deepEqual(
      alerts.map((a) => [a.alert_type, a.severity, a.title]),
      [["ssl_invalid", "critical", "SSL certificate is self-signed"]],
    );
    const wrongHost = await pki.leaf({ cn: "other.example.org" });
    server.serve([wrongHost.cert, pki.intermediate.cert], wrongHost.key);
    await clock.at(days(2));
    alerts = await alertsOf(api, "&alert_type=ssl_invalid");
    assert.equal(alerts.length, 2);
    assert.ok(alerts[0]?.resolved_at, "the self-signed alert is resolved");
    assert.equal(alerts[1]?.title, "SSL certificate does not match shop.example.com");
    assert.match(alerts[1]?.message as string, /is for other\.example\.org, not shop\.example\.com\.$/);
    const good = await pki.leaf({ cn: "shop.example.com" });
    server.serve([good.cert, pki.intermediate.cert], good.key);
    await clock.at(days(3));
    assert.deepEqual(await alertsOf(api, "&alert_type=ssl_invalid&unresolved=true"), []);
  });

  test("an unreachable server raises one alert per outage", async () => {
    const upstream = await serverFor("shop.example.com", { from: -1, to: 300 });
    const front = await startSwitchableServer(upstream.port);
    servers.push(front);
    const { api } = await userWithDomain("shop.example.com", front.port);
    const clock = clockedScheduler(t.app);
    await clock.at(days(0));
    front.mode = "reset";
    for (const day of [1, 2, 3]) await clock.at(days(day));
    let alerts = await alertsOf(api, "&alert_type=ssl_unreachable");
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.severity, "warning");
    assert.equal(alerts[0]?.title, `SSL check of shop.example.com:${front.port} failed`);
    assert.match(alerts[0]?.message as string, /The last successful check was on \d{4}-\d\d-\d\d\.$/);
    front.mode = "up";
    await clock.at(days(4));
    front.mode = "reset";
    await clock.at(days(5));
    alerts = await alertsOf(api, "&alert_type=ssl_unreachable");
    assert.equal(alerts.length, 2, "a second outage is a second alert");
    assert.ok(alerts[0]?.resolved_at);
    assert.equal(alerts[1]?.resolved_at, null);
  });

  test("registration: expiry thresholds, not registered, failed lookups, then renewed", async () => {
    const server = await serverFor("api.example.net", { from: -1, to: 300 });
    const { api, id } = await userWithDomain("api.example.net", server.port);
    const clock = clockedScheduler(t.app);
    registry = registered(days(20.5));
    await clock.at(days(0));
    let alerts = await alertsOf(api);
    assert.deepEqual(
      alerts.map((a) => [a.alert_type, a.severity, a.threshold_days, a.title]),
      [["whois_expiry", "warning", 30, "Domain registration expires in 20 days"]],
    );
    assert.match(
      alerts[0]?.message as string,
      /^The registration of example\.net expires on .*\. 20 days remaining\.$/,
    );
    await assertAgrees(api, id, days(0), "registered, 20 days left");
    registry = { status: 404, json: { errorCode: 404 } };
    await clock.at(days(1));
    alerts = await alertsOf(api);
    assert.deepEqual(
      alerts.map((a) => [a.alert_type, a.severity, a.title, a.resolved_at === null]),
      [
        ["whois_expiry", "warning", "Domain registration expires in 20 days", false],
        ["whois_error", "critical", "example.net is not registered", true],
      ],
    );
    await assertAgrees(api, id, days(1), "not registered");
    // The registry then fails (and WHOIS, the fallback, is a closed port): that changes no verdict,
    // and says nothing until the lookups have failed for a day; then a warning joins the verdict.
    registry = { status: 503, text: "maintenance" };
    await clock.at(days(2));
    assert.equal((await alertsOf(api, "&alert_type=whois_error")).length, 1);
    await assertAgrees(api, id, days(2), "failing for less than a day");
    await clock.at(days(3.1));
    alerts = await alertsOf(api, "&alert_type=whois_error");
    assert.deepEqual(
      alerts.map((a) => [a.severity, a.title, a.resolved_at === null]),
      [
        ["critical", "example.net is not registered", true],
        ["warning", "Registration lookup of example.net failed", true],
      ],
    );
    await assertAgrees(api, id, days(3.1), "failing for a day");
    registry = registered(days(400));
    await clock.at(days(4.2));
    assert.deepEqual(await alertsOf(api, "&unresolved=true"), []);
    await assertAgrees(api, id, days(4.2), "renewed");
  });

  test("a registry outage hides no certificate status and is quiet for a day", async () => {
    // A year-long certificate with 9.5 days left: warning (its 14-day threshold) whatever the registry does.
    const server = await serverFor("www.example.org", { from: -355, to: 9.5 });
    const { api, id } = await userWithDomain("www.example.org", server.port);
    const clock = clockedScheduler(t.app);
    outage = registered(days(400));
    await clock.at(days(0));
    outage = { status: 503, text: "maintenance" };
    for (const day of [1.1, 1.5, 1.9]) {
      await clock.at(days(day));
      await assertAgrees(api, id, days(day), `outage on day ${day}`);
      const listed = (await api.get("/domains?status=warning&per_page=100")).body.data as { id: string }[];
      assert.ok(
        listed.some((d) => d.id === id),
        `?status=warning still lists it on day ${day}`,
      );
      assert.deepEqual(await alertsOf(api, "&alert_type=whois_error"), [], `quiet on day ${day}`);
    }
    const latest = (await api.get(`/domains/${id}/whois`)).body;
    assert.equal(latest.outcome, "unreachable", "the failure is the registration check's state");
    await clock.at(days(2.3));
    const [failed] = await alertsOf(api, "&alert_type=whois_error");
    assert.equal(failed?.severity, "warning");
    await assertAgrees(api, id, days(2.3), "failing for over a day");
    assert.equal((await api.get(`/domains/${id}`)).body.status, "warning");
  });
});

describe("a shared registration lookup spreads only registry facts", () => {
  test("a lookup one user forces that fails is that user's alone", async () => {
    const server = await serverFor("mail.shared.org", { from: -1, to: 300 });
    const a = await userWithDomain("mail.shared.org", server.port);
    const b = await userWithDomain("mail.shared.org", server.port);
    const clock = clockedScheduler(t.app);
    registry = registered(days(400));
    await clock.at(days(0));
    // A forces a lookup a quarter of an hour later (not yet due, so forced), and the registry fails.
    registry = { status: 503, text: "maintenance" };
    const rowOf = (id: string) => t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
    const forced = await t.app.services.whoisChecks.run(await rowOf(a.id), { force: true, now: days(0.01) });
    assert.equal(forced?.outcome, "unreachable");
    // B's registration check is still the registry's answer; its history has no failure in it.
    assert.equal((await b.api.get(`/domains/${b.id}/whois`)).body.outcome, "registered");
    const history = async (api: Client, id: string) =>
      (
        await api.graphql(`query ($id: ID!) { domain(id: $id) { whoisChecks { data { outcome } } } }`, { id })
      ).body.data.domain.whoisChecks.data.map((c: { outcome: string }) => c.outcome);
    assert.deepEqual(await history(b.api, b.id), ["REGISTERED"]);
    assert.deepEqual(await history(a.api, a.id), ["UNREACHABLE", "REGISTERED"]);
    assert.deepEqual(await alertsOf(b.api), []);
    assert.deepEqual(await alertsOf(a.api), []);
    registry = registered(days(400));

    // A user who adds the domain later sees the lookup the summary comes from, not the ones before.
    await clock.at(days(1.1));
    const c = await userWithDomain("mail.shared.org", server.port);
    await t.app.services.whoisChecks.run(await rowOf(c.id), { now: days(1.2) });
    assert.deepEqual(await history(c.api, c.id), ["REGISTERED"]);
    assert.equal((await history(b.api, b.id)).length, 2);
  });

  test("names no registry holds are never looked up and raise nothing", async () => {
    const server = await serverFor("intranet.corp", { from: -1, to: 300 });
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const before = rdap.hits.length;
    for (const hostname of ["intranet.corp", "app.internal", "build.test", "nas.home.arpa", "me.github.io"]) {
      const created = await api.post("/domains", { hostname, port: server.port });
      assert.equal(created.status, 201, hostname);
      const row = await t.app.services.db.domain.findUniqueOrThrow({ where: { id: created.body.id } });
      assert.equal(row.nextWhoisCheckAt, null, `${hostname}: no registration check is booked`);
      assert.equal(await t.app.services.whoisChecks.run(row, { force: true }), null);
      const whois = await api.get(`/domains/${created.body.id}/whois`);
      assert.equal(whois.status, 404);
      assert.match(whois.body.error, /do not apply to .*: no public registry holds it/);
      const gql = await api.graphql(`query ($id: ID!) { domain(id: $id) { registrationApplies } }`, {
        id: created.body.id,
      });
      assert.equal(gql.body.data.domain.registrationApplies, false);
    }
    await clockedScheduler(t.app).at(days(0));
    assert.equal(rdap.hits.length, before, "no registry was asked");
    assert.deepEqual(
      (await alertsOf(api)).filter((a) => String(a.alert_type).startsWith("whois")),
      [],
    );
  });
});

describe("GET /alerts and GraphQL alerts", () => {
  let api: Client;
  let expiringId: string;
  let invalidId: string;

  before(async () => {
    const user = await createUser(t.app);
    api = t.client(user.key);
    const selfSigned = await issue({ cn: "www.example.com" });
    const bad = await startHttpsServer({ chain: [selfSigned.cert], key: selfSigned.key });
    servers.push(bad);
    const expiring = await serverFor("shop.example.com", { from: -300, to: 20 });
    invalidId = (await api.post("/domains", { hostname: "www.example.com", port: bad.port })).body.id;
    expiringId = (await api.post("/domains", { hostname: "shop.example.com", port: expiring.port })).body.id;
    const clock = clockedScheduler(t.app);
    await clock.at(days(0));
    const renewed = await pki.leaf({ cn: "shop.example.com", notAfter: days(300) });
    expiring.serve([renewed.cert, pki.intermediate.cert], renewed.key);
    await clock.at(days(1));
  });

  test("lists the caller's alerts as the spec writes them, newest first", async () => {
    const res = await api.get("/alerts");
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 3);
    const expiry = res.body.data.find((a: { alert_type: string }) => a.alert_type === "ssl_expiry");
    assert.deepEqual(Object.keys(expiry), [
      "id",
      "domain_id",
      "hostname",
      "alert_type",
      "severity",
      "title",
      "message",
      "threshold_days",
      "triggered_at",
      "resolved_at",
    ]);
    assert.equal(expiry.domain_id, expiringId);
    assert.equal(expiry.hostname, "shop.example.com");
    assert.equal(expiry.threshold_days, 30);
    assert.match(expiry.triggered_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(res.body.data[0].alert_type, "ssl_changed", "the newest first");
    assert.deepEqual(res.body.pagination, { page: 1, per_page: 20, total: 3, total_pages: 1 });
  });

  test("pages, and filters by domain, severity, type and open or resolved", async () => {
    const page2 = await api.get("/alerts?per_page=1&page=2");
    assert.equal(page2.body.data.length, 1);
    assert.deepEqual(page2.body.pagination, { page: 2, per_page: 1, total: 3, total_pages: 3 });
    const count = async (query: string) => (await api.get(`/alerts?${query}`)).body.pagination.total;
    assert.equal(await count(`domain_id=${expiringId}`), 2);
    assert.equal(await count(`domain_id=${invalidId}`), 1);
    assert.equal(await count("severity=critical"), 1);
    assert.equal(await count("alert_type=ssl_changed"), 1);
    assert.equal(await count("unresolved=true"), 1);
    assert.equal(await count("unresolved=false"), 2);
  });

  test("bad parameters are a 400", async () => {
    assert.deepEqual((await api.get("/alerts?per_page=500")).body, {
      error: "per_page must be between 1 and 100",
    });
    assert.deepEqual((await api.get("/alerts?page=0")).body, { error: "page must be a positive integer" });
    assert.deepEqual((await api.get("/alerts?severity=loud")).body, {
      error: "Invalid value for severity: loud",
    });
    assert.equal((await api.get("/alerts?alert_type=nope")).status, 400);
    assert.equal((await api.get("/alerts?unresolved=maybe")).status, 400);
    assert.equal((await api.get("/alerts?per_page=abc")).status, 400);
  });

  test("another user sees none of them, even by domain_id", async () => {
    const other = t.client((await createUser(t.app)).key);
    assert.deepEqual((await other.get("/alerts")).body.data, []);
    assert.deepEqual((await other.get(`/alerts?domain_id=${expiringId}`)).body.data, []);
    const gql = await other.graphql("{ alerts { pagination { total } } }");
    assert.equal(gql.body.data.alerts.pagination.total, 0);
    assert.equal((await t.client().get("/alerts")).status, 401);
  });

  test("GraphQL alerts and domain.alerts take the same filters", async () => {
    const res = await api.graphql(
      `query ($id: ID!) {
        alerts(severity: CRITICAL) { data { alertType severity domainId } }
        domain(id: $id) {
          all: alerts { pagination { total } }
          open: alerts(unresolved: true) { pagination { total } }
          changes: alerts(type: SSL_CHANGED) { data { alertType severity resolvedAt } }
        }
      }`,
      { id: expiringId },
    );
    assert.equal(res.body.errors, undefined);
    assert.deepEqual(res.body.data.alerts.data, [
      { alertType: "SSL_INVALID", severity: "CRITICAL", domainId: invalidId },
    ]);
    assert.equal(res.body.data.domain.all.pagination.total, 2);
    assert.equal(res.body.data.domain.open.pagination.total, 0);
    assert.equal(res.body.data.domain.changes.data[0].severity, "INFO");
    assert.ok(res.body.data.domain.changes.data[0].resolvedAt, "a notice is resolved when raised");
  });
});

test("the status filter and day sorts over a seeded set of checked domains", async () => {
  const user = await createUser(t.app);
  const api = t.client(user.key);
  const seeded: Record<string, { from: number; to: number } | "self-signed" | "unchecked"> = {
    valid: { from: -300, to: 100.5 },
    warning: { from: -300, to: 20.5 },
    critical: { from: -300, to: 5.5 },
    expired: { from: -300, to: -1.5 },
    error: "self-signed",
    pending: "unchecked",
  };
  const ids: Record<string, string> = {};
  for (const [status, kind] of Object.entries(seeded)) {
    let port = 1;
    if (kind === "self-signed") {
      const cert = await issue({ cn: "www.example.com", notAfter: days(60.5) });
      const server = await startHttpsServer({ chain: [cert.cert], key: cert.key });
      servers.push(server);
      port = server.port;
    } else if (kind !== "unchecked") {
      port = (await serverFor("www.example.com", kind)).port;
    }
    ids[status] = (await api.post("/domains", { hostname: "www.example.com", port })).body.id;
  }
  await api.put(`/domains/${ids.pending}`, { is_active: false });
  await clockedScheduler(t.app).at(new Date());
  for (const status of Object.keys(seeded)) {
    const res = await api.get(`/domains?status=${status}`);
    assert.deepEqual(
      res.body.data.map((d: { id: string }) => d.id),
      [ids[status]],
      status,
    );
    assert.equal(res.body.data[0].status, status);
  }
  const order = async (query: string) =>
    (await api.get(`/domains?${query}`)).body.data.map(
      (d: { ssl_days_remaining: number | null }) => d.ssl_days_remaining,
    );
  // Unchecked last either way; sorted on the dates, so the order holds as days pass.
  assert.deepEqual(await order("sort=ssl_days_remaining&order=asc"), [-2, 5, 20, 60, 100, null]);
  assert.deepEqual(await order("sort=ssl_days_remaining&order=desc"), [100, 60, 20, 5, -2, null]);
  assert.deepEqual(
    (await api.get("/domains?sort=whois_days_remaining&order=asc")).body.data.at(-1).id,
    ids.pending,
  );
});
