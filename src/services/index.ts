// Wires the services over one database connection; the HTTP layer and the CLI both start here.
import type { Redis } from "ioredis";
import type { Db } from "../db/client.js";
import { ApiKeysService } from "./api-keys.service.js";
import { DomainsService } from "./domains.service.js";
import { KeyUsage } from "./key-usage.js";
import { RateLimits } from "./rate-limits.js";
import { UsersService } from "./users.service.js";

export interface Services {
  db: Db;
  users: UsersService;
  apiKeys: ApiKeysService;
  domains: DomainsService;
  keyUsage: KeyUsage;
}

export function createServices(db: Db, options: { redis?: Redis; keyUsageFlushMs: number }): Services {
  const keyUsage = new KeyUsage(db, options.keyUsageFlushMs);
  return {
    db,
    keyUsage,
    users: new UsersService(db),
    apiKeys: new ApiKeysService(db, keyUsage, new RateLimits(options.redis)),
    domains: new DomainsService(db),
  };
}
