// The SSLmonitor dialect: /ping, /account and /monitor/{list,get,add,scan,delete}, a thin adapter
// onto the same domain operations as the SSLTrackr routes (a monitor is a domain, its id the
// domain's small number). Its spec fixes no method, so each answers GET and POST, with parameters
// in the query string, a form or a JSON body. Errors are its `{code, message, req_id}`.
import { badInput } from "../../../lib/errors.js";
import type { Route } from "../route.js";
import { listItemJson, MONITOR_FIELDS, monitorJson, sslmonitorError } from "./sslmonitor-json.js";
import { integerParam, listFilters, sslmonitorDate } from "./sslmonitor-params.js";

type Row = Record<string, unknown>;
type Endpoint = Omit<Route, "method" | "body" | "errors">;

const OK = { success: 1, message: "Ok" };
const errors = { schema: "SslmonitorError", render: sslmonitorError };

/** The endpoint as GET and as POST, its parameters read from wherever they come. */
const both = (endpoint: Endpoint): Route[] =>
  (["GET", "POST"] as const).map((method) => ({ ...endpoint, method, body: "params", errors }));

const ID = { id: "The monitor's id (its number)" };
const idOf = (query: URLSearchParams) => String(integerParam("id", query.get("id"), { required: true }));

/** monitor/add's parameters as CreateDomainInput: host and port, or url; a proxy when proxy_host is given. */
function addInput(query: URLSearchParams): Record<string, unknown> {
  const url = query.get("url")?.trim();
  const host = query.get("host")?.trim();
  if (!url && !host) throw badInput("host and port, or url, are required");
  const input: Record<string, unknown> = url ? { url } : { hostname: host };
  const port = integerParam("port", query.get("port"));
  if (port !== undefined) input.port = port;
  const proxyHost = query.get("proxy_host")?.trim();
  if (proxyHost) {
    input.proxy = {
      host: proxyHost,
      port: integerParam("proxy_port", query.get("proxy_port"), { required: true }),
      username: query.get("proxy_username") || null,
      password: query.get("proxy_password") || null,
    };
  }
  return input;
}

export const sslmonitorRoutes: Route[] = [
  ...both({
    path: "/ping",
    summary: "SSLmonitor: test your authentication",
    responses: { 200: "SslmonitorPing" },
    document: "query { account { apiKeyNumber } }",
    render: ({ account }) => ({
      status: 200,
      body: { ...OK, date_time: sslmonitorDate(new Date()), apikey_id: (account as Row).apiKeyNumber },
    }),
  }),
  ...both({
    path: "/account",
    summary: "SSLmonitor: your account and its monitors against the limit",
    responses: { 200: "SslmonitorAccount" },
    document: "query { account { number email monitorLimit monitorsUsed monitorsAvailable } }",
    render: ({ account }) => {
      const a = account as Row;
      return {
        status: 200,
        body: {
          ...OK,
          id: a.number,
          email: a.email,
          monitor_limit: a.monitorLimit,
          monitor_used: a.monitorsUsed,
          monitor_available: a.monitorsAvailable,
        },
      };
    },
  }),
  ...both({
    path: "/monitor/list",
    summary: "SSLmonitor: your monitors by host, filtered in the database; 100 a page (page, per_page)",
    parameters: {
      host: "A host, * for any characters: *.domain.com",
      port: "443, 443,8443, !443, 100-200 or >=100",
      ssl_valid: "true or false",
      ssl_expire_days: "=30, 30-60, <30 or >30",
      page: "Page number (from 1)",
      per_page: "Monitors a page, 1-100 (default 100)",
    },
    responses: { 200: "SslmonitorList" },
    document: `query ($page: Int, $perPage: Int, $hostPattern: String, $port: IntFilter, $sslValid: Boolean, $sslDaysRemaining: IntFilter) {
      domains(page: $page, perPage: $perPage, hostPattern: $hostPattern, port: $port, sslValid: $sslValid,
        sslDaysRemaining: $sslDaysRemaining, sort: HOSTNAME, order: ASC) {
        data { ${MONITOR_FIELDS} } pagination { total }
      }
    }`,
    variables: ({ query }) => ({
      ...listFilters(query),
      page: integerParam("page", query.get("page")) ?? 1,
      perPage: integerParam("per_page", query.get("per_page")) ?? 100,
    }),
    render: ({ domains }) => {
      const page = domains as { data: Row[]; pagination: Row };
      return {
        status: 200,
        body: { ...OK, count: page.pagination.total, list: page.data.map((d) => listItemJson(d)) },
      };
    },
  }),
  ...both({
    path: "/monitor/get",
    summary: "SSLmonitor: one monitor with its certificate (ssl) and site (http) facts",
    parameters: ID,
    responses: { 200: "SslmonitorMonitor" },
    document: `query ($id: ID!) { domain(id: $id) { ${MONITOR_FIELDS} } }`,
    variables: ({ query }) => ({ id: idOf(query) }),
    render: ({ domain }) => ({ status: 200, body: { ...OK, monitor: monitorJson(domain as Row) } }),
  }),
  ...both({
    path: "/monitor/add",
    summary:
      "SSLmonitor: add a monitor by host and port or by URL, optionally through a proxy; it is checked before it is kept (400 when the host does not resolve, 422 when no certificate could be read)",
    parameters: {
      host: "www.example.com (or url)",
      port: "443",
      url: "https://www.example.com[:port][/path]: host, port and the HTTP request's path",
      proxy_host: "An HTTP CONNECT proxy to check through",
      proxy_port: "Its port (required with proxy_host)",
      proxy_username: "Optional",
      proxy_password: "Optional; never returned",
    },
    responses: { 200: "SslmonitorMonitor" },
    document: `mutation ($input: CreateDomainInput!) { createCheckedDomain(input: $input) { ${MONITOR_FIELDS} } }`,
    variables: ({ query }) => ({ input: addInput(query) }),
    render: ({ createCheckedDomain }) => ({
      status: 200,
      body: { ...OK, monitor: monitorJson(createCheckedDomain as Row) },
    }),
  }),
  ...both({
    path: "/monitor/scan",
    summary: "SSLmonitor: check a monitor now (10 a minute, shared with POST /check)",
    parameters: ID,
    responses: { 200: "SslmonitorMonitor" },
    document: `mutation ($id: ID!) { checkDomain(input: { domainId: $id }) { domain { ${MONITOR_FIELDS} } } }`,
    variables: ({ query }) => ({ id: idOf(query) }),
    render: ({ checkDomain }) => ({
      status: 200,
      body: { ...OK, monitor: monitorJson((checkDomain as Row).domain as Row) },
    }),
  }),
  ...both({
    path: "/monitor/delete",
    summary: "SSLmonitor: delete a monitor with its history",
    parameters: ID,
    responses: { 200: "SslmonitorOk" },
    document: "mutation ($id: ID!) { deleteDomain(id: $id) }",
    variables: ({ query }) => ({ id: idOf(query) }),
    render: () => ({ status: 200, body: OK }),
  }),
];
