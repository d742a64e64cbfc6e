// Per-user rate limits shared by REST and GraphQL (both reach the same service call). In memory for
// one instance; in Redis when REDIS_URL is set so every instance counts against the same budget,
// with an in-memory limiter standing in while Redis is unreachable.
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited } from "../lib/errors.js";

// `blockDuration`: a caller over the limit is held for that long from the refused call, so the 429's
// "Try again in 60 seconds." (the API's documented words) is the truth on the first refusal, and
// every later one names what is left of the wait.
export const RATE_LIMITS = {
  createApiKey: { points: 5, duration: 60, blockDuration: 60 },
  checkDomain: { points: 10, duration: 60, blockDuration: 60 },
  /** Domains added with their first check run at once (each costs a full probe): Kodostatus' 429. */
  createCheckedDomain: { points: 30, duration: 60, blockDuration: 60 },
} as const;

export type RateLimitedAction = keyof typeof RATE_LIMITS;

type Limiter = RateLimiterMemory | RateLimiterRedis;

export class RateLimits {
  private readonly limiters: Record<RateLimitedAction, Limiter>;

  constructor(redis?: Redis) {
    const make = (action: RateLimitedAction): Limiter => {
      const rule = { ...RATE_LIMITS[action], keyPrefix: `certpulse:rl:${action}` };
      if (!redis) return new RateLimiterMemory(rule);
      return new RateLimiterRedis({
        ...rule,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(rule),
      });
    };
    this.limiters = {
      createApiKey: make("createApiKey"),
      checkDomain: make("checkDomain"),
      createCheckedDomain: make("createCheckedDomain"),
    };
  }

  /** Counts one call; throws RATE_LIMITED (with the seconds until a retry can pass) when over. */
  async consume(action: RateLimitedAction, userId: string): Promise<void> {
    try {
      await this.limiters[action].consume(userId);
    } catch (error) {
      if (error instanceof RateLimiterRes)
        throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      throw error;
    }
  }
}
