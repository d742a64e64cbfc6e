// GraphQL selections and their REST renderings, field for field as ssltrackr-api.txt writes them
// (snake_case, in the spec's order), with CertPulse's additions after the spec's fields.
type Row = Record<string, unknown>;

export const DOMAIN_LIST_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining tags createdAt status";
export const DOMAIN_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining notes tags createdAt updatedAt status address alertDays";
export const API_KEY_FIELDS = "id label prefix permissions expiresAt lastUsedAt revokedAt createdAt";

/** Enum values as the REST API writes them (GraphQL has them upper-case). */
export const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value);

export const domainListItem = (d: Row) => ({
  id: d.id,
  hostname: d.hostname,
  port: d.port,
  is_active: d.isActive,
  ssl_grade: d.sslGrade,
  ssl_days_remaining: d.sslDaysRemaining,
  whois_days_remaining: d.whoisDaysRemaining,
  tags: d.tags,
  created_at: d.createdAt,
  status: lower(d.status),
});

export const domain = (d: Row) => ({
  id: d.id,
  hostname: d.hostname,
  port: d.port,
  is_active: d.isActive,
  ssl_grade: d.sslGrade,
  ssl_days_remaining: d.sslDaysRemaining,
  whois_days_remaining: d.whoisDaysRemaining,
  notes: d.notes,
  tags: d.tags,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  status: lower(d.status),
  address: d.address,
  alert_days: d.alertDays,
});

export const pagination = (p: Row) => ({
  page: p.page,
  per_page: p.perPage,
  total: p.total,
  total_pages: p.totalPages,
});

export const apiKey = (k: Row, key?: string) => ({
  id: k.id,
  label: k.label,
  ...(key === undefined ? {} : { key }),
  permissions: (k.permissions as string[]).map(lower),
  expires_at: k.expiresAt,
  last_used_at: k.lastUsedAt,
  created_at: k.createdAt,
  prefix: k.prefix,
  revoked_at: k.revokedAt,
});

export const SSL_CHECK_FIELDS = `id domainId subject issuer validFrom validTo daysRemaining serialNumber tlsVersion
  chainValid hsts sans grade checkedAt error address subjectParts issuerParts fingerprint256 keyType keySize
  signatureAlgorithm cipher chainError hostnameValid chain { subject issuer validFrom validTo } earliestExpiry
  ocspStapled hstsMaxAge hstsIncludeSubdomains hstsPreload protocols { version accepted } gradeReasons`;

type ProtocolRow = { version: string; accepted: boolean };

/** GET /domains/{id}/ssl, and `certpulse check --json` (which has no id or domain_id). */
export const sslCheck = (c: Row) => ({
  id: c.id,
  domain_id: c.domainId,
  subject: c.subject,
  issuer: c.issuer,
  valid_from: c.validFrom,
  valid_to: c.validTo,
  days_remaining: c.daysRemaining,
  serial_number: c.serialNumber,
  tls_version: c.tlsVersion,
  chain_valid: c.chainValid,
  hsts: c.hsts,
  sans: c.sans,
  grade: c.grade,
  checked_at: c.checkedAt,
  error: c.error,
  address: c.address,
  subject_parts: c.subjectParts,
  issuer_parts: c.issuerParts,
  fingerprint_sha256: c.fingerprint256,
  key_type: c.keyType,
  key_size: c.keySize,
  signature_algorithm: c.signatureAlgorithm,
  cipher: c.cipher,
  chain_error: c.chainError,
  hostname_valid: c.hostnameValid,
  chain:
    (c.chain as Row[] | null)?.map((cert) => ({
      subject: cert.subject,
      issuer: cert.issuer,
      valid_from: cert.validFrom,
      valid_to: cert.validTo,
    })) ?? null,
  earliest_expiry: c.earliestExpiry,
  ocsp_stapled: c.ocspStapled,
  hsts_max_age: c.hstsMaxAge,
  hsts_include_subdomains: c.hstsIncludeSubdomains,
  hsts_preload: c.hstsPreload,
  protocols: c.protocols
    ? Object.fromEntries((c.protocols as ProtocolRow[]).map((p) => [p.version, p.accepted]))
    : null,
  grade_reasons: c.gradeReasons,
});

export const WHOIS_CHECK_FIELDS = `id domainId registrar createdDate expiryDate daysRemaining dnssec nameservers
  checkedAt registrableDomain outcome source server error expiryNote retryAfter registrarIanaId updatedDate statuses`;

/** GET /domains/{id}/whois, and the registration part of `certpulse check --json` (no id or domain_id). */
export const whoisCheck = (c: Row) => ({
  id: c.id,
  domain_id: c.domainId,
  registrar: c.registrar,
  created_date: c.createdDate,
  expiry_date: c.expiryDate,
  days_remaining: c.daysRemaining,
  dnssec: c.dnssec,
  nameservers: c.nameservers,
  checked_at: c.checkedAt,
  registrable_domain: c.registrableDomain,
  outcome: lower(c.outcome),
  source: lower(c.source),
  server: c.server,
  error: c.error,
  expiry_note: c.expiryNote,
  retry_after: c.retryAfter,
  registrar_iana_id: c.registrarIanaId,
  updated_date: c.updatedDate,
  statuses: c.statuses,
});

export const ALERT_FIELDS =
  "id domainId hostname alertType severity title message thresholdDays triggeredAt resolvedAt";

export const alert = (a: Row) => ({
  id: a.id,
  domain_id: a.domainId,
  hostname: a.hostname,
  alert_type: lower(a.alertType),
  severity: lower(a.severity),
  title: a.title,
  message: a.message,
  threshold_days: a.thresholdDays,
  triggered_at: a.triggeredAt,
  resolved_at: a.resolvedAt,
});

export const WEBHOOK_FIELDS =
  "id url description format eventTypes minSeverity isActive failureCount disabledAt createdAt updatedAt";

export const webhook = (w: Row, secret?: string) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  format: lower(w.format),
  event_types: (w.eventTypes as string[]).map(lower),
  min_severity: lower(w.minSeverity),
  is_active: w.isActive,
  ...(secret === undefined ? {} : { secret }),
  failure_count: w.failureCount,
  disabled_at: w.disabledAt,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

export const DELIVERY_FIELDS = `id webhookId alertId eventType status attempts nextAttemptAt lastAttemptAt
  responseStatus responseBody durationMs error createdAt payload`;

export const delivery = (d: Row) => ({
  id: d.id,
  webhook_id: d.webhookId,
  alert_id: d.alertId,
  event_type: d.eventType,
  status: lower(d.status),
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  last_attempt_at: d.lastAttemptAt,
  response_status: d.responseStatus,
  response_body: d.responseBody,
  duration_ms: d.durationMs,
  error: d.error,
  created_at: d.createdAt,
  payload: d.payload,
});
