// Which alerts an SSL check raises, holds and resolves: ssl_expiry, ssl_invalid, ssl_revoked,
// ssl_unreachable, ssl_changed and caa_mismatch. Pure: the domain, the new check and the last good
// ones in; an Evaluation out.
//
// Severity rule: expired or ≤ 7 days left, an untrusted chain, a revoked certificate and a hostname
// mismatch are critical; expiry further out, an unreachable server, a certificate changed in names,
// issuer or key type, and CAA records that would refuse the renewal are warnings; a plain renewal
// (same names and issuer) is info.
import type { SslCheck } from "../../db/generated/sqlite/client.js";
import { thresholdsFor } from "../../domains/expiry-policy.js";
import { DAY_MS, isoDay } from "../../lib/days.js";
import type { CaaVerdict } from "../../probes/caa/caa.js";
import { isTrustProblem } from "../../probes/tls/chain-verdict.js";
import { type AlertDraft, type Evaluation, expiryAlerts } from "./thresholds.js";

export interface SslAlertInput {
  domain: { id: string; hostname: string; port: number; alertDays: number[] | null };
  /** The check just made. */
  check: SslCheck;
  /** The newest check that reached a certificate, this one included. */
  lastGood: SslCheck | null;
  /** The good check before `check` (when `check` is good): what the certificate was replaced from. */
  previousGood: SslCheck | null;
  /** Share of the certificate's lifetime left that also raises an expiry alert; 0 for none. */
  lifetimePercent: number;
  now: Date;
}

const label = (d: SslAlertInput["domain"]) => (d.port === 443 ? d.hostname : `${d.hostname}:${d.port}`);

function expiry(input: SslAlertInput, cert: SslCheck): Evaluation {
  const validTo = cert.validTo as Date;
  const expiresAt = cert.earliestExpiry && cert.earliestExpiry < validTo ? cert.earliestExpiry : validTo;
  const lifetimeMs = cert.validFrom ? validTo.getTime() - cert.validFrom.getTime() : 0;
  const host = label(input.domain);
  return expiryAlerts(
    {
      type: "ssl_expiry",
      keyPrefix: `${input.domain.id}:ssl_expiry:${cert.fingerprint256}`,
      expiresAt,
      thresholds: thresholdsFor(input.domain.alertDays, { ms: lifetimeMs, percent: input.lifetimePercent }),
      subject: "SSL certificate",
      what:
        expiresAt < validTo
          ? `An intermediate certificate served for ${host}`
          : `The SSL certificate for ${host}`,
      detail: (t) =>
        t.percent === undefined
          ? ""
          : ` That is ${t.percent}% or less of its ${Math.round(lifetimeMs / DAY_MS)}-day lifetime.`,
    },
    input.now,
  );
}

function invalid({ domain, check }: SslAlertInput): AlertDraft[] {
  const host = label(domain);
  const key = (reason: string) => `${domain.id}:ssl_invalid:${check.fingerprint256}:${reason}`;
  const drafts: AlertDraft[] = [];
  const code = check.chainErrorCode;
  if (code === "revoked") {
    drafts.push({
      type: "ssl_revoked",
      severity: "critical",
      title: "SSL certificate has been revoked",
      message: `The issuer has revoked the SSL certificate served for ${host} (${check.chainError}). Browsers that check will refuse it: replace it now.`,
      thresholdDays: null,
      dedupeKey: `${domain.id}:ssl_revoked:${check.fingerprint256}`,
    });
    // An expired certificate is reported as expiry (ssl_expiry), not as distrust.
  } else if (isTrustProblem(code) && code !== "expired") {
    const selfSigned = code === "self_signed" || code === "untrusted_root";
    drafts.push({
      type: "ssl_invalid",
      severity: "critical",
      title: selfSigned ? "SSL certificate is self-signed" : "SSL certificate is not trusted",
      message: `Browsers will refuse the SSL certificate served for ${host}: ${check.chainError}.`,
      thresholdDays: null,
      dedupeKey: key(selfSigned ? "self-signed" : "chain"),
    });
  }
  if (check.hostnameValid === false) {
    const names = (check.sans as string[] | null)?.join(", ") || check.subject || "other names";
    drafts.push({
      type: "ssl_invalid",
      severity: "critical",
      title: `SSL certificate does not match ${domain.hostname}`,
      message: `The SSL certificate served for ${host} is for ${names}, not ${domain.hostname}.`,
      thresholdDays: null,
      dedupeKey: key("hostname"),
    });
  }
  return drafts;
}

