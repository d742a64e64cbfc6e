// A CRL (RFC 5280 §5) read once, checked against its issuer (same name, its signature, current), and
// kept as an index of revoked serials: a big CA's CRL lists tens of thousands, and one download
// serves every certificate it covers until its next update.
import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificateList, CRLReason, id_ce_cRLReasons } from "@peculiar/asn1-x509";
import {
  assertCurrent,
  type Parsed,
  type RevocationAnswer,
  reasonName,
  serialHex,
  UnusableAnswer,
} from "./revocation-answer.js";
import { signedWith } from "./signature.js";

export interface CrlIndex {
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: Map<string, { at: Date; reason: string | null }>;
}

/** The CRL's index once it is known to be `issuer`'s and current; UnusableAnswer otherwise. */
export function readCrl(der: Buffer, issuer: Parsed, now: Date): CrlIndex {
  let list: CertificateList;
  try {
    list = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new UnusableAnswer(`the CRL cannot be read (${(error as Error).message})`);
  }
  const tbs = list.tbsCertList;
  const issuerName = Buffer.from(AsnConvert.serialize(issuer.asn.tbsCertificate.subject));
  if (!Buffer.from(AsnConvert.serialize(tbs.issuer)).equals(issuerName)) {
    throw new UnusableAnswer("the CRL is issued by another CA than the certificate");
  }
  const signed = Buffer.from(list.tbsCertListRaw ?? AsnConvert.serialize(tbs));
  if (
    !signedWith(list.signatureAlgorithm.algorithm, signed, issuer.x509.publicKey, Buffer.from(list.signature))
  ) {
    throw new UnusableAnswer("the CRL's signature does not verify with the issuer's key");
  }
  const thisUpdate = tbs.thisUpdate.getTime();
  const nextUpdate = tbs.nextUpdate?.getTime() ?? null;
  assertCurrent(thisUpdate, nextUpdate, now, "CRL");
  const revoked = new Map<string, { at: Date; reason: string | null }>();
  for (const entry of tbs.revokedCertificates ?? []) {
    const reasonExtension = entry.crlEntryExtensions?.find((e) => e.extnID === id_ce_cRLReasons);
    const reason = reasonExtension
      ? AsnConvert.parse(reasonExtension.extnValue.buffer, CRLReason).reason
      : undefined;
    revoked.set(serialHex(entry.userCertificate), {
      at: entry.revocationDate.getTime(),
      reason: reasonName(reason),
    });
  }
  return { thisUpdate, nextUpdate, revoked };
}

/** What the CRL says of `leaf`: listed is revoked; absent from a current CRL of its issuer is good. */
export function crlAnswer(index: CrlIndex, leaf: Parsed): RevocationAnswer {
  const entry = index.revoked.get(serialHex(leaf.asn.tbsCertificate.serialNumber));
  return entry
    ? { status: "revoked", revokedAt: entry.at, reason: entry.reason, nextUpdate: index.nextUpdate }
    : { status: "good", revokedAt: null, reason: null, nextUpdate: index.nextUpdate };
}
