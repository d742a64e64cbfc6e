// REST /api/v1/domains as ssltrackr-api.txt writes it: shapes, defaults, limits, messages, paging.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86_400_000;

let t: Awaited<ReturnType<typeof harness>>;
let api: Client;

before(async () => {
  t = await harness();
  api = t.client((await createUser(t.app)).key);
});
after(() => t.close());

describe("POST /domains", () => {
  test("creates with the spec's fields and defaults, 201", async () => {
    const res = await api.post("/domains", { hostname: "Create-Defaults.Example.COM" });
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const d = res.body;
    assert.deepEqual(Object.keys(d), [
      "id",
      "hostname",
      "port",
      "is_active",
      "ssl_grade",
      "ssl_days_remaining",
      "whois_days_remaining",
      "notes",
      "tags",
      "created_at",
      "updated_at",
      "status",
      "address",
      "alert_days",
      "service_id",
      "notification_channels",
      "number",
      "http_path",
      "proxy",
      "start_tls",
    ]);
    assert.match(d.id, UUID);
    assert.deepEqual([d.number, d.http_path, d.proxy, d.start_tls], [1, "/", null, null]);
    assert.equal(d.hostname, "create-defaults.example.com");
    assert.equal(d.port, 443);
    assert.equal(d.is_active, true);
    assert.equal(d.notes, null);
    assert.deepEqual(d.tags, []);
    assert.equal(d.ssl_grade, null);
    assert.equal(d.ssl_days_remaining, null);
    assert.equal(d.whois_days_remaining, null);
    assert.match(d.created_at, ISO_MS);
    assert.match(d.updated_at, ISO_MS);
    assert.equal(d.status, "pending");
    assert.equal(d.alert_days, null);
  });

  test("keeps port, notes and tags as sent", async () => {
    const res = await api.post("/domains", {
      hostname: "example.com",
      port: 8443,
      notes: "Production server",
      tags: ["production", "web"],
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.port, 8443);
    assert.equal(res.body.notes, "Production server");
    assert.deepEqual(res.body.tags, ["production", "web"]);
  });

  test("stores IDNs as punycode and drops a trailing dot", async () => {
    const idn = await api.post("/domains", { hostname: "bücher.example" });
    assert.equal(idn.status, 201);
    assert.equal(idn.body.hostname, "xn--bcher-kva.example");
    const dotted = await api.post("/domains", { hostname: "dotted.example.org." });
    assert.equal(dotted.body.hostname, "dotted.example.org");
  });

  test("409 for the same hostname and port, in any case; another port is a new domain", async () => {
    await api.post("/domains", { hostname: "dup.example.com" });
    const again = await api.post("/domains", { hostname: "DUP.example.com", port: 443 });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { error: "This domain is already being monitored" });
    const otherPort = await api.post("/domains", { hostname: "dup.example.com", port: 8443 });
    assert.equal(otherPort.status, 201);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["missing hostname", {}, /hostname is required/],
    ["hostname not a string", { hostname: 42 }, /hostname/],
    ["single label", { hostname: "localhost" }, /fully-qualified/],
    ["URL instead of hostname", { hostname: "https://example.com/" }, /fully-qualified/],
    ["label too long", { hostname: `${"a".repeat(64)}.com` }, /fully-qualified/],
    ["underscore", { hostname: "bad_name.example.com" }, /fully-qualified/],
    ["IP address", { hostname: "192.0.2.1" }, /fully-qualified/],
    ["port 0", { hostname: "p.example.com", port: 0 }, /port must be an integer between 1 and 65535/],
    ["port 65536", { hostname: "p.example.com", port: 65536 }, /port must be an integer between 1 and 65535/],
    ["port as string", { hostname: "p.example.com", port: "443" }, /port/],
    ["port fractional", { hostname: "p.example.com", port: 443.5 }, /port/],
    ["notes 501 chars", { hostname: "n.example.com", notes: "x".repeat(501) }, /notes must be at most 500/],
    [
      "11 tags",
      { hostname: "t.example.com", tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      /10 tags/,
    ],
    ["tag of 51 chars", { hostname: "t.example.com", tags: ["x".repeat(51)] }, /1-50 characters/],
    ["tags not an array of strings", { hostname: "t.example.com", tags: [1, 2] }, /tags/],
    ["unknown field", { hostname: "u.example.com", colour: "red" }, /Unknown field: colour/],
    ["bad address", { hostname: "a.example.com", address: "not-an-ip" }, /address/],
    ["alert_days out of range", { hostname: "a.example.com", alert_days: [0] }, /alert_days/],
  ];
  for (const [name, body, message] of invalid) {
    test(`400 and nothing stored: ${name}`, async () => {
      const before = await api.get("/domains?per_page=100");
      const res = await api.post("/domains", body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ["error"]);
      assert.match(res.body.error, message);
      const afterwards = await api.get("/domains?per_page=100");
      assert.equal(afterwards.body.pagination.total, before.body.pagination.total);
    });
  }

  test("notes of exactly 500 characters and 10 tags of 50 are accepted", async () => {
    const res = await api.post("/domains", {
      hostname: "limits.example.com",
      notes: "n".repeat(500),
      tags: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(50, "x")),
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.tags.length, 10);
  });
});

describe("GET, PUT, DELETE /domains/{id}", () => {
  test("GET returns the domain; unknown or malformed ids are 404", async () => {
    const created = (await api.post("/domains", { hostname: "get.example.com", notes: "hi" })).body;
    const res = await api.get(`/domains/${created.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, created);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const missing = await api.get(`/domains/${id}`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { error: "Domain not found" });
    }
  });

  test("PUT changes only the fields sent and moves updated_at", async () => {
    const created = (
      await api.post("/domains", { hostname: "put.example.com", notes: "Production", tags: ["production"] })
    ).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await api.put(`/domains/${created.id}`, { is_active: false, notes: "Deprecated server" });
    assert.equal(res.status, 200);
    assert.equal(res.body.is_active, false);
    assert.equal(res.body.notes, "Deprecated server");
    assert.deepEqual(res.body.tags, ["production"]);
    assert.equal(res.body.hostname, "put.example.com");
    assert.equal(res.body.created_at, created.created_at);
    assert.ok(res.body.updated_at > created.updated_at);
    const cleared = await api.put(`/domains/${created.id}`, { notes: null, alert_days: [21, 7, 7] });
    assert.equal(cleared.body.notes, null);
    assert.deepEqual(cleared.body.alert_days, [21, 7]);
    const reset = await api.put(`/domains/${created.id}`, { alert_days: null });
    assert.equal(reset.body.alert_days, null);
  });

  test("PUT to another monitored hostname and port is 409; bad input is 400 and changes nothing", async () => {
    await api.post("/domains", { hostname: "taken.example.com" });
    const mine = (await api.post("/domains", { hostname: "mine.example.com" })).body;
    const clash = await api.put(`/domains/${mine.id}`, { hostname: "taken.example.com" });
    assert.equal(clash.status, 409);
    assert.deepEqual(clash.body, { error: "This domain is already being monitored" });
    for (const body of [{ port: 70000 }, { is_active: "yes" }, { hostname: "" }, { tags: "web" }]) {
      const bad = await api.put(`/domains/${mine.id}`, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
    }
    assert.deepEqual((await api.get(`/domains/${mine.id}`)).body, mine);
  });

  test("changing the target clears the old check summary", async () => {
    const created = (await api.post("/domains", { hostname: "moved.example.com" })).body;
    await t.app.services.db.domain.update({
      where: { id: created.id },
      data: { sslGrade: "A", sslValidTo: new Date(Date.now() + 40 * DAY), sslCheckedAt: new Date() },
    });
    assert.equal((await api.get(`/domains/${created.id}`)).body.ssl_grade, "A");
    const notesOnly = await api.put(`/domains/${created.id}`, { notes: "same target" });
    assert.equal(notesOnly.body.ssl_grade, "A");
    const moved = await api.put(`/domains/${created.id}`, { port: 8443 });
    assert.equal(moved.body.ssl_grade, null);
    assert.equal(moved.body.ssl_days_remaining, null);
    assert.equal(moved.body.status, "pending");
  });

  test("PUT and DELETE of an unknown domain are 404", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    assert.deepEqual((await api.put(`/domains/${id}`, { notes: "x" })).body, { error: "Domain not found" });
    const res = await api.delete(`/domains/${id}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: "Domain not found" });
  });

  test("DELETE answers the spec's message, then the domain is gone", async () => {
    const created = (await api.post("/domains", { hostname: "delete.example.com" })).body;
    const res = await api.delete(`/domains/${created.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { message: "Domain deleted" });
    assert.equal((await api.get(`/domains/${created.id}`)).status, 404);
    assert.equal((await api.delete(`/domains/${created.id}`)).status, 404);
  });
});

describe("GET /domains", () => {
  let list: Client;
  const now = Date.now();
  // hostname → days until certificate expiry and registration expiry, and the status to seed.
  const seeded: Record<string, { ssl: number | null; whois: number | null; tags: string[] }> = {
    "alpha.example.com": { ssl: 80, whois: 300, tags: ["production"] },
    "bravo.example.com": { ssl: 20, whois: 100, tags: [] },
    "charlie.example.net": { ssl: 5, whois: 40, tags: ["staging"] },
    "delta.example.org": { ssl: -3, whois: 200, tags: [] },
    "echo.example.com": { ssl: null, whois: null, tags: [] },
    "foxtrot.example.com": { ssl: 60, whois: 5, tags: [] },
  };
  const ids: Record<string, string> = {};

  before(async () => {
    list = t.client((await createUser(t.app)).key);
    for (const [hostname, spec] of Object.entries(seeded)) {
      const res = await list.post("/domains", { hostname, tags: spec.tags });
      assert.equal(res.status, 201);
      ids[hostname] = res.body.id;
      if (spec.ssl === null) continue;
      const sslValidTo = new Date(now + spec.ssl * DAY + 3_600_000);
      const whoisExpiresAt = new Date(now + (spec.whois ?? 0) * DAY + 3_600_000);
      const expiresAt = sslValidTo < whoisExpiresAt ? sslValidTo : whoisExpiresAt;
      await t.app.services.db.domain.update({
        where: { id: res.body.id },
        data: {
          sslGrade: spec.ssl < 0 ? "T" : "A",
          sslValidTo,
          sslCheckedAt: new Date(),
          whoisExpiresAt,
          whoisCheckedAt: new Date(),
          expiresAt,
          criticalAt: new Date(expiresAt.getTime() - 7 * DAY),
          warningAt: new Date(expiresAt.getTime() - 30 * DAY),
        },
      });
    }
    // An unreachable endpoint: checked with an error and no dates.
    const broken = await list.post("/domains", { hostname: "golf.example.com" });
    ids["golf.example.com"] = broken.body.id;
    await t.app.services.db.domain.update({
      where: { id: broken.body.id },
      data: { hasError: true, sslError: "connect ECONNREFUSED", sslCheckedAt: new Date() },
    });
  });

  const hostnames = (res: { body: { data: { hostname: string }[] } }) => res.body.data.map((d) => d.hostname);

  test("defaults: page 1, 20 per page, newest first, the spec's item fields", async () => {
    const res = await list.get("/domains");
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ["data", "pagination"]);
    assert.deepEqual(res.body.pagination, { page: 1, per_page: 20, total: 7, total_pages: 1 });
    assert.deepEqual(Object.keys(res.body.data[0]), [
      "id",
      "hostname",
      "port",
      "is_active",
      "ssl_grade",
      "ssl_days_remaining",
      "whois_days_remaining",
      "tags",
      "created_at",
      "status",
    ]);
    assert.equal(hostnames(res)[0], "golf.example.com");
    const alpha = res.body.data.find((d: { hostname: string }) => d.hostname === "alpha.example.com");
    assert.equal(alpha.ssl_days_remaining, 80);
    assert.equal(alpha.whois_days_remaining, 300);
    assert.equal(alpha.ssl_grade, "A");
    assert.deepEqual(alpha.tags, ["production"]);
  });

  test("pagination arithmetic", async () => {
    const page1 = await list.get("/domains?per_page=3&sort=hostname&order=asc");
    assert.deepEqual(page1.body.pagination, { page: 1, per_page: 3, total: 7, total_pages: 3 });
    assert.deepEqual(hostnames(page1), ["alpha.example.com", "bravo.example.com", "charlie.example.net"]);
    const page3 = await list.get("/domains?per_page=3&page=3&sort=hostname&order=asc");
    assert.deepEqual(hostnames(page3), ["golf.example.com"]);
    const beyond = await list.get("/domains?per_page=3&page=4");
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body.data, []);
    assert.deepEqual(beyond.body.pagination, { page: 4, per_page: 3, total: 7, total_pages: 3 });
    const max = await list.get("/domains?per_page=100");
    assert.equal(max.body.pagination.per_page, 100);
  });

  test("invalid paging and filter values are 400", async () => {
    const cases: [string, RegExp][] = [
      ["per_page=0", /per_page must be between 1 and 100/],
      ["per_page=101", /per_page must be between 1 and 100/],
      ["page=0", /page must be a positive integer/],
      ["page=abc", /page/],
      ["status=broken", /status/],
      ["sort=colour", /sort/],
      ["order=sideways", /order/],
    ];
    for (const [query, message] of cases) {
      const res = await list.get(`/domains?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.body.error, message, query);
    }
  });

  test("search matches part of the hostname, case-insensitively", async () => {
    assert.deepEqual(hostnames(await list.get("/domains?search=EXAMPLE.NET")), ["charlie.example.net"]);
    const com = await list.get("/domains?search=.com&sort=hostname&order=asc");
    assert.deepEqual(hostnames(com), [
      "alpha.example.com",
      "bravo.example.com",
      "echo.example.com",
      "foxtrot.example.com",
      "golf.example.com",
    ]);
    assert.equal(com.body.pagination.total, 5);
    assert.deepEqual((await list.get("/domains?search=zzz")).body.data, []);
    // LIKE wildcards are literal characters, not patterns.
    assert.deepEqual((await list.get("/domains?search=%25")).body.data, []);
    assert.deepEqual((await list.get("/domains?search=_")).body.data, []);
  });

  test("sorts by hostname, days remaining and creation, both orders", async () => {
    const byHost = hostnames(await list.get("/domains?sort=hostname&order=desc"));
    assert.deepEqual(byHost, [...byHost].sort().reverse());
    const sslAsc = hostnames(await list.get("/domains?sort=ssl_days_remaining&order=asc"));
    assert.deepEqual(sslAsc.slice(0, 5), [
      "delta.example.org",
      "charlie.example.net",
      "bravo.example.com",
      "foxtrot.example.com",
      "alpha.example.com",
    ]);
    // Domains without a certificate date come last in either order (among themselves, by id).
    assert.deepEqual(sslAsc.slice(5).sort(), ["echo.example.com", "golf.example.com"]);
    const sslDesc = hostnames(await list.get("/domains?sort=ssl_days_remaining&order=desc"));
    assert.deepEqual(sslDesc.slice(0, 5), [
      "alpha.example.com",
      "foxtrot.example.com",
      "bravo.example.com",
      "charlie.example.net",
      "delta.example.org",
    ]);
    assert.deepEqual(sslDesc.slice(5).sort(), ["echo.example.com", "golf.example.com"]);
    assert.deepEqual(hostnames(await list.get("/domains?sort=whois_days_remaining&order=asc")).slice(0, 5), [
      "foxtrot.example.com",
      "charlie.example.net",
      "bravo.example.com",
      "delta.example.org",
      "alpha.example.com",
    ]);
    const oldest = hostnames(await list.get("/domains?sort=created_at&order=asc"));
    assert.deepEqual(oldest, [...Object.keys(seeded), "golf.example.com"]);
  });

  test("status filter and the status each domain reports", async () => {
    const statusOf = async (status: string) =>
      hostnames(await list.get(`/domains?status=${status}&sort=hostname&order=asc`));
    assert.deepEqual(await statusOf("valid"), ["alpha.example.com"]);
    assert.deepEqual(await statusOf("warning"), ["bravo.example.com"]);
    assert.deepEqual(await statusOf("critical"), ["charlie.example.net", "foxtrot.example.com"]);
    assert.deepEqual(await statusOf("expired"), ["delta.example.org"]);
    assert.deepEqual(await statusOf("error"), ["golf.example.com"]);
    assert.deepEqual(await statusOf("pending"), ["echo.example.com"]);
    assert.equal((await list.get("/domains?status=all")).body.pagination.total, 7);
    assert.equal((await list.get("/domains?status=CRITICAL")).body.pagination.total, 2);
    const all = (await list.get("/domains?per_page=100")).body.data;
    const reported = Object.fromEntries(
      all.map((d: { hostname: string; status: string }) => [d.hostname, d.status]),
    );
    assert.equal(reported["delta.example.org"], "expired");
    assert.equal(reported["golf.example.com"], "error");
    const critical = await list.get("/domains?status=critical&search=foxtrot&per_page=1");
    assert.deepEqual(critical.body.pagination, { page: 1, per_page: 1, total: 1, total_pages: 1 });
  });
});

