// Bulk import: 10,000 lines through POST /api/v1/domains/import to a server in its own process, on
// SQLite (and PostgreSQL when BENCH_PG_URL is set). Prints the dry run's and the import's time, the
// longest the server's /healthz waited meanwhile (what the import holds the event loop), a second
// run of the same file (all unchanged), the export, and how the first checks are spread. The bare
// baseline, run beside it on the same database: the same rows inserted by one prepared
// better-sqlite3 statement in one transaction, with nothing judged.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createServices } from "../src/app/services.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { serveApi, stopProcess } from "./processes.js";

const LINES = 10_000;
const list = Array.from({ length: LINES }, (_, i) => `import-${i}.example-${i % 97}.com`).join("\n");

async function userOn(url: string) {
  await migrate(url);
  const db = createDb(url);
  const services = createServices(
    db,
    loadConfig({ DATABASE_URL: url, CERTPULSE_SCHEDULER_ENABLED: "false" }),
  );
  const user = await services.users.create({
    email: `import-${randomUUID()}@example.test`,
    monitorLimit: 2 * LINES,
  });
  const { key } = await services.apiKeys.createFor(user.id, {
    label: "bench",
    permissions: ["read", "write"],
  });
  await services.close();
  await db.$disconnect();
  return { key, userId: user.id };
}

/** Runs `work` while polling /healthz every 10 ms; the longest any poll waited. */
async function withStallProbe<T>(
  base: string,
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; stallMs: number }> {
  let running = true;
  let stallMs = 0;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`).then((res) => res.arrayBuffer());
      stallMs = Math.max(stallMs, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  running = false;
  await poll;
  return { result, ms, stallMs };
}

async function bench(label: string, url: string) {
  const { key, userId } = await userOn(url);
  // No scheduler: checks would start on the new domains at once; this measures the import alone.
  const { base, child: app } = await serveApi(url);
  try {
    const upload =
      (query = "") =>
      async () => {
        const res = await fetch(`${base}/api/v1/domains/import${query}`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
          body: list,
        });
        const body = (await res.json()) as { summary: Record<string, number> };
        if (res.status !== 200)
          throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        return body.summary;
      };
    console.log(`${label}:`);
    for (const [what, run] of [
      ["dry run", upload("?dry_run=true")],
      ["import", upload()],
      ["again (all unchanged)", upload()],
    ] as const) {
      const { result, ms, stallMs } = await withStallProbe(base, run);
      const counts = Object.entries(result)
        .filter(([, n]) => n > 0)
        .map(([outcome, n]) => `${n} ${outcome}`)
        .join(", ");
      console.log(
        `  ${what.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(6)} s (${counts}); /healthz waited at most ${stallMs.toFixed(0)} ms`,
      );
    }
    const exported = await withStallProbe(base, async () => {
      const res = await fetch(`${base}/api/v1/domains/export?format=csv`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return (await res.text()).length;
    });
    console.log(
      `  ${"export (CSV)".padEnd(22)} ${(exported.ms / 1000).toFixed(2).padStart(6)} s (${(exported.result / 1024).toFixed(0)} KiB); /healthz waited at most ${exported.stallMs.toFixed(0)} ms`,
    );
  } finally {
    await stopProcess(app);
  }
  const db = createDb(url);
  const due = (await db.domain.findMany({ where: { userId }, select: { nextSslCheckAt: true } }))
    .map((row) => row.nextSslCheckAt!.getTime())
    .sort((a, b) => a - b);
  await db.$disconnect();
  const perSecond = new Map<number, number>();
  for (const at of due) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  console.log(
    `  first checks: spread over ${((due.at(-1)! - due[0]!) / 60_000).toFixed(1)} min, at most ${Math.max(...perSecond.values())} due in any second`,
  );
}

/** The bare baseline: the same rows into the same table by one prepared statement, one transaction. */
function bare(file: string): number {
  const sqlite = new Database(file);
  const user = sqlite.prepare(`SELECT "id" FROM "User" LIMIT 1`).get() as { id: string };
  const insert =
    sqlite.prepare(`INSERT INTO "Domain" ("id", "userId", "hostname", "port", "tags", "registrableDomain",
    "nextSslCheckAt", "updatedAt") VALUES (?, ?, ?, 443, '[]', ?, ?, ?)`);
  const t0 = performance.now();
  const now = new Date().toISOString();
  sqlite.transaction(() => {
    list.split("\n").forEach((line, i) => {
      insert.run(randomUUID(), user.id, `bare-${line}`, `example-${i % 97}.com`, now, now);
    });
  })();
  const ms = performance.now() - t0;
  sqlite.close();
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), "certpulse-import-"));
try {
  console.log(`Bulk import: ${LINES.toLocaleString("en")} lines, REST, a server in its own process\n`);
  const file = join(dir, "import.db");
  await bench("SQLite", `file:${file}`);
  console.log(
    `  bare baseline (one prepared INSERT, one transaction, nothing judged): ${(bare(file) / 1000).toFixed(2)} s`,
  );
  if (process.env.BENCH_PG_URL) await bench("\nPostgreSQL", process.env.BENCH_PG_URL);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
