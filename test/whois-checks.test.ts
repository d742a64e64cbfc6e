// Stored registration checks: GET /domains/{id}/whois reports exactly what each registry answered
// (RDAP full and thin, the gTLD WHOIS chain, four ccTLD formats, and every kind of failure); one
// lookup per registrable domain per refresh across hosts, users and instances; GraphQL history.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { daysUntil } from "../src/lib/days.js";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import * as whois from "./fixtures/whois-answers.js";
import { type Client, createUser, harness, startApp } from "./helpers/app.js";
import {
  bootstrapFile,
  type RdapServer,
  startRdapServer,
  startWhoisServer,
  type WhoisReply,
  type WhoisServer,
} from "./helpers/registry-servers.js";

const SPEC_FIELDS = [
  "id",
  "domain_id",
  "registrar",
  "created_date",
  "expiry_date",
  "days_remaining",
  "dnssec",
  "nameservers",
  "checked_at",
];

let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
let rdap: RdapServer;
const servers: WhoisServer[] = [];

async function whoisServer(answer: (query: string) => WhoisReply) {
  const server = await startWhoisServer(answer);
  servers.push(server);
  return server;
}

before(async () => {
  rdap = await startRdapServer();
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
      registrar: { name: "Gandi SAS", ianaId: "81" },
      created: "2020-03-15T00:00:00Z",
      expires: "2027-03-15T00:00:00Z",
      changed: "2026-02-14T08:00:00Z",
      nameservers: ["ns1.full.com", "ns2.full.com"],
      signed: false,
      status: ["client transfer prohibited"],
    }),
  });
  rdap.route("/net/v1/domain/thin.net", {
    status: 200,
    json: rdapDomain({
      name: "thin.net",
      created: "2019-05-01T12:00:00Z",
      registrarLink: `${rdap.url}/rr/thin.net`,
    }),
  });
  rdap.route("/rr/thin.net", {
    status: 200,
    json: rdapDomain({
      name: "thin.net",
      registrar: { name: "Example Registrar, Inc.", ianaId: "1234" },
      expires: "2028-05-01T12:00:00Z",
      nameservers: ["ns1.thin-dns.net"],
      signed: true,
    }),
  });
  rdap.route("/com/v1/domain/busy.com", { status: 429, headers: { "retry-after": "3600" }, json: {} });
  const shared = rdapDomain({
    name: "shared.com",
    registrar: { name: "Gandi SAS", ianaId: "81" },
    expires: "2027-06-01T00:00:00Z",
    nameservers: ["ns1.shared.com"],
  });
  rdap.route("/com/v1/domain/shared.com", { delayMs: 150, reply: { status: 200, json: shared } });
  rdap.route("/com/v1/domain/twin.com", { delayMs: 300, reply: { status: 200, json: shared } });
  rdap.route("/com/v1/domain/leased.com", { status: 200, json: shared });

  const registrar = await whoisServer((q) => whois.gtldRegistrar(q));
  const registries: Record<string, WhoisServer> = {
    info: await whoisServer((q) => whois.gtldRegistry(q, registrar.address)),
    uk: await whoisServer((q) => whois.nominet(q)),
    de: await whoisServer((q) => (q.includes("frei.de") ? whois.denicFree("frei.de") : whois.denic(q))),
    jp: await whoisServer((q) => whois.jprs(q)),
    fr: await whoisServer((q) => whois.afnic(q)),
    org: await whoisServer(() => ({ hang: true })),
    biz: await whoisServer(() => ({ bytes: 1024 * 1024 })),
    io: await whoisServer(() => whois.rateLimited),
    xyz: await whoisServer(() => "\u0000\u0001\u0002 nothing to see"),
  };
  const iana = await whoisServer((q) => {
    const tld = q.slice(q.lastIndexOf(".") + 1);
    const registry = registries[tld];
    return registry ? whois.ianaReferral(tld, registry.address) : whois.ianaNoWhois(tld);
  });
  t = await harness({
    CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
    CERTPULSE_WHOIS_SERVER: iana.address,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "800",
  });
  api = t.client((await createUser(t.app)).key);
});
after(async () => {
  await t.close();
  await rdap.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function addAndCheck(client: Client, hostname: string) {
  const created = await client.post("/domains", { hostname });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const domain = await t.app.services.db.domain.findUniqueOrThrow({ where: { id: created.body.id } });
  await t.app.services.whoisChecks.run(domain);
  return created.body.id as string;
}

interface Expected {
  registrar: string | null;
  created: string | null;
  expiry: string | null;
  dnssec: boolean | null;
  nameservers: string[];
  source: "rdap" | "whois";
  expiryNote?: RegExp;
}

const REGISTERED: [string, Expected][] = [
  [
    "www.full.com",
    {
      registrar: "Gandi SAS",
      created: "2020-03-15T00:00:00.000Z",
      expiry: "2027-03-15T00:00:00.000Z",
      dnssec: false,
      nameservers: ["ns1.full.com", "ns2.full.com"],
      source: "rdap",
    },
  ],
  [
    "www.thin.net",
    {
      registrar: "Example Registrar, Inc.",
      created: "2019-05-01T12:00:00.000Z",
      expiry: "2028-05-01T12:00:00.000Z",
      dnssec: true,
      nameservers: ["ns1.thin-dns.net"],
      source: "rdap",
    },
  ],
  [
    "www.example.info",
    {
      registrar: "Gandi SAS",
      created: "2020-03-15T00:00:00.000Z",
      expiry: "2027-03-15T00:00:00.000Z",
      dnssec: true,
      nameservers: ["ns1.example-dns.net", "ns2.example-dns.net"],
      source: "whois",
    },
  ],
  [
    "shop.example.co.uk",
    {
      registrar: "Gandi SAS",
      created: "2012-07-04T00:00:00.000Z",
      expiry: "2027-07-04T00:00:00.000Z",
      dnssec: true,
      nameservers: ["ns1.example-dns.co.uk", "ns2.example-dns.co.uk"],
      source: "whois",
    },
  ],
  [
    "www.example.de",
    {
      registrar: null,
      created: null,
      expiry: null,
      dnssec: true,
      nameservers: ["ns1.example-dns.de", "ns2.example-dns.de"],
      source: "whois",
      expiryNote: /the \.de registry does not publish an expiry date/,
    },
  ],
  [
    "www.example.jp",
    {
      registrar: null,
      created: "2001-01-11T00:00:00.000Z",
      expiry: "2027-01-31T00:00:00.000Z",
      dnssec: false,
      nameservers: ["ns1.example-dns.jp", "ns2.example-dns.jp"],
      source: "whois",
    },
  ],
  [
    "www.example.fr",
    {
      registrar: "GANDI",
      created: "2004-03-15T10:00:00.000Z",
      expiry: "2027-03-15T10:00:00.000Z",
      dnssec: null,
      nameservers: ["ns1.example-dns.fr", "ns2.example-dns.fr"],
      source: "whois",
    },
  ],
];

describe("GET /domains/{id}/whois", () => {
  test("404 until a check has run, and for another user's domain", async () => {
    const created = (await api.post("/domains", { hostname: "www.pending.com" })).body;
    const res = await api.get(`/domains/${created.id}/whois`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: "No WHOIS check has run for this domain yet" });
    const other = t.client((await createUser(t.app)).key);
    assert.deepEqual((await other.get(`/domains/${created.id}/whois`)).body, { error: "Domain not found" });
  });

  for (const [hostname, expected] of REGISTERED) {
    test(`reports what the registry said for ${hostname} (${expected.source})`, async () => {
      const id = await addAndCheck(api, hostname);
      const res = await api.get(`/domains/${id}/whois`);
      assert.equal(res.status, 200);
      const body = res.body;
      assert.deepEqual(Object.keys(body).slice(0, SPEC_FIELDS.length), SPEC_FIELDS);
      assert.equal(body.domain_id, id);
      assert.equal(body.registrar, expected.registrar);
      assert.equal(body.created_date, expected.created);
      assert.equal(body.expiry_date, expected.expiry);
      const days = daysUntil(expected.expiry ? new Date(expected.expiry) : null, new Date());
      assert.equal(body.days_remaining, days);
      assert.equal(body.dnssec, expected.dnssec);
      assert.deepEqual(body.nameservers, expected.nameservers);
      assert.equal(body.outcome, "registered");
      assert.equal(body.source, expected.source);
      assert.equal(body.error, null);
      if (expected.expiryNote) assert.match(body.expiry_note, expected.expiryNote);
      else assert.equal(body.expiry_note, null);

      const domain = (await api.get(`/domains/${id}`)).body;
      assert.equal(domain.whois_days_remaining, days);
      assert.equal(domain.status, "valid");
    });
  }

  // A failed lookup is the lookup's state, on the check; the domain is in error only when its
  // registration is gone. (No SSL check runs here: a rate-limited lookup leaves the domain pending.)
  for (const [hostname, outcome, pattern, status] of [
    ["www.nobody.com", "not_registered", /no record of this domain \(RDAP 404\)/, "error"],
    ["www.frei.de", "not_registered", /no record of this domain \(WHOIS\)/, "error"],
    ["www.busy.com", "rate_limited", /rate limiting queries \(HTTP 429\)/, "pending"],
    ["www.example.io", "rate_limited", /WHOIS server is rate limiting/, "pending"],
    ["www.example.org", "timeout", /did not answer within 800 ms/, "valid"],
    ["www.example.biz", "invalid_response", /more than 262144 bytes/, "valid"],
    ["www.example.xyz", "invalid_response", /no registration data/, "valid"],
  ] as const) {
    test(`${outcome}: ${hostname} is a stored check with the reason, not a server error`, async () => {
      const id = await addAndCheck(api, hostname);
      const res = await api.get(`/domains/${id}/whois`);
      assert.equal(res.status, 200);
      assert.equal(res.body.outcome, outcome);
      assert.match(res.body.error, pattern);
      assert.equal(res.body.expiry_date, null);
      assert.equal(res.body.days_remaining, null);
      if (outcome === "rate_limited") assert.ok(res.body.retry_after);
      assert.equal((await api.get(`/domains/${id}`)).body.status, status);
    });
  }
});

describe("one lookup per registrable domain", () => {
  test("hosts under one registrable domain, whoever monitors them, cost one lookup per refresh", async () => {
    const other = t.client((await createUser(t.app)).key);
    const ids = await Promise.all([
      addAndCheck(api, "www.shared.com"),
      addAndCheck(api, "api.shared.com"),
      addAndCheck(other, "shop.shared.com"),
    ]);
    await addAndCheck(api, "mail.shared.com");
    assert.equal(rdap.hits.filter((path) => path === "/com/v1/domain/shared.com").length, 1);
    const checks = await Promise.all(
      ids.map((id, i) => (i === 2 ? other : api).get(`/domains/${id}/whois`).then((r) => r.body)),
    );
    assert.equal(new Set(checks.map((c) => c.id)).size, 1, "one stored check");
    assert.deepEqual(
      checks.map((c) => c.domain_id),
      ids,
    );
    for (const check of checks) assert.equal(check.registrar, "Gandi SAS");
  });

  test("two instances on one database look a domain up once", async () => {
    const second = await startApp(t.database.url, {
      CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
      CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    });
    try {
      const id = (await api.post("/domains", { hostname: "www.twin.com" })).body.id;
      const id2 = (await api.post("/domains", { hostname: "api.twin.com" })).body.id;
      const [a, b] = await Promise.all([
        t.app.services.db.domain.findUniqueOrThrow({ where: { id } }),
        t.app.services.db.domain.findUniqueOrThrow({ where: { id: id2 } }),
      ]);
      await Promise.all([t.app.services.whoisChecks.run(a), second.app.services.whoisChecks.run(b)]);
      assert.equal(rdap.hits.filter((path) => path === "/com/v1/domain/twin.com").length, 1);
      // The instance that looked it up copied the answer onto both domains.
      for (const domainId of [id, id2]) {
        assert.equal((await api.get(`/domains/${domainId}`)).body.whois_days_remaining !== null, true);
      }
    } finally {
      await second.stop();
    }
  });

  test("a crashed instance's claim holds until its lease expires, then the lookup runs", async () => {
    const id = (await api.post("/domains", { hostname: "www.leased.com" })).body.id;
    const domain = await t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
    const lookups = () => rdap.hits.filter((path) => path === "/com/v1/domain/leased.com").length;
    await t.app.services.db.registration.create({
      data: {
        registrableDomain: "leased.com",
        claimedBy: "dead-instance",
        claimExpiresAt: new Date(Date.now() + 60_000),
      },
    });
    assert.equal(await t.app.services.whoisChecks.run(domain), null);
    assert.equal(lookups(), 0);
    const later = new Date(Date.now() + 61_000);
    const check = await t.app.services.whoisChecks.run(domain, { now: later });
    assert.equal(check?.outcome, "registered");
    assert.equal(lookups(), 1);
    const state = await t.app.services.db.registration.findUniqueOrThrow({
      where: { registrableDomain: "leased.com" },
    });
    assert.equal(state.claimedBy, null);
  });

  test("a rate-limited registry is not asked again before its Retry-After, even when forced", async () => {
    const domain = await t.app.services.db.domain.findFirstOrThrow({ where: { hostname: "www.busy.com" } });
    const lookups = () => rdap.hits.filter((path) => path === "/com/v1/domain/busy.com").length;
    const before = lookups();
    await t.app.services.whoisChecks.run(domain, { force: true, now: new Date(Date.now() + 120_000) });
    assert.equal(lookups(), before);
    await t.app.services.whoisChecks.run(domain, { force: true, now: new Date(Date.now() + 3_700_000) });
    assert.equal(lookups(), before + 1);
  });
});

describe("GraphQL", () => {
  test("latestWhoisCheck and paged whoisChecks history, newest first", async () => {
    const domain = await t.app.services.db.domain.findFirstOrThrow({ where: { hostname: "www.full.com" } });
    await t.app.services.whoisChecks.run(domain, { force: true, now: new Date(Date.now() + 120_000) });
    const res = await api.graphql(
      `query ($id: ID!) { domain(id: $id) {
        latestWhoisCheck { id domainId registrableDomain outcome source registrar registrarIanaId expiryDate daysRemaining dnssec nameservers statuses }
        whoisChecks(perPage: 1) { data { id checkedAt } pagination { page perPage total totalPages } }
      } }`,
      { id: domain.id },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const { latestWhoisCheck: latest, whoisChecks } = res.body.data.domain;
    assert.equal(latest.domainId, domain.id);
    assert.equal(latest.registrableDomain, "full.com");
    assert.equal(latest.outcome, "REGISTERED");
    assert.equal(latest.source, "RDAP");
    assert.equal(latest.registrarIanaId, "81");
    assert.deepEqual(latest.statuses, ["client transfer prohibited"]);
    assert.deepEqual(whoisChecks.pagination, { page: 1, perPage: 1, total: 2, totalPages: 2 });
    assert.equal(whoisChecks.data[0].id, latest.id);
  });
});
