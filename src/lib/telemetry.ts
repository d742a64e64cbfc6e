// What the service tells about its own work, in one place per event: the info log line operators
// read and the Prometheus counter or histogram they alert on are written together, so the two can
// never disagree. Each thread has its own (the check thread's is read by the main thread at scrape
// time and summed with prom-client's aggregator).
import { Counter, Histogram, type MetricObjectWithValues, type MetricValue, Registry } from "prom-client";
import type { Logger } from "./logger.js";

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export interface FinishedCheck {
  kind: "ssl" | "registration";
  hostname: string;
  port?: number;
  /** ok: an answer was read (a registry's "not found" included); error: none could be. */
  outcome: "ok" | "error";
  grade?: string | null;
  days?: number | null;
  error?: string | null;
  ms: number;
}

interface AlertFacts {
  id: string;
  type: string;
  severity: string;
  hostname: string;
  title: string;
}

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export class Telemetry {
  readonly registry = new Registry();
  private readonly checks = new Counter({
    name: "certpulse_checks_total",
    help: "Finished checks by kind (ssl, registration) and outcome (ok, error)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly checkSeconds = new Histogram({
    name: "certpulse_check_duration_seconds",
    help: "How long a check took: an SSL check with its storing, a registration check its lookup",
    labelNames: ["kind"] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly alertsRaised = new Counter({
    name: "certpulse_alerts_raised_total",
    help: "Alerts raised, by type and severity",
    labelNames: ["type", "severity"] as const,
    registers: [this.registry],
  });
  private readonly alertsResolved = new Counter({
    name: "certpulse_alerts_resolved_total",
    help: "Alerts resolved because their condition cleared, by type",
    labelNames: ["type"] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: "certpulse_webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome (succeeded, retrying, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly httpSeconds = new Histogram({
    name: "certpulse_http_request_duration_seconds",
    help: "HTTP requests by method, route (the REST route's pattern, or other) and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: REQUEST_SECONDS,
    registers: [this.registry],
  });
  private readonly graphqlSeconds = new Histogram({
    name: "certpulse_graphql_operation_duration_seconds",
    help: "GraphQL operations executed (REST routes included), by operation type and outcome",
    labelNames: ["operation", "outcome"] as const,
    buckets: REQUEST_SECONDS,
    registers: [this.registry],
  });

  constructor(private readonly log: Logger) {}

  checkFinished(check: FinishedCheck): void {
    this.checks.inc({ kind: check.kind, outcome: check.outcome });
    this.checkSeconds.observe({ kind: check.kind }, check.ms / 1000);
    const { kind, ...fields } = check;
    this.log.info({ ...fields, ms: Math.round(check.ms) }, `${kind} check`);
  }

  alertRaised({ id, type, severity, hostname, title }: AlertFacts): void {
    this.alertsRaised.inc({ type, severity });
    this.log.info({ alertId: id, type, severity, hostname, title }, "alert raised");
  }

  alertResolved(alert: { type: string; hostname: string }): void {
    this.alertsResolved.inc({ type: alert.type });
    this.log.info(alert, "alert resolved");
  }

  deliveryFinished(delivery: {
    webhookId: string;
    eventType: string;
    outcome: "succeeded" | "retrying" | "failed";
    status: number | null;
    error: string | null;
    ms: number | null;
  }): void {
    this.deliveries.inc({ outcome: delivery.outcome });
    this.log.info(delivery, "webhook delivery");
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ method, route, status: String(status) }, seconds);
  }

  graphqlOperation(operation: string, outcome: "ok" | "error", seconds: number): void {
    this.graphqlSeconds.observe({ operation, outcome }, seconds);
  }

  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON();
  }
}
