// The registration probe against local registries: RDAP from a bootstrap file (full, thin with a
// registrar link, 404, 429, hung, garbage, oversized), and WHOIS by referral when RDAP has nothing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { daysUntil } from "../src/lib/days.js";
import { parseServer } from "../src/lib/whois-server.js";
import { createHttpClient, type HttpClient } from "../src/probes/net/http-client.js";
import { RdapBootstrap } from "../src/probes/registration/rdap-bootstrap.js";
import {
  probeRegistration,
  type RegistrationProbeOptions,
} from "../src/probes/registration/registration-probe.js";
import { createWhoisClient } from "../src/probes/registration/whois-client.js";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import * as whois from "./fixtures/whois-answers.js";
import {
  bootstrapFile,
  type RdapServer,
  startRdapServer,
  startWhoisServer,
  type WhoisServer,
} from "./helpers/registry-servers.js";

const TIMEOUT_MS = 700;
let rdap: RdapServer;
let iana: WhoisServer;
let registry: WhoisServer;
let registrar: WhoisServer;
let http: HttpClient;
let options: RegistrationProbeOptions;

const GANDI = { name: "Gandi SAS", ianaId: "81" };

before(async () => {
  rdap = await startRdapServer();
  registrar = await startWhoisServer((q) => whois.gtldRegistrar(q));
  registry = await startWhoisServer((q) =>
    q === "free.info" ? whois.verisignNoMatch(q) : whois.gtldRegistry(q, registrar.address),
  );
  iana = await startWhoisServer((q) => {
    const tld = q.slice(q.lastIndexOf(".") + 1);
    return tld === "info" || tld === "com"
      ? whois.ianaReferral(tld, registry.address)
      : whois.ianaNoWhois(tld);
  });
  rdap.route("/dns.json", {
    status: 200,
    json: bootstrapFile([
      [["com"], [`${rdap.url}/com/v1/`]],
      [["net"], [`${rdap.url}/net/v1/`]],
    ]),
  });
  rdap.route("/com/v1/domain/full.com", {
    status: 200,
    json: rdapDomain({
      name: "full.com",
      registrar: GANDI,
      created: "2020-03-15T00:00:00Z",
      expires: "2027-03-15T00:00:00Z",
      changed: "2026-02-14T08:00:00Z",
      nameservers: ["ns1.full.com", "NS2.FULL.COM."],
      signed: true,
      status: ["client transfer prohibited"],
    }),
  });
  // A thin registry: dates only, and a link to the registrar's RDAP service for the rest.
  rdap.route("/net/v1/domain/thin.net", {
    status: 200,
    json: rdapDomain({
      name: "thin.net",
      created: "2019-05-01T12:00:00Z",
      changed: "2026-01-02T03:04:05Z",
      status: ["active"],
      registrarLink: `${rdap.url}/registrar/domain/thin.net`,
    }),
  });
  rdap.route("/registrar/domain/thin.net", {
    status: 200,
    json: rdapDomain({
      name: "thin.net",
      registrar: { name: "Example Registrar, Inc.", ianaId: "1234" },
      created: "2019-05-01T12:00:00Z",
      expires: "2028-05-01T12:00:00Z",
      nameservers: ["ns1.thin-dns.net", "ns2.thin-dns.net"],
      signed: false,
    }),
  });
  rdap.route("/com/v1/domain/busy.com", {
    status: 429,
    headers: { "retry-after": "120" },
    json: { errorCode: 429 },
  });
  rdap.route("/com/v1/domain/hung.com", { hang: true });
  rdap.route("/com/v1/domain/garbage.com", { status: 200, text: "<html>Service Unavailable</html>" });
  rdap.route("/com/v1/domain/notdomain.com", {
    status: 200,
    json: { objectClassName: "entity", handle: "X" },
  });
  rdap.route("/com/v1/domain/huge.com", { bytes: 2 * 1024 * 1024 });
  rdap.route("/com/v1/domain/broken.com", { status: 503, json: { errorCode: 503 } });

  const guard = { allowPrivate: true, timeoutMs: TIMEOUT_MS };
  http = createHttpClient({ ...guard, maxBytes: 1024 * 1024 });
  options = {
    rdap: { http, bootstrap: new RdapBootstrap({ url: `${rdap.url}/dns.json`, http }) },
    whois: {
      query: createWhoisClient({ ...guard, maxBytes: 64 * 1024 }),
      firstServer: parseServer(iana.address)!,
    },
  };
});
after(async () => {
  await http.close();
  await Promise.all([rdap.close(), iana.close(), registry.close(), registrar.close()]);
});

