// The two facts of a certificate read straight from its DER, because Node's X509Certificate is
// slow or silent on them: the signature algorithm (Node 20 does not expose it) and the public key's
// type and size (X509Certificate.publicKey plus asymmetricKeyDetails exports the whole key, a
// tenth of an expiry probe's JavaScript). A general ASN.1 parser (asn1js) decoded the whole
// certificate for this and cost an eighth of a probe's CPU; a few headers locate both fields.
// Beside them, signedWith: a signature checked by its algorithm's OID, for CSRs, OCSP responses
// and CRLs alike.
//
// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }
// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
//                               subject, subjectPublicKeyInfo, … }
import { type KeyObject, verify } from "node:crypto";
import { children, type Element, element, oid } from "../../lib/der.js";

/** Bits in a big-endian unsigned integer's bytes, leading zero bytes ignored. */
function bitLength(der: Buffer, el: Element): number {
  let i = el.start;
  while (i < el.end && der[i] === 0) i++;
  if (i === el.end) return 0;
  return (el.end - i - 1) * 8 + (32 - Math.clz32(der[i] ?? 0));
}

// Names as OpenSSL prints them.
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
};

/** The signature algorithm as `openssl x509 -text` names it (the dotted OID when it has no name). */
export function signatureAlgorithm(der: Buffer): string | null {
  try {
    const certificate = element(der, 0);
    const tbs = element(der, certificate.start);
    const algorithm = element(der, tbs.end);
    const dotted = oid(der, element(der, algorithm.start));
    return dotted === null ? null : (SIGNATURE_ALGORITHMS[dotted] ?? dotted);
  } catch {
    return null;
  }
}

// The hash Node's verify() takes for each signature algorithm (null: EdDSA hashes inside).
const HASH_OF: Record<string, string | null> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.1": "sha224",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.10040.4.3": "sha1",
  "2.16.840.1.101.3.4.3.1": "sha224",
  "2.16.840.1.101.3.4.3.2": "sha256",
  "1.3.101.112": null,
  "1.3.101.113": null,
};

/**
 * Whether `signature` over `data` (a CSR's request info, an OCSP response's or a CRL's to-be-signed
 * part) was made with `key`, by the algorithm `algorithmOid` names. False for a signature that does
 * not verify and for an algorithm not listed (RSA-PSS among them: its parameters are not read).
 */
export function signedWith(algorithmOid: string, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  if (!(algorithmOid in HASH_OF)) return false;
  try {
    return verify(HASH_OF[algorithmOid] ?? null, data, key, signature);
  } catch {
    return false;
  }
}

const KEY_ALGORITHMS: Record<string, string> = {
  "1.2.840.113549.1.1.1": "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10040.4.1": "DSA",
  "1.2.840.10045.2.1": "EC",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
};

// Named curves by OID: the NIST ones, secp256k1 and the Brainpool ones RFC 5639 defines.
const CURVE_BITS: Record<string, number> = {
  "1.2.840.10045.3.1.7": 256,
  "1.3.132.0.34": 384,
  "1.3.132.0.35": 521,
  "1.3.132.0.10": 256,
  "1.3.36.3.3.2.8.1.1.7": 256,
  "1.3.36.3.3.2.8.1.1.11": 384,
  "1.3.36.3.3.2.8.1.1.13": 512,
};

export interface PublicKeyFacts {
  keyType: string | null;
  keySize: number | null;
}

/**
 * The key's type as Node names it in upper case ("RSA", "EC", "Ed25519") and its size in bits: the
 * modulus for RSA, the prime p for DSA, the curve for EC and EdDSA. Nulls for what it cannot read.
 */
export function publicKeyOf(der: Buffer): PublicKeyFacts {
  try {
    const tbs = element(der, element(der, 0).start);
    const fields = children(der, tbs);
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // the explicit [0] version is optional
    const spki = fields[offset + 5];
    if (spki === undefined) return { keyType: null, keySize: null };
    const [algorithm, key] = children(der, spki);
    if (algorithm === undefined || key === undefined) return { keyType: null, keySize: null };
    const [id, parameters] = children(der, algorithm);
    const dotted = oid(der, id);
    const keyType = dotted === null ? null : (KEY_ALGORITHMS[dotted] ?? dotted);
    return { keyType, keySize: keySize(der, keyType, parameters, key) };
  } catch {
    return { keyType: null, keySize: null };
  }
}

function keySize(
  der: Buffer,
  type: string | null,
  parameters: Element | undefined,
  key: Element,
): number | null {
  switch (type) {
    case "RSA":
    case "RSA-PSS": {
      // BIT STRING { unused-bits byte, RSAPublicKey ::= SEQUENCE { modulus, publicExponent } }
      const [modulus] = children(der, element(der, key.start + 1));
      return modulus ? bitLength(der, modulus) : null;
    }
    case "DSA": {
      const [p] = parameters ? children(der, parameters) : [];
      return p ? bitLength(der, p) : null;
    }
    case "EC": {
      const curve = oid(der, parameters);
      return curve === null ? null : (CURVE_BITS[curve] ?? null);
    }
    case "Ed25519":
      return 256;
    case "Ed448":
      return 448;
    default:
      return null;
  }
}
