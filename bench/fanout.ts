// npm run bench, part 3: one alert delivered to 1,000 graphql-ws subscribers of one user. The
// server runs here (the real app over SQLite); the subscribers run in a child process. Each round
// raises a real alert through the alert service (stored, then published) and times it until the
// last subscriber has it. Goal: p99 of that time under 1 s.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildApp } from "../src/app/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/lib/logger.js";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);

type Report = { id: string; arrivals: number[] };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-fanout-"));
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    CERTPULSE_SCHEDULER_ENABLED: "false",
  });
  const app = await buildApp(config, createLogger("warn"));
  const url = await app.start();
  let child: ChildProcess | undefined;
  try {
    const user = await app.services.users.create({ email: "fanout@example.test" });
    const { key } = await app.services.apiKeys.createFor(user.id, { label: "bench" });
    const domain = await app.services.domains.create(user.id, { hostname: "fanout.example.com" });
    child = fork(
      join(import.meta.dirname, "subscribers.ts"),
      [`${url.replace("http", "ws")}/graphql`, key, String(SUBSCRIBERS)],
      {
        execArgv: ["--import", "tsx"],
      },
    );
    const reports = new Map<string, (report: Report) => void>();
    child.on("message", (message: Report) => reports.get(message.id)?.(message));
    const delivered = (id: string) => new Promise<Report>((resolve) => reports.set(id, resolve));

    const raise = async (round: string) => {
      const started = performance.timeOrigin + performance.now();
      const [alert] = await app.services.alerts.raise(
        { id: domain.id, userId: user.id, hostname: domain.hostname },
        [
          {
            type: "ssl_invalid",
            severity: "critical",
            title: `Fan-out round ${round}`,
            message: "The certificate is not trusted.",
            thresholdDays: null,
            dedupeKey: `fanout:${round}`,
          },
        ],
        new Date(),
      );
      return { alert: alert!, started };
    };

    // Until one alert reaches every subscriber, some have not subscribed yet: warm up first.
    for (let round = 0; ; round++) {
      const { alert } = await raise(`warm-up-${round}`);
      const all = await Promise.race([
        delivered(alert.id),
        new Promise<null>((r) => setTimeout(() => r(null), 2000)),
      ]);
      if (all) break;
      if (round === 60) throw new Error("the subscribers never all subscribed");
    }

    const completion: number[] = [];
    const each: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { alert, started } = await raise(String(round));
      const report = await delivered(alert.id);
      completion.push(Math.max(...report.arrivals) - started);
      each.push(...report.arrivals.map((at) => at - started));
    }
    const ms = (v: number) => v.toFixed(1).padStart(8);
    console.log(
      `\nOne alert to ${SUBSCRIBERS} graphql-ws subscribers, ${ROUNDS} rounds (SQLite, in-process pub/sub)\n`,
    );
    console.log(`${"".padEnd(40)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)}`);
    console.log(
      `${"raise → last subscriber has it".padEnd(40)} ${ms(percentile(completion, 50))} ${ms(percentile(completion, 99))} ${ms(Math.max(...completion))}`,
    );
    console.log(
      `${"raise → each subscriber has it".padEnd(40)} ${ms(percentile(each, 50))} ${ms(percentile(each, 99))} ${ms(Math.max(...each))}`,
    );
    const p99 = percentile(completion, 99);
    console.log(`\ngoal: p99 under 1000 ms: ${p99 < 1000 ? "met" : "MISSED"} (${p99.toFixed(1)} ms)`);
    if (p99 >= 1000) process.exitCode = 1;
  } finally {
    child?.disconnect();
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
