// The probes' options as the configuration sets them, built once per process: the private-address
// guard (shared by every outbound connection), the TLS trust store, and the registration probe's
// HTTP client and bootstrap cache. The server and `certpulse check` both start here.
import type { Config } from "../config.js";
import { parseServer } from "../lib/whois-server.js";
import type { GuardOptions } from "../probes/net/guarded-lookup.js";
import { createHttpClient, type HttpClient } from "../probes/net/http-client.js";
import { countryOf } from "../probes/net/ip-geo.js";
import { serversLookup } from "../probes/net/resolve-target.js";
import { reverseLookup } from "../probes/net/reverse-dns.js";
import { RdapBootstrap } from "../probes/registration/rdap-bootstrap.js";
import type { RegistrationProbeOptions } from "../probes/registration/registration-probe.js";
import { createWhoisClient } from "../probes/registration/whois-client.js";
import type { TlsProbeOptions } from "../probes/tls/tls-probe.js";
import { createTrustStore } from "../probes/tls/trust-store.js";

/** An RDAP answer is a few kilobytes; a WHOIS answer rarely 20. Anything far past is hostile or broken. */
const RDAP_MAX_BYTES = 1024 * 1024;
const WHOIS_MAX_BYTES = 256 * 1024;

/** Which addresses outbound connections may reach, and how names resolve: the same for every probe. */
export function guardOptions(config: Config): GuardOptions {
  return {
    allowPrivate: config.CERTPULSE_ALLOW_PRIVATE_TARGETS,
    hostsFile: config.CERTPULSE_HOSTS_FILE,
    lookup: config.CERTPULSE_DNS_SERVERS ? serversLookup(config.CERTPULSE_DNS_SERVERS) : undefined,
  };
}

/** The TLS probe's options; the trust store is built here, once per process. */
export function tlsProbeOptions(config: Config, guard = guardOptions(config)): TlsProbeOptions {
  return {
    ...guard,
    trust: createTrustStore(),
    timeoutMs: config.CERTPULSE_PROBE_TIMEOUT_MS,
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
