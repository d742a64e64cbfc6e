// API keys: creation (shown once), listing, revocation and authentication of a presented key.
import { z } from "zod";
import type { Db } from "../db/client.js";
import type { ApiKey } from "../db/generated/sqlite/client.js";
import { counters, takeNumbers } from "../db/id-counter.js";
import type { EventBus } from "../events/event-bus.js";
import { forbidden, notFound, unauthenticated } from "../lib/errors.js";
import { parseInput } from "../lib/validate.js";
import { displayPrefix, generateKey, hashKey, isWellFormedKey } from "./api-key-format.js";
import { KeyCache } from "./key-cache.js";
import type { KeyUsage } from "./key-usage.js";
import type { RateLimits } from "./rate-limits.js";

export type Permission = "read" | "write";

export interface Auth {
  userId: string;
  keyId: string;
  permissions: Permission[];
  /** Open subscriptions end when the key expires. */
  expiresAt: Date | null;
}

const createSchema = z.object({
  label: z
    .string({ error: "label is required" })
    .trim()
    .min(1, "label is required")
    .max(100, "label must be at most 100 characters"),
  permissions: z
    .array(z.enum(["read", "write"], { error: "permissions may only contain read and write" }))
    .min(1, "permissions needs at least one of read, write")
    .transform((list) => [...new Set(list)].sort() as Permission[])
    .default(["read"]),
  expiresAt: z
    .date({ error: "expires_at must be an ISO 8601 date-time" })
    .refine((date) => date.getTime() > Date.now(), "expires_at must be in the future")
    .nullish(),
});

export type CreateApiKeyInput = z.input<typeof createSchema>;

export class ApiKeysService {
  private readonly cache: KeyCache<Auth>;
  private revocations: AsyncIterator<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly usage: KeyUsage,
    private readonly limits: RateLimits,
    private readonly events: EventBus,
    /** How long a verified key is trusted without a lookup (CERTPULSE_KEY_CACHE_MS; 0: never). */
    cacheMs: number,
  ) {
    this.cache = new KeyCache(cacheMs);
  }

  /** Listens for revocations on every instance, so no cached key outlives its revocation. */
  start(): void {
    const revocations = this.events.subscribe("anyKeyRevoked")[Symbol.asyncIterator]();
    this.revocations = revocations;
    const next = (): void => {
      revocations.next().then(
        (result) => {
          if (result.done) return;
          this.cache.forget(result.value);
          next();
        },
        () => {},
      );
    };
    next();
  }

  async stop(): Promise<void> {
    await this.revocations?.return?.();
    this.revocations = null;
  }

  /** Creates a key on behalf of an authenticated key: rate limited, and never above its own rights. */
  async createAs(auth: Auth, input: CreateApiKeyInput) {
    const data = parseInput(createSchema, input);
    const excess = data.permissions.filter((permission) => !auth.permissions.includes(permission));
    if (excess.length > 0) {
      throw forbidden(`A key cannot grant permissions it does not have: ${excess.join(", ")}`);
    }
    await this.limits.consume("createApiKey", auth.userId);
    return this.insert(auth.userId, data);
  }

  /** Creates a key for a user directly (the operator's CLI): no rate limit, any permissions. */
  async createFor(userId: string, input: CreateApiKeyInput) {
    return this.insert(userId, parseInput(createSchema, input));
  }

  private async insert(userId: string, data: z.output<typeof createSchema>) {
    const key = generateKey();
    const apiKey = await this.db.$transaction(async (tx) =>
      tx.apiKey.create({
        data: {
          userId,
          number: await takeNumbers(tx, counters.apiKey(userId)),
          label: data.label,
          permissions: data.permissions,
          expiresAt: data.expiresAt ?? null,
          prefix: displayPrefix(key),
          keyHash: hashKey(key),
        },
      }),
    );
    return { apiKey, key };
  }

  async list(userId: string): Promise<ApiKey[]> {
    return this.db.apiKey.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  }

  /**
   * Revokes a key; revoking an already revoked key leaves its first revocation time. Every
   * instance closes the subscriptions opened with it.
   */
  async revoke(userId: string, id: string): Promise<ApiKey> {
    const revokedAt = new Date();
    const { count } = await this.db.apiKey.updateMany({
      where: { id, userId, revokedAt: null },
      data: { revokedAt },
    });
    if (count > 0) {
      this.cache.forget(id);
      this.events.publish("keyRevoked", id, revokedAt);
      this.events.publish("anyKeyRevoked", id);
    }
    const apiKey = await this.db.apiKey.findFirst({ where: { id, userId } });
    if (!apiKey) throw notFound("API key not found");
    return apiKey;
  }

  lastUsedAt(apiKey: ApiKey): Date | null {
    return this.usage.lastUsed(apiKey.id, apiKey.lastUsedAt);
  }

  /** The identity behind a presented key, or UNAUTHENTICATED saying what is wrong with it. */
  async authenticate(key: string, now = new Date()): Promise<Auth> {
    if (!isWellFormedKey(key)) throw unauthenticated("Invalid API key");
    const keyHash = hashKey(key);
    let auth = this.cache.get(keyHash, now);
    if (!auth) {
      const apiKey = await this.db.apiKey.findUnique({ where: { keyHash } });
      if (!apiKey) throw unauthenticated("Invalid API key");
      if (apiKey.revokedAt) throw unauthenticated("API key has been revoked");
      auth = {
        userId: apiKey.userId,
        keyId: apiKey.id,
        permissions: apiKey.permissions as Permission[],
        expiresAt: apiKey.expiresAt,
      };
      this.cache.set(keyHash, auth, now);
    }
    if (auth.expiresAt && auth.expiresAt <= now) throw unauthenticated("API key has expired");
    this.usage.touch(auth.keyId, now);
    return auth;
  }
}
