// The REST adapter at /api/v1, as a yoga plugin so REST requests enter through yoga like GraphQL
// ones. It matches a route, parses the JSON body, runs the route's GraphQL document and reshapes it.
import type { Plugin } from "graphql-yoga";
import type { Logger } from "../../lib/logger.js";
import { schema } from "../../schema/index.js";
import type { YogaServer } from "../yoga.js";
import { errorResponse } from "./error-response.js";
import { callGraphQL } from "./graphql-call.js";
import { applyQuery, type QueryParam, queryParams } from "./query-params.js";
import type { RestResponse, Route } from "./route.js";
import { alertRoutes } from "./routes/alerts.routes.js";
import { apiKeyRoutes } from "./routes/api-keys.routes.js";
import { domainFileRoutes } from "./routes/domain-files.routes.js";
import { domainRoutes } from "./routes/domains.routes.js";
import { manualCheckRoutes } from "./routes/manual-check.routes.js";
import { sslCheckRoutes } from "./routes/ssl-checks.routes.js";
import { webhookRoutes } from "./routes/webhooks.routes.js";
import { whoisCheckRoutes } from "./routes/whois-checks.routes.js";
import { listMismatch, type VariableTypes, variableTypes } from "./strict-lists.js";

export const REST_PREFIX = "/api/v1";

const routes: Route[] = [
  ...domainFileRoutes,
  ...domainRoutes,
  ...sslCheckRoutes,
  ...whoisCheckRoutes,
  ...manualCheckRoutes,
  ...alertRoutes,
  ...apiKeyRoutes,
  ...webhookRoutes,
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

function json(response: RestResponse): Response {
  if (response.text !== undefined) {
    return new Response(response.text, { status: response.status, headers: response.headers });
  }
  return new Response(JSON.stringify(response.body), {
    status: response.status,
    headers: { "content-type": "application/json; charset=utf-8", ...response.headers },
  });
}

type Body = { ok: true; body: Record<string, unknown> } | { ok: false; response: RestResponse };

async function readBody(request: Request): Promise<Body> {
  const text = await request.text();
  if (text.trim() === "") return { ok: true, body: {} };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: { status: 400, body: { error: "Malformed JSON body" } } };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, response: { status: 400, body: { error: "Request body must be a JSON object" } } };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** Path parameters percent-decoded; null when an escape is malformed (`%ZZ`, a lone `%`). */
function decodeParams(groups: Record<string, string>): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(groups).map(([key, value]) => [key, decodeURIComponent(value)]));
  } catch {
    return null;
  }
}

async function handle(
  yoga: YogaServer,
  request: Request,
  path: string,
  serverContext: object,
): Promise<RestResponse> {
  const matches = compiled
    .map((candidate) => ({ ...candidate, match: candidate.pattern.exec(path) }))
    .filter((candidate) => candidate.match !== null);
  if (matches.length === 0) return { status: 404, body: { error: "Not found" } };
  const found = matches.find((candidate) => candidate.route.method === request.method);
  if (!found) {
    const allow = matches.map((candidate) => candidate.route.method).join(", ");
    return { status: 405, body: { error: "Method not allowed" }, headers: { Allow: allow } };
  }
  const hasBody = request.method === "POST" || request.method === "PUT";
  const text = hasBody && found.route.body === "text" ? await request.text() : "";
  const body: Body =
    hasBody && found.route.body !== "text" ? await readBody(request) : { ok: true, body: {} };
  if (!body.ok) return body.response;
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const params = decodeParams(found.match?.groups ?? {});
  if (params === null) return { status: 400, body: { error: "Malformed percent-encoding in the path" } };
  const query = new URL(request.url).searchParams;
  const routeRequest = { params, query, body: body.body, text, contentType };
  const variables = applyQuery(found.query, query, found.route.variables?.(routeRequest) ?? {});
  const notAList = listMismatch(found.types, variables);
  if (notAList) return { status: 400, body: { error: notAList } };
  const result = await callGraphQL(
    yoga,
    request,
    serverContext as Record<string, unknown>,
    found.route.document,
    variables,
  );
  if (result.errors.length > 0 || result.data === null) return errorResponse(result.errors);
  return found.route.render(result.data, routeRequest);
}

export function useRestApi(getYoga: () => YogaServer, log: Logger): Plugin {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== REST_PREFIX && !url.pathname.startsWith(`${REST_PREFIX}/`)) return;
      const path = url.pathname.slice(REST_PREFIX.length) || "/";
      try {
        endResponse(json(await handle(getYoga(), request, path, serverContext ?? {})));
      } catch (error) {
        log.error({ err: error, path }, "REST request failed");
        endResponse(json({ status: 500, body: { error: "Internal server error" } }));
      }
    },
  };
}
