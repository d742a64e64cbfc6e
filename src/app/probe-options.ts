// The probes' options as the configuration sets them, built once per process: the private-address
// guard (shared by every outbound connection), the TLS trust store, and the registration probe's
// HTTP client and bootstrap cache. The server and `certpulse check` both start here.
import { LRUCache } from "lru-cache";
import type { Config } from "../config.js";
import { parseServer } from "../lib/whois-server.js";
import { caaChecker, caaResolver } from "../probes/caa/caa.js";
import type { GuardOptions } from "../probes/net/guarded-lookup.js";
import { createHttpClient, type HttpClient } from "../probes/net/http-client.js";
import { countryOf } from "../probes/net/ip-geo.js";
import { serversLookup } from "../probes/net/resolve-target.js";
import { reverseLookup } from "../probes/net/reverse-dns.js";
import { RdapBootstrap } from "../probes/registration/rdap-bootstrap.js";
import type { RegistrationProbeOptions } from "../probes/registration/registration-probe.js";
import { createWhoisClient } from "../probes/registration/whois-client.js";
import { type RevocationFetch, revocationChecker, type Via } from "../probes/revocation/revocation.js";
import type { TlsProbeOptions } from "../probes/tls/tls-probe.js";
import { createTrustStore } from "../probes/tls/trust-store.js";

/** An RDAP answer is a few kilobytes; a WHOIS answer rarely 20. Anything far past is hostile or broken. */
const RDAP_MAX_BYTES = 1024 * 1024;
const WHOIS_MAX_BYTES = 256 * 1024;
/** The biggest public CRLs hold a few hundred thousand entries, some megabytes. */
const CRL_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Revocation sources over the guarded HTTP client, or through a domain's proxy over a client of its
 * own (kept while in use, closed when it falls out): OCSP by POST (RFC 6960 A.1), CRLs by GET.
 */
function revocationFetch(http: HttpClient, timeoutMs: number): RevocationFetch & { close(): Promise<void> } {
  const proxied = new LRUCache<string, HttpClient>({
    max: 100,
    dispose: (client) => void client.close(),
  });
  const clientFor = (via?: Via) => {
    if (!via) return http;
    const key = JSON.stringify([via.address, via.port, via.username, via.password]);
    let client = proxied.get(key);
    if (!client) {
      client = createHttpClient({ allowPrivate: false, timeoutMs, maxBytes: CRL_MAX_BYTES, proxy: via });
      proxied.set(key, client);
    }
    return client;
  };
  return Object.assign(
    async (
      url: string,
      { body, accept }: { body?: Buffer; accept: string },
      signal: AbortSignal,
      via?: Via,
    ) => {
      const client = clientFor(via);
      const answer = body
        ? await client.post(url, body, { "content-type": "application/ocsp-request", accept }, signal)
        : await client.get(url, accept, signal);
      return { status: answer.status, body: answer.bytes };
    },
    {
      async close() {
        proxied.clear();
        await http.close();
      },
    },
  );
}

/** Which addresses outbound connections may reach, and how names resolve: the same for every probe. */
export function guardOptions(config: Config): GuardOptions {
  return {
    allowPrivate: config.CERTPULSE_ALLOW_PRIVATE_TARGETS,
    hostsFile: config.CERTPULSE_HOSTS_FILE,
    lookup: config.CERTPULSE_DNS_SERVERS ? serversLookup(config.CERTPULSE_DNS_SERVERS) : undefined,
  };
}

/** The TLS probe's options (close them when done: the revocation sources' HTTP clients); the trust store is built here, once per process. */
export function tlsProbeOptions(
  config: Config,
  guard = guardOptions(config),
): TlsProbeOptions & { close(): Promise<void> } {
  const timeoutMs = config.CERTPULSE_PROBE_TIMEOUT_MS;
  const fetch = revocationFetch(
    createHttpClient({ ...guard, timeoutMs, maxBytes: CRL_MAX_BYTES }),
    timeoutMs,
  );
  return {
    close: fetch.close,
    revocation: config.CERTPULSE_REVOCATION_CHECK ? revocationChecker({ fetch }) : undefined,
    caa: config.CERTPULSE_CAA_CHECK
      ? caaChecker({
          resolve: caaResolver({ servers: config.CERTPULSE_DNS_SERVERS, timeoutMs: 2000 }),
          issuers: config.CERTPULSE_CAA_ISSUERS,
        })
      : undefined,
    ...guard,
    trust: createTrustStore(),
    timeoutMs,
    httpTimeoutMs: config.CERTPULSE_HTTP_TIMEOUT_MS,
    httpMaxBytes: config.CERTPULSE_HTTP_MAX_BYTES,
    httpRedirects: config.CERTPULSE_HTTP_REDIRECTS,
    reverse: reverseLookup({ hostsFile: config.CERTPULSE_HOSTS_FILE, servers: config.CERTPULSE_DNS_SERVERS }),
    geo: countryOf,
  };
}

/**
 * The registration probe's options, with the HTTP client (close it when done) and the bootstrap
 * registry cache.
 */
export function registrationProbeOptions(
  config: Config,
  guard = guardOptions(config),
): RegistrationProbeOptions & { http: HttpClient } {
  const timeoutMs = config.CERTPULSE_PROBE_TIMEOUT_MS;
  const http = createHttpClient({ ...guard, timeoutMs, maxBytes: RDAP_MAX_BYTES });
  return {
    http,
    rdap: { http, bootstrap: new RdapBootstrap({ url: config.CERTPULSE_RDAP_BOOTSTRAP_URL, http }) },
    whois: {
      query: createWhoisClient({ ...guard, timeoutMs, maxBytes: WHOIS_MAX_BYTES }),
      // The configuration refuses a value this cannot parse.
      firstServer: parseServer(config.CERTPULSE_WHOIS_SERVER)!,
    },
  };
}
