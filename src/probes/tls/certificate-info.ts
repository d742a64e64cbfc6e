// What one certificate says, in the forms operators know from `openssl x509`: distinguished names
// as "CN=…, O=…" with their parts, colon-hex serial, SANs, SHA-256 fingerprint, key and signature.
import type { X509Certificate } from "node:crypto";
import { publicKeyOf, signatureAlgorithm } from "./certificate-der.js";

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
    ...publicKeyOf(cert.raw),
    signatureAlgorithm: signatureAlgorithm(cert.raw),
    selfIssued: cert.checkIssued(cert),
  };
}
