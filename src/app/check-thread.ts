// Isolation: scheduled checks run in a worker thread with their own event loop and database
// connection, so a burst of API requests cannot starve the sweep, and a sweep's TLS handshakes and
// statements cannot hold an API request. (SQLite's WAL journal, set by migrate(), lets the API read
// while the thread writes.) The thread is restarted if it dies; stop() lets running checks finish.
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config.js";
import type { EventBus, PublishedEvent } from "../events/event-bus.js";
import type { Logger } from "../lib/logger.js";
import type { MetricsSnapshot } from "../lib/telemetry.js";

export type ToCheckThread = { type: "wake" } | { type: "stop" } | { type: "metrics"; id: number };
type FromCheckThread =
  | { type: "ready" }
  | { type: "stopped" }
  | { type: "event"; event: PublishedEvent }
  | { type: "metrics"; id: number; snapshot: MetricsSnapshot };

/** How long a scrape waits for the thread's metrics before answering without them. */
const METRICS_TIMEOUT_MS = 2000;

/** How long a crashed thread waits before it is started again. */
const RESTART_DELAY_MS = 1000;

// Beside this file, with its extension: .js when compiled, .ts when run from source through tsx.
// A thread does not inherit tsx's loader (not even with `--import tsx` in its execArgv on Node 20),
// so from source the thread registers it before importing the entry.
const EXTENSION = extname(fileURLToPath(import.meta.url));
const ENTRY = new URL(`./check-worker${EXTENSION}`, import.meta.url);
const newWorker = (workerData: unknown) =>
  EXTENSION === ".ts"
    ? new Worker(
        `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(ENTRY, { workerData });

export class CheckThread {
  private worker: Worker | null = null;
  private stopping = false;
  private asked = 0;
  private readonly waiting = new Map<number, (snapshot: MetricsSnapshot) => void>();

  constructor(
    private readonly config: Config,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  /** Starts the thread; resolves once its scheduler runs. */
  start(): Promise<void> {
    this.stopping = false;
    // The thread's stdout is a pipe to this one: it logs in the form this thread's terminal gets.
    const worker = newWorker({ config: this.config, prettyLogs: process.stdout.isTTY === true });
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: FromCheckThread) => {
        if (message.type === "ready") resolve();
        if (message.type === "metrics") this.waiting.get(message.id)?.(message.snapshot);
        // Published there, delivered here: the subscribers (and Redis, if any) are this thread's.
        if (message.type === "event")
          this.events.publish(message.event.topic, ...(message.event.args as [never]));
      });
    });
    worker.on("error", (err) => this.log.error({ err }, "check thread failed"));
    worker.once("exit", (code) => {
      if (this.worker === worker) this.worker = null;
      if (this.stopping) return;
      this.log.error({ code }, "check thread exited; restarting");
      setTimeout(() => {
        if (!this.stopping && !this.worker) this.start().catch(() => {});
      }, RESTART_DELAY_MS).unref();
    });
    return ready;
  }

  /** A domain was added or retargeted: its first checks are due now. */
  wake(): void {
    this.worker?.postMessage({ type: "wake" } satisfies ToCheckThread);
  }

  /** The thread's own service metrics; none when it is down or too busy to answer in time. */
  metrics(): Promise<MetricsSnapshot[]> {
    const worker = this.worker;
    if (!worker) return Promise.resolve([]);
    const id = ++this.asked;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve([]);
      }, METRICS_TIMEOUT_MS);
      this.waiting.set(id, (snapshot) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve([snapshot]);
      });
      worker.postMessage({ type: "metrics", id } satisfies ToCheckThread);
    });
  }

  /** Lets running checks finish (up to the shutdown timeout), then ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ type: "stop" } satisfies ToCheckThread);
    const deadline = setTimeout(() => worker.terminate(), this.config.CERTPULSE_SHUTDOWN_TIMEOUT_MS + 5000);
    await exited;
    clearTimeout(deadline);
  }
}
