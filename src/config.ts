// Validated configuration from the environment. Every variable the README lists is read here and
// nowhere else, so a typo fails at start-up with a clear message rather than deep in a request.
import { Resolver } from "node:dns";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./db/provider.js";
import { parseServer } from "./lib/whois-server.js";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");
/** A flag that is on unless set to false or 0. */
const onByDefault = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value !== "false" && value !== "0");

/**
 * `CERTPULSE_CAA_ISSUERS`: `Organization=domain,domain;Other Organization=domain`. Organizations hold
 * commas ("GoDaddy.com, Inc."), so entries are separated by semicolons. Null when it does not parse.
 * Keys are lower case: issuers are matched without regard to case.
 */
function parseCaaIssuers(value: string): Record<string, string[]> | null {
  const issuers: Record<string, string[]> = {};
  for (const entry of value
    .split(";")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const organization = entry.slice(0, at).trim();
    const domains = entry
      .slice(at + 1)
      .split(",")
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean);
    if (at <= 0 || domains.length === 0 || !domains.every((d) => /^[a-z0-9.-]+$/.test(d))) return null;
    issuers[organization.toLowerCase()] = domains;
  }
  return issuers;
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => {
      try {
        providerOf(url);
        return true;
      } catch {
        return false;
      }
    }, "must start with file: or postgresql://"),
  REDIS_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().default("development"),
  CERTPULSE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** The larger body limit of a domain import (REST, and GraphQL which can carry one): 10,000 lines. */
  CERTPULSE_MAX_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** The operator's bearer token for /metrics: every user's domains and the service's own metrics. */
  CERTPULSE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  CERTPULSE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  CERTPULSE_KEY_USAGE_FLUSH_MS: z.coerce.number().int().positive().default(30_000),
  /** How long a verified API key is trusted without a lookup; revocations drop it at once. 0: never. */
  CERTPULSE_KEY_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  CERTPULSE_ALLOW_PRIVATE_TARGETS: flag,
  CERTPULSE_PROBE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How long the check's HTTP request may take (a TLS peer that does not speak HTTP is not waited on). */
  CERTPULSE_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** Body bytes the check's HTTP request counts when the server does not declare the size. */
  CERTPULSE_HTTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  /** Same-origin redirects the check's HTTP request follows (0: report the redirect, follow none). */
  CERTPULSE_HTTP_REDIRECTS: z.coerce.number().int().min(0).max(10).default(0),
  CERTPULSE_PROTOCOL_SCAN_HOURS: z.coerce.number().positive().default(24),
  CERTPULSE_HOSTS_FILE: z.string().optional(),
  /** DNS servers the probes ask instead of the system's resolver: `ip` or `ip:port`, comma-separated. */
  CERTPULSE_DNS_SERVERS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ? value
            .split(",")
            .map((server) => server.trim())
            .filter(Boolean)
        : undefined,
    )
    .refine((servers) => {
      try {
        // The resolver's own parser: ip, ip:port, [ipv6]:port.
        if (servers) new Resolver().setServers(servers);
        return true;
      } catch {
        return false;
      }
    }, "must be IP addresses (ip, ip:port or [ipv6]:port), comma-separated"),
  /** Ask whether each certificate is revoked: its stapled OCSP response, else its OCSP responder, else its CRL. */
  CERTPULSE_REVOCATION_CHECK: onByDefault,
  /** Look up CAA records for each certificate's names (for CAs whose CAA identity is known). */
  CERTPULSE_CAA_CHECK: onByDefault,
  /** More CAs' CAA identities: `Organization=domain,domain;Other Organization=domain`. */
  CERTPULSE_CAA_ISSUERS: z
    .string()
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const issuers = parseCaaIssuers(value);
      if (!issuers) {
        context.addIssue({ code: "custom", message: "must be Organization=domain,domain;Other=domain" });
        return z.NEVER;
      }
      return issuers;
    }),
  CERTPULSE_RDAP_BOOTSTRAP_URL: z.url().default("https://data.iana.org/rdap/dns.json"),
  CERTPULSE_WHOIS_SERVER: z
    .string()
    .default("whois.iana.org")
    .refine((value) => parseServer(value) !== null, "must be host or host:port"),
  CERTPULSE_WHOIS_CHECK_HOURS: z.coerce.number().positive().default(24),
  CERTPULSE_SSL_CHECK_HOURS: z.coerce.number().positive().default(6),
  /** Off for an API-only instance (and in most tests): nothing is checked unless asked. */
  CERTPULSE_SCHEDULER_ENABLED: onByDefault,
  CERTPULSE_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  /** Slots beyond the concurrency kept for first checks, so hung peers or a backlog never delay them. */
  CERTPULSE_FIRST_CHECK_SLOTS: z.coerce.number().int().min(0).max(100).default(10),
  /**
   * Run the scheduler and its probes in a worker thread with its own database connection, so API
   * requests and checks never wait on each other's CPU. Off: everything on one event loop.
   */
  CERTPULSE_CHECK_THREAD: onByDefault,
  /** An SSL expiry alert also fires when this share of the certificate's lifetime is left; 0 turns it off. */
  CERTPULSE_ALERT_LIFETIME_PERCENT: z.coerce.number().min(0).max(100).default(33),
  // How long scheduled registration lookups must keep failing before whois_error is raised.
  CERTPULSE_WHOIS_FAILURE_ALERT_HOURS: z.coerce.number().min(0).default(24),
  /** How long a webhook receiver has to answer one delivery. */
  CERTPULSE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  CERTPULSE_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  // Per GraphQL request (REST routes included): what one request may ask, so none can hold the server.
  CERTPULSE_GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(2000),
  CERTPULSE_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(3).default(10),
  CERTPULSE_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  CERTPULSE_GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  CERTPULSE_GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).default(500),
  CERTPULSE_GRAPHQL_MAX_COST: z.coerce.number().int().min(100).default(10_000),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}