describe("routing", () => {
  test("unknown paths are 404 and wrong methods 405 with Allow", async () => {
    const missing = await api.get("/nothing-here");
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: "Not found" });
    const wrong = await api.request("PATCH", "/api/v1/domains");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET, POST");
  });

  test("a trailing slash reaches the same route", async () => {
    const res = await api.get("/domains/");
    assert.equal(res.status, 200);
  });
});

describe("service_id and notification_channels", () => {
  test("set on create and update, read back, only the caller's webhooks, cleared with []", async () => {
    const hook = await api.post("/webhooks", { url: "https://hooks.example.com/certpulse" });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const stranger = t.client((await createUser(t.app)).key);
    const theirs = (await stranger.post("/webhooks", { url: "https://hooks.example.com/theirs" })).body.id;

    const created = await api.post("/domains", {
      hostname: "channels.example.com",
      service_id: "svc_42",
      notification_channels: [hook.body.id],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      [created.body.service_id, created.body.notification_channels],
      ["svc_42", [hook.body.id]],
    );

    const refused = await api.put(`/domains/${created.body.id}`, { notification_channels: [theirs] });
    assert.deepEqual(
      [refused.status, refused.body.error],
      [400, `notification_channels: no webhook ${theirs}`],
    );
    const cleared = await api.put(`/domains/${created.body.id}`, {
      notification_channels: [],
      service_id: null,
    });
    assert.equal(cleared.status, 200);
    assert.deepEqual([cleared.body.service_id, cleared.body.notification_channels], [null, []]);
    const plain = await api.post("/domains", { hostname: "no-channels.example.com" });
    assert.deepEqual([plain.body.service_id, plain.body.notification_channels], [null, []]);
  });
});

describe("small integer ids", () => {
  test("each user's domains are numbered 1, 2, 3…, concurrent creates included; the number serves as the id", async () => {
    const user = await createUser(t.app);
    const other = await createUser(t.app);
    const api = t.client(user.key);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.post("/domains", { hostname: `n${i}.numbers.example.com` })),
    );
    assert.ok(created.every((res) => res.status === 201));
    const numbers = created.map((res) => res.body.number).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    // A refused create (a duplicate) hands out no number.
    assert.equal((await api.post("/domains", { hostname: "n0.numbers.example.com" })).status, 409);
    assert.equal((await api.post("/domains", { hostname: "n12.numbers.example.com" })).body.number, 13);
    // Another user counts from 1, and cannot reach this user's domains by number.
    const theirs = await t.client(other.key).post("/domains", { hostname: "mine.numbers.example.com" });
    assert.equal(theirs.body.number, 1);
    const first = created.find((res) => res.body.number === 1)!.body;
    assert.equal((await t.client(other.key).get("/domains/1")).body.hostname, "mine.numbers.example.com");
    assert.equal((await api.get("/domains/1")).body.id, first.id);
    assert.equal((await api.put("/domains/1", { notes: "by number" })).body.notes, "by number");
    assert.equal((await api.delete("/domains/1")).status, 200);
    assert.equal((await api.get(`/domains/${first.id}`)).status, 404);
  });
});
