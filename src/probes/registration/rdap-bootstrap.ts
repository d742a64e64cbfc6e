// The IANA RDAP bootstrap registry for domains (RFC 9224, `dns.json`): which RDAP base URLs serve
// which TLDs. Fetched on first use, refreshed daily, and when a refresh fails the copy in hand is
// used (registries rarely move) and the refresh is tried again a few minutes later.
import { z } from "zod";
import type { HttpClient } from "../net/http-client.js";
import { LookupFailure } from "./registration.js";

const bootstrapFile = z.object({
  services: z.array(z.tuple([z.array(z.string()), z.array(z.string())])),
});

export interface RdapBootstrapOptions {
  url: string;
  http: HttpClient;
  /** How long a fetched copy is used before it is fetched again (default one day). */
  refreshMs?: number;
  /** After a failed fetch, how long before the next try (default five minutes). */
  retryMs?: number;
  now?: () => Date;
}

export class RdapBootstrap {
  private services: Map<string, string[]> | null = null;
  private fetchedAt = 0;
  private failedAt = 0;
  private lastError = "";
  private inFlight: Promise<void> | null = null;

  constructor(private readonly options: RdapBootstrapOptions) {}

  /**
   * The RDAP base URLs for a domain's TLD (longest matching suffix), or null when the registry
   * lists none. Throws LookupFailure when no copy of the registry could ever be fetched.
   */
  async baseUrlsFor(domain: string): Promise<string[] | null> {
    const services = await this.current();
    const labels = domain.toLowerCase().split(".");
    for (let i = 0; i < labels.length; i++) {
      const urls = services.get(labels.slice(i).join("."));
      if (urls) return urls;
    }
    return null;
  }

  private async current(): Promise<Map<string, string[]>> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    const stale = now - this.fetchedAt >= (this.options.refreshMs ?? 86_400_000);
    const mayRetry = now - this.failedAt >= (this.options.retryMs ?? 300_000);
    if ((this.services === null || stale) && mayRetry) {
      this.inFlight ??= this.refresh(now).finally(() => {
        this.inFlight = null;
      });
      await this.inFlight;
    }
    if (this.services === null) {
      throw new LookupFailure("unreachable", `RDAP bootstrap registry unavailable: ${this.lastError}`);
    }
    return this.services;
  }

  private async refresh(now: number): Promise<void> {
    try {
      const answer = await this.options.http.get(this.options.url, "application/json");
      if (answer.status !== 200) throw new Error(`${this.options.url} answered ${answer.status}`);
      const parsed = bootstrapFile.safeParse(parseJson(answer.body));
      if (!parsed.success) throw new Error(`${this.options.url} is not an RDAP bootstrap file`);
      const services = new Map<string, string[]>();
      for (const [tlds, urls] of parsed.data.services) {
        // RFC 9224 §4: prefer HTTPS when a service lists both.
        const ordered = [...urls].sort(
          (a, b) => Number(b.startsWith("https:")) - Number(a.startsWith("https:")),
        );
        for (const tld of tlds) services.set(tld.toLowerCase(), ordered);
      }
      this.services = services;
      this.fetchedAt = now;
      this.failedAt = 0;
    } catch (error) {
      this.failedAt = now;
      this.lastError = (error as Error).message;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
