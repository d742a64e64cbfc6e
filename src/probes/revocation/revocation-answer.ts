// What a revocation source (an OCSP response, a CRL) says of one certificate, and the parsed
// certificates both read. Shared by ocsp.ts and crl.ts.
import { createHash, type X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, CRLReasons } from "@peculiar/asn1-x509";

export interface RevocationAnswer {
  status: "good" | "revoked" | "unknown";
  revokedAt: Date | null;
  /** RFC 5280's CRLReason name ("keyCompromise"), when the source gives one. */
  reason: string | null;
  /** Until when the source vouches for the answer; null: it names no end. */
  nextUpdate: Date | null;
}

/** Why an answer cannot be trusted or read (bad signature, stale, about another certificate). */
export class UnusableAnswer extends Error {}

/** A certificate as both Node and the ASN.1 schema see it. */
export interface Parsed {
  x509: X509Certificate;
  asn: Certificate;
}

export const parsed = (x509: X509Certificate): Parsed => ({
  x509,
  asn: AsnConvert.parse(x509.raw, Certificate),
});

/** A DER INTEGER's bytes as uppercase hex without leading zeros: how two serials are compared. */
export const serialHex = (bytes: ArrayBuffer | Buffer): string =>
  (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes))
    .toString("hex")
    .toUpperCase()
    .replace(/^0+(?=.)/, "");

export const reasonName = (reason: CRLReasons | undefined): string | null =>
  reason === undefined ? null : (CRLReasons[reason] ?? `reason ${reason}`);

export const digest = (algorithm: string, bytes: ArrayBuffer | Buffer) =>
  createHash(algorithm)
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest();

/** Clocks differ: an answer issued up to five minutes "in the future", or stale by as much, still counts. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function assertCurrent(thisUpdate: Date, nextUpdate: Date | null, now: Date, what: string) {
  if (thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new UnusableAnswer(`the ${what} is dated ${thisUpdate.toISOString()}, in the future`);
  }
  if (nextUpdate && nextUpdate.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    throw new UnusableAnswer(`the ${what} is stale: it was to be replaced by ${nextUpdate.toISOString()}`);
  }
}
