// npm run bench: GET /domains over 10,000 domains (and over 100, to show the list does not grow with
// the table) through REST and through GraphQL, against a bare node:http + better-sqlite3 handler that
// returns the same JSON. Each server runs in its own process; the load comes from this one.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/app/app.js";
import { createServices } from "../src/app/services.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { checkedDomain } from "./domain-rows.js";
import { type Call, type LoadResult, load } from "./load.js";
import { freePort, startProcess } from "./processes.js";

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DAY = 86_400_000;

async function seed(url: string) {
  await migrate(url);
  const db = createDb(url);
  const services = createServices(db, loadConfig({ DATABASE_URL: url }));
  const keys: Record<number, string> = {};
  const now = Date.now();
  for (const size of [100, 10_000]) {
    const user = await services.users.create({ email: `bench-${size}@example.test`, monitorLimit: size });
    keys[size] = (await services.apiKeys.createFor(user.id, { label: "bench" })).key;
    for (let start = 0; start < size; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, size - start) }, (_, j) =>
        checkedDomain(user.id, start + j, size, 50, now),
      );
      await db.domain.createMany({ data: rows });
    }
  }
  await seedLatestChecks(db);
  await services.close();
  await db.$disconnect();
  return keys;
}

/**
 * The 100-domain user's domains get what a checked domain has: two SSL checks (the newer one the
 * domain's latest), its registration's lookup and two alerts, for the nested GraphQL scenario.
 */
async function seedLatestChecks(db: ReturnType<typeof createDb>) {
  const owner = await db.user.findUniqueOrThrow({ where: { email: "bench-100@example.test" } });
  const domains = await db.domain.findMany({ where: { userId: owner.id } });
  for (const domain of domains) {
    for (const [age, grade] of [
      [2, "B"],
      [1, "A"],
    ] as const) {
      const check = await db.sslCheck.create({
        data: { domainId: domain.id, grade, checkedAt: new Date(Date.now() - age * 60_000) },
      });
      await db.domain.update({ where: { id: domain.id }, data: { latestSslCheckId: check.id } });
    }
    for (const title of ["expires in 30 days", "expires in 14 days"]) {
      await db.alert.create({
        data: {
          userId: owner.id,
          domainId: domain.id,
          hostname: domain.hostname,
          type: "ssl_expiry",
          severity: "warning",
          title,
          message: title,
          dedupeKey: `${domain.id}:${title}`,
        },
      });
    }
  }
  for (const registrableDomain of new Set(domains.map((d) => d.registrableDomain))) {
    const lookup = await db.whoisCheck.create({
      data: {
        registrableDomain,
        outcome: "registered",
        expiryDate: new Date(Date.now() + 300 * DAY),
        nameservers: [],
        statuses: [],
      },
    });
    await db.registration.create({ data: { registrableDomain, latestCheckId: lookup.id } });
  }
}

const graphqlCall = (base: string, key: string, query: string): Call => ({
  url: `${base}/graphql`,
  init: {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ query }),
  },
});
const getCall = (url: string, key: string): Call => ({
  url,
  init: { headers: { authorization: `Bearer ${key}` } },
});

/** A page of 100 domains with what a dashboard shows beside each: latest checks and alerts. */
const NESTED_QUERY = `{ domains(perPage: 100) { data { hostname latestSslCheck { grade }
  latestWhoisCheck { expiryDate } alerts { data { title } } } } }`;

/** The costliest request the default limits allow here: two such pages (cost ~9,400 of 10,000). */
const HEAVIEST_QUERY = `{ a: domains(perPage: 100) { data { hostname latestSslCheck { grade }
  latestWhoisCheck { expiryDate } alerts { data { title } } } }
  b: domains(perPage: 100, page: 1) { data { hostname latestSslCheck { grade }
  latestWhoisCheck { expiryDate } alerts { data { title } } } } }`;

const LIST_QUERY = `{ domains { data { id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining tags createdAt status }
  pagination { page perPage total totalPages } } }`;

/**
 * SQL statements one request runs, counted in an app of this process over the same database: the
 * least of three runs, after the first has cached the key (background work can only add).
 */
