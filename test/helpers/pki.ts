// Certificates made in the test: a CA, intermediates and leaves with any names, dates and keys.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface Issued {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
  name: string;
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface IssueOptions {
  /** Common name; also the only SAN unless `sans` says otherwise. */
  cn: string;
  issuer?: Issued;
  ca?: boolean;
  sans?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** RSA modulus length; the default is an EC P-256 key. */
  rsaBits?: number;
  serialNumber?: string;
  /** The OCSP responder the leaf's AIA names. */
  ocspUrl?: string;
  /** The CRL distribution point the leaf names. */
  crlUrl?: string;
  /** An OCSP responder's certificate: extended key usage OCSP signing, no names. */
  ocspSigning?: boolean;
  /** The issuer's organization (O=), after the CN. */
  organization?: string;
}

const DAY = 86_400_000;

function algorithm(rsaBits?: number) {
  return rsaBits
    ? {
        name: "RSASSA-PKCS1-v1_5",
        hash: "SHA-256",
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: rsaBits,
      }
    : { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
}

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

export async function issue(options: IssueOptions): Promise<Issued> {
  const keyAlgorithm = algorithm(options.rsaBits);
  const keys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const name = `CN=${options.cn}${options.organization ? `, O=${options.organization}` : ""}`;
  const signer = options.issuer ?? { keys, name };
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey));
  }
  if (options.ca) {
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    );
  } else if (options.ocspSigning) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning]));
  } else {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        (options.sans ?? [options.cn]).map((value) => ({ type: "dns" as const, value })),
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    );
    if (options.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: [options.ocspUrl] }));
    if (options.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([options.crlUrl]));
  }
  const signerAlgorithm = algorithm(
    options.issuer
      ? (options.issuer.keys.privateKey.algorithm as RsaHashedKeyAlgorithm).modulusLength
      : options.rsaBits,
  );
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber:
      options.serialNumber ??
      webcrypto
        .getRandomValues(new Uint8Array(8))
        .reduce((s, b) => s + b.toString(16).padStart(2, "0"), "7f"),
    subject: name,
    issuer: signer.name,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 90 * DAY),
    signingAlgorithm: signerAlgorithm,
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    extensions,
  });
  const key = pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  return { cert: `${certificate.toString("pem").trimEnd()}\n`, key, name, certificate, keys };
}

/** A root CA, an intermediate, and a helper for leaves under the intermediate. */
export async function testPki() {
  const root = await issue({
    cn: "CertPulse Test Root",
    ca: true,
    notAfter: new Date(Date.now() + 3650 * DAY),
  });
  const intermediate = await issue({ cn: "CertPulse Test Intermediate", ca: true, issuer: root });
  return {
    root,
    intermediate,
    leaf: (options: Omit<IssueOptions, "issuer">) => issue({ ...options, issuer: intermediate }),
  };
}

/** A DER CRL `issuer` signs, listing `revoked` (hex serials) with their reasons; current for a day. */
export async function crlOf(
  issuer: Issued,
  revoked: { serial: string; at: Date; reason: x509.X509CrlReason }[],
  { thisUpdate = new Date(Date.now() - 3_600_000), nextUpdate = new Date(Date.now() + DAY) } = {},
): Promise<Buffer> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.name,
    thisUpdate,
    nextUpdate,
    entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.at, reason: r.reason })),
    signingAlgorithm: algorithm((issuer.keys.privateKey.algorithm as RsaHashedKeyAlgorithm).modulusLength),
    signingKey: issuer.keys.privateKey,
  });
  return Buffer.from(crl.rawData);
}
export const CrlReason = x509.X509CrlReason;
