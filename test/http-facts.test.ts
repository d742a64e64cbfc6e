// The HTTP facts of a check, from one GET over the check's own TLS connection to real servers on
// loopback: status, headers, size, the page's title and meta tags (parsed from HTML, entities and
// all), the path a domain added by URL asks for, redirects reported and not followed, a size cap,
// a TLS peer that never answers HTTP, reverse DNS from a local DNS server and from the hosts file,
// and the country of an address from the offline database.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { tlsProbeOptions } from "../src/app/probe-options.js";
import { nameIn } from "../src/probes/net/hosts-file.js";
import { countryOf } from "../src/probes/net/ip-geo.js";
import { probeTls } from "../src/probes/tls/tls-probe.js";
import { createUser, harness } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { startDnsServer } from "./helpers/dns-server.js";
import { testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let site: Running;
/** The same site on 127.0.0.2, an address the hosts file does not name. */
let second: Running;
let mute: TlsServer;
let mutePort: number;
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const requests: string[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

const PAGE = `<!doctype html><html><head>
  <meta charset="utf-8"><title>Caf&eacute; &amp; Bar
  — Home</title>
  <meta name="Description" content="Fresh coffee, all day">
  <meta name="keywords" content="coffee, bar">
</head><body><title>not this one</title>${"x".repeat(5000)}</body></html>`;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-http-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 web.example.com mute.example.com\n");
  const leaf = await pki.leaf({
    cn: "web.example.com",
    sans: ["web.example.com", "mute.example.com"],
    notBefore: days(-10),
    notAfter: days(80),
  });
  site = await startHttpsServer({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    respond: (req, res) => {
      requests.push(req.url ?? "");
      if (req.url === "/old") {
        res.writeHead(301, { location: "https://web.example.com/new" });
        return res.end();
      }
      if (req.url === "/hop") {
        res.writeHead(302, { location: "/landing?from=hop" });
        return res.end();
      }
      if (req.url === "/loop") {
        res.writeHead(307, { location: "/loop" });
        return res.end();
      }
      if (req.url === "/big") {
        // Chunked (no Content-Length): the size is counted, up to the cap.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(Buffer.alloc(64 * 1024, 1));
      }
      const body = Buffer.from(PAGE);
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": body.length,
        "X-Served-By": "loopback",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
      });
      res.end(body);
    },
  });
  second = await startHttpsServer({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    host: "127.0.0.2",
  });
  // A TLS server that completes the handshake and then says nothing: not a web server.
  mute = createTlsServer({ cert: `${leaf.cert}${pki.intermediate.cert}`, key: leaf.key }, () => {});
  await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
  mutePort = (mute.address() as { port: number }).port;
  dns = await startDnsServer({
    "2.0.0.127.in-addr.arpa": [{ type: "PTR", data: "web-2.loopback.example.net" }],
  });
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_DNS_SERVERS: dns.address,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "5000",
    CERTPULSE_HTTP_TIMEOUT_MS: "400",
    CERTPULSE_HTTP_MAX_BYTES: "20000",
  });
});
after(async () => {
  await t.close();
  await Promise.all([
    site.close(),
    second.close(),
    dns.close(),
    new Promise((resolve) => mute.close(resolve)),
  ]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

const CHECKED = `mutation ($input: CreateDomainInput!) {
  createCheckedDomain(input: $input) {
    id hostname port httpPath
    latestSslCheck {
      error address addressName addressGeo hsts hstsMaxAge
      http { path status size truncated title metaDescription metaKeywords error headers { name value } redirects { path } }
    }
  }
}`;

async function addChecked(input: Record<string, unknown>) {
  const user = await createUser(t.app);
  const res = await t.client(user.key).graphql(CHECKED, { input });
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return { user, domain: res.body.data.createCheckedDomain };
}

describe("HTTP facts", () => {
  test("a domain added by URL asks for its path; the answer's status, headers, size and head are kept", async () => {
    const { user, domain } = await addChecked({
      url: `https://web.example.com:${site.port}/landing?from=test`,
    });
    assert.deepEqual(
      [domain.hostname, domain.port, domain.httpPath],
      ["web.example.com", site.port, "/landing?from=test"],
    );
    assert.ok(requests.includes("/landing?from=test"), requests.join(" "));
    const check = domain.latestSslCheck;
    assert.equal(check.error, null);
    assert.equal(check.address, "127.0.0.1");
    const http = check.http;
    assert.deepEqual(
      [http.path, http.status, http.size, http.truncated, http.error],
      ["/landing?from=test", 200, Buffer.byteLength(PAGE), false, null],
    );
    assert.equal(
      http.title,
      "Café & Bar — Home",
      "entities decoded, whitespace folded, the head's title only",
    );
    assert.equal(http.metaDescription, "Fresh coffee, all day");
    assert.equal(http.metaKeywords, "coffee, bar");
    // Headers as sent, in the server's case and order.
    const names = http.headers.map((h: { name: string }) => h.name);
    assert.deepEqual(names.slice(0, 4), [
      "Content-Type",
      "Content-Length",
      "X-Served-By",
      "Strict-Transport-Security",
    ]);
    assert.equal(http.headers.find((h: { name: string }) => h.name === "X-Served-By").value, "loopback");
    // HSTS comes from the same answer.
    assert.deepEqual([check.hsts, check.hstsMaxAge], [true, 31536000]);

    // REST speaks the same facts: the domain's http_path, set from the URL.
    const rest = await t.client(user.key).get(`/domains/${domain.id}`);
    assert.equal(rest.body.http_path, "/landing?from=test");
  });

  test("by default a redirect is reported with its Location, not followed", async () => {
    const before = requests.length;
    const { domain } = await addChecked({ hostname: "web.example.com", port: site.port, httpPath: "/old" });
    const http = domain.latestSslCheck.http;
    assert.equal(http.status, 301);
    assert.equal(
      http.headers.find((h: { name: string }) => h.name.toLowerCase() === "location").value,
      "https://web.example.com/new",
    );
    assert.deepEqual(requests.slice(before), ["/old"], "one request, the redirect not followed");
    assert.deepEqual(http.redirects, []);
  });

  test("with CERTPULSE_HTTP_REDIRECTS, same-origin redirects are followed up to the limit; others never", async () => {
    const options = { ...tlsProbeOptions(t.config), httpRedirects: 2, scanProtocols: false };
    const target = { host: "web.example.com", port: site.port };
    const hop = (await probeTls({ ...target, httpPath: "/hop" }, options)).http!;
    assert.deepEqual([hop.path, hop.status, hop.title], ["/landing?from=hop", 200, "Café & Bar — Home"]);
    assert.deepEqual(hop.redirects, [{ path: "/hop", status: 302, location: "/landing?from=hop" }]);
    const loop = (await probeTls({ ...target, httpPath: "/loop" }, options)).http!;
    assert.deepEqual(
      [loop.status, loop.redirects.length],
      [307, 2],
      "stops at the limit, reporting the last redirect",
    );
    // An absolute Location on another origin (port 443 here) is reported, not followed.
    const away = (await probeTls({ ...target, httpPath: "/old" }, options)).http!;
    assert.deepEqual([away.status, away.redirects], [301, []]);
  });

  test("a body without a declared size is counted up to the cap, then marked truncated", async () => {
    const { domain } = await addChecked({ url: `https://web.example.com:${site.port}/big` });
    const http = domain.latestSslCheck.http;
    assert.deepEqual([http.status, http.size, http.truncated, http.title], [200, 20000, true, null]);
  });

  test("a TLS peer that never answers HTTP costs the HTTP timeout, not the probe's, and the check stands", async () => {
    const started = Date.now();
    const { domain } = await addChecked({ hostname: "mute.example.com", port: mutePort });
    const elapsed = Date.now() - started;
    const check = domain.latestSslCheck;
    assert.equal(check.error, null, "the certificate was read");
    assert.deepEqual([check.http.status, check.http.error], [null, "no HTTP answer within 400 ms"]);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  test("http_path must be an absolute path", async () => {
    const user = await createUser(t.app);
    const res = await t
      .client(user.key)
      .post("/domains", { hostname: "web.example.com", http_path: "landing page" });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /http_path must start with \/ and hold no spaces/);
    const url = await t.client(user.key).post("/domains", { url: "http://web.example.com/" });
    assert.equal(url.status, 400);
    assert.match(url.body.error, /only https:\/\/ URLs/);
    const both = await t
      .client(user.key)
      .post("/domains", { url: "https://web.example.com:8443/", port: 443 });
    assert.equal(both.status, 400);
    assert.match(both.body.error, /url and port disagree/);
    assert.equal((await t.client(user.key).get("/domains")).body.pagination.total, 0);
  });
});

describe("where the address is", () => {
  test("reverse DNS: the hosts file's name for the address, else the DNS servers' PTR record", async () => {
    const named = await addChecked({ hostname: "web.example.com", port: site.port });
    assert.equal(named.domain.latestSslCheck.addressName, "web.example.com");
    assert.ok(!dns.queries.includes("1.0.0.127.in-addr.arpa"), "the hosts file answered");
    const { domain } = await addChecked({
      hostname: "web.example.com",
      port: second.port,
      address: "127.0.0.2",
    });
    assert.equal(domain.latestSslCheck.address, "127.0.0.2");
    assert.equal(domain.latestSslCheck.addressName, "web-2.loopback.example.net");
    assert.ok(dns.queries.includes("2.0.0.127.in-addr.arpa"));
    // A loopback address has no country.
    assert.equal(domain.latestSslCheck.addressGeo, null);
  });

  test("the hosts file answers first: its first name for the address", () => {
    assert.equal(
      nameIn("# x\n10.0.0.1 a.test\n127.0.0.1 web.example.com mute.example.com\n", "127.0.0.1"),
      "web.example.com",
    );
    assert.equal(nameIn("10.0.0.1 a.test\n", "127.0.0.1"), null);
  });

  test("a public address's country comes from the offline database; private ranges have none", () => {
    assert.equal(countryOf("8.8.8.8"), "US");
    assert.equal(countryOf("81.2.69.160"), "GB");
    assert.equal(countryOf("10.1.2.3"), null);
    assert.equal(countryOf("::1"), null);
  });
});
