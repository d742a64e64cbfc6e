// buildApp(): the whole service over one HTTP server — yoga at /graphql (HTTP, GraphiQL, graphql-ws),
// the REST adapter at /api/v1, /healthz and /readyz — with start() and a draining stop().
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import type { Config } from "../config.js";
import { createDb } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createLogger, type Logger } from "../logger.js";
import { createEventBus } from "../notify/events.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { createServices } from "../services/index.js";
import { BodyTooLarge, readLimitedBody } from "./body.js";
import { health } from "./health.js";
import { requestIdFrom } from "./request-id.js";
import { useRestApi } from "./rest/plugin.js";
import { attachWebSocket } from "./ws.js";
import { createYogaServer, type YogaServer } from "./yoga.js";

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/**
 * Connects before serving, so the first requests already count in the shared store. An unreachable
 * Redis is logged, not fatal: the limiters fall back to memory and ioredis keeps reconnecting.
 */
async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on("error", (err) => log.warn({ err }, "redis error"));
  await redis.connect().catch((err) => log.warn({ err }, "redis unreachable at start-up; retrying"));
  return redis;
}

export async function buildApp(config: Config, log: Logger = createLogger(config.LOG_LEVEL)) {
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : undefined;
  const events = await createEventBus(config.REDIS_URL, log);
  const services = createServices(db, config, { redis, events });
  const yoga: YogaServer = createYogaServer(services, log, [useRestApi(() => yoga, log)]);

  async function handle(req: IncomingMessage & { body?: Buffer }, res: ServerResponse) {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const started = performance.now();
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      log.info({ requestId, method: req.method, url: req.url, status: res.statusCode, ms }, "request");
    });
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const probe = await health(path, db);
    if (probe) return sendJson(res, probe.status, probe.body);
    if (req.method !== "GET" && req.method !== "HEAD") {
      try {
        // yoga's node adapter takes an already-read body from req.body.
        req.body = await readLimitedBody(req, config.CERTPULSE_MAX_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.setHeader("Connection", "close");
        return sendJson(res, 400, {
          error: `Request body too large (limit ${config.CERTPULSE_MAX_BODY_BYTES} bytes)`,
        });
      }
    }
    await yoga(req, res, { requestId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "Internal server error" });
      else res.destroy();
    });
  });
  const ws = attachWebSocket(server, yoga, services);
  const scheduler = config.CERTPULSE_SCHEDULER_ENABLED
    ? new Scheduler(services.scheduledChecks, { concurrency: config.CERTPULSE_CHECK_CONCURRENCY, log })
    : null;
  if (scheduler) services.domains.onChecksQueued = () => scheduler.wake();
  // Deliveries go out from every instance, whether or not it runs checks: an alert raised here is
  // sent within moments, and retries due anywhere are picked up by whoever wakes first.
  const deliveries = new Scheduler(services.webhookDeliveries, {
    concurrency: config.CERTPULSE_WEBHOOK_CONCURRENCY,
    log,
  });
  services.alerts.onDeliveriesQueued = () => deliveries.wake();

  return {
    services,
    server,
    scheduler,
    deliveries,
    async start(): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      services.keyUsage.start();
      scheduler?.start();
      deliveries.start();
      const { port } = server.address() as AddressInfo;
      const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
      log.info({ port, host: config.HOST }, "CertPulse listening");
      return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    },
    /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), then closes. */
    async stop(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), config.CERTPULSE_SHUTDOWN_TIMEOUT_MS);
      await ws.close();
      await Promise.all([
        scheduler?.stop(config.CERTPULSE_SHUTDOWN_TIMEOUT_MS),
        deliveries.stop(config.CERTPULSE_SHUTDOWN_TIMEOUT_MS),
      ]);
      await closed;
      clearTimeout(deadline);
      await services.keyUsage.stop();
      await services.close();
      await db.$disconnect();
      await events.close();
      redis?.disconnect();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
