// buildApp(): the whole service — database (migrated), Redis, event bus, every service and both
// schedulers (services.ts), the HTTP server — with start() and a draining stop().
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { Config } from "../config.js";
import { createDb, type DbOptions } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createEventBus } from "../events/event-bus.js";
import { createHttpServer } from "../http/server.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { CheckThread } from "./check-thread.js";
import { createServices } from "./services.js";

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

export async function buildApp(
  config: Config,
  log: Logger = createLogger(config.LOG_LEVEL),
  dbOptions: DbOptions = {},
) {
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL, dbOptions);
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : undefined;
  const events = await createEventBus(config.REDIS_URL, log);
  // Checks run in their own thread unless CERTPULSE_CHECK_THREAD=false; this thread then only wakes it.
  const thread =
    config.CERTPULSE_SCHEDULER_ENABLED && config.CERTPULSE_CHECK_THREAD
      ? new CheckThread(config, events, log)
      : null;
  const services = thread
    ? createServices(
        db,
        { ...config, CERTPULSE_SCHEDULER_ENABLED: false },
        { redis, events, log, wakeChecks: () => thread.wake() },
      )
    : createServices(db, config, { redis, events, log });
  const { server, drain, closeWebSockets } = createHttpServer(services, config, log, async () =>
    thread ? thread.metrics() : [],
  );
  /** The scheduler on this thread; null when checks run in the check thread or nowhere. */
  const scheduler = services.checkScheduler;
  const deliveries = services.deliveryScheduler;

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
      services.apiKeys.start();
      scheduler?.start();
      await thread?.start();
      deliveries.start();
      const { port } = server.address() as AddressInfo;
      const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
      log.info({ port, host: config.HOST }, "CertPulse listening");
      return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    },
    /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), then closes. */
    async stop(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      drain();
      const deadline = setTimeout(() => server.closeAllConnections(), config.CERTPULSE_SHUTDOWN_TIMEOUT_MS);
      await closeWebSockets();
      await Promise.all([
        scheduler?.stop(config.CERTPULSE_SHUTDOWN_TIMEOUT_MS),
        thread?.stop(),
        deliveries.stop(config.CERTPULSE_SHUTDOWN_TIMEOUT_MS),
      ]);
      await closed;
      clearTimeout(deadline);
      await services.apiKeys.stop();
      await services.keyUsage.stop();
      await services.close();
      await db.$disconnect();
      await events.close();
      redis?.disconnect();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
