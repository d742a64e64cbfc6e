// Wires the services over one database connection; the HTTP layer and the CLI both start here.
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { probeTls, type TlsProbeOptions } from "../probes/tls-probe.js";
import { createTrustStore } from "../probes/trust-store.js";
import { ApiKeysService } from "./api-keys.service.js";
import { DomainsService } from "./domains.service.js";
import { KeyUsage } from "./key-usage.js";
import { RateLimits } from "./rate-limits.js";
import { SslChecksService, type TlsProber } from "./ssl-checks.service.js";
import { UsersService } from "./users.service.js";

export interface Services {
  db: Db;
  users: UsersService;
  apiKeys: ApiKeysService;
  domains: DomainsService;
  sslChecks: SslChecksService;
  keyUsage: KeyUsage;
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

export function createServices(db: Db, config: Config, redis?: Redis): Services {
  const keyUsage = new KeyUsage(db, config.CERTPULSE_KEY_USAGE_FLUSH_MS);
  const domains = new DomainsService(db);
  const probeOptions = tlsProbeOptions(config);
  const prober: TlsProber = (target, { scanProtocols }) =>
    probeTls(target, { ...probeOptions, scanProtocols });
  return {
    db,
    keyUsage,
    users: new UsersService(db),
    apiKeys: new ApiKeysService(db, keyUsage, new RateLimits(redis)),
    domains,
    sslChecks: new SslChecksService(db, prober, config.CERTPULSE_PROTOCOL_SCAN_HOURS * 3_600_000),
  };
}
