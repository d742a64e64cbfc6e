// API key material: `ssa_live_` + 32 base64url characters (192 random bits). Only the SHA-256 of a
// key is stored; a fast hash is right here because the key is high-entropy, not a password.
import { createHash, randomBytes } from "node:crypto";

const PREFIX = "ssa_live_";
const KEY_PATTERN = /^ssa_live_[A-Za-z0-9_-]{32}$/;

export function generateKey(): string {
  return PREFIX + randomBytes(24).toString("base64url");
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What lists show so a user can tell keys apart: the prefix and the first four random characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 4);
}
