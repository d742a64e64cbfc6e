// The secure contexts every probe shares, built once: Node builds a new context with the whole
// root store for each connection otherwise, which costs a good share of a handshake's CPU.
// Trust = Node's bundled roots + NODE_EXTRA_CA_CERTS + any extra anchors the caller passes.
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";

export const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

// Security level 0 lets the probe complete handshakes that a browser would refuse (TLS 1.0, weak
// keys), so it can report them; trust is judged from chain verification and weakness by the grade.
const PERMISSIVE_CIPHERS = "DEFAULT:@SECLEVEL=0";

export interface TrustStore {
  /** Any version from TLS 1.0 up: the server picks its best. (The protocol scan needs no context.) */
  main: SecureContext;
  /** The trusted certificates as PEM, for chains verified without a handshake (chain-verify.ts). */
  anchors: readonly string[];
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function extraCaCerts(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, "utf8").match(PEM) ?? [];
  } catch {
    return []; // Node itself only warns about an unreadable file; so do we, by ignoring it.
  }
}

export function createTrustStore(extraAnchors: string[] = []): TrustStore {
  const ca = [...rootCertificates, ...extraCaCerts(), ...extraAnchors];
  return {
    anchors: ca,
    main: createSecureContext({
      ca,
      ciphers: PERMISSIVE_CIPHERS,
      minVersion: "TLSv1",
      maxVersion: "TLSv1.3",
    }),
  };
}
