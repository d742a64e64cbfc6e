// POST /check and checkDomain: both checks of one of the caller's domains, now, under the shared
// per-user limit. The registration lookup is forced but still shared: a check of the registrable
// domain younger than a minute, or a registry's rate limit, is honoured rather than overridden.

import type { RateLimits } from "../access/rate-limits.js";
import type { Domain, SslCheck, WhoisCheck } from "../db/generated/sqlite/client.js";
import type { CreateDomainInput, DomainsService, RelationQuery } from "../domains/domains.service.js";
import { badInput, unprocessable } from "../lib/errors.js";
import { isUnresolved } from "../probes/net/network-error.js";
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
    /** Time between scheduled SSL checks: the next after the first one made here. */
    private readonly sslIntervalMs: number,
  ) {}

  /**
   * Adds a domain only once its certificate has been read: the first SSL check runs before the
   * answer and is stored with it. A name that does not resolve is BAD_USER_INPUT; a server that
   * yields no certificate is UNPROCESSABLE; either way nothing is kept, no alert raised.
   */
  async createChecked(userId: string, input: CreateDomainInput, query: RelationQuery = {}): Promise<Domain> {
    const target = this.domains.targetOf(input);
    await this.limits.consume("createCheckedDomain", userId);
    const probed = await this.sslChecks.probeNew(target);
    if (probed.validTo === null) {
      if (isUnresolved(probed.error)) throw badInput(`${target.host} does not resolve`);
      throw unprocessable("SSL certificate could not be retrieved");
    }
    const now = new Date();
    const domain = await this.domains.create(
      userId,
      input,
      {},
      {
        sslDueAt: new Date(now.getTime() + this.sslIntervalMs),
      },
    );
    await this.sslChecks.run(domain, now, probed);
    return this.domains.get(userId, domain.id, query);
  }

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