describe("RDAP", () => {
  test("a full registry answer: registrar, IANA id, dates, DNSSEC, name servers, statuses", async () => {
    const result = await probeRegistration("full.com", options);
    assert.equal(result.outcome, "registered");
    assert.equal(result.source, "rdap");
    assert.equal(result.server, `${rdap.url}/com/v1/domain/full.com`);
    assert.equal(result.registrar, "Gandi SAS");
    assert.equal(result.registrarIanaId, "81");
    assert.equal(result.createdDate?.toISOString(), "2020-03-15T00:00:00.000Z");
    assert.equal(result.expiryDate?.toISOString(), "2027-03-15T00:00:00.000Z");
    assert.equal(result.updatedDate?.toISOString(), "2026-02-14T08:00:00.000Z");
    assert.equal(daysUntil(result.expiryDate, new Date("2026-11-23T00:00:00Z")), 112);
    assert.equal(result.dnssec, true);
    assert.deepEqual(result.nameservers, ["ns1.full.com", "ns2.full.com"]);
    assert.deepEqual(result.statuses, ["client transfer prohibited"]);
    assert.equal(result.error, null);
  });

  test("a thin registry answer is completed from the registrar's RDAP link", async () => {
    const result = await probeRegistration("thin.net", options);
    assert.equal(result.outcome, "registered");
    assert.equal(result.registrar, "Example Registrar, Inc.");
    assert.equal(result.registrarIanaId, "1234");
    assert.equal(result.createdDate?.toISOString(), "2019-05-01T12:00:00.000Z");
    assert.equal(result.expiryDate?.toISOString(), "2028-05-01T12:00:00.000Z");
    assert.equal(result.updatedDate?.toISOString(), "2026-01-02T03:04:05.000Z", "the registry's word wins");
    assert.equal(result.dnssec, false);
    assert.deepEqual(result.nameservers, ["ns1.thin-dns.net", "ns2.thin-dns.net"]);
    assert.deepEqual(result.statuses, ["active"]);
    assert.ok(rdap.hits.includes("/registrar/domain/thin.net"));
  });

  test("404 means not registered, and WHOIS is not asked", async () => {
    const asked = registry.queries.length + iana.queries.length;
    const result = await probeRegistration("nobody.com", options);
    assert.equal(result.outcome, "not_registered");
    assert.match(result.error ?? "", /no record/);
    assert.equal(result.expiryDate, null);
    assert.equal(registry.queries.length + iana.queries.length, asked);
  });

  test("429 is rate limiting: retry after the time the registry gives, without asking WHOIS", async () => {
    const before = Date.now();
    const result = await probeRegistration("busy.com", options);
    assert.equal(result.outcome, "rate_limited");
    assert.ok(result.retryAfter);
    const wait = result.retryAfter.getTime() - before;
    assert.ok(wait >= 119_000 && wait <= 121_000 + TIMEOUT_MS, `retry in ${wait} ms`);
    assert.ok(!iana.queries.includes("busy.com"));
  });

  for (const [name, outcome, pattern] of [
    ["hung.com", "timeout", /did not answer within 700 ms/],
    ["garbage.com", "invalid_response", /not JSON/],
    ["notdomain.com", "invalid_response", /not a domain object/],
    ["huge.com", "invalid_response", /more than 1048576 bytes/],
    ["broken.com", "server_error", /HTTP 503/],
  ] as const) {
    test(`RDAP ${outcome} (${name}) falls back to WHOIS, and says why when WHOIS fails too`, async () => {
      const result = await probeRegistration(name, options);
      // IANA refers .com to the gTLD registry, which answers for any name: the fallback worked.
      assert.equal(result.outcome, "registered");
      assert.equal(result.source, "whois");
      assert.equal(result.registrar, "Gandi SAS");

      const noWhois: RegistrationProbeOptions = {
        ...options,
        whois: { ...options.whois, firstServer: { host: "127.0.0.1", port: 9 } },
      };
      const failed = await probeRegistration(name, noWhois);
      assert.equal(failed.outcome, "unreachable");
      assert.match(failed.error ?? "", pattern);
      assert.match(failed.error ?? "", /WHOIS: WHOIS server 127\.0\.0\.1:9: connection refused/);
    });
  }

  test("a private RDAP server is refused unless private targets are allowed", async () => {
    const guarded = createHttpClient({ allowPrivate: false, timeoutMs: TIMEOUT_MS, maxBytes: 1024 });
    try {
      const result = await probeRegistration("full.com", {
        rdap: { http: guarded, bootstrap: new RdapBootstrap({ url: `${rdap.url}/dns.json`, http: guarded }) },
        whois: {
          ...options.whois,
          query: createWhoisClient({ allowPrivate: false, timeoutMs: TIMEOUT_MS, maxBytes: 1024 }),
        },
      });
      assert.equal(result.outcome, "unreachable");
      assert.match(result.error ?? "", /not a public address \(loopback\)/);
    } finally {
      await guarded.close();
    }
  });
});

