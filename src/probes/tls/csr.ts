// A certificate signing request (PKCS #10, RFC 2986) read before it is sent for a reissue: who it
// names, its key, its signature, and what a CA or the operator would object to. Parsed with
// @peculiar/asn1-csr (the schema of RFC 2986 for @peculiar/asn1-schema); the key and the signature
// are checked with Node's crypto.
import { createPublicKey } from "node:crypto";
import { isIP } from "node:net";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Extensions, id_ce_subjectAltName, type Name, SubjectAlternativeName } from "@peculiar/asn1-x509";
import { signatureAlgorithm, signedWith } from "./certificate-der.js";

export interface DecodedCsr {
  /** "CN=www.example.com, O=Example", as the certificate would carry it. */
  subject: string;
  subjectParts: Record<string, string>;
  /** The DNS names and IP addresses it asks for: the subjectAltName's, else the CN. */
  names: string[];
  hasSubjectAltName: boolean;
  keyType: string;
  keySize: number | null;
  signatureAlgorithm: string | null;
  /** The request's own signature verifies with its key (it was not altered after signing). */
  signatureValid: boolean;
  /** What is wrong with it, in words; empty when nothing is. */
  problems: string[];
}

/** Why a text is not a CSR that can be read. */
export class MalformedCsr extends Error {}

const ATTRIBUTE_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber",
  "1.2.840.113549.1.9.1": "emailAddress",
};
const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
};

function derOf(pem: string): Buffer {
  const match =
    /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!match) throw new MalformedCsr("not a PEM certificate request (no BEGIN CERTIFICATE REQUEST block)");
  const body = (match[2] as string).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new MalformedCsr("the PEM block is not base64");
  return Buffer.from(body, "base64");
}

function nameOf(name: Name): { text: string; parts: Record<string, string> } {
  const pairs: [string, string][] = [];
  for (const rdn of name) {
    for (const attribute of rdn) {
      const key = ATTRIBUTE_NAMES[attribute.type] ?? attribute.type;
      pairs.push([key, attribute.value.toString()]);
    }
  }
  const parts: Record<string, string> = {};
  for (const [key, value] of pairs) parts[key] = parts[key] === undefined ? value : `${parts[key]}, ${value}`;
  return { text: pairs.map(([key, value]) => `${key}=${value}`).join(", "), parts };
}

function altNames(request: CertificationRequest): string[] | null {
  const attribute = request.certificationRequestInfo.attributes.find((a) => a.type === EXTENSION_REQUEST);
  const value = attribute?.values[0];
  if (!value) return null;
  const extensions = AsnConvert.parse(value, Extensions);
  const san = extensions.find((extension) => extension.extnID === id_ce_subjectAltName);
  if (!san) return null;
  const names = AsnConvert.parse(san.extnValue, SubjectAlternativeName);
  return Array.from(names).flatMap((general) => {
    if (general.dNSName) return [general.dNSName.toLowerCase()];
    if (general.iPAddress) return [general.iPAddress]; // the schema's converter writes it as text
    return [];
  });
}

/** The names a certificate covers, matched as a CA would issue them (`*.example.com` covers one label). */
export function covers(names: string[], host: string): boolean {
  return names.some((name) => {
    if (name === host) return true;
    if (!name.startsWith("*.") || isIP(host)) return false;
    const rest = host.slice(host.indexOf(".") + 1);
    return host.includes(".") && name.slice(2) === rest;
  });
}

/**
 * Reads a PEM CSR. `current`: the monitored domain's hostname and the names its current certificate
 * covers, to say which names the reissue would add or drop. Throws MalformedCsr for anything else.
 */
export function decodeCsr(pem: string, current?: { hostname: string; names: string[] | null }): DecodedCsr {
  const der = derOf(pem);
  let request: CertificationRequest;
  try {
    request = AsnConvert.parse(der, CertificationRequest);
  } catch (error) {
    throw new MalformedCsr(`not a PKCS #10 certificate request: ${(error as Error).message}`);
  }
  const info = request.certificationRequestInfo;
  const subject = nameOf(info.subject);
  const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: spki, format: "der", type: "spki" });
  } catch (error) {
    throw new MalformedCsr(`its public key cannot be read: ${(error as Error).message}`);
  }
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = (key.asymmetricKeyType ?? "unknown").toUpperCase().replace("ED25519", "Ed25519");
  const keySize =
    details.modulusLength ??
    (details.namedCurve ? (CURVE_BITS[details.namedCurve] ?? null) : keyType === "Ed25519" ? 256 : null);
  const algorithm = signatureAlgorithm(der);
  const signatureValid = signedWith(
    request.signatureAlgorithm.algorithm,
    Buffer.from(AsnConvert.serialize(info)),
    key,
    Buffer.from(request.signature),
  );
  const hash = /SHA(1|224|256|384|512)/i.exec(algorithm ?? "")?.[1];
  const sans = altNames(request);
  const names = sans ?? (subject.parts.CN ? [subject.parts.CN.toLowerCase()] : []);

  const problems: string[] = [];
  if (!signatureValid)
    problems.push("its signature does not verify: the request was altered after it was signed");
  if ((keyType === "RSA" || keyType === "RSA-PSS") && (keySize ?? 0) < 2048)
    problems.push(`weak key: RSA ${keySize} bits (CAs require at least 2048)`);
  if (keyType === "EC" && (keySize ?? 0) < 256) problems.push(`weak key: EC ${keySize ?? "unknown"} bits`);
  if (keyType === "DSA") problems.push("DSA keys are not accepted by public CAs");
  if (hash === "1") problems.push("signed with SHA-1, which CAs refuse");
  if (sans === null)
    problems.push("no subjectAltName: browsers ignore the CN, so the names must be in a SAN");
  if (names.length === 0) problems.push("it names no host");
  if (current) {
    if (!covers(names, current.hostname))
      problems.push(`it does not cover the monitored host ${current.hostname}`);
    if (current.names) {
      const added = names.filter((name) => !current.names?.includes(name));
      const dropped = current.names.filter((name) => !names.includes(name));
      if (added.length > 0)
        problems.push(`names the current certificate does not cover: ${added.join(", ")}`);
      if (dropped.length > 0)
        problems.push(`names the current certificate covers that it drops: ${dropped.join(", ")}`);
    }
  }
  return {
    subject: subject.text,
    subjectParts: subject.parts,
    names,
    hasSubjectAltName: sans !== null,
    keyType,
    keySize,
    signatureAlgorithm: algorithm,
    signatureValid,
    problems,
  };
}
