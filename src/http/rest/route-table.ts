// The REST route table: every route the adapter serves, compiled once with its path pattern, the
// types of the GraphQL variables it sets and its query parameters. The adapter matches requests
// against it, the OpenAPI document describes it, and metrics label requests by its patterns.
import { schema } from "../../schema/index.js";
import { kodostatusRoutes } from "./dialects/kodostatus.routes.js";
import { sslmonitorRoutes } from "./dialects/sslmonitor.routes.js";
import { type QueryParam, queryParams } from "./query-params.js";
import type { Route } from "./route.js";
import { alertRoutes } from "./routes/alerts.routes.js";
import { apiKeyRoutes } from "./routes/api-keys.routes.js";
import { csrRoutes } from "./routes/csr.routes.js";
import { domainFileRoutes } from "./routes/domain-files.routes.js";
import { domainRoutes } from "./routes/domains.routes.js";
import { manualCheckRoutes } from "./routes/manual-check.routes.js";
import { sslCheckRoutes } from "./routes/ssl-checks.routes.js";
import { webhookRoutes } from "./routes/webhooks.routes.js";
import { whoisCheckRoutes } from "./routes/whois-checks.routes.js";
import { type VariableTypes, variableTypes } from "./strict-lists.js";

export const REST_PREFIX = "/api/v1";

const routes: Route[] = [
  ...domainFileRoutes,
  ...domainRoutes,
  ...sslCheckRoutes,
  ...whoisCheckRoutes,
  ...manualCheckRoutes,
  ...csrRoutes,
  ...alertRoutes,
  ...apiKeyRoutes,
  ...webhookRoutes,
  ...kodostatusRoutes,
  ...sslmonitorRoutes,
];

export interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  types: VariableTypes;
  query: QueryParam[];
}

/** The route table, each route with its path pattern and the types of what it reads: one per process. */
export const compiled: CompiledRoute[] = routes.map((route) => {
  const types = variableTypes(schema, route.document);
  return {
    route,
    pattern: new RegExp(`^${route.path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}/?$`),
    types,
    query: queryParams(route.query, types, `${route.method} ${route.path}`),
  };
});

/** The pattern of the REST route a request matches ("/api/v1/domains/:id"), for metrics' labels. */
export function restRouteOf(method: string, pathname: string): string | undefined {
  if (!pathname.startsWith(`${REST_PREFIX}/`)) return undefined;
  const path = pathname.slice(REST_PREFIX.length);
  const found = compiled.find(({ route, pattern }) => route.method === method && pattern.test(path));
  return found ? `${REST_PREFIX}${found.route.path}` : undefined;
}
