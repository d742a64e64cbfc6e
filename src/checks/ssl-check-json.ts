// An SSL check as JSON: GET /domains/{id}/ssl and the `ssl` part of `certpulse check --json`.
import { lower, type Row } from "../lib/json.js";

type ProtocolRow = { version: string; accepted: boolean };

const revocationJson = (r: Row | null) =>
  r
    ? {
        status: lower(r.status),
        source: lower(r.source),
        url: r.url,
        revoked_at: r.revokedAt,
        reason: r.reason,
        detail: r.detail,
      }
    : null;

const caaJson = (caa: Row | null) =>
  caa
    ? {
        status: lower(caa.status),
        issuer: caa.issuer,
        caa_domains: caa.caaDomains,
        names: (caa.names as Row[]).map((n) => ({
          name: n.name,
          found_at: n.foundAt,
          issue: n.issue,
          issuewild: n.issuewild,
          allowed: n.allowed,
          problem: n.problem,
        })),
      }
    : null;

/** GET /domains/{id}/ssl, and `certpulse check --json` (which has no id or domain_id). */
export const sslCheckJson = (c: Row) => ({
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
  revocation: revocationJson(c.revocation as Row | null),
  caa: caaJson(c.caa as Row | null),
  hsts_max_age: c.hstsMaxAge,
  hsts_include_subdomains: c.hstsIncludeSubdomains,
  hsts_preload: c.hstsPreload,
  protocols: c.protocols
    ? Object.fromEntries((c.protocols as ProtocolRow[]).map((p) => [p.version, p.accepted]))
    : null,
  cipher_suites:
    (c.cipherSuites as Row[] | null)?.map((p) => ({
      protocol: p.protocol,
      secure_renegotiation: p.secureRenegotiation,
      suites: (p.suites as Row[]).map((s) => ({
        name: s.name,
        key_exchange: s.keyExchange,
        bits: s.bits,
        forward_secrecy: s.forwardSecrecy,
        aead: s.aead,
        group: s.group,
        group_bits: s.groupBits,
      })),
    })) ?? null,
  grade_reasons: c.gradeReasons,
});
