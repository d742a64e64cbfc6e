// The one composition root: every service is built here, once, over one database connection, and
// handed its collaborators through its constructor. The HTTP server (app.ts) and the CLI both
// start here; nothing else constructs a service.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { ApiKeysService } from "../access/api-keys.service.js";
import { KeyUsage } from "../access/key-usage.js";
import { RateLimits } from "../access/rate-limits.js";
import { UsersService } from "../access/users.service.js";
import { AlertsService } from "../alerts/alerts.service.js";
import { ManualChecksService } from "../checks/manual-checks.service.js";
import { ScheduledChecksService } from "../checks/scheduled-checks.service.js";
import { ServedCertificatesService } from "../checks/served-certificates.service.js";
import { SslChecksService } from "../checks/ssl-checks.service.js";
import { WhoisChecksService } from "../checks/whois-checks.service.js";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { providerOf } from "../db/provider.js";
import { DomainImportService } from "../domains/domain-import.service.js";
import { DomainsService } from "../domains/domains.service.js";
import { type EventBus, inProcessEventBus } from "../events/event-bus.js";
import { HOUR_MS } from "../lib/days.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { Telemetry } from "../lib/telemetry.js";
import { createHttpClient } from "../probes/net/http-client.js";
import { probeRegistration } from "../probes/registration/registration-probe.js";
import { probeTls } from "../probes/tls/tls-probe.js";
import { Scheduler } from "../scheduler/scheduler.js";
import type { Services } from "../schema/context.js";
import { WebhookDeliveriesService } from "../webhooks/webhook-deliveries.service.js";
import { WebhooksService } from "../webhooks/webhooks.service.js";
import { guardOptions, registrationProbeOptions, tlsProbeOptions } from "./probe-options.js";

/** Webhook answers are read for the delivery log only; a receiver sending more is misbehaving. */
const WEBHOOK_MAX_BYTES = 64 * 1024;

export interface AppServices extends Services {
  /** Runs due checks; null when this instance does not check (CERTPULSE_SCHEDULER_ENABLED=false). */
  checkScheduler: Scheduler<unknown> | null;
  /** Sends due webhook deliveries; every instance runs one. */
  deliveryScheduler: Scheduler<unknown>;
  close(): Promise<void>;
}

