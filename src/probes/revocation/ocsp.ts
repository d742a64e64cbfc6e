// OCSP (RFC 6960): the request for one certificate, and what a response says of it once it is
// known to come from the issuer (signed by it, or by a responder certificate it issued for OCSP
// signing) and to be current. Parsed with @peculiar/asn1-ocsp; signatures checked with Node's crypto.
import { X509Certificate } from "node:crypto";
import {
  BasicOCSPResponse,
  CertID,
  id_pkix_ocsp_basic,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier } from "@peculiar/asn1-x509";
import { signedWith } from "../tls/certificate-der.js";
import {
  assertCurrent,
  digest,
  type Parsed,
  type RevocationAnswer,
  reasonName,
  serialHex,
  UnusableAnswer,
} from "./revocation-answer.js";

const HASHES: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
/** SHA-1, as RFC 5019 asks of a client's CertID (every responder understands it). */
const SHA1 = "1.3.14.3.2.26";
const OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

function issuerHashes(issuer: Parsed, hashOid: string) {
  const hash = HASHES[hashOid];
  if (!hash) return null;
  const tbs = issuer.asn.tbsCertificate;
  return {
    name: digest(hash, AsnConvert.serialize(tbs.subject)),
    key: digest(hash, tbs.subjectPublicKeyInfo.subjectPublicKey),
  };
}

/** The DER OCSP request for `leaf` (no nonce: responders serve pre-signed answers, RFC 5019). */
export function ocspRequest(leaf: Parsed, issuer: Parsed): Buffer {
  const hashes = issuerHashes(issuer, SHA1)!;
  const reqCert = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(hashes.name),
    issuerKeyHash: new OctetString(hashes.key),
    serialNumber: leaf.asn.tbsCertificate.serialNumber,
  });
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert })] }),
  });
  return Buffer.from(AsnConvert.serialize(request));
}

function isAbout(id: CertID, leaf: Parsed, issuer: Parsed): boolean {
  if (serialHex(id.serialNumber) !== serialHex(leaf.asn.tbsCertificate.serialNumber)) return false;
  const hashes = issuerHashes(issuer, id.hashAlgorithm.algorithm);
  if (!hashes) return false;
  return (
    hashes.name.equals(Buffer.from(id.issuerNameHash.buffer)) &&
    hashes.key.equals(Buffer.from(id.issuerKeyHash.buffer))
  );
}

/** The issuer itself, or a certificate it issued for OCSP signing that the response carries and that signed it. */
function signerVerifies(basic: BasicOCSPResponse, issuer: Parsed, now: Date): boolean {
  const signed = Buffer.from(basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData));
  const signature = Buffer.from(basic.signature);
  const algorithm = basic.signatureAlgorithm.algorithm;
  if (signedWith(algorithm, signed, issuer.x509.publicKey, signature)) return true;
  return (basic.certs ?? []).some((certificate) => {
    const delegate = new X509Certificate(Buffer.from(AsnConvert.serialize(certificate)));
    const current = new Date(delegate.validFrom) <= now && now <= new Date(delegate.validTo);
    const usage = delegate.keyUsage as string[] | undefined;
    return (
      current &&
      usage?.includes(OCSP_SIGNING) === true &&
      delegate.checkIssued(issuer.x509) &&
      delegate.verify(issuer.x509.publicKey) &&
      signedWith(algorithm, signed, delegate.publicKey, signature)
    );
  });
}

/** What a DER OCSP response says of `leaf`; UnusableAnswer when it cannot be trusted. */
export function readOcspResponse(der: Buffer, leaf: Parsed, issuer: Parsed, now: Date): RevocationAnswer {
  let response: OCSPResponse;
  let basic: BasicOCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful) {
      const status = OCSPResponseStatus[response.responseStatus] ?? String(response.responseStatus);
      throw new UnusableAnswer(`the responder answered ${status}`);
    }
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) {
      throw new UnusableAnswer("the OCSP response is not a basic response");
    }
    basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (error) {
    if (error instanceof UnusableAnswer) throw error;
    throw new UnusableAnswer(`the OCSP response cannot be read (${(error as Error).message})`);
  }
  const single = basic.tbsResponseData.responses.find((r) => isAbout(r.certID, leaf, issuer));
  if (!single) throw new UnusableAnswer("the OCSP response is about another certificate");
  if (!signerVerifies(basic, issuer, now)) {
    throw new UnusableAnswer("the OCSP response is not signed by the issuer or its OCSP responder");
  }
  const nextUpdate = single.nextUpdate ?? null;
  assertCurrent(single.thisUpdate, nextUpdate, now, "OCSP response");
  const { certStatus } = single;
  if (certStatus.revoked) {
    return {
      status: "revoked",
      revokedAt: certStatus.revoked.revocationTime,
      reason: reasonName(certStatus.revoked.revocationReason?.reason),
      nextUpdate,
    };
  }
  const status = certStatus.good !== undefined ? "good" : "unknown";
  return { status, revokedAt: null, reason: null, nextUpdate };
}
