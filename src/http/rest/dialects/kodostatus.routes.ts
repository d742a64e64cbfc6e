// The Kodostatus dialect: /ssl-monitors, a thin adapter onto the same domain operations as the
// SSLTrackr routes (a monitor is a domain). Its `alert_days` is one number, the first threshold;
// the later ones are CertPulse's defaults below it. A monitor is created with its first check
// (createCheckedDomain), so the answer carries the certificate, and nothing is kept without one.
import { DEFAULT_ALERT_DAYS } from "../../../domains/expiry-policy.js";
import type { Route } from "../route.js";
import { pagination } from "../selections.js";

type Row = Record<string, unknown>;

const MONITOR_FIELDS = `id hostname port alertDays isActive serviceId notificationChannels createdAt
  latestSslCheck { checkedAt issuer subject validFrom validTo daysRemaining chainValid hostnameValid error }`;

/** One number of days as the threshold set it implies: it, then the defaults below it. */
const thresholds = (days: unknown) =>
  typeof days === "number" && Number.isInteger(days)
    ? [days, ...DEFAULT_ALERT_DAYS.filter((d) => d < days)]
    : days;

/** A Kodostatus body as CreateDomainInput / UpdateDomainInput. */
function input(body: Record<string, unknown>): Record<string, unknown> {
  const names: Record<string, string> = {
    domain: "hostname",
    port: "port",
    alert_days: "alertDays",
    service_id: "serviceId",
    notification_channels: "notificationChannels",
    enabled: "isActive",
  };
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      names[key] ?? key,
      key === "alert_days" && value !== null ? thresholds(value) : value,
    ]),
  );
}

export function monitorJson(d: Row, now = new Date()) {
  const check = d.latestSslCheck as Row | null;
  const validTo = check?.validTo ? new Date(check.validTo as string) : null;
  return {
    id: d.id,
    domain: d.hostname,
    port: d.port,
    alert_days: Math.max(...((d.alertDays as number[] | null) ?? DEFAULT_ALERT_DAYS)),
    enabled: d.isActive,
    last_checked_at: check?.checkedAt ?? null,
    certificate:
      check && validTo
        ? {
            issuer: check.issuer,
            subject: check.subject,
            valid_from: check.validFrom,
            valid_to: check.validTo,
            days_until_expiry: check.daysRemaining,
            is_valid: check.chainValid === true && check.hostnameValid !== false && validTo > now,
          }
        : null,
    service_id: d.serviceId,
    created_at: d.createdAt,
    notification_channels: d.notificationChannels,
  };
}

export const kodostatusRoutes: Route[] = [
  {
    method: "POST",
    path: "/ssl-monitors",
    summary:
      "Kodostatus: add an SSL monitor with its first certificate check; 400 when the domain does not resolve, 422 when no certificate could be read (nothing is kept)",
    responses: { 201: "SslMonitor" },
    document: `mutation ($input: CreateDomainInput!) { createCheckedDomain(input: $input) { ${MONITOR_FIELDS} } }`,
    variables: ({ body }) => ({ input: input(body) }),
    render: ({ createCheckedDomain }) => ({ status: 201, body: monitorJson(createCheckedDomain as Row) }),
  },
  {
    method: "GET",
    path: "/ssl-monitors",
    summary: "Kodostatus: your SSL monitors, newest first",
    responses: { 200: "SslMonitorPage" },
    query: { page: "page", per_page: "perPage" },
    document: `query ($page: Int, $perPage: Int) {
      domains(page: $page, perPage: $perPage) { data { ${MONITOR_FIELDS} } pagination { page perPage total totalPages } }
    }`,
    render: ({ domains }) => {
      const page = domains as { data: Row[]; pagination: Row };
      return {
        status: 200,
        body: { data: page.data.map((d) => monitorJson(d)), pagination: pagination(page.pagination) },
      };
    },
  },
  {
    method: "GET",
    path: "/ssl-monitors/:id",
    summary: "Kodostatus: one SSL monitor",
    responses: { 200: "SslMonitor" },
    document: `query ($id: ID!) { domain(id: $id) { ${MONITOR_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: ({ domain }) => ({ status: 200, body: monitorJson(domain as Row) }),
  },
  {
    method: "PUT",
    path: "/ssl-monitors/:id",
    summary:
      "Kodostatus: change an SSL monitor (domain, port, alert_days, service_id, notification_channels, enabled)",
    responses: { 200: "SslMonitor" },
    document: `mutation ($id: ID!, $input: UpdateDomainInput!) { updateDomain(id: $id, input: $input) { ${MONITOR_FIELDS} } }`,
    variables: ({ params, body }) => ({ id: params.id, input: input(body) }),
    render: ({ updateDomain }) => ({ status: 200, body: monitorJson(updateDomain as Row) }),
  },
  {
    method: "DELETE",
    path: "/ssl-monitors/:id",
    summary: "Kodostatus: delete an SSL monitor with its history",
    responses: { 200: "Message" },
    document: "mutation ($id: ID!) { deleteDomain(id: $id) }",
    variables: ({ params }) => ({ id: params.id }),
    render: () => ({ status: 200, body: { message: "SSL monitor deleted" } }),
  },
];
