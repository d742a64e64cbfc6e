// Whether a signature over DER bytes (an OCSP response's, a CRL's) was made with a key, for the
// algorithms the Web PKI signs with. Node's crypto does the verifying; this only maps the algorithm's
// OID to the hash Node wants.
import { type KeyObject, verify } from "node:crypto";

const HASH_OF: Record<string, string | null> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  // EdDSA hashes inside the algorithm: Node takes null.
  "1.3.101.112": null,
  "1.3.101.113": null,
};

/** False for a signature that does not verify and for an algorithm this does not know (RSA-PSS among them). */
export function signedWith(algorithmOid: string, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  if (!(algorithmOid in HASH_OF)) return false;
  try {
    return verify(HASH_OF[algorithmOid] ?? null, data, key, signature);
  } catch {
    return false;
  }
}
