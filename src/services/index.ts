// Wires the services over one database connection; the HTTP layer and the CLI both start here.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { providerOf } from "../db/provider.js";
import { type EventBus, inProcessEventBus } from "../notify/events.js";
import { createHttpClient, type HttpClient } from "../probes/http-client.js";
import { RdapBootstrap } from "../probes/rdap-bootstrap.js";
import { probeRegistration, type RegistrationProbeOptions } from "../probes/registration-probe.js";
import { probeTls, type TlsProbeOptions } from "../probes/tls-probe.js";
import { createTrustStore } from "../probes/trust-store.js";
import { createWhoisClient, parseServer } from "../probes/whois-client.js";
import { AlertsService } from "./alerts.service.js";
import { ApiKeysService } from "./api-keys.service.js";
import { DomainsService } from "./domains.service.js";
import { KeyUsage } from "./key-usage.js";
import { ManualChecksService } from "./manual-checks.service.js";
import { RateLimits } from "./rate-limits.js";
import { ScheduledChecksService } from "./scheduled-checks.service.js";
import { SslChecksService, type TlsProber } from "./ssl-checks.service.js";
import { UsersService } from "./users.service.js";
import { WebhookDeliveriesService } from "./webhook-deliveries.service.js";
import { WebhooksService } from "./webhooks.service.js";
import { WhoisChecksService } from "./whois-checks.service.js";

export interface Services {
  db: Db;
  users: UsersService;
  apiKeys: ApiKeysService;
  domains: DomainsService;
  sslChecks: SslChecksService;
  whoisChecks: WhoisChecksService;
  manualChecks: ManualChecksService;
  scheduledChecks: ScheduledChecksService;
  alerts: AlertsService;
  webhooks: WebhooksService;
  webhookDeliveries: WebhookDeliveriesService;
  events: EventBus;
  keyUsage: KeyUsage;
  /** Names this process in database claims and leases. */
  instanceId: string;
  close(): Promise<void>;
}

/** The probe options the configuration sets; the trust store is built here, once per process. */
export function tlsProbeOptions(config: Config): TlsProbeOptions {
  return {
    trust: createTrustStore(),
    timeoutMs: config.CERTPULSE_PROBE_TIMEOUT_MS,
    allowPrivate: config.CERTPULSE_ALLOW_PRIVATE_TARGETS,
    hostsFile: config.CERTPULSE_HOSTS_FILE,
  };
}

/** An RDAP answer is a few kilobytes; a WHOIS answer rarely 20. Anything far past is hostile or broken. */
const RDAP_MAX_BYTES = 1024 * 1024;
const WHOIS_MAX_BYTES = 256 * 1024;

/**
 * The registration probe's options from the configuration, with the HTTP client (close it when
 * done) and the bootstrap registry cache, both built once per process.
 */
export function registrationProbeOptions(config: Config): RegistrationProbeOptions & { http: HttpClient } {
  const guard = {
    allowPrivate: config.CERTPULSE_ALLOW_PRIVATE_TARGETS,
    hostsFile: config.CERTPULSE_HOSTS_FILE,
    timeoutMs: config.CERTPULSE_PROBE_TIMEOUT_MS,
  };
  const http = createHttpClient({ ...guard, maxBytes: RDAP_MAX_BYTES });
  return {
    http,
    rdap: { http, bootstrap: new RdapBootstrap({ url: config.CERTPULSE_RDAP_BOOTSTRAP_URL, http }) },
    whois: {
      query: createWhoisClient({ ...guard, maxBytes: WHOIS_MAX_BYTES }),
      firstServer: parseServer(config.CERTPULSE_WHOIS_SERVER)!,
    },
  };
}

/** Webhook answers are read for the delivery log only; a receiver sending more is misbehaving. */
const WEBHOOK_MAX_BYTES = 64 * 1024;

export function createServices(
  db: Db,
  config: Config,
  { redis, events = inProcessEventBus() }: { redis?: Redis; events?: EventBus } = {},
): Services {
  const keyUsage = new KeyUsage(db, config.CERTPULSE_KEY_USAGE_FLUSH_MS);
  const domains = new DomainsService(db);
  const probeOptions = tlsProbeOptions(config);
  const prober: TlsProber = (target, { scanProtocols }) =>
    probeTls(target, { ...probeOptions, scanProtocols });
  const registration = registrationProbeOptions(config);
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const limits = new RateLimits(redis);
  const alerts = new AlertsService(db, events, { lifetimePercent: config.CERTPULSE_ALERT_LIFETIME_PERCENT });
  const sslChecks = new SslChecksService(
    db,
    prober,
    alerts,
    events,
    config.CERTPULSE_PROTOCOL_SCAN_HOURS * 3_600_000,
  );
  // A lookup is at most seven requests (bootstrap, registry, registrar; four WHOIS hops).
  const lookupLeaseMs = 10 * config.CERTPULSE_PROBE_TIMEOUT_MS;
  const whoisChecks = new WhoisChecksService(
    db,
    (domain) => probeRegistration(domain, registration),
    alerts,
    events,
    {
      intervalMs: config.CERTPULSE_WHOIS_CHECK_HOURS * 3_600_000,
      instanceId,
      leaseMs: lookupLeaseMs,
    },
  );
  const guard = {
    allowPrivate: config.CERTPULSE_ALLOW_PRIVATE_TARGETS,
    hostsFile: config.CERTPULSE_HOSTS_FILE,
  };
  const webhookHttp = createHttpClient({
    ...guard,
    timeoutMs: config.CERTPULSE_WEBHOOK_TIMEOUT_MS,
    maxBytes: WEBHOOK_MAX_BYTES,
  });
  const webhooks = new WebhooksService(db, guard);
  return {
    db,
    instanceId,
    events,
    keyUsage,
    users: new UsersService(db),
    apiKeys: new ApiKeysService(db, keyUsage, limits, events),
    domains,
    sslChecks,
    whoisChecks,
    manualChecks: new ManualChecksService(domains, sslChecks, whoisChecks, limits),
    scheduledChecks: new ScheduledChecksService(db, sslChecks, whoisChecks, {
      sslIntervalMs: config.CERTPULSE_SSL_CHECK_HOURS * 3_600_000,
      // Both checks run side by side: the SSL check is bounded by one probe timeout, the lookup by its lease.
      leaseMs: lookupLeaseMs + 2 * config.CERTPULSE_PROBE_TIMEOUT_MS,
      instanceId,
      provider: providerOf(config.DATABASE_URL),
    }),
    alerts,
    webhooks,
    webhookDeliveries: new WebhookDeliveriesService(db, webhookHttp, webhooks, alerts, {
      instanceId,
      // One attempt is one request bounded by the timeout; the margin covers recording it.
      leaseMs: 2 * config.CERTPULSE_WEBHOOK_TIMEOUT_MS + 30_000,
    }),
    async close() {
      await Promise.all([registration.http.close(), webhookHttp.close()]);
    },
  };
}
