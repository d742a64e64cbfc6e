// The REST adapter at /api/v1, as a yoga plugin so REST requests enter through yoga like GraphQL
// ones. It matches a route, parses the JSON body, runs the route's GraphQL document and reshapes it.
import type { Plugin } from "graphql-yoga";
import type { Logger } from "../../lib/logger.js";
import type { YogaServer } from "../yoga.js";
import { errorResponse } from "./error-response.js";
import { callGraphQL } from "./graphql-call.js";
import { openApiDocument } from "./openapi.js";
import { applyQuery } from "./query-params.js";
import type { RestResponse } from "./route.js";
import { compiled, REST_PREFIX } from "./route-table.js";
import { listMismatch } from "./strict-lists.js";

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
      // The API's own description needs no key: clients and validators read it before they have one.
      if (path === "/openapi.json" && (request.method === "GET" || request.method === "HEAD")) {
        return endResponse(
          new Response(openApiDocument(), { headers: { "content-type": "application/json; charset=utf-8" } }),
        );
      }
      try {
        endResponse(json(await handle(getYoga(), request, path, serverContext ?? {})));
      } catch (error) {
        log.error({ err: error, path }, "REST request failed");
        endResponse(json({ status: 500, body: { error: "Internal server error" } }));
      }
    },
  };
}