export function createServices(
  db: Db,
  config: Config,
  {
    redis,
    events = inProcessEventBus(),
    log = createLogger(config.LOG_LEVEL),
    telemetry = new Telemetry(log),
    wakeChecks,
  }: {
    redis?: Redis;
    events?: EventBus;
    log?: Logger;
    /** This thread's counters and log lines of finished work. */
    telemetry?: Telemetry;
    /** Where a new or retargeted domain's checks are woken when they run elsewhere (the check thread). */
    wakeChecks?: () => void;
  } = {},
): AppServices {
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const guard = guardOptions(config);
  const tls = tlsProbeOptions(config, guard);
  const registration = registrationProbeOptions(config, guard);
  const webhookHttp = createHttpClient({
    ...guard,
    timeoutMs: config.CERTPULSE_WEBHOOK_TIMEOUT_MS,
    maxBytes: WEBHOOK_MAX_BYTES,
  });
  // A lookup is at most seven requests (bootstrap, registry, registrar; four WHOIS hops).
  const lookupLeaseMs = 10 * config.CERTPULSE_PROBE_TIMEOUT_MS;

  const keyUsage = new KeyUsage(db, config.CERTPULSE_KEY_USAGE_FLUSH_MS);
  const limits = new RateLimits(redis);
  // The schedulers are built last (they run the services below); these hooks reach them then.
  const domainHooks = {
    onChecksQueued: () => (wakeChecks ? wakeChecks() : checkScheduler?.wake()),
    lifetimePercent: config.CERTPULSE_ALERT_LIFETIME_PERCENT,
  };
  const domains = new DomainsService(db, domainHooks);
  const alerts = new AlertsService(db, events, {
    lifetimePercent: config.CERTPULSE_ALERT_LIFETIME_PERCENT,
    onDeliveriesQueued: () => deliveryScheduler.wake(),
    telemetry,
  });
  const sslChecks = new SslChecksService(
    db,
    (target, { scanProtocols }) => probeTls(target, { ...tls, scanProtocols }),
    alerts,
    events,
    {
      protocolScanMs: config.CERTPULSE_PROTOCOL_SCAN_HOURS * HOUR_MS,
      lifetimePercent: config.CERTPULSE_ALERT_LIFETIME_PERCENT,
      telemetry,
      provider: providerOf(config.DATABASE_URL),
    },
  );
  const whoisChecks = new WhoisChecksService(
    db,
    (domain) => probeRegistration(domain, registration),
    alerts,
    events,
    {
      intervalMs: config.CERTPULSE_WHOIS_CHECK_HOURS * HOUR_MS,
      instanceId,
      leaseMs: lookupLeaseMs,
      lifetimePercent: config.CERTPULSE_ALERT_LIFETIME_PERCENT,
      failureAlertMs: config.CERTPULSE_WHOIS_FAILURE_ALERT_HOURS * HOUR_MS,
      telemetry,
    },
  );
  const scheduledChecks = new ScheduledChecksService(db, sslChecks, whoisChecks, {
    sslIntervalMs: config.CERTPULSE_SSL_CHECK_HOURS * HOUR_MS,
    // Both checks run side by side: the SSL check is bounded by one probe timeout, the lookup by its lease.
    leaseMs: lookupLeaseMs + 2 * config.CERTPULSE_PROBE_TIMEOUT_MS,
    instanceId,
    provider: providerOf(config.DATABASE_URL),
  });
  const webhooks = new WebhooksService(db, guard);
  const webhookDeliveries = new WebhookDeliveriesService(db, webhookHttp, webhooks, alerts, {
    instanceId,
    telemetry,
    // One attempt is one request bounded by the timeout; the margin covers recording it.
    leaseMs: 2 * config.CERTPULSE_WEBHOOK_TIMEOUT_MS + 30_000,
  });

  const checkScheduler: Scheduler<unknown> | null = config.CERTPULSE_SCHEDULER_ENABLED
    ? new Scheduler(scheduledChecks, {
        concurrency: config.CERTPULSE_CHECK_CONCURRENCY,
        firstSlots: config.CERTPULSE_FIRST_CHECK_SLOTS,
        log,
      })
    : null;
  // Deliveries go out from every instance, whether or not it runs checks: an alert raised here is
  // sent within moments, and retries due anywhere are picked up by whoever wakes first.
  const deliveryScheduler: Scheduler<unknown> = new Scheduler(webhookDeliveries, {
    concurrency: config.CERTPULSE_WEBHOOK_CONCURRENCY,
    log,
  });

  return {
    db,
    instanceId,
    telemetry,
    events,
    keyUsage,
    users: new UsersService(db),
    apiKeys: new ApiKeysService(db, keyUsage, limits, events, config.CERTPULSE_KEY_CACHE_MS),
    domains,
    domainImport: new DomainImportService(db, {
      ...domainHooks,
      sslIntervalMs: config.CERTPULSE_SSL_CHECK_HOURS * HOUR_MS,
      provider: providerOf(config.DATABASE_URL),
    }),
    sslChecks,
    servedCertificates: new ServedCertificatesService(db),
    whoisChecks,
    manualChecks: new ManualChecksService(
      domains,
      sslChecks,
      whoisChecks,
      limits,
      config.CERTPULSE_SSL_CHECK_HOURS * HOUR_MS,
    ),
    scheduledChecks,
    alerts,
    webhooks,
    webhookDeliveries,
    checkScheduler,
    deliveryScheduler,
    async close() {
      await Promise.all([registration.http.close(), tls.close(), webhookHttp.close()]);
    },
  };
}