test("servers named by hostname resolve through the hosts file, behind the same guard", async () => {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-registry-"));
  const hostsFile = join(dir, "hosts");
  writeFileSync(hostsFile, "127.0.0.1 rdap.registry.test whois.registry.test\n");
  const port = (url: string) => new URL(url).port;
  const named = (allowPrivate: boolean): RegistrationProbeOptions => {
    const guard = { allowPrivate, hostsFile, timeoutMs: TIMEOUT_MS };
    const client = createHttpClient({ ...guard, maxBytes: 1024 * 1024 });
    return {
      rdap: {
        http: client,
        bootstrap: new RdapBootstrap({
          url: `http://rdap.registry.test:${port(rdap.url)}/dns.json`,
          http: client,
        }),
      },
      whois: {
        query: createWhoisClient({ ...guard, maxBytes: 64 * 1024 }),
        firstServer: { host: "whois.registry.test", port: iana.port },
      },
    };
  };
  const allowed = named(true);
  const refused = named(false);
  try {
    assert.equal((await probeRegistration("full.com", allowed)).registrar, "Gandi SAS");
    assert.equal((await probeRegistration("byname.info", allowed)).source, "whois");
    const result = await probeRegistration("full.com", refused);
    assert.equal(result.outcome, "unreachable");
    assert.match(result.error ?? "", /RDAP: .*rdap\.registry\.test resolves to 127\.0\.0\.1 \(loopback\)/);
    assert.match(result.error ?? "", /WHOIS: .*whois\.registry\.test resolves to 127\.0\.0\.1 \(loopback\)/);
  } finally {
    await Promise.all([allowed.rdap.http.close(), refused.rdap.http.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("RDAP bootstrap registry", () => {
  test("fetched once, refreshed when old, and the stale copy used when a refresh fails", async () => {
    const server = await startRdapServer();
    let now = new Date("2026-11-23T00:00:00Z");
    let available = true;
    let tlds = ["com"];
    server.route("/dns.json", () =>
      available
        ? { status: 200, json: bootstrapFile([[tlds, ["https://rdap.example/"]]]) }
        : { status: 500, text: "down" },
    );
    const bootstrap = new RdapBootstrap({
      url: `${server.url}/dns.json`,
      http,
      refreshMs: 3_600_000,
      retryMs: 60_000,
      now: () => now,
    });
    try {
      assert.deepEqual(await bootstrap.baseUrlsFor("a.com"), ["https://rdap.example/"]);
      assert.deepEqual(await bootstrap.baseUrlsFor("b.com"), ["https://rdap.example/"]);
      assert.equal(await bootstrap.baseUrlsFor("a.org"), null);
      assert.equal(server.hits.length, 1, "cached");

      now = new Date(now.getTime() + 3_600_000);
      available = false;
      assert.deepEqual(await bootstrap.baseUrlsFor("a.com"), ["https://rdap.example/"], "stale copy");
      assert.equal(server.hits.length, 2);
      await bootstrap.baseUrlsFor("a.com");
      assert.equal(server.hits.length, 2, "no retry before retryMs");

      now = new Date(now.getTime() + 60_000);
      available = true;
      tlds = ["com", "org"];
      assert.deepEqual(await bootstrap.baseUrlsFor("a.org"), ["https://rdap.example/"], "refreshed");
      assert.equal(server.hits.length, 3);
    } finally {
      await server.close();
    }
  });

  test("no copy at all: RDAP is unavailable and WHOIS answers", async () => {
    const result = await probeRegistration("other.info", {
      ...options,
      rdap: { http, bootstrap: new RdapBootstrap({ url: "http://127.0.0.1:9/dns.json", http }) },
    });
    assert.equal(result.outcome, "registered");
    assert.equal(result.source, "whois");
  });
});

describe("WHOIS", () => {
  test("IANA refers to the registry, the registry to the registrar; each asked once", async () => {
    const counts = () =>
      [iana, registry, registrar].map((s) => s.queries.filter((q) => q === "example.info").length);
    const result = await probeRegistration("example.info", options);
    assert.deepEqual(counts(), [1, 1, 1]);
    assert.equal(result.outcome, "registered");
    assert.equal(result.source, "whois");
    assert.equal(result.server, registry.address);
    assert.equal(result.registrar, "Gandi SAS", "the registry's name, not the registrar's spelling");
    assert.equal(result.registrarIanaId, "81");
    assert.equal(result.createdDate?.toISOString(), "2020-03-15T00:00:00.000Z");
    assert.equal(result.expiryDate?.toISOString(), "2027-03-15T00:00:00.000Z");
    assert.equal(result.dnssec, true);
    assert.deepEqual(result.nameservers, ["ns1.example-dns.net", "ns2.example-dns.net"]);
    assert.deepEqual(result.statuses, ["clientTransferProhibited", "clientUpdateProhibited"]);
  });

  test("a registry's 'No match' is not registered", async () => {
    const result = await probeRegistration("free.info", options);
    assert.equal(result.outcome, "not_registered");
    assert.equal(result.source, "whois");
  });

  test("a TLD with neither RDAP nor WHOIS is unsupported", async () => {
    const result = await probeRegistration("example.zz", options);
    assert.equal(result.outcome, "unsupported");
    assert.match(result.error ?? "", /no RDAP service is listed for \.zz.*names no WHOIS server for \.zz/);
  });
});
