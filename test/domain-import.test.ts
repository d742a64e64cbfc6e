// Bulk import and export: CSV, JSON and plain lists through REST and GraphQL, dry runs, per-line
// verdicts, all-or-nothing unless bad lines are skipped, the monitor limit, spread first checks,
// and an export that imports back unchanged.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { FIRST_CHECK_SPACING_MS } from "../src/domains/domain-import.service.js";
import { type Client, createUser, harness } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;

before(async () => {
  t = await harness();
});
after(() => t.close());

async function newUser(monitorLimit?: number): Promise<{ api: Client; userId: string; readKey: string }> {
  const user = await createUser(t.app, { monitorLimit });
  return { api: t.client(user.key), userId: user.userId, readKey: user.readKey };
}

const upload = (api: Client, content: string, contentType: string, query = "") =>
  api.request("POST", `/api/v1/domains/import${query}`, {
    raw: content,
    headers: { "content-type": contentType },
  });

const hostnames = async (api: Client) =>
  ((await api.get("/domains?per_page=100")).body.data as { hostname: string; port: number }[])
    .map((d) => `${d.hostname}:${d.port}`)
    .sort();

describe("POST /domains/import", () => {
  test("a plain list of host, host:port and https URLs: per-line results, 200, and the domains exist", async () => {
    const { api } = await newUser();
    const list = [
      "# production",
      "alpha.example.com",
      "",
      "beta.example.com:8443",
      "https://Gamma.Example.com:9443/login?x=1",
      "https://delta.example.com/",
    ].join("\n");
    const res = await upload(api, list, "text/plain");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.applied, true);
    assert.equal(res.body.dry_run, false);
    assert.equal(res.body.format, "list");
    assert.deepEqual(res.body.summary, { created: 4, updated: 0, unchanged: 0, rejected: 0 });
    assert.deepEqual(
      res.body.lines.map((l: Record<string, unknown>) => [l.line, l.hostname, l.port, l.outcome]),
      [
        [2, "alpha.example.com", 443, "created"],
        [4, "beta.example.com", 8443, "created"],
        [5, "gamma.example.com", 9443, "created"],
        [6, "delta.example.com", 443, "created"],
      ],
    );
    for (const line of res.body.lines) assert.match(line.domain_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await hostnames(api), [
      "alpha.example.com:443",
      "beta.example.com:8443",
      "delta.example.com:443",
      "gamma.example.com:9443",
    ]);
  });

  test("CSV with tags, notes and alert_days; a second run reports updated and unchanged", async () => {
    const { api } = await newUser();
    const csv = [
      "hostname,port,tags,notes,alert_days",
      'shop.example.com,,prod;eu,"Card payments, checkout",30;7',
      "api.example.com,8443,prod,,",
    ].join("\n");
    const first = await upload(api, csv, "text/csv");
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.format, "csv");
    assert.deepEqual(first.body.summary, { created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const shop = await api.get(`/domains/${first.body.lines[0].domain_id}`);
    assert.deepEqual(
      [shop.body.hostname, shop.body.port, shop.body.tags, shop.body.notes, shop.body.alert_days],
      ["shop.example.com", 443, ["prod", "eu"], "Card payments, checkout", [30, 7]],
    );

    const again = await upload(
      api,
      [
        "hostname,port,tags,notes,alert_days",
        "shop.example.com,443,prod;eu,,14",
        "api.example.com,8443,prod,,",
      ].join("\n"),
      "text/csv",
    );
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.summary, { created: 0, updated: 1, unchanged: 1, rejected: 0 });
    assert.deepEqual(
      again.body.lines.map((l: Record<string, unknown>) => l.outcome),
      ["updated", "unchanged"],
    );
    const updated = await api.get(`/domains/${first.body.lines[0].domain_id}`);
    // Only what the line says changes: an empty notes cell leaves the notes alone.
    assert.deepEqual([updated.body.alert_days, updated.body.notes], [[14], "Card payments, checkout"]);
  });

  test("a bad line stops the whole import with 422 and every line's verdict; nothing is written", async () => {
    const { api } = await newUser();
    const list = [
      "good-one.example.com",
      "not a host",
      "good-two.example.com:99999",
      "http://plain.example.com",
    ];
    const res = await upload(api, list.join("\n"), "text/plain");
    assert.equal(res.status, 422);
    assert.equal(res.body.applied, false);
    assert.deepEqual(res.body.summary, { created: 1, updated: 0, unchanged: 0, rejected: 3 });
    assert.deepEqual(
      res.body.lines.map((l: Record<string, unknown>) => [l.line, l.outcome, l.reason]),
      [
        [1, "created", null],
        [2, "rejected", '"not a host" is not a host, host:port or https:// URL'],
        [3, "rejected", "port must be an integer between 1 and 65535"],
        [4, "rejected", "only https:// URLs can be monitored, not http://"],
      ],
    );
    assert.equal(res.body.lines[0].domain_id, null);
    assert.deepEqual(await hostnames(api), []);
  });

  test("skip_invalid imports the good lines and reports the bad", async () => {
    const { api } = await newUser();
    const res = await upload(
      api,
      "kept.example.com\nnot_a_domain\nkept.example.com\n",
      "text/plain",
      "?skip_invalid=true",
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.applied, true);
    assert.deepEqual(
      res.body.lines.map((l: Record<string, unknown>) => [l.outcome, l.reason]),
      [
        ["created", null],
        ["rejected", "hostname must be a fully-qualified domain name (e.g. example.com)"],
        ["rejected", "line 1 already lists kept.example.com:443"],
      ],
    );
    assert.deepEqual(await hostnames(api), ["kept.example.com:443"]);
  });

  test("a dry run judges every line and writes nothing", async () => {
    const { api } = await newUser();
    const res = await upload(
      api,
      JSON.stringify(["dry.example.com", { hostname: "dry2.example.com", port: 8443 }]),
      "application/json",
      "?dry_run=true",
    );
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.applied, res.body.dry_run, res.body.format], [false, true, "json"]);
    assert.deepEqual(res.body.summary, { created: 2, updated: 0, unchanged: 0, rejected: 0 });
    assert.deepEqual(await hostnames(api), []);
  });

  test("the monitor limit: lines past it are rejected, saying so, and stop the import unless skipped", async () => {
    const { api } = await newUser(3);
    assert.equal((await api.post("/domains", { hostname: "existing.example.com" })).status, 201);
    const list = "existing.example.com\na.example.com\nb.example.com\nc.example.com\n";
    const blocked = await upload(api, list, "text/plain");
    assert.equal(blocked.status, 422);
    assert.deepEqual(
      blocked.body.lines.map((l: Record<string, unknown>) => l.outcome),
      ["unchanged", "created", "created", "rejected"],
    );
    assert.equal(blocked.body.lines[3].reason, "Monitor limit reached: this account can monitor 3 domains");
    assert.deepEqual(await hostnames(api), ["existing.example.com:443"]);
    const skipped = await upload(api, list, "text/plain", "?skip_invalid=true");
    assert.equal(skipped.status, 200);
    assert.deepEqual(await hostnames(api), [
      "a.example.com:443",
      "b.example.com:443",
      "existing.example.com:443",
    ]);
  });

  test("whole-file problems are one clear 400; a read key is refused; nothing is written", async () => {
    const { api, readKey } = await newUser();
    const cases: [string, string, string, RegExp][] = [
      ["[not json", "application/json", "", /The JSON cannot be read/],
      ['{"hosts": []}', "application/json", "", /array of domains/],
      ["hostname,colour\nx.example.com,red", "text/csv", "", /Unknown CSV column "colour"/],
      ["port\n443", "text/csv", "", /needs a hostname/],
      ["# only a comment\n\n", "text/plain", "", /The list holds no domains/],
      ["[]", "application/json", "", /The JSON holds no domains/],
      ["x.example.com", "text/plain", "?format=xml", /Invalid value for format: xml/],
      ["x.example.com", "text/plain", "?dry_run=maybe", /Invalid value for dry_run/],
      [
        Array.from({ length: 10_001 }, (_, i) => `h${i}.example.com`).join("\n"),
        "text/plain",
        "",
        /at most 10000 lines; this one has 10001/,
      ],
    ];
    for (const [content, type, query, message] of cases) {
      const res = await upload(api, content, type, query);
      assert.equal(res.status, 400, `${content.slice(0, 30)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.error, message);
    }
    const readOnly = await upload(t.client(readKey), "ro.example.com", "text/plain");
    assert.equal(readOnly.status, 403);
    assert.deepEqual(await hostnames(api), []);
  });

  test("new domains' first checks are spread out, ten a second and never wider than one interval", async () => {
    const { api, userId } = await newUser(1000);
    const before = Date.now();
    const list = Array.from({ length: 50 }, (_, i) => `spread-${i}.example.com`).join("\n");
    assert.equal((await upload(api, list, "text/plain")).status, 200);
    const rows = await t.app.services.db.domain.findMany({
      where: { userId },
      select: { nextSslCheckAt: true, nextWhoisCheckAt: true },
      orderBy: { nextSslCheckAt: "asc" },
    });
    const due = rows.map((row) => row.nextSslCheckAt!.getTime() - before);
    assert.ok(due[0]! >= 0 && due[0]! < 1000, `first check due in ${due[0]} ms`);
    const gaps = due.slice(1).map((at, i) => at - due[i]!);
    for (const gap of gaps) assert.ok(Math.abs(gap - FIRST_CHECK_SPACING_MS) <= 1, `gap ${gap} ms`);
    // Registration lookups spread the same way (registries rate-limit bursts).
    assert.deepEqual(
      rows.map((row) => row.nextWhoisCheckAt?.getTime()),
      rows.map((row) => row.nextSslCheckAt?.getTime()),
    );
  });
});

describe("GET /domains/export", () => {
  test("CSV and JSON exports hold every domain, and the CSV imports back as unchanged", async () => {
    const { api } = await newUser();
    await upload(
      api,
      [
        "hostname,port,tags,notes,alert_days,address",
        'one.example.com,,a;b,"quoted ""note""",21;3,',
        "two.example.com,8443,,,,192.0.2.7",
      ].join("\n"),
      "text/csv",
    );
    await api.put(`/domains/${(await api.get("/domains?search=two")).body.data[0].id}`, { is_active: false });

    const csv = await api.get("/domains/export?format=csv");
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(
      csv.headers.get("content-disposition") ?? "",
      /attachment; filename="certpulse-domains.csv"/,
    );
    const rows = parse(csv.body as string, { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => [r.hostname, r.port, r.address, r.is_active, r.tags, r.notes, r.alert_days, r.status]),
      [
        ["one.example.com", "443", "", "true", "a;b", 'quoted "note"', "21;3", "pending"],
        ["two.example.com", "8443", "192.0.2.7", "false", "", "", "", "pending"],
      ],
    );

    const json = await api.get("/domains/export?format=json");
    assert.equal(json.status, 200);
    assert.match(json.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(
      json.body.map((d: Record<string, unknown>) => [d.hostname, d.port, d.tags, d.alert_days, d.is_active]),
      [
        ["one.example.com", 443, ["a", "b"], [21, 3], true],
        ["two.example.com", 8443, [], null, false],
      ],
    );

    for (const [content, type] of [
      [csv.body as string, "text/csv"],
      [JSON.stringify(json.body), "application/json"],
    ] as const) {
      const back = await upload(api, content, type);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.deepEqual(back.body.summary, { created: 0, updated: 0, unchanged: 2, rejected: 0 });
    }
    assert.equal((await api.get("/domains/export?format=xml")).status, 400);
  });

  test("an export holds only the caller's domains", async () => {
    const mine = await newUser();
    const theirs = await newUser();
    await upload(theirs.api, "theirs.example.com", "text/plain");
    await upload(mine.api, "mine.example.com", "text/plain");
    const csv = (await mine.api.get("/domains/export")).body as string;
    assert.match(csv, /mine\.example\.com/);
    assert.doesNotMatch(csv, /theirs/);
  });
});

describe("GraphQL importDomains and exportDomains", () => {
  test("the mutation imports, filters lines by outcome, and the query exports", async () => {
    const { api } = await newUser();
    const res = await api.graphql(
      `mutation ($input: ImportDomainsInput!) {
        importDomains(input: $input) {
          format applied dryRun counts { created rejected }
          lines(outcome: [REJECTED]) { line outcome reason }
        }
      }`,
      { input: { content: "gql-one.example.com\nbad host\n", skipInvalid: true } },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data.importDomains, {
      format: "LIST",
      applied: true,
      dryRun: false,
      counts: { created: 1, rejected: 1 },
      lines: [
        { line: 2, outcome: "REJECTED", reason: '"bad host" is not a host, host:port or https:// URL' },
      ],
    });
    const exported = await api.graphql("{ exportDomains(format: JSON) }");
    assert.deepEqual(
      JSON.parse(exported.body.data.exportDomains).map((d: { hostname: string }) => d.hostname),
      ["gql-one.example.com"],
    );
    const bad = await api.graphql('mutation { importDomains(input: {content: "[1"}) { applied } }');
    assert.equal(bad.body.errors[0].extensions.code, "BAD_USER_INPUT");
  });

  test("a 10,000-line import fits the body limit of /graphql and of REST", async () => {
    const { api } = await newUser(20_000);
    const list = Array.from({ length: 10_000 }, (_, i) => `bulk-${i}.example.com`).join("\n");
    const res = await api.graphql(
      "mutation ($input: ImportDomainsInput!) { importDomains(input: $input) { applied counts { created } } }",
      { input: { content: list, dryRun: true } },
    );
    assert.deepEqual(
      res.body.data?.importDomains,
      { applied: false, counts: { created: 10_000 } },
      JSON.stringify(res.body.errors),
    );
    const rest = await upload(api, list, "text/plain");
    assert.equal(rest.status, 200);
    assert.equal(rest.body.summary.created, 10_000);
    assert.equal((await api.get("/domains?per_page=1")).body.pagination.total, 10_000);
  });
});
