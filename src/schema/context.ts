// What every resolver receives: the services, the caller's identity (null when no key was sent) and
// the request id that ties log lines to a response. The composition root (src/app/) builds the
// services; this says what the schema needs of them.
import type { ApiKeysService, Auth } from "../access/api-keys.service.js";
import type { KeyUsage } from "../access/key-usage.js";
import type { UsersService } from "../access/users.service.js";
import type { AlertsService } from "../alerts/alerts.service.js";
import type { ManualChecksService } from "../checks/manual-checks.service.js";
import type { ScheduledChecksService } from "../checks/scheduled-checks.service.js";
import type { ServedCertificatesService } from "../checks/served-certificates.service.js";
import type { SslChecksService } from "../checks/ssl-checks.service.js";
import type { WhoisChecksService } from "../checks/whois-checks.service.js";
import type { Db } from "../db/client.js";
import type { DomainImportService } from "../domains/domain-import.service.js";
import type { DomainsService } from "../domains/domains.service.js";
import type { EventBus } from "../events/event-bus.js";
import type { Telemetry } from "../lib/telemetry.js";
import type { WebhookDeliveriesService } from "../webhooks/webhook-deliveries.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";

export interface Services {
  db: Db;
  users: UsersService;
  apiKeys: ApiKeysService;
  domains: DomainsService;
  domainImport: DomainImportService;
  sslChecks: SslChecksService;
  servedCertificates: ServedCertificatesService;
  whoisChecks: WhoisChecksService;
  manualChecks: ManualChecksService;
  scheduledChecks: ScheduledChecksService;
  alerts: AlertsService;
  webhooks: WebhooksService;
  webhookDeliveries: WebhookDeliveriesService;
  events: EventBus;
  keyUsage: KeyUsage;
  /** This thread's own metrics and the log lines of finished work. */
  telemetry: Telemetry;
  /** Names this process in database claims and leases. */
  instanceId: string;
}

/** What one request may ask: see src/http/query-limits.ts. */
export interface QueryLimits {
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  /** Fields selected in all, aliases and fragments included. */
  breadth: number;
  /** Each field costs 1; a paged field multiplies what is selected under it by its page size. */
  complexity: number;
}

export interface Context {
  services: Services;
  limits: QueryLimits;
  auth: Auth | null;
  requestId: string;
}

/** The context of a field that required a permission: a key was sent and it holds that permission. */
export type AuthedContext = Context & { auth: Auth };
