// Isolation: do API requests and the check sweep starve each other? 10,000 domains on local TLS
// servers, all due at once; measured per mode (checks in their own thread, the default, and on the
// API's event loop, CERTPULSE_CHECK_THREAD=false):
//   - the sweep's rate alone, and while 20 callers list domains (goal: at least half);
//   - API p99 with 4 callers, idle and during the sweep (goal: at most 2×);
//   - how long a new domain waits for its first check while hung peers hold every routine slot.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { createServices } from "../src/app/services.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { DAY_MS } from "../src/lib/days.js";
import { startSilentServer } from "../test/helpers/tls-servers.js";
import { type Call, load } from "./load.js";
import { freePort, startProcess, stopProcess } from "./processes.js";

const DOMAINS = Number(process.env.BENCH_SWEEP_DOMAINS ?? 10_000);
const WINDOW_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
/** As many hung peers as routine slots (CERTPULSE_CHECK_CONCURRENCY's default). */
const HUNG = 20;

async function seed(file: string, ports: number[], hungPort: number) {
  const url = `file:${file}`;
  await migrate(url);
  const db = createDb(url);
  const services = createServices(db, loadConfig({ DATABASE_URL: url }));
  const user = await services.users.create({
    email: "sweep@example.test",
    monitorLimit: DOMAINS + HUNG + 10,
  });
  const { key } = await services.apiKeys.createFor(user.id, {
    label: "bench",
    permissions: ["read", "write"],
  });
  const later = new Date(Date.now() + 30 * DAY_MS);
  const rows = (from: number, count: number, port: (i: number) => number, checkedDaysAgo = 1) =>
    Array.from({ length: count }, (_, j) => ({
      userId: user.id,
      hostname: `h${from + j}.bench.test`,
      port: port(from + j),
      registrableDomain: "bench.test",
      tags: [],
      createdAt: new Date(Date.now() - (from + j) * 1000),
      // Checked before and not due until the sweep starts; registration lookups are not measured here.
      sslCheckedAt: new Date(Date.now() - checkedDaysAgo * DAY_MS),
      nextSslCheckAt: later,
      nextWhoisCheckAt: later,
    }));
  for (let start = 0; start < DOMAINS; start += 1000) {
    await db.domain.createMany({
      data: rows(start, Math.min(1000, DOMAINS - start), (i) => ports[i % ports.length] as number),
    });
  }
  await db.domain.createMany({ data: rows(DOMAINS, HUNG, () => hungPort, 2) });
  await services.close();
  await db.$disconnect();
  return { key, userId: user.id };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Context {
  template: string;
  dir: string;
  key: string;
  env: NodeJS.ProcessEnv;
  /** Accepts connections and never answers: each check of it waits for the probe timeout. */
  hung: Awaited<ReturnType<typeof startSilentServer>>;
  /** A healthy server for the new domain. */
  firstPort: number;
}

async function measure(mode: "thread" | "inline", { template, dir, key, env, hung, firstPort }: Context) {
  const file = join(dir, `${mode}.db`);
  copyFileSync(template, file);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await startProcess(
    ["src/cli/main.ts", "serve"],
    {
      ...env,
      DATABASE_URL: `file:${file}`,
      PORT: String(port),
      CERTPULSE_CHECK_THREAD: mode === "thread" ? "true" : "false",
    },
    `${base}/readyz`,
  );
  const reader = new Database(file, { readonly: true });
  const checks = () => (reader.prepare('SELECT COUNT(*) AS n FROM "SslCheck"').get() as { n: number }).n;
  const list: Call = { url: `${base}/api/v1/domains`, init: { headers: { authorization: `Bearer ${key}` } } };
  try {
    await load(list, { concurrency: 4, durationMs: 300 });
    const idle = await load(list, { concurrency: 4, durationMs: WINDOW_MS });

    // Everything due since its last check: the hung peers, checked longest ago, are claimed first
    // and hold every routine slot for the probe timeout, with thousands of checks waiting behind.
    const writer = new Database(file);
    writer.pragma("busy_timeout = 10000");
    writer.prepare('UPDATE "Domain" SET "nextSslCheckAt" = "sslCheckedAt"').run();
    writer.close();
    const due = performance.now();
    while (hung.accepted < HUNG) {
      assert.ok(performance.now() - due < 15_000, "the sweep starts within a wake-up");
      await sleep(20);
    }
    // A new domain now: its first check must not wait for any of them.
    const t0 = Date.now();
    const res = await fetch(`${base}/api/v1/domains`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ hostname: "new.bench.test", port: firstPort }),
    });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    let firstCheckMs = Number.NaN;
    while (Number.isNaN(firstCheckMs) && Date.now() - t0 < 30_000) {
      const row = reader.prepare('SELECT "checkedAt" FROM "SslCheck" WHERE "domainId" = ?').get(id) as
        | { checkedAt: string }
        | undefined;
      if (row) firstCheckMs = new Date(row.checkedAt).getTime() - t0;
      else await sleep(20);
    }

    // The sweep proper, once the hung checks have timed out and healthy ones fill the slots.
    while (checks() < 200) await sleep(50);
    const rate = async (during: () => Promise<unknown>) => {
      const [n0, t0] = [checks(), performance.now()];
      await during();
      return ((checks() - n0) / (performance.now() - t0)) * 1000;
    };
    const sweepAlone = await rate(() => sleep(WINDOW_MS));
    let busy: Awaited<ReturnType<typeof load>> | undefined;
    const sweepUnderApi = await rate(async () => {
      busy = await load(list, { concurrency: 20, durationMs: WINDOW_MS });
    });
    const duringSweep = await load(list, { concurrency: 4, durationMs: WINDOW_MS });
    const remaining = (reader.prepare('SELECT COUNT(*) AS n FROM "SslCheck"').get() as { n: number }).n;
    assert.ok(remaining < DOMAINS, "the sweep was still running through every window");
    return {
      idle,
      duringSweep,
      busy: busy as NonNullable<typeof busy>,
      sweepAlone,
      sweepUnderApi,
      firstCheckMs,
    };
  } finally {
    reader.close();
    await stopProcess(app);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-isolation-"));
  const children: ChildProcess[] = [];
  const hung = await startSilentServer();
  try {
    const servers = spawn(process.execPath, ["--import", "tsx", "bench/tls-servers.ts", "4"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(servers);
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: servers.stdout }).once("line", resolve),
    );
    const { ports, ca } = JSON.parse(line) as { ports: number[]; ca: string };
    writeFileSync(join(dir, "ca.pem"), ca);
    const names = [...Array.from({ length: DOMAINS + HUNG }, (_, i) => `h${i}.bench.test`), "new.bench.test"];
    const lines: string[] = [];
    for (let i = 0; i < names.length; i += 200) lines.push(`127.0.0.1 ${names.slice(i, i + 200).join(" ")}`);
    writeFileSync(join(dir, "hosts"), `${lines.join("\n")}\n`);
    const template = join(dir, "template.db");
    const { key } = await seed(template, ports, hung.port);
    const env = {
      ...process.env,
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
      CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
      CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
      CERTPULSE_SCHEDULER_ENABLED: "true",
      CERTPULSE_RDAP_BOOTSTRAP_URL: "http://127.0.0.1:9/dns.json",
      CERTPULSE_WHOIS_SERVER: "127.0.0.1:9",
      // Hung checks give up after 5 s, so the sweep proper starts soon.
      CERTPULSE_PROBE_TIMEOUT_MS: "5000",
    };
    const context = { template, dir, key, env, hung, firstPort: ports[0] as number };
    const results = {
      thread: await measure("thread", context),
      inline: await measure("inline", context),
    };

    console.log(
      `\nIsolation: ${DOMAINS.toLocaleString("en")} domains due at once (${HUNG} of them hung), ${WINDOW_MS / 1000} s windows (SQLite)\n`,
    );
    for (const [mode, r] of Object.entries(results)) {
      const label =
        mode === "thread" ? "checks in their own thread (default)" : "checks on the API's event loop";
      console.log(`${label}:`);
      console.log(
        `  sweep alone ${r.sweepAlone.toFixed(0)} checks/s; with 20 callers listing ${r.sweepUnderApi.toFixed(0)} checks/s` +
          ` (${(r.sweepUnderApi / r.sweepAlone).toFixed(2)} of alone; goal >= 0.5); those callers ${r.busy.perSecond.toFixed(0)} req/s`,
      );
      console.log(
        `  API p99, 4 callers: idle ${r.idle.p99Ms.toFixed(1)} ms, during the sweep ${r.duringSweep.p99Ms.toFixed(1)} ms` +
          ` (${(r.duringSweep.p99Ms / r.idle.p99Ms).toFixed(2)}x; goal <= 2); p50 ${r.idle.p50Ms.toFixed(1)} / ${r.duringSweep.p50Ms.toFixed(1)} ms`,
      );
      console.log(
        `  a new domain's first check, every routine slot hung: ${r.firstCheckMs.toFixed(0)} ms after its POST (goal < 1000)`,
      );
    }
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await hung.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
