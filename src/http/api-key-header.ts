// Where a caller puts its key: `Authorization: Bearer ssa_…`, `X-API-Key: ssa_…`, or for graphql-ws
// the connection_init payload's `authorization`. Null when none was sent.
import { unauthenticated } from "../lib/errors.js";

export function keyFromHeaders(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) return bearer(authorization);
  return headers.get("x-api-key")?.trim() || null;
}

export function keyFromConnectionParams(params: Record<string, unknown> | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw unauthenticated("Invalid API key");
  return value.startsWith("ssa_") ? value.trim() : bearer(value);
}

function bearer(value: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
  if (!match?.[1]) throw unauthenticated("Invalid Authorization header: expected Bearer ssa_…");
  return match[1];
}
