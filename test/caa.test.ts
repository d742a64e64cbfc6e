// CAA the way a CA reads it (RFC 8659), from a real DNS server on loopback that answers like a
// recursive resolver (CNAMEs followed): the name's own records, else the closest ancestor's;
// issuewild for wildcards; `;` for no CA; a critical property no CA knows; a lookup that fails. Then
// end to end: a scheduled check of a certificate whose CAA no longer names its CA raises caa_mismatch
// (warning) and delivers it to a webhook, and `certpulse check` prints the same verdict.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../src/config.js";
import { caaChecker, caaResolver, judge } from "../src/probes/caa/caa.js";
import { caaDomainsOf } from "../src/probes/caa/caa-issuers.js";
import { createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { startDnsServer } from "./helpers/dns-server.js";
import { testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";
import { startReceiver } from "./helpers/webhook-receiver.js";

const OUR_CA = "ca.test.example";
const OTHER_CA = "other-ca.example";
const caa = (tag: string, value: string, critical = false) => ({
  type: "CAA",
  data: { flags: critical ? 128 : 0, tag, value },
});

let dns: Awaited<ReturnType<typeof startDnsServer>>;
let dir: string;
let site: Running;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
const issuer = { CN: "CertPulse Test Intermediate" };
const issuers = { "certpulse test intermediate": [OUR_CA] };

before(async () => {
  dns = await startDnsServer({
    "example.com": [
      caa("issue", `${OUR_CA}; accounturi=https://ca.test.example/acct/1`),
      caa("iodef", "mailto:sec@example.com"),
    ],
    "shop.example.com": [{ type: "CNAME", data: "shops.provider.example" }],
    "shops.provider.example": [caa("issue", OTHER_CA)],
    "wild.example.com": [caa("issue", OUR_CA), caa("issuewild", OTHER_CA)],
    "closed.example.com": [caa("issue", ";")],
    "strict.example.com": [caa("issue", OUR_CA), caa("tbs", "unknown", true)],
    "broken.example.com": [{ type: "SERVFAIL", data: null }],
    "report-only.example.org": [caa("iodef", "mailto:sec@example.org")],
  });
  dir = mkdtempSync(join(tmpdir(), "certpulse-caa-"));
  const pki = await testPki();
  writeFileSync(join(dir, "root.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "root.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 shop.example.com\n");
  const leaf = await pki.leaf({ cn: "shop.example.com", sans: ["shop.example.com", "www.example.com"] });
  site = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
});

after(async () => {
  await Promise.all([dns.close(), site.close()]);
  if (previousExtraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
  rmSync(dir, { recursive: true, force: true });
});

const check = (names: string[]) =>
  caaChecker({ resolve: caaResolver({ servers: [dns.address], timeoutMs: 1000 }), issuers })(
    names,
    issuer,
    new AbortController().signal,
  );

describe("RFC 8659 over a real resolver", () => {
  test("a name without records goes by its closest ancestor's; parameters do not change the issuer", async () => {
    const verdict = await check(["www.example.com"]);
    assert.equal(verdict?.status, "allowed");
    assert.deepEqual(verdict?.names[0], {
      name: "www.example.com",
      foundAt: "example.com",
      issue: [OUR_CA],
      issuewild: [],
      allowed: true,
      problem: null,
    });
    // The climb asked the name first, then its parent, and stopped there.
    assert.deepEqual(dns.queries.filter((q) => q.endsWith("example.com")).slice(0, 2), [
      "www.example.com",
      "example.com",
    ]);
  });

  test("a CNAME is followed to the target's records: another CA only, so the renewal would be refused", async () => {
    const verdict = await check(["shop.example.com"]);
    assert.equal(verdict?.status, "refused");
    assert.equal(verdict?.names[0]?.foundAt, "shop.example.com");
    assert.deepEqual(verdict?.names[0]?.issue, [OTHER_CA]);
    assert.equal(verdict?.names[0]?.problem, `CAA at shop.example.com lets only ${OTHER_CA} issue`);
  });

  test("issuewild governs a wildcard, issue the plain name", async () => {
    const verdict = await check(["wild.example.com", "*.wild.example.com"]);
    assert.deepEqual(
      verdict?.names.map((n) => [n.name, n.allowed]),
      [
        ["wild.example.com", true],
        ["*.wild.example.com", false],
      ],
    );
  });

  test('issue ";" lets no CA issue; a critical property no CA knows forbids issuance', async () => {
    const [closed, strict] = (await check(["closed.example.com", "strict.example.com"]))?.names ?? [];
    assert.equal(closed?.allowed, false);
    assert.equal(closed?.problem, "CAA at closed.example.com lets no CA issue");
    assert.equal(strict?.allowed, false);
    assert.match(strict?.problem ?? "", /critical CAA property "tbs"/);
  });

  test("records without issue restrict nobody; no records anywhere allow every CA", async () => {
    const verdict = await check(["report-only.example.org", "nothing.example.net"]);
    assert.equal(verdict?.status, "allowed");
    assert.deepEqual(
      verdict?.names.map((n) => n.foundAt),
      ["report-only.example.org", null],
    );
  });

  test("a failing lookup is unavailable, not a refusal", async () => {
    const verdict = await check(["broken.example.com"]);
    assert.equal(verdict?.status, "unavailable");
    assert.equal(verdict?.names[0]?.allowed, null);
    assert.match(verdict?.names[0]?.problem ?? "", /no CAA answer for broken\.example\.com \(ESERVFAIL\)/);
  });

  test("a CA whose CAA identity is unknown is not looked up at all", async () => {
    const asked = dns.queries.length;
    const verdict = await caaChecker({ resolve: caaResolver({ servers: [dns.address], timeoutMs: 1000 }) })(
      ["www.example.com"],
      { CN: "Some Private CA" },
      new AbortController().signal,
    );
    assert.equal(verdict, null);
    assert.equal(dns.queries.length, asked);
  });

  test("issuer identities: the public table by organization, and the operator's own", () => {
    assert.deepEqual(caaDomainsOf({ O: "Let's Encrypt", CN: "R11" })?.domains, ["letsencrypt.org"]);
    assert.deepEqual(caaDomainsOf({ O: "Google Trust Services", CN: "WR2" })?.domains, [
      "pki.goog",
      "google.com",
    ]);
    assert.equal(caaDomainsOf({ O: "Example Corp" }), null);
    const setting = (value: string) => loadConfig({ CERTPULSE_CAA_ISSUERS: value }).CERTPULSE_CAA_ISSUERS;
    assert.deepEqual(setting("GoDaddy.com, Inc.=godaddy.com;Acme CA=acme.example,acme2.example"), {
      "godaddy.com, inc.": ["godaddy.com"],
      "acme ca": ["acme.example", "acme2.example"],
    });
    assert.throws(() => setting("no equals sign"), /CERTPULSE_CAA_ISSUERS: must be Organization=domain/);
    assert.equal(judge("x.example", { foundAt: "x.example", records: [] }, [OUR_CA]).allowed, true);
  });
});

describe("caa_mismatch, end to end", () => {
  const env = () => ({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
    CERTPULSE_DNS_SERVERS: dns.address,
    CERTPULSE_CAA_ISSUERS: `CertPulse Test Intermediate=${OUR_CA}`,
  });

  test("a scheduled check raises caa_mismatch (warning) and a webhook receives it", async () => {
    const t = await harness(env());
    const hook = await startReceiver();
    try {
      const api = t.client((await createUser(t.app)).key);
      assert.equal(
        (await api.post("/webhooks", { url: hook.url, event_types: ["caa_mismatch"] })).status,
        201,
      );
      const domain = await api.post("/domains", { hostname: "shop.example.com", port: site.port });
      assert.equal(domain.status, 201);
      await clockedScheduler(t.app).at(days(0));
      const got = await hook.nth(1);
      assert.equal(got.json.data.alert_type, "caa_mismatch");
      assert.equal(got.json.data.severity, "warning");
      assert.match(
        got.json.data.message,
        /comes from CertPulse Test Intermediate \(ca\.test\.example\).*shop\.example\.com: CAA at shop\.example\.com lets only other-ca\.example issue/,
      );
      const ssl = (await api.get(`/domains/${domain.body.id}/ssl`)).body;
      assert.equal(ssl.caa.status, "refused");
      assert.deepEqual(
        ssl.caa.names.map((n: { name: string; allowed: boolean }) => [n.name, n.allowed]),
        [
          ["shop.example.com", false],
          ["www.example.com", true],
        ],
      );
      // CAA is about the renewal: the certificate itself stays valid and its grade untouched.
      assert.equal(ssl.chain_valid, true);
      const graphql = await api.graphql(
        "query ($id: ID!) { domain(id: $id) { latestSslCheck { caa { status issuer caaDomains } } } }",
        { id: domain.body.id },
      );
      assert.deepEqual(graphql.body.data.domain.latestSslCheck.caa, {
        status: "REFUSED",
        issuer: "CertPulse Test Intermediate",
        caaDomains: [OUR_CA],
      });
    } finally {
      await hook.close();
      await t.close();
    }
  });

  test("certpulse check prints the CAA verdict per name", async () => {
    const stdout = await new Promise<string>((resolve) =>
      execFile(
        process.execPath,
        cliArgs("check", `shop.example.com:${site.port}`, "--ssl-only"),
        { env: { ...process.env, ...env() } },
        (_error, out) => resolve(out),
      ),
    );
    assert.match(stdout, /CAA {7}REFUSES CertPulse Test Intermediate \(ca\.test\.example\)\n/);
    assert.match(
      stdout,
      / {4}shop\.example\.com: CAA at shop\.example\.com lets only other-ca\.example issue\n/,
    );
    assert.match(stdout, / {4}www\.example\.com: at example\.com: issue ca\.test\.example\n/);
    assert.match(stdout, /Revoked {3}could not be told: the certificate names no OCSP responder or CRL/);
  });
});
