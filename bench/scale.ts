// Scale: 100,000 domains of one user on one SQLite file. The server's RSS, the time of any list page
// (the first, page 5,000, the status and search filters, a sort by days left), the scheduler's claim,
// and whether the default intervals leave a backlog: the checks they need per second against the
// sweep rate measured on the same file (bench/isolation.ts measures that rate's isolation).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServices } from "../src/app/services.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { DAY_MS } from "../src/lib/days.js";
import { checkedDomain } from "./domain-rows.js";
import { serveApi, stopProcess } from "./processes.js";

const DOMAINS = Number(process.env.BENCH_SCALE_DOMAINS ?? 100_000);
const PER_PAGE = 20;
const SAMPLES = 15;

async function seed(url: string) {
  await migrate(url);
  const db = createDb(url);
  const services = createServices(db, loadConfig({ DATABASE_URL: url }));
  const user = await services.users.create({ email: "scale@example.test", monitorLimit: DOMAINS });
  const { key } = await services.apiKeys.createFor(user.id, { label: "bench" });
  const now = Date.now();
  for (let start = 0; start < DOMAINS; start += 5000) {
    const data = Array.from({ length: Math.min(5000, DOMAINS - start) }, (_, j) => {
      const i = start + j;
      return {
        ...checkedDomain(user.id, i, DOMAINS, 500, now),
        sslCheckedAt: new Date(now - ((i * 17) % 360) * 60_000),
        hasError: i % 97 === 0,
        // Spread over the intervals, as a running instance leaves them.
        nextSslCheckAt: new Date(now + ((i * 31) % 21_600) * 1000),
        nextWhoisCheckAt: new Date(now + ((i * 37) % 86_400) * 1000),
      };
    });
    await db.domain.createMany({ data });
  }
  return { key, db, services };
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) / 1024;

async function timed(fn: () => Promise<unknown>, samples = SAMPLES) {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] as number, max: times.at(-1) as number };
}

const dir = mkdtempSync(join(tmpdir(), "certpulse-scale-"));
try {
  const file = join(dir, "scale.db");
  const url = `file:${file}`;
  const seedStart = performance.now();
  const { key, db, services } = await seed(url);
  console.log(
    `Scale: ${DOMAINS.toLocaleString("en")} domains of one user, one SQLite file (seeded in ${((performance.now() - seedStart) / 1000).toFixed(0)} s)\n`,
  );

  // The claim, in this process over the same file: a routine wake (a few due), a wake with a
  // thousand due, and everything due at once (after a long outage).
  const claims = services.scheduledChecks;
  const release = () =>
    db.domain.updateMany({
      where: { claimedBy: { not: null } },
      data: { claimedBy: null, claimExpiresAt: null },
    });
  const claimAt = async (at: Date, label: string) => {
    const time = async (lane: "any" | "first") => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await claims.claim(at, 20, lane);
        times.push(performance.now() - t0);
        await release();
      }
      return times.sort((x, y) => x - y)[5] as number;
    };
    console.log(
      `  claim of 20, ${label}: p50 ${(await time("any")).toFixed(1)} ms; first-check lane ${(await time("first")).toFixed(1)} ms (goal < 10)`,
    );
  };
  console.log("scheduler:");
  await claimAt(new Date(Date.now() + 60_000), "a few due");
  await claimAt(new Date(Date.now() + (1000 / DOMAINS) * 21_600_000), "1,000 due");
  await claimAt(new Date(Date.now() + 2 * DAY_MS), "all due");
  const needed = DOMAINS / (6 * 3600) + 500 / (24 * 3600);
  console.log(
    `  the default intervals (SSL every 6 h, registration every 24 h) need ${needed.toFixed(1)} checks/s`,
  );
  await services.close();
  await db.$disconnect();

  const { base, child: app } = await serveApi(url);
  try {
    const get = (path: string) => async () => {
      const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.arrayBuffer();
    };
    const pages: [string, string][] = [
      ["page 1", `/domains?per_page=${PER_PAGE}`],
      ["page 2,500", `/domains?per_page=${PER_PAGE}&page=2500`],
      [
        `page ${(DOMAINS / PER_PAGE).toLocaleString("en")} (the last)`,
        `/domains?per_page=${PER_PAGE}&page=${DOMAINS / PER_PAGE}`,
      ],
      ["per_page=100, page 500", "/domains?per_page=100&page=500"],
      ["status=warning", `/domains?per_page=${PER_PAGE}&status=warning`],
      ["status=error", `/domains?per_page=${PER_PAGE}&status=error`],
      ["status=valid, page 1,000", `/domains?per_page=${PER_PAGE}&status=valid&page=1000`],
      ["search=example42", `/domains?per_page=${PER_PAGE}&search=example42`],
      ["search=host9999 (few matches)", `/domains?per_page=${PER_PAGE}&search=host9999`],
      ["sort=ssl_days_remaining", `/domains?per_page=${PER_PAGE}&sort=ssl_days_remaining&order=asc`],
      [
        "sort=ssl_days_remaining&order=desc, page 2,500",
        `/domains?per_page=${PER_PAGE}&sort=ssl_days_remaining&order=desc&page=2500`,
      ],
      ["sort=whois_days_remaining", `/domains?per_page=${PER_PAGE}&sort=whois_days_remaining&order=asc`],
      [
        "status=warning + sort by days, page 100",
        `/domains?per_page=${PER_PAGE}&status=warning&sort=ssl_days_remaining&page=100`,
      ],
      ["GET /alerts", "/alerts"],
    ];
    console.log("\nlist pages, one caller (goal < 50 ms each):");
    for (const [label, path] of pages) {
      const r = await timed(get(path));
      console.log(
        `  ${label.padEnd(42)} p50 ${r.p50.toFixed(1).padStart(6)} ms   max ${r.max.toFixed(1).padStart(6)} ms`,
      );
    }
    console.log(`\nserver RSS after the lists: ${rssMb(app.pid as number).toFixed(0)} MB (goal < 400)`);
  } finally {
    await stopProcess(app);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
