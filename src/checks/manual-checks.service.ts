// POST /check and checkDomain: both checks of one of the caller's domains, now, under the shared
// per-user limit. The registration lookup is forced but still shared: a check of the registrable
// domain younger than a minute, or a registry's rate limit, is honoured rather than overridden.

import type { RateLimits } from "../access/rate-limits.js";
import type { Domain, SslCheck, WhoisCheck } from "../db/generated/sqlite/client.js";
import type { DomainsService } from "../domains/domains.service.js";
import type { SslChecksService } from "./ssl-checks.service.js";
import type { WhoisChecksService } from "./whois-checks.service.js";

export interface ManualCheck {
  domain: Domain;
  ssl: SslCheck;
  /** Null only while another instance holds the first lookup of this registrable domain. */
  whois: WhoisCheck | null;
}

export class ManualChecksService {
  constructor(
    private readonly domains: DomainsService,
    private readonly sslChecks: SslChecksService,
    private readonly whoisChecks: WhoisChecksService,
    private readonly limits: RateLimits,
  ) {}

  async checkNow(userId: string, domainId: string): Promise<ManualCheck> {
    // An unknown or foreign domain is a 404 that costs nothing against the limit.
    const domain = await this.domains.get(userId, domainId);
    await this.limits.consume("checkDomain", userId);
    const [ssl, whois] = await Promise.all([
      this.sslChecks.run(domain),
      this.whoisChecks.run(domain, { force: true }),
    ]);
    return { domain: await this.domains.get(userId, domainId), ssl, whois };
  }
}
