// An API key as JSON (the REST API's shape); the key itself only in the answer that created it.
import { lower, type Row } from "../lib/json.js";

export const apiKeyJson = (k: Row, key?: string) => ({
  id: k.id,
  label: k.label,
  ...(key === undefined ? {} : { key }),
  permissions: (k.permissions as string[]).map(lower),
  expires_at: k.expiresAt,
  last_used_at: k.lastUsedAt,
  created_at: k.createdAt,
  prefix: k.prefix,
  revoked_at: k.revokedAt,
});
