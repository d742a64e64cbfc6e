// A domain as JSON, the shape of the REST API (snake_case, the spec's fields in its order, then
// CertPulse's). One function per view: the list item and the full domain.
import { lower, type Row } from "../lib/json.js";

export const domainListItemJson = (d: Row) => ({
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

export const domainJson = (d: Row) => ({
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
  service_id: d.serviceId,
  notification_channels: d.notificationChannels,
  number: d.number,
  http_path: d.httpPath,
  proxy: d.proxy ? proxyJson(d.proxy as Row) : null,
  start_tls: lower(d.startTls),
});

/** A domain's proxy; the password is never returned, only whether one is set. */
const proxyJson = (p: Row) => ({
  host: p.host,
  port: p.port,
  username: p.username,
  has_password: p.hasPassword,
});
