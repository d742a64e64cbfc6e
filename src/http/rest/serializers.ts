// GraphQL selections and their REST renderings, field for field as ssltrackr-api.txt writes them
// (snake_case, in the spec's order), with CertPulse's additions after the spec's fields.
type Row = Record<string, unknown>;

export const DOMAIN_LIST_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining tags createdAt status";
export const DOMAIN_FIELDS =
  "id hostname port isActive sslGrade sslDaysRemaining whoisDaysRemaining notes tags createdAt updatedAt status address alertDays";
export const API_KEY_FIELDS = "id label prefix permissions expiresAt lastUsedAt revokedAt createdAt";

const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value);

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
