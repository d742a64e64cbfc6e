// Which protocol versions and cipher suites a server accepts, from raw ClientHellos (hello-scan.ts):
// every suite at every version from SSL 3 to TLS 1.3, in parallel per version. Protocol support is
// the versions with at least one suite. It costs a few dozen short connections, so callers run it
// at the protocol-scan interval, not on every check.

import { TLS_VERSIONS, type TlsVersion } from "../trust-store.js";
import { LEGACY_SUITE_IDS, suiteName, suiteNamed, TLS13_SUITE_IDS } from "./cipher-suites.js";
import { enumerateSuites, type HelloTarget, type ScanProtocol } from "./hello-scan.js";

export type ProtocolSupport = Record<TlsVersion, boolean>;

// A type, not an interface: it is stored as JSON, and Prisma's JSON input takes only plain types.
export type AcceptedSuite = {
  /** The IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), or the hex code of one we do not know. */
  name: string;
  /** The key-exchange group: a named curve (x25519, secp256r1) or "ffdhe" for finite-field DHE. */
  group: string | null;
  /** Its size: the DHE prime's bits, or the curve's. */
  groupBits: number | null;
};

/**
 * Per version the server accepts, its suites in its order of preference, and (before TLS 1.3)
 * whether it supports secure renegotiation (RFC 5746).
 */
export type SuiteSupport = {
  protocol: ScanProtocol;
  suites: AcceptedSuite[];
  secureRenegotiation?: boolean;
}[];

export interface ProtocolScan {
  protocols: ProtocolSupport;
  suites: SuiteSupport;
}

const SCANNED: ScanProtocol[] = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** The support as a list in version order, the shape GraphQL (and so REST) gives it. */
export function protocolList(support: ProtocolSupport): { version: TlsVersion; accepted: boolean }[] {
  return TLS_VERSIONS.map((version) => ({ version, accepted: support[version] === true }));
}

/**
 * The scan, or null when the deadline cut it short: a partial list could miss the weak suites that
 * cap a grade, so it counts as no scan (and the next check scans again).
 */
export async function scanProtocols(
  target: HelloTarget,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<ProtocolScan | null> {
  const scans = await Promise.all(
    SCANNED.map((protocol) =>
      enumerateSuites(target, protocol, protocol === "TLSv1.3" ? TLS13_SUITE_IDS : LEGACY_SUITE_IDS, {
        signal,
        timeoutMs,
      }),
    ),
  );
  if (scans.some((scan) => !scan.complete)) return null;
  const suites: SuiteSupport = scans
    .filter((scan) => scan.suites.length > 0)
    .map(({ protocol, suites: accepted, secureRenegotiation }) => ({
      protocol,
      suites: accepted.map(({ id, group, groupBits }) => ({ name: suiteName(id), group, groupBits })),
      ...(protocol === "TLSv1.3" ? {} : { secureRenegotiation }),
    }));
  const protocols = Object.fromEntries(
    TLS_VERSIONS.map((version) => [version, suites.some((s) => s.protocol === version)]),
  ) as ProtocolSupport;
  return { protocols, suites };
}

/** The suites with what the rating guide judges of each: the shape GraphQL and REST give them. */
export function describeSuites(support: SuiteSupport) {
  return support.map(({ protocol, suites, secureRenegotiation }) => ({
    protocol,
    secureRenegotiation: secureRenegotiation ?? null,
    suites: suites.map((accepted) => {
      const suite = suiteNamed(accepted.name);
      return {
        ...accepted,
        opensslName: suite?.openssl ?? null,
        keyExchange: suite?.keyExchange ?? null,
        bits: suite?.bits ?? null,
        forwardSecrecy: suite?.forwardSecrecy ?? null,
        aead: suite?.aead ?? null,
      };
    }),
  }));
}
