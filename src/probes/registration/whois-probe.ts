// WHOIS lookup by referral (RFC 3912 has no discovery): ask the first server (IANA's by default),
// follow its "refer:" to the registry, and the registry's "Registrar WHOIS Server:" to the
// registrar, whose answer fills what the registry's leaves out. A failure past the registry keeps
// the registry's answer; a failure before it is the lookup's failure.

import { formatServer, type WhoisServer } from "../../lib/whois-server.js";
import { LookupFailure, mergeRegistration, type RegistrationData, tldOf } from "./registration.js";
import type { WhoisQuery } from "./whois-client.js";
import { readWhoisAnswer } from "./whois-parse.js";

export interface WhoisOptions {
  query: WhoisQuery;
  /** The server asked first (CERTPULSE_WHOIS_SERVER, default whois.iana.org). */
  firstServer: WhoisServer;
}

export interface WhoisLookup {
  data: RegistrationData;
  /** The registry server whose answer the data comes from. */
  server: string;
}

/** IANA → registry → registrar, and one hop of slack for a registry that refers onwards. */
const MAX_HOPS = 4;

/** Registries that answer a bare name with something other than the domain's record. */
function queryFor(server: WhoisServer, domain: string): string {
  if (server.host === "whois.denic.de") return `-T dn,ace ${domain}`;
  if (server.host === "whois.jprs.jp") return `${domain}/e`;
  return domain;
}

export async function lookupWhois(domain: string, options: WhoisOptions): Promise<WhoisLookup> {
  let server = options.firstServer;
  let found: WhoisLookup | null = null;
  const asked = new Set<string>();
  for (let hop = 0; hop < MAX_HOPS && !asked.has(formatServer(server)); hop++) {
    const name = formatServer(server);
    asked.add(name);
    let text: string;
    try {
      text = await options.query(server, queryFor(server, domain));
    } catch (error) {
      if (found) break;
      throw error;
    }
    const answer = readWhoisAnswer(domain, text);
    if (found) {
      // The registrar's answer only fills gaps; anything else from it is ignored.
      if (answer.kind === "registration") found.data = mergeRegistration(found.data, answer.data);
      break;
    }
    switch (answer.kind) {
      case "referral":
        server = answer.referral;
        continue;
      case "registration":
        found = { data: answer.data, server: name };
        if (!answer.referral) break;
        server = answer.referral;
        continue;
      case "not_registered":
        throw new LookupFailure("not_registered", answer.message);
      case "rate_limited":
        throw new LookupFailure("rate_limited", `${answer.message} (${name})`);
      case "unreadable":
        if (hop === 0) {
          throw new LookupFailure("unsupported", `${name} names no WHOIS server for .${tldOf(domain)}`);
        }
        throw new LookupFailure("invalid_response", `${answer.message} (${name})`);
    }
    break;
  }
  if (!found)
    throw new LookupFailure(
      "invalid_response",
      `WHOIS referrals from ${formatServer(options.firstServer)} lead nowhere`,
    );
  return found;
}