function caaMismatch({ domain, check }: SslAlertInput): AlertDraft | null {
  const caa = check.caa as CaaVerdict | null;
  if (caa?.status !== "refused") return null;
  const refusing = caa.names.filter((n) => n.allowed === false);
  return {
    type: "caa_mismatch",
    severity: "warning",
    title: `CAA records would refuse the renewal of ${label(domain)}`,
    message: `The certificate for ${label(domain)} comes from ${caa.issuer} (${caa.caaDomains.join(", ")}), which its CAA records no longer let issue: ${refusing.map((n) => `${n.name}: ${n.problem}`).join("; ")}. The next renewal from the same CA will fail unless the records change.`,
    thresholdDays: null,
    dedupeKey: `${domain.id}:caa_mismatch:${caa.issuer}`,
  };
}

function unreachable({ domain, check, lastGood }: SslAlertInput): AlertDraft {
  const since = lastGood ? ` The last successful check was on ${isoDay(lastGood.checkedAt)}.` : "";
  return {
    type: "ssl_unreachable",
    severity: "warning",
    title: `SSL check of ${label(domain)} failed`,
    message: `CertPulse could not check the SSL certificate of ${label(domain)}: ${check.error}.${since}`,
    thresholdDays: null,
    // One alert per outage: every failure since the same last good check shares the key.
    dedupeKey: `${domain.id}:ssl_unreachable:${lastGood?.id ?? "never"}`,
  };
}

const names = (c: SslCheck) =>
  [...new Set((c.sans as string[] | null) ?? [c.subject ?? ""])].sort().join(", ");
const keyKind = (c: SslCheck) => `${c.keyType ?? "?"}${c.keySize ? ` ${c.keySize}` : ""}`;

function changed({ domain, check, previousGood: before }: SslAlertInput): AlertDraft | null {
  if (!before || before.fingerprint256 === check.fingerprint256) return null;
  const host = label(domain);
  const differences = [
    names(before) !== names(check) ? `names ${names(before)} → ${names(check)}` : null,
    before.issuer !== check.issuer ? `issuer ${before.issuer} → ${check.issuer}` : null,
    before.keyType !== check.keyType ? `key ${keyKind(before)} → ${keyKind(check)}` : null,
  ].filter((d) => d !== null);
  const until = `valid until ${isoDay(check.validTo)}`;
  return {
    type: "ssl_changed",
    severity: differences.length === 0 ? "info" : "warning",
    title: differences.length === 0 ? "SSL certificate renewed" : "SSL certificate changed",
    message:
      differences.length === 0
        ? `${host} serves a renewed certificate (same names and issuer), ${until}.`
        : `${host} serves a different certificate, ${until}: ${differences.join("; ")}.`,
    thresholdDays: null,
    dedupeKey: `${domain.id}:ssl_changed:${before.fingerprint256}>${check.fingerprint256}`,
    notice: true,
  };
}

export function sslAlerts(input: SslAlertInput): Evaluation {
  const { check, lastGood } = input;
  // Expiry follows the last certificate seen, through outages too: it still expires on time.
  const fromExpiry = lastGood?.validTo ? expiry(input, lastGood) : { types: [], raise: [], holds: [] };
  if (check.error !== null) {
    const down = unreachable(input);
    return {
      types: ["ssl_unreachable", "ssl_expiry"],
      raise: [down, ...fromExpiry.raise],
      holds: [down.dedupeKey, ...fromExpiry.holds],
    };
  }
  const problems = [...invalid(input), ...[caaMismatch(input)].filter((d) => d !== null)];
  const change = changed(input);
  return {
    types: ["ssl_unreachable", "ssl_expiry", "ssl_invalid", "ssl_revoked", "caa_mismatch"],
    raise: [...fromExpiry.raise, ...problems, ...(change ? [change] : [])],
    holds: [...fromExpiry.holds, ...problems.map((p) => p.dedupeKey)],
  };
}
