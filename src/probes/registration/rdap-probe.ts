// RDAP lookup of a registrable domain (RFC 9082 query, RFC 9083 answer): the registry's RDAP service
// from the bootstrap registry, then the registrar's, when the registry links to it and its own
// answer is thin. Failures are thrown as LookupFailure so the caller can fall back to WHOIS.
import type { HttpAnswer, HttpClient } from "../net/http-client.js";
import type { RdapBootstrap } from "./rdap-bootstrap.js";
import { parseRdapDomain, type RdapDomain } from "./rdap-parse.js";
import { isThin, LookupFailure, mergeRegistration, type RegistrationData } from "./registration.js";

export interface RdapOptions {
  bootstrap: RdapBootstrap;
  http: HttpClient;
  now?: () => Date;
}

export interface RdapAnswer {
  data: RegistrationData;
  /** The URL of the registry's answer. */
  server: string;
}

const ACCEPT = "application/rdap+json, application/json;q=0.9";

/** When a 429 or 503 says to come back: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfter(header: string | string[] | undefined, now: Date): Date | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return new Date(now.getTime() + Number(value.trim()) * 1000);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

async function fetchDomain(http: HttpClient, url: string, now: Date): Promise<RdapDomain> {
  const answer: HttpAnswer = await http.get(url, ACCEPT);
  if (answer.status === 404) {
    throw new LookupFailure("not_registered", "the registry has no record of this domain (RDAP 404)");
  }
  if (answer.status === 429) {
    throw new LookupFailure(
      "rate_limited",
      `the RDAP server is rate limiting queries (HTTP 429)`,
      retryAfter(answer.headers["retry-after"], now),
    );
  }
  if (answer.status !== 200) {
    throw new LookupFailure("server_error", `the RDAP server answered HTTP ${answer.status}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new LookupFailure("invalid_response", "the RDAP answer is not JSON");
  }
  return parseRdapDomain(json);
}

/** Null when the bootstrap registry lists no RDAP service for the domain's TLD. */
export async function lookupRdap(domain: string, options: RdapOptions): Promise<RdapAnswer | null> {
  const now = () => options.now?.() ?? new Date();
  const bases = await options.bootstrap.baseUrlsFor(domain);
  if (bases === null || bases.length === 0) return null;
  let failure: LookupFailure | null = null;
  for (const base of bases) {
    const url = new URL(`domain/${encodeURIComponent(domain)}`, base.endsWith("/") ? base : `${base}/`).href;
    try {
      const registry = await fetchDomain(options.http, url, now());
      let data: RegistrationData = registry;
      if (isThin(registry) && registry.registrarLink) {
        // The registrar's answer only fills gaps; if it fails, the registry's answer stands.
        const registrar = await fetchDomain(options.http, registry.registrarLink, now()).catch(() => null);
        if (registrar) data = mergeRegistration(registry, registrar);
      }
      const { registrarLink: _link, ...fields } = data as RdapDomain;
      return { data: fields, server: url };
    } catch (error) {
      if (!(error instanceof LookupFailure)) throw error;
      // Only a network failure is worth asking another of the registry's servers.
      if (error.outcome !== "timeout" && error.outcome !== "unreachable") throw error;
      failure = error;
    }
  }
  throw failure;
}
