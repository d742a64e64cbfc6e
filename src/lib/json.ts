// Helpers for the JSON shapes every surface shares (REST, webhook payloads, `certpulse check --json`):
// each entity's shape is built by one function that takes the entity as a stored row or as GraphQL
// returns it, so the two inputs must render the same.
export type Row = Record<string, unknown>;

/** Enum values as the JSON shapes write them: lower-case (GraphQL has them upper-case). */
export const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : value);

/** A moment as an ISO 8601 string (GraphQL already gives strings; a stored row gives Dates). */
export const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Whether two JSON values are the same (absent and null alike): how stored JSON columns compare. */
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
