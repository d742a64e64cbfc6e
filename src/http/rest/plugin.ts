// The REST adapter at /api/v1, as a yoga plugin so REST requests enter through yoga like GraphQL
// ones. It matches a route, parses the JSON body, runs the route's GraphQL document and reshapes it.
import type { Plugin } from "graphql-yoga";
import { AppError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { YogaServer } from "../yoga.js";
import { errorResponse } from "./error-response.js";
import { callGraphQL } from "./graphql-call.js";
import { openApiDocument } from "./openapi.js";
import { applyQuery } from "./query-params.js";
import type { RestResponse } from "./route.js";
import { type CompiledRoute, compiled, REST_PREFIX } from "./route-table.js";
import { listMismatch } from "./strict-lists.js";

function json(response: RestResponse): Response {
  if (response.text !== undefined || response.binary !== undefined) {
    const body = (response.binary ?? response.text) as BodyInit;
    return new Response(body, { status: response.status, headers: response.headers });
  }
  return new Response(JSON.stringify(response.body), {
    status: response.status,
    headers: { "content-type": "application/json; charset=utf-8", ...response.headers },
  });
}

type Body = { ok: true; body: Record<string, unknown> } | { ok: false; response: RestResponse };

/** A body's text as the JSON object it must be (empty: no fields), or the 400 saying why not. */
function jsonObject(text: string): Body {
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

/**
 * A "params" route's parameters: the query string, then a form (urlencoded or multipart) or JSON
 * body's fields over it. JSON values are read as the strings a query string would carry.
 */
async function readParams(
  request: Request,
  contentType: string,
  query: URLSearchParams,
): Promise<{ ok: true; params: URLSearchParams } | { ok: false; response: RestResponse }> {
  const params = new URLSearchParams(query);
  const set = (key: string, value: unknown) => {
    if (value === null || value === undefined || typeof value === "object") return;
    params.set(key, String(value));
  };
  if (request.method !== "POST" && request.method !== "PUT") return { ok: true, params };
  if (contentType === "multipart/form-data") {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return { ok: false, response: { status: 400, body: { error: "Malformed form body" } } };
    }
    for (const [key, value] of form) if (typeof value === "string") set(key, value);
    return { ok: true, params };
  }
  const text = await request.text();
  if (text.trim() === "") return { ok: true, params };
  if (contentType === "application/x-www-form-urlencoded" || !/^\s*\{/.test(text)) {
    for (const [key, value] of new URLSearchParams(text)) set(key, value);
    return { ok: true, params };
  }
  const json = jsonObject(text);
  if (!json.ok) return json;
  for (const [key, value] of Object.entries(json.body)) set(key, value);
  return { ok: true, params };
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
  const found = matchRoute(request, path);
  if ("status" in found) return found;
  const requestId = String((serverContext as { requestId?: unknown }).requestId ?? "");
  const answer = await run(yoga, request, found, serverContext, requestId);
  const dialect = found.route.errors;
  return dialect && answer.status >= 400 ? dialect.render(answer, requestId) : answer;
}

type Matched = CompiledRoute & { match: RegExpExecArray | null };

function matchRoute(request: Request, path: string): Matched | RestResponse {
  const matches = compiled
    .map((candidate) => ({ ...candidate, match: candidate.pattern.exec(path) }))
    .filter((candidate) => candidate.match !== null);
  if (matches.length === 0) return { status: 404, body: { error: "Not found" } };
  const found = matches.find((candidate) => candidate.route.method === request.method);
  if (!found) {
    const allow = matches.map((candidate) => candidate.route.method).join(", ");
    return { status: 405, body: { error: "Method not allowed" }, headers: { Allow: allow } };
  }
  return found;
}

async function run(
  yoga: YogaServer,
  request: Request,
  found: Matched,
  serverContext: object,
  requestId: string,
): Promise<RestResponse> {
  const hasBody = request.method === "POST" || request.method === "PUT";
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const mode = found.route.body ?? "json";
  const text = hasBody && mode === "text" ? await request.text() : "";
  let query = new URL(request.url).searchParams;
  let body: Body = { ok: true, body: {} };
  if (mode === "params") {
    const read = await readParams(request, contentType, query);
    if (!read.ok) return read.response;
    query = read.params;
  } else if (hasBody && mode === "json") body = jsonObject(await request.text());
  if (!body.ok) return body.response;
  const params = decodeParams(found.match?.groups ?? {});
  if (params === null) return { status: 400, body: { error: "Malformed percent-encoding in the path" } };
  const routeRequest = { params, query, body: body.body, text, contentType, requestId };
  let variables: Record<string, unknown>;
  try {
    variables = applyQuery(found.query, query, found.route.variables?.(routeRequest) ?? {});
  } catch (error) {
    // A route that reads its own parameters (a dialect's filters) refuses what it cannot parse.
    if (error instanceof AppError) return errorResponse([error]);
    throw error;
  }
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
