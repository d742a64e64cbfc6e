// A registration check as JSON: GET /domains/{id}/whois and the `whois` part of `certpulse check --json`.
import { lower, type Row } from "../lib/json.js";

/** GET /domains/{id}/whois, and the registration part of `certpulse check --json` (no id or domain_id). */
export const whoisCheckJson = (c: Row) => ({
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
