// What a REST route is: a GraphQL document, how the request becomes its variables, and how its data
// becomes the response. Routes hold no behaviour of their own.
import type { Variables } from "./graphql-call.js";

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The body as sent, for a route that reads files (`body: "text"`); its media type, lower case. */
  text: string;
  contentType: string;
  /** The request's id (X-Request-Id), for a dialect whose errors carry it. */
  requestId: string;
}

/** A REST answer: status, JSON body and any extra headers (Retry-After). */
export interface RestResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON (an export's CSV), sent as it is with headers' content-type. */
  text?: string;
  /** A binary body (a ZIP), sent as it is with headers' content-type. */
  binary?: Uint8Array;
}

/** An answer's schema: a component of response-schemas.ts as JSON, or one per media type ("string": text). */
export type ResponseDoc = string | Record<string, string>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  /** What the route does, for the OpenAPI document. */
  summary: string;
  /** The answers it gives on success (and 422 where it has one), by status; errors are all `Error`. */
  responses: Record<number, ResponseDoc>;
  document: string;
  /**
   * "text": the body is a file of any media type, not a JSON object. "params": the parameters come
   * in the query string, a form body or a JSON body alike, all read as `query` (the SSLmonitor API).
   */
  body?: "json" | "text" | "params";
  /** Body fields of which at least one must be given (`hostname` or `url`), for the OpenAPI document. */
  oneOfRequired?: string[];
  /** For a "params" route: each parameter it reads and what it means, for the OpenAPI document. */
  parameters?: Record<string, string>;
  /** A dialect's own error shape: how an error answer is rewritten, and its schema's name. */
  errors?: { schema: string; render(response: RestResponse, requestId: string): RestResponse };
  /** Query-string parameters and the variable each sets (`per_page` → `perPage`, `dry_run` → `input.dryRun`). */
  query?: Record<string, string>;
  /** The variables from the path and body; query parameters are set over them. */
  variables?(request: RouteRequest): Variables;
  render(data: Record<string, unknown>, request: RouteRequest): RestResponse;
}

/** A GraphQL name as the REST API writes it (`isActive` → `is_active`). */
export const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** snake_case body keys to the GraphQL input's camelCase (`is_active` → `isActive`). */
export function camelKeys(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}

/** Enum values in a body as GraphQL has them (`slack` → `SLACK`, lists too); anything else as it came. */
export function upperEnums(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const upper = (value: unknown) => (typeof value === "string" ? value.toUpperCase() : value);
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      keys.includes(key) ? (Array.isArray(value) ? value.map(upper) : upper(value)) : value,
    ]),
  );
}
