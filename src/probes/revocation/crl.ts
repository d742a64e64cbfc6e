// A CRL (RFC 5280 §5) read once, checked against its issuer (same name, its signature, current), and
// kept as an index of revoked serials: a big CA's CRL lists hundreds of thousands, and one download
// serves every certificate it covers until its next update. It is walked with the small DER reader
// (lib/der.ts), not parsed into objects: a general parser took a second per 10,000 entries.
//
// CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
// TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer Name, thisUpdate Time,
//   nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER,
//   revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL, [0] crlExtensions OPTIONAL }
import { AsnConvert } from "@peculiar/asn1-schema";
import type { CRLReasons } from "@peculiar/asn1-x509";
import { children, type Element, element, oid } from "../../lib/der.js";
import { signedWith } from "../tls/certificate-der.js";
import {
  assertCurrent,
  type Parsed,
  type RevocationAnswer,
  reasonName,
  serialHex,
  UnusableAnswer,
} from "./revocation-answer.js";

export interface CrlIndex {
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: Map<string, { at: Date; reason: string | null }>;
}

const INTEGER = 0x02;
const ENUMERATED = 0x0a;
const SEQUENCE = 0x30;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
/** 2.5.29.21, id-ce-cRLReasons, as its content bytes. */
const REASON_CODE = Buffer.from([0x55, 0x1d, 0x15]);

const isTime = (el: Element | undefined) => el?.tag === UTC_TIME || el?.tag === GENERALIZED_TIME;

/** RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (years 1950–2049), GeneralizedTime YYYYMMDDHHMMSSZ. */
function timeOf(der: Buffer, el: Element): Date {
  const text = der.toString("latin1", el.start, el.end);
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new UnusableAnswer(`the CRL holds a time it cannot read: ${text}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const year =
    el.tag === UTC_TIME ? ((y as number) < 50 ? 2000 + (y as number) : 1900 + (y as number)) : (y as number);
  return new Date(Date.UTC(year, (mo as number) - 1, d, h, mi, s));
}

/** The reason an entry's extensions give, if any. */
function reasonOf(der: Buffer, extensions: Element | undefined): string | null {
  if (extensions?.tag !== SEQUENCE) return null;
  for (const extension of children(der, extensions)) {
    const [id, ...rest] = children(der, extension);
    if (!id || !der.subarray(id.start, id.end).equals(REASON_CODE)) continue;
    const value = rest.at(-1);
    const code = value ? element(der, value.start) : undefined;
    if (code?.tag !== ENUMERATED) return null;
    return reasonName(der[code.start] as CRLReasons);
  }
  return null;
}

/** The CRL's index once it is known to be `issuer`'s and current; UnusableAnswer otherwise. */
export function readCrl(der: Buffer, issuer: Parsed, now: Date): CrlIndex {
  let tbs: Element;
  let fields: Element[];
  let algorithm: string | null;
  let signature: Buffer;
  try {
    const [tbsEl, algorithmEl, signatureEl] = children(der, element(der, 0));
    if (tbsEl?.tag !== SEQUENCE || algorithmEl?.tag !== SEQUENCE || signatureEl === undefined) {
      throw new RangeError("not a CertificateList");
    }
    tbs = tbsEl;
    fields = children(der, tbs);
    algorithm = oid(der, children(der, algorithmEl)[0]);
    signature = der.subarray(signatureEl.start + 1, signatureEl.end); // past the unused-bits byte
  } catch (error) {
    throw new UnusableAnswer(`the CRL cannot be read (${(error as Error).message})`);
  }
  let i = fields[0]?.tag === INTEGER ? 1 : 0; // the version is optional
  const issuerName = fields[i + 1];
  const thisUpdate = fields[i + 2];
  if (!issuerName || !isTime(thisUpdate))
    throw new UnusableAnswer("the CRL cannot be read (no issuer or date)");
  const expected = Buffer.from(AsnConvert.serialize(issuer.asn.tbsCertificate.subject));
  if (!der.subarray(issuerName.at, issuerName.end).equals(expected)) {
    throw new UnusableAnswer("the CRL is issued by another CA than the certificate");
  }
  if (
    algorithm === null ||
    !signedWith(algorithm, der.subarray(tbs.at, tbs.end), issuer.x509.publicKey, signature)
  ) {
    throw new UnusableAnswer("the CRL's signature does not verify with the issuer's key");
  }
  i += 3;
  const next = isTime(fields[i]) ? fields[i++] : undefined;
  const index: CrlIndex = {
    thisUpdate: timeOf(der, thisUpdate as Element),
    nextUpdate: next ? timeOf(der, next) : null,
    revoked: new Map(),
  };
  assertCurrent(index.thisUpdate, index.nextUpdate, now, "CRL");
  const list = fields[i]?.tag === SEQUENCE ? fields[i] : undefined;
  try {
    for (const entry of list ? children(der, list) : []) {
      const [serial, date, extensions] = children(der, entry);
      if (serial?.tag !== INTEGER || !date || !isTime(date))
        throw new RangeError("an entry without serial or date");
      index.revoked.set(serialHex(der.subarray(serial.start, serial.end)), {
        at: timeOf(der, date),
        reason: reasonOf(der, extensions),
      });
    }
  } catch (error) {
    if (error instanceof UnusableAnswer) throw error;
    throw new UnusableAnswer(`the CRL cannot be read (${(error as Error).message})`);
  }
  return index;
}

/** What the CRL says of `leaf`: listed is revoked; absent from a current CRL of its issuer is good. */
export function crlAnswer(index: CrlIndex, leaf: Parsed): RevocationAnswer {
  const entry = index.revoked.get(serialHex(leaf.asn.tbsCertificate.serialNumber));
  return entry
    ? { status: "revoked", revokedAt: entry.at, reason: entry.reason, nextUpdate: index.nextUpdate }
    : { status: "good", revokedAt: null, reason: null, nextUpdate: index.nextUpdate };
}
