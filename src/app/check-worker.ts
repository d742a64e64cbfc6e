// The check thread's entry (see check-thread.ts): the scheduler, its probes and the webhook
// deliveries they queue, over a database connection of its own. Events it publishes are posted to
// the main thread, which owns the subscribers; the main thread posts "wake" and "stop".
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import { createDb } from "../db/client.js";
import { relayEventBus } from "../events/event-bus.js";
import { createLogger } from "../lib/logger.js";
import type { ToCheckThread } from "./check-thread.js";
import { createServices } from "./services.js";

const port = parentPort;
if (!port) throw new Error("check-worker.ts runs as a worker thread (see check-thread.ts)");
const { config, prettyLogs } = workerData as { config: Config; prettyLogs: boolean };
const log = createLogger(config.LOG_LEVEL, { pretty: prettyLogs }).child({ thread: "checks" });
const db = createDb(config.DATABASE_URL);
const services = createServices(db, config, {
  events: relayEventBus((event) => port.postMessage({ type: "event", event })),
  log,
});
const checks = services.checkScheduler;
if (!checks) throw new Error("the check thread runs only where the scheduler is enabled");

port.on("message", (message: ToCheckThread) => {
  if (message.type === "wake") return checks.wake();
  if (message.type === "metrics") {
    services.telemetry
      .snapshot()
      .then((snapshot) => port.postMessage({ type: "metrics", id: message.id, snapshot }));
    return;
  }
  const timeout = config.CERTPULSE_SHUTDOWN_TIMEOUT_MS;
  Promise.all([checks.stop(timeout), services.deliveryScheduler.stop(timeout)])
    .then(() => services.close())
    .then(() => db.$disconnect())
    .catch((err) => log.error({ err }, "check thread shutdown failed"))
    .finally(() => {
      port.postMessage({ type: "stopped" });
      port.close();
    });
});
checks.start();
services.deliveryScheduler.start();
port.postMessage({ type: "ready" });
