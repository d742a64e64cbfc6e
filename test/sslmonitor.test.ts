// The SSLmonitor dialect (sslmonitor-api.txt) at /api/v1: ping, account and monitor/list, get, add,
// scan and delete against real TLS servers on loopback, with parameters in the query string, a form
// and a JSON body, GET and POST alike; the list's filters as the spec writes them, run in the
// database; its errors `{code, message, req_id}`; and one truth with SSLTrackr, Kodostatus and GraphQL.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Client, createUser, harness, type TestUser } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { startDnsServer } from "./helpers/dns-server.js";
import { issue, testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let longLived: Running;
let soon: Running;
let selfSigned: Running;
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
const MINUTE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-sslmonitor-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com soon.example.com self.example.org\n");
  const leaf = await pki.leaf({
    cn: "www.example.com",
    sans: ["www.example.com", "example.com"],
    notBefore: days(-10),
    notAfter: days(100.5),
  });
  longLived = await startHttpsServer({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    respond: (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(
        '<html><head><title>Example</title><meta name="description" content="An example"></head></html>',
      );
    },
  });
  const short = await pki.leaf({ cn: "soon.example.com", notBefore: days(-60), notAfter: days(20.5) });
  soon = await startHttpsServer({ chain: [short.cert, pki.intermediate.cert], key: short.key });
  const own = await issue({ cn: "self.example.org" });
  selfSigned = await startHttpsServer({ chain: [own.cert], key: own.key });
  dns = await startDnsServer();
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_DNS_SERVERS: dns.address,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
  });
});
after(async () => {
  await t.close();
  await Promise.all([longLived.close(), soon.close(), selfSigned.close(), dns.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

/** An SSLmonitor client: GET with a query string, POST with a form or JSON, key as Bearer. */
function sslmonitor(user: TestUser) {
  const api: Client = t.client(user.key);
  const qs = (params: Record<string, string | number> = {}) =>
    new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return {
    get: (endpoint: string, params?: Record<string, string | number>) =>
      api.request("GET", `/api/v1/${endpoint}${params ? `?${qs(params)}` : ""}`),
    form: (endpoint: string, params: Record<string, string | number>) =>
      api.request("POST", `/api/v1/${endpoint}`, {
        raw: qs(params),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    json: (endpoint: string, params: Record<string, unknown>) =>
      api.request("POST", `/api/v1/${endpoint}`, { body: params }),
  };
}

describe("ping and account", () => {
  test("ping answers with the key's number and the time; account with the limit", async () => {
    const user = await createUser(t.app, { monitorLimit: 10 });
    const api = sslmonitor(user);
    const ping = await api.get("ping");
    assert.equal(ping.status, 200);
    assert.deepEqual(Object.keys(ping.body), ["success", "message", "date_time", "apikey_id"]);
    assert.deepEqual([ping.body.success, ping.body.message, ping.body.apikey_id], [1, "Ok", 1]);
    assert.match(ping.body.date_time, MINUTE);
    assert.ok(Math.abs(Date.parse(`${ping.body.date_time.replace(" ", "T")}:00Z`) - Date.now()) < 120_000);
    // The read-only key is the account's second.
    const second = await t.client(user.readKey).request("POST", "/api/v1/ping");
    assert.equal(second.body.apikey_id, 2);

    await t.client(user.key).post("/domains", { hostname: "one.example.net" });
    const account = await api.form("account", {});
    assert.deepEqual(Object.keys(account.body), [
      "success",
      "message",
      "id",
      "email",
      "monitor_limit",
      "monitor_used",
      "monitor_available",
    ]);
    assert.ok(Number.isInteger(account.body.id) && account.body.id > 0);
    assert.deepEqual(
      [
        account.body.email,
        account.body.monitor_limit,
        account.body.monitor_used,
        account.body.monitor_available,
      ],
      [user.email, 10, 1, 9],
    );
  });

  test("no key is a 401 in the spec's error shape, with the request's id", async () => {
    const res = await t
      .client(undefined)
      .request("GET", "/api/v1/ping", { headers: { "x-request-id": "support-ticket-42" } });
    assert.equal(res.status, 401);
    assert.deepEqual(Object.keys(res.body), ["code", "message", "req_id"]);
    assert.deepEqual([res.body.code, res.body.req_id], [401, "support-ticket-42"]);
  });
});

describe("monitor/add, get, scan and delete", () => {
  test("add by host and port (GET), by URL (form) and with a JSON body, each answered with the checked monitor", async () => {
    const user = await createUser(t.app);
    const api = sslmonitor(user);
    const added = await api.get("monitor/add", { host: "www.example.com", port: longLived.port });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual([added.body.success, added.body.message], [1, "Ok"]);
    const m = added.body.monitor;
    assert.deepEqual(Object.keys(m), ["id", "host", "port", "scan_date", "ssl", "http"]);
    assert.deepEqual([m.id, m.host, m.port], [1, "www.example.com", longLived.port]);
    assert.match(m.scan_date, MINUTE);
    assert.deepEqual(Object.keys(m.ssl), [
      "date_start",
      "date_end",
      "expire_days",
      "issuer_cn",
      "issuer_c",
      "issuer_o",
      "subject_cn",
      "subject_c",
      "subject_o",
      "alt_names",
    ]);
    assert.match(m.ssl.date_start, MINUTE);
    assert.match(m.ssl.date_end, MINUTE);
    assert.equal(m.ssl.expire_days, 100);
    assert.equal(m.ssl.subject_cn, "www.example.com");
    assert.match(m.ssl.issuer_cn, /Intermediate/);
    assert.deepEqual(m.ssl.alt_names, ["www.example.com", "example.com"]);
    assert.deepEqual(Object.keys(m.http), [
      "ip",
      "ip_rev",
      "ip_geo",
      "code",
      "size",
      "headers",
      "html_title",
      "meta_description",
      "meta_keywords",
    ]);
    assert.deepEqual(
      [m.http.ip, m.http.ip_rev, m.http.ip_geo, m.http.code, m.http.html_title, m.http.meta_description],
      ["127.0.0.1", "www.example.com", null, 200, "Example", "An example"],
    );
    assert.ok(
      m.http.headers.some((h: { n: string; v: string }) => h.n === "Content-Type" && h.v === "text/html"),
    );

    const byUrl = await api.form("monitor/add", { url: `https://soon.example.com:${soon.port}/status` });
    assert.equal(byUrl.status, 200, JSON.stringify(byUrl.body));
    assert.deepEqual([byUrl.body.monitor.id, byUrl.body.monitor.host], [2, "soon.example.com"]);
    const rest = await t.client(user.key).get("/domains/2");
    assert.deepEqual([rest.body.http_path, rest.body.number], ["/status", 2]);

    const json = await api.json("monitor/add", { host: "self.example.org", port: selfSigned.port });
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.equal(json.body.monitor.id, 3);
  });

  test("add's errors: nothing to add, a host that does not resolve, a duplicate", async () => {
    const user = await createUser(t.app);
    const api = sslmonitor(user);
    const none = await api.get("monitor/add", { port: 443 });
    assert.deepEqual(
      [none.status, none.body.code, none.body.message],
      [400, 400, "host and port, or url, are required"],
    );
    assert.equal(none.body.req_id, none.headers.get("x-request-id"));
    const nowhere = await api.get("monitor/add", { host: "nowhere.example.com", port: 443 });
    assert.equal(nowhere.status, 400);
    assert.match(nowhere.body.message, /does not resolve/);
    await api.get("monitor/add", { host: "www.example.com", port: longLived.port });
    const again = await api.get("monitor/add", { host: "www.example.com", port: longLived.port });
    assert.deepEqual([again.status, again.body.code], [409, 409]);
  });

  test("get, scan and delete by id; an unknown or another user's id is the spec's 404", async () => {
    const user = await createUser(t.app);
    const api = sslmonitor(user);
    const added = await api.get("monitor/add", { host: "www.example.com", port: longLived.port });
    const id = added.body.monitor.id;
    const got = await api.get("monitor/get", { id });
    assert.deepEqual(got.body.monitor, added.body.monitor);

    const checks = async () =>
      (
        await t
          .client(user.key)
          .graphql("query ($id: ID!) { domain(id: $id) { sslChecks { pagination { total } } } }", {
            id: String(id),
          })
      ).body.data.domain.sslChecks.pagination.total;
    const checksBefore = await checks();
    const scanned = await api.form("monitor/scan", { id });
    assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
    assert.equal(scanned.body.monitor.id, id);
    assert.equal(await checks(), checksBefore + 1);

    const stranger = sslmonitor(await createUser(t.app));
    const foreign = await stranger.get("monitor/get", { id });
    assert.deepEqual(foreign.body, {
      code: 404,
      message: "monitor not found",
      req_id: foreign.headers.get("x-request-id"),
    });
    assert.equal((await stranger.json("monitor/delete", { id })).status, 404);

    const missing = await api.get("monitor/get", {});
    assert.deepEqual([missing.status, missing.body.message], [400, "id is required"]);
    const bad = await api.get("monitor/get", { id: "abc" });
    assert.deepEqual([bad.status, bad.body.message], [400, "id must be a whole number"]);

    const deleted = await api.json("monitor/delete", { id });
    assert.deepEqual(deleted.body, { success: 1, message: "Ok" });
    assert.equal((await api.get("monitor/get", { id })).status, 404);
  });
});

describe("monitor/list", () => {
  let api: ReturnType<typeof sslmonitor>;
  let user: TestUser;
  before(async () => {
    user = await createUser(t.app);
    api = sslmonitor(user);
    // Checked: valid for 100 days, valid for 20 (a warning), and self-signed (not valid).
    for (const [host, port] of [
      ["www.example.com", longLived.port],
      ["soon.example.com", soon.port],
      ["self.example.org", selfSigned.port],
    ] as const) {
      const res = await api.get("monitor/add", { host, port });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    // Not checked, on other ports.
    const sslTrackr = t.client(user.key);
    for (const [hostname, port] of [
      ["api.example.com", 443],
      ["mail.example.com", 8443],
      ["legacy.example.net", 150],
    ] as const) {
      assert.equal((await sslTrackr.post("/domains", { hostname, port })).status, 201);
    }
  });

  const hosts = (res: { body: { list: { host: string }[] } }) => res.body.list.map((m) => m.host).sort();

  test("the list in the spec's shape, sorted by host", async () => {
    const res = await api.get("monitor/list");
    assert.deepEqual([res.body.success, res.body.message, res.body.count], [1, "Ok", 6]);
    const www = res.body.list.find((m: { host: string }) => m.host === "www.example.com");
    assert.deepEqual(Object.keys(www), [
      "id",
      "host",
      "port",
      "ssl_valid",
      "ssl_message",
      "ssl_color",
      "ssl_expire_days",
      "ssl_expire_date_start",
      "ssl_expire_date_end",
      "ssl_host_match",
      "ssl_issuer",
      "http_code",
      "scan_date",
    ]);
    assert.deepEqual(
      [www.ssl_valid, www.ssl_message, www.ssl_color, www.ssl_expire_days, www.ssl_host_match, www.http_code],
      [true, "Valid", "green", 100, true, 200],
    );
    assert.match(www.ssl_issuer, /CertPulse Test/);
    const warning = res.body.list.find((m: { host: string }) => m.host === "soon.example.com");
    assert.deepEqual(
      [warning.ssl_valid, warning.ssl_message, warning.ssl_color],
      [true, "Expires in 20 days", "orange"],
    );
    const invalid = res.body.list.find((m: { host: string }) => m.host === "self.example.org");
    assert.deepEqual([invalid.ssl_valid, invalid.ssl_color], [false, "red"]);
    assert.match(invalid.ssl_message, /self-signed/);
    const unchecked = res.body.list.find((m: { host: string }) => m.host === "api.example.com");
    assert.deepEqual(
      [unchecked.ssl_valid, unchecked.ssl_message, unchecked.ssl_color, unchecked.scan_date],
      [false, "Not checked yet", "grey", null],
    );
    assert.deepEqual(
      hosts(res),
      res.body.list.map((m: { host: string }) => m.host),
    );
  });

  test("host and port filters as the spec writes them", async () => {
    assert.deepEqual(hosts(await api.get("monitor/list", { host: "*.example.com" })), [
      "api.example.com",
      "mail.example.com",
      "soon.example.com",
      "www.example.com",
    ]);
    assert.deepEqual(hosts(await api.get("monitor/list", { host: "www.example.com" })), ["www.example.com"]);
    assert.deepEqual(hosts(await api.get("monitor/list", { host: "*.org" })), ["self.example.org"]);
    assert.deepEqual(hosts(await api.get("monitor/list", { port: "443" })), ["api.example.com"]);
    assert.deepEqual(hosts(await api.get("monitor/list", { port: "443,8443" })), [
      "api.example.com",
      "mail.example.com",
    ]);
    assert.equal((await api.get("monitor/list", { port: "!443" })).body.count, 5);
    assert.deepEqual(hosts(await api.get("monitor/list", { port: "100-200" })), ["legacy.example.net"]);
    assert.equal((await api.get("monitor/list", { port: ">=8443" })).body.count, 4);
    assert.deepEqual(hosts(await api.form("monitor/list", { host: "*.example.com", port: "<1000" })), [
      "api.example.com",
    ]);
  });

  test("ssl_valid and ssl_expire_days filters", async () => {
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_valid: "true" })), [
      "soon.example.com",
      "www.example.com",
    ]);
    assert.equal((await api.json("monitor/list", { ssl_valid: false })).body.count, 4);
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_expire_days: "<30" })), ["soon.example.com"]);
    // The expiry of the certificate served, trusted or not.
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_expire_days: ">30" })), [
      "self.example.org",
      "www.example.com",
    ]);
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_expire_days: "==20" })), ["soon.example.com"]);
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_expire_days: "=100" })), ["www.example.com"]);
    assert.deepEqual(hosts(await api.get("monitor/list", { ssl_expire_days: "10-30" })), [
      "soon.example.com",
    ]);
    assert.deepEqual(
      hosts(await api.get("monitor/list", { host: "*.example.com", ssl_expire_days: "21-99" })),
      [],
    );
  });

  test("filters run in the database: count is every match, the page holds per_page of them", async () => {
    const res = await api.get("monitor/list", { host: "*.example.com", per_page: 1, page: 2 });
    assert.equal(res.body.count, 4);
    assert.deepEqual(hosts(res), ["mail.example.com"]);
  });

  test("a filter that does not parse is a 400 naming the parameter", async () => {
    for (const [name, value, words] of [
      ["port", "https", /^port: cannot read "https"/],
      ["port", "200-100", /^port: cannot read "200-100"/],
      ["ssl_valid", "maybe", /^ssl_valid: cannot read "maybe"; write true or false/],
      ["ssl_expire_days", "soon", /^ssl_expire_days: cannot read "soon"; write =30, 30-60, <30 or >30/],
      ["host", "a b", /host pattern may hold/],
    ] as const) {
      const res = await api.get("monitor/list", { [name]: value });
      assert.equal(res.status, 400, `${name}=${value}`);
      assert.equal(res.body.code, 400);
      assert.match(res.body.message, words);
    }
  });

  test("one truth: what SSLmonitor added, SSLTrackr, Kodostatus and GraphQL list with the same id", async () => {
    const list = await api.get("monitor/list", { host: "www.example.com" });
    const number = list.body.list[0].id;
    const sslTrackr = await t.client(user.key).get("/domains?search=www.example.com");
    assert.deepEqual(
      sslTrackr.body.data.map((d: { hostname: string }) => d.hostname),
      ["www.example.com"],
    );
    const kodostatus = await t.client(undefined).request("GET", "/api/v1/ssl-monitors", {
      headers: { "x-api-key": user.key },
    });
    assert.ok(kodostatus.body.data.some((m: { domain: string }) => m.domain === "www.example.com"));
    const gql = await t
      .client(user.key)
      .graphql("query ($id: ID!) { domain(id: $id) { number hostname latestSslCheck { daysRemaining } } }", {
        id: String(number),
      });
    assert.deepEqual(gql.body.data.domain, {
      number,
      hostname: "www.example.com",
      latestSslCheck: { daysRemaining: 100 },
    });
  });
});
