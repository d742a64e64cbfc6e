// GET /metrics: Prometheus' text exposition. A read key sees its own domains; the operator's
// CERTPULSE_METRICS_TOKEN sees every user's (with an owner label) and the service's own metrics:
// checks, alerts, deliveries and request durations summed over both threads, and the scheduler's
// backlog and lag. The service's metrics count every user's work, so a user's key never sees them.
import { createHash, timingSafeEqual } from "node:crypto";
import { AggregatorRegistry, Gauge, Registry } from "prom-client";
import { domainMetrics, type MetricsScope } from "../domains/domain-metrics.js";
import { AppError } from "../lib/errors.js";
import type { MetricsSnapshot } from "../lib/telemetry.js";
import type { Services } from "../schema/context.js";
import { keyFromHeaders } from "./api-key-header.js";

export interface MetricsSources {
  services: Services;
  /** CERTPULSE_METRICS_TOKEN: the operator's bearer token, for all users and the service's metrics. */
  token?: string;
  /** The other threads' service metrics (the check thread's), to sum with this one's. */
  otherThreads: () => Promise<MetricsSnapshot[]>;
}

export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const digest = (value: string) => createHash("sha256").update(value).digest();
/** Compared as digests: equal lengths, so the comparison's time says nothing about the token. */
const isOperatorToken = (given: string, token: string | undefined) =>
  token !== undefined && token !== "" && timingSafeEqual(digest(given), digest(token));

const refused = (status: number, error: string): MetricsAnswer => ({
  status,
  headers: {
    "content-type": "application/json; charset=utf-8",
    "www-authenticate": 'Bearer realm="metrics"',
  },
  body: JSON.stringify({ error }),
});

async function scopeOf(headers: Headers, sources: MetricsSources): Promise<MetricsScope | MetricsAnswer> {
  let key: string | null;
  try {
    key = keyFromHeaders(headers);
  } catch (error) {
    return refused(401, (error as Error).message);
  }
  if (key === null)
    return refused(401, "Missing API key: send Authorization: Bearer <read key or metrics token>");
  if (isOperatorToken(key, sources.token)) return { all: true };
  try {
    const auth = await sources.services.apiKeys.authenticate(key);
    if (!auth.permissions.includes("read")) return refused(403, "This API key lacks the read permission");
    return { userId: auth.userId };
  } catch (error) {
    if (error instanceof AppError) return refused(401, error.message);
    throw error;
  }
}

async function serviceMetrics(sources: MetricsSources, now: Date): Promise<string> {
  const { services } = sources;
  const threads = [await services.telemetry.snapshot(), ...(await sources.otherThreads())];
  const scheduler = new Registry();
  const backlog = new Gauge({
    name: "certpulse_scheduler_backlog",
    help: "Checks due and not yet started, by kind",
    labelNames: ["kind"] as const,
    registers: [scheduler],
  });
  const lag = new Gauge({
    name: "certpulse_scheduler_lag_seconds",
    help: "How long the most overdue check has waited past its time, by kind (0: nothing due)",
    labelNames: ["kind"] as const,
    registers: [scheduler],
  });
  for (const [kind, { due, oldest }] of Object.entries(await services.scheduledChecks.backlog(now))) {
    backlog.set({ kind }, due);
    lag.set({ kind }, oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);
  }
  return (await AggregatorRegistry.aggregate(threads).metrics()) + (await scheduler.metrics());
}

export async function metricsAnswer(headers: Headers, sources: MetricsSources, now = new Date()) {
  const scope = await scopeOf(headers, sources);
  if ("status" in scope) return scope;
  const parts = [await domainMetrics(sources.services.db, scope, now)];
  if ("all" in scope) parts.unshift(await serviceMetrics(sources, now));
  return {
    status: 200,
    headers: { "content-type": Registry.PROMETHEUS_CONTENT_TYPE },
    body: parts.join("\n"),
  };
}
