// What one certificate says, in the forms operators know from `openssl x509`: distinguished names
// as "CN=…, O=…" with their parts, colon-hex serial, SANs, SHA-256 fingerprint, key and signature.
import type { X509Certificate } from "node:crypto";

export interface CertificateInfo {
  subject: string;
  subjectParts: Record<string, string>;
  issuer: string;
  issuerParts: Record<string, string>;
  validFrom: Date;
  validTo: Date;
  serialNumber: string;
  sans: string[];
  fingerprint256: string;
  keyType: string | null;
  keySize: number | null;
  signatureAlgorithm: string | null;
  selfIssued: boolean;
}

/** Node writes a DN one attribute per line ("CN=example.com\nO=Example"). */
function distinguishedName(text: string): { name: string; parts: Record<string, string> } {
  const lines = text.split("\n").filter((line) => line.includes("="));
  const parts: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf("=");
    const key = line.slice(0, at);
    parts[key] = parts[key] === undefined ? line.slice(at + 1) : `${parts[key]}, ${line.slice(at + 1)}`;
  }
  return { name: lines.join(", "), parts };
}

/** "03A1B2" → "03:a1:b2", as `openssl x509 -text` prints a serial. */
function colonHex(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.match(/../g) ?? []).join(":").toLowerCase();
}

function subjectAltNames(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(", ").map((entry) => entry.replace(/^(DNS|IP Address):/, ""));
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
const KEY_TYPE: Record<string, string> = {
  rsa: "RSA",
  "rsa-pss": "RSA-PSS",
  dsa: "DSA",
  ec: "EC",
  ed25519: "Ed25519",
  ed448: "Ed448",
};

function keyOf(cert: X509Certificate): { keyType: string | null; keySize: number | null } {
  const key = cert.publicKey;
  const type = key.asymmetricKeyType ?? "";
  const details = key.asymmetricKeyDetails ?? {};
  const size =
    details.modulusLength ??
    (details.namedCurve ? (CURVE_BITS[details.namedCurve] ?? null) : null) ??
    ({ ed25519: 256, ed448: 448 } as Record<string, number>)[type] ??
    null;
  return { keyType: KEY_TYPE[type] ?? (type || null), keySize: size };
}

// Names as OpenSSL prints them. Node 20's X509Certificate does not expose the signature algorithm.
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

/** A DER element's header at `at`: where its content starts and how long it is. */
function derHeader(der: Buffer, at: number): { start: number; length: number } {
  const first = der[at + 1] ?? 0;
  if (first < 0x80) return { start: at + 2, length: first };
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
  return { start: at + 2 + bytes, length };
}

function oidToString(bytes: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) {
      parts.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = parts;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join(".");
}

/**
 * The signature algorithm, read straight from the DER: Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm SEQUENCE { OID, … }, … }. Three headers locate the OID; a general ASN.1 parser
 * (asn1js) decoded the whole certificate for it and cost an eighth of a probe's CPU.
 */
export function signatureAlgorithm(der: Buffer): string | null {
  try {
    const certificate = derHeader(der, 0);
    const tbs = derHeader(der, certificate.start);
    const algorithm = derHeader(der, tbs.start + tbs.length);
    const oidAt = algorithm.start;
    if (der[oidAt] !== 0x06) return null;
    const oid = derHeader(der, oidAt);
    const dotted = oidToString(der.subarray(oid.start, oid.start + oid.length));
    return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
  } catch {
    return null;
  }
}

/** The little a chain listing shows of each certificate (no DER parsing: it runs per chain link). */
export function chainEntry(cert: X509Certificate) {
  return {
    subject: distinguishedName(cert.subject).name,
    issuer: distinguishedName(cert.issuer).name,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
  };
}

export function describeCertificate(cert: X509Certificate): CertificateInfo {
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  return {
    subject: subject.name,
    subjectParts: subject.parts,
    issuer: issuer.name,
    issuerParts: issuer.parts,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    serialNumber: colonHex(cert.serialNumber),
    sans: subjectAltNames(cert.subjectAltName),
    fingerprint256: cert.fingerprint256,
    ...keyOf(cert),
    signatureAlgorithm: signatureAlgorithm(cert.raw),
    selfIssued: cert.checkIssued(cert),
  };
}