async function statementsPer(file: string, calls: Record<string, (base: string) => Call>) {
  let statements = 0;
  const config = loadConfig({
    DATABASE_URL: `file:${file}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    CERTPULSE_SCHEDULER_ENABLED: "false",
  });
  const app = await buildApp(config, undefined, { onQuery: () => statements++ });
  const base = await app.start();
  const counts: Record<string, number> = {};
  try {
    for (const [name, make] of Object.entries(calls)) {
      const call = make(base);
      let least = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        statements = 0;
        const res = await fetch(call.url, call.init);
        assert.equal(res.status, 200, name);
        await res.arrayBuffer();
        least = Math.min(least, statements);
      }
      counts[name] = least;
    }
  } finally {
    await app.stop();
  }
  return counts;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-bench-"));
  const file = join(dir, "bench.db");
  const children: ChildProcess[] = [];
  try {
    const keys = await seed(`file:${file}`);
    const [appPort, barePort] = [await freePort(), await freePort()];
    const app = `http://127.0.0.1:${appPort}`;
    const bare = `http://127.0.0.1:${barePort}`;
    const appEnv = {
      ...process.env,
      DATABASE_URL: `file:${file}`,
      PORT: String(appPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      NODE_ENV: "production",
    };
    children.push(await startProcess(["src/cli/main.ts", "serve"], appEnv, `${app}/readyz`));
    children.push(
      await startProcess(["bench/bare-server.ts", file], { ...process.env, PORT: String(barePort) }, bare),
    );

    const rows: [string, LoadResult][] = [];
    for (const size of [100, 10_000]) {
      const key = keys[size]!;
      const rest = getCall(`${app}/api/v1/domains`, key);
      const baseline = getCall(`${bare}/`, key);
      // The comparison is fair only if both answer the same JSON.
      const [ours, theirs] = await Promise.all(
        [rest, baseline].map((call) => fetch(call.url, call.init).then((res) => res.json())),
      );
      assert.deepEqual(ours, theirs, "REST and the bare handler answer the same JSON");
      const run = async (name: string, call: Call) => {
        await load(call, { concurrency: CONCURRENCY, durationMs: 300 });
        rows.push([
          `${name} @ ${size}`,
          await load(call, { concurrency: CONCURRENCY, durationMs: DURATION_MS }),
        ]);
      };
      await run("bare node:http + better-sqlite3", baseline);
      await run("REST GET /api/v1/domains", rest);
      await run("GraphQL domains", graphqlCall(app, key, LIST_QUERY));
      if (size === 100) {
        await run("GraphQL 100 domains + latest checks + alerts", graphqlCall(app, key, NESTED_QUERY));
        // One caller at a time: its latency is how long the one request holds the server.
        const heaviest = graphqlCall(app, key, HEAVIEST_QUERY);
        const answer = await fetch(heaviest.url, heaviest.init).then((res) => res.json());
        assert.equal(answer.errors, undefined, "the heaviest query fits the default limits");
        rows.push([
          "GraphQL at the cost limit, 1 caller",
          await load(heaviest, { concurrency: 1, durationMs: DURATION_MS }),
        ]);
      }
      await run(
        "REST search + status + day sort",
        getCall(`${app}/api/v1/domains?search=example1&status=valid&sort=ssl_days_remaining&order=asc`, key),
      );
    }

    console.log(`GET /domains, ${CONCURRENCY} concurrent callers, ${DURATION_MS / 1000} s each (SQLite)\n`);
    console.log(
      `${"scenario".padEnd(48)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`,
    );
    for (const [name, r] of rows) {
      console.log(
        `${name.padEnd(48)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)}`,
      );
    }
    const rate = (name: string) => rows.find(([n]) => n === name)?.[1].perSecond ?? Number.NaN;
    console.log("\nratios (throughput, higher is better for CertPulse):");
    for (const size of [100, 10_000]) {
      const base = rate(`bare node:http + better-sqlite3 @ ${size}`);
      console.log(
        `  REST / bare    @ ${size}: ${(rate(`REST GET /api/v1/domains @ ${size}`) / base).toFixed(2)}`,
      );
      console.log(`  GraphQL / bare @ ${size}: ${(rate(`GraphQL domains @ ${size}`) / base).toFixed(2)}`);
    }
    const nested = rate("GraphQL 100 domains + latest checks + alerts @ 100") / rate("GraphQL domains @ 100");
    console.log(
      `  GraphQL 100 domains with latest checks and alerts / the flat list of 20: ${nested.toFixed(2)}`,
    );
    const growth = rate("REST GET /api/v1/domains @ 10000") / rate("REST GET /api/v1/domains @ 100");
    console.log(
      `  REST @ 10,000 / REST @ 100: ${growth.toFixed(2)} (1.00 means the list does not slow with size)`,
    );
    const statements = await statementsPer(file, {
      "REST GET /api/v1/domains (a full page)": (base) => getCall(`${base}/api/v1/domains`, keys[10_000]!),
      "REST GET /api/v1/domains (a last page, not full)": (base) =>
        getCall(`${base}/api/v1/domains?per_page=30&page=4`, keys[100]!),
      "GraphQL 100 domains + latest checks + alerts": (base) => graphqlCall(base, keys[100]!, NESTED_QUERY),
    });
    console.log("\nSQL statements per request (key cached):");
    for (const [name, count] of Object.entries(statements)) console.log(`  ${name}: ${count}`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
