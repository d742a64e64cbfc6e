// The SSLmonitor API's shapes: a monitor as its list shows it and as `monitor/get` details it (its
// `ssl` and `http` objects), and its error `{code, message, req_id}`.
import { thresholdsFor } from "../../../domains/expiry-policy.js";
import type { RestResponse } from "../route.js";
import { sslmonitorDate } from "./sslmonitor-params.js";

type Row = Record<string, unknown>;

/** What each monitor shape reads of a domain. */
export const MONITOR_FIELDS = `number hostname port alertDays
  latestSslCheck {
    checkedAt error subjectParts issuerParts issuer validFrom validTo daysRemaining sans chainValid chainError hostnameValid
    address addressName addressGeo
    http { status size title metaDescription metaKeywords headers { name value } }
  }`;

/** Valid now: a certificate read, trusted, matching the name, not expired. */
function verdict(d: Row, now: Date): { valid: boolean; message: string; color: string } {
  const check = d.latestSslCheck as Row | null;
  if (!check) return { valid: false, message: "Not checked yet", color: "grey" };
  if (check.error) return { valid: false, message: String(check.error), color: "red" };
  const validTo = new Date(check.validTo as string);
  if (validTo <= now) return { valid: false, message: "Expired", color: "red" };
  if (check.chainValid !== true)
    return { valid: false, message: String(check.chainError ?? "Not trusted"), color: "red" };
  const days = check.daysRemaining as number;
  // The colours follow CertPulse's expiry policy: orange from the first threshold, red from a critical one.
  const reached = thresholdsFor(d.alertDays as number[] | null).filter((t) => days <= t.days);
  if (reached.length === 0) return { valid: true, message: "Valid", color: "green" };
  const severity = reached.some((t) => t.severity === "critical") ? "red" : "orange";
  return { valid: true, message: `Expires in ${days} day${days === 1 ? "" : "s"}`, color: severity };
}

const part = (parts: unknown, key: string) => ((parts as Row | null)?.[key] as string | undefined) ?? null;

export function listItemJson(d: Row, now = new Date()) {
  const check = d.latestSslCheck as Row | null;
  const { valid, message, color } = verdict(d, now);
  const read = check && !check.error ? check : null;
  return {
    id: d.number,
    host: d.hostname,
    port: d.port,
    ssl_valid: valid,
    ssl_message: message,
    ssl_color: color,
    ssl_expire_days: read?.daysRemaining ?? null,
    ssl_expire_date_start: sslmonitorDate(read?.validFrom),
    ssl_expire_date_end: sslmonitorDate(read?.validTo),
    ssl_host_match: read ? read.hostnameValid === true : null,
    ssl_issuer: read ? (part(read.issuerParts, "O") ?? part(read.issuerParts, "CN") ?? read.issuer) : null,
    http_code: ((check?.http as Row | null)?.status as number | undefined) ?? null,
    scan_date: sslmonitorDate(check?.checkedAt),
  };
}

export function monitorJson(d: Row) {
  const check = d.latestSslCheck as Row | null;
  const read = check && !check.error ? check : null;
  const http = (check?.http as Row | null) ?? null;
  return {
    id: d.number,
    host: d.hostname,
    port: d.port,
    scan_date: sslmonitorDate(check?.checkedAt),
    ssl: read
      ? {
          date_start: sslmonitorDate(read.validFrom),
          date_end: sslmonitorDate(read.validTo),
          expire_days: read.daysRemaining,
          issuer_cn: part(read.issuerParts, "CN"),
          issuer_c: part(read.issuerParts, "C"),
          issuer_o: part(read.issuerParts, "O"),
          subject_cn: part(read.subjectParts, "CN"),
          subject_c: part(read.subjectParts, "C"),
          subject_o: part(read.subjectParts, "O"),
          alt_names: read.sans ?? [],
        }
      : null,
    http: check
      ? {
          ip: check.address,
          ip_rev: check.addressName,
          ip_geo: check.addressGeo,
          code: http?.status ?? null,
          size: http?.size ?? null,
          headers: ((http?.headers as Row[] | undefined) ?? []).map((h) => ({ n: h.name, v: h.value })),
          html_title: http?.title ?? null,
          meta_description: http?.metaDescription ?? null,
          meta_keywords: http?.metaKeywords ?? null,
        }
      : null,
  };
}

/** The dialect's error: the status as `code`, the words as `message`, the request id to quote. */
export function sslmonitorError(response: RestResponse, requestId: string): RestResponse {
  const words = (response.body as { error?: string } | null)?.error ?? "Error";
  // The spec's own words for an unknown id.
  const message = words === "Domain not found" ? "monitor not found" : words;
  return {
    ...response,
    body: { code: response.status, message, req_id: requestId },
  };
}
