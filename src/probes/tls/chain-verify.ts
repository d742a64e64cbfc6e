// Verifies a served chain without a handshake, for a server Node cannot negotiate with (one that
// offers only RC4, 3DES or export suites): the probe then reads the chain from the scan's plaintext
// Certificate message and judges it here. Node verifies chains only inside a TLS connection, so
// this walks the path itself: each certificate's signature by the next one (or by an anchor), the
// issuers' CA flag and every date. It answers in OpenSSL's verification codes, as a handshake would,
// so chain-verdict.ts reads both alike. It does not check revocation, name constraints or key usage:
// a handshake's verification remains the reference wherever there is one.
import { X509Certificate } from "node:crypto";

const MAX_DEPTH = 10;

/** Anchors parsed once: parsing a certificate costs ~90 µs on OpenSSL 3.0, and there are ~150. */
const parsed = new WeakMap<readonly string[], X509Certificate[]>();
export function anchorsOf(pems: readonly string[]): X509Certificate[] {
  let anchors = parsed.get(pems);
  if (!anchors) {
    anchors = pems.flatMap((pem) => {
      try {
        return [new X509Certificate(pem)];
      } catch {
        return [];
      }
    });
    parsed.set(pems, anchors);
  }
  return anchors;
}

const same = (a: X509Certificate, b: X509Certificate) => a.fingerprint256 === b.fingerprint256;
const signedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/** Null when the chain leads to an anchor; else the OpenSSL code of the first problem found. */
export function verifyOffline(
  served: X509Certificate[],
  anchors: X509Certificate[],
  now: Date,
): string | null {
  const leaf = served[0];
  if (!leaf) return "UNABLE_TO_VERIFY_LEAF_SIGNATURE";
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (new Date(current.validTo) <= now) return "CERT_HAS_EXPIRED";
    if (new Date(current.validFrom) > now) return "CERT_NOT_YET_VALID";
    if (anchors.some((anchor) => same(anchor, current))) return null;
    const anchor = anchors.find((candidate) => signedBy(current, candidate));
    if (anchor) return new Date(anchor.validTo) <= now ? "CERT_HAS_EXPIRED" : null;
    if (current.checkIssued(current)) {
      return depth === 0 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN";
    }
    const issuer = served.find((candidate) => !same(candidate, current) && current.checkIssued(candidate));
    if (!issuer) return depth === 0 ? "UNABLE_TO_VERIFY_LEAF_SIGNATURE" : "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
    if (!current.verify(issuer.publicKey)) return "CERT_SIGNATURE_FAILURE";
    if (!issuer.ca) return "INVALID_CA";
    current = issuer;
  }
  return "CERT_CHAIN_TOO_LONG";
}
