// The GraphQL selections REST routes run, one per entity, and the REST page footer. Each entity's
// JSON shape is built by its own folder's *-json.ts, which REST, webhooks and the CLI share.
import type { Row } from "../../lib/json.js";

export const DOMAIN_LIST_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining tags createdAt status";
export const DOMAIN_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining notes tags createdAt updatedAt status address alertDays serviceId notificationChannels number httpPath proxy { host port username hasPassword } startTls";
export const API_KEY_FIELDS = "id label prefix permissions expiresAt lastUsedAt revokedAt createdAt";

export const pagination = (p: Row) => ({
  page: p.page,
  per_page: p.perPage,
  total: p.total,
  total_pages: p.totalPages,
});

export const SSL_CHECK_FIELDS = `id domainId subject issuer validFrom validTo daysRemaining serialNumber tlsVersion
  chainValid hsts sans grade checkedAt error address subjectParts issuerParts fingerprint256 keyType keySize
  signatureAlgorithm cipher chainError hostnameValid chain { subject issuer validFrom validTo } earliestExpiry
  ocspStapled revocation { status source url revokedAt reason detail }
  caa { status issuer caaDomains names { name foundAt issue issuewild allowed problem } } hstsMaxAge hstsIncludeSubdomains hstsPreload protocols { version accepted }
  cipherSuites { protocol secureRenegotiation suites { name keyExchange bits forwardSecrecy aead group groupBits } } gradeReasons`;

export const WHOIS_CHECK_FIELDS = `id domainId registrar createdDate expiryDate daysRemaining dnssec nameservers
  checkedAt registrableDomain outcome source server error expiryNote retryAfter registrarIanaId updatedDate statuses`;

export const ALERT_FIELDS =
  "id domainId hostname type: alertType severity title message thresholdDays triggeredAt resolvedAt";

export const WEBHOOK_FIELDS =
  "id url description format eventTypes minSeverity isActive failureCount disabledAt createdAt updatedAt";

export const DELIVERY_FIELDS = `id webhookId alertId eventType status attempts nextAttemptAt lastAttemptAt
  responseStatus responseBody durationMs error createdAt payload`;
