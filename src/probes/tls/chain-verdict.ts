// What is wrong with a certificate chain, as a code beside the words an operator reads. Grading and
// alert rules read the code, so rewording a message never changes a grade or an alert. Pure: no I/O.

export const CHAIN_VERDICTS = [
  "expired",
  "not_yet_valid",
  "self_signed",
  "untrusted_root",
  "incomplete_chain",
  "bad_signature",
  "revoked",
  "untrusted",
  "hostname_mismatch",
] as const;
export type ChainVerdict = (typeof CHAIN_VERDICTS)[number];

export interface ChainProblem {
  code: ChainVerdict;
  message: string;
}

// OpenSSL's verification codes, as an operator would say them.
const BY_OPENSSL_CODE: Record<string, ChainProblem> = {
  CERT_HAS_EXPIRED: { code: "expired", message: "certificate has expired" },
  CERT_NOT_YET_VALID: { code: "not_yet_valid", message: "certificate is not yet valid" },
  DEPTH_ZERO_SELF_SIGNED_CERT: { code: "self_signed", message: "self-signed certificate" },
  SELF_SIGNED_CERT_IN_CHAIN: {
    code: "untrusted_root",
    message: "self-signed certificate in the chain (untrusted root)",
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    code: "incomplete_chain",
    message: "unknown issuer or missing intermediate certificate",
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    code: "incomplete_chain",
    message: "unknown issuer or missing intermediate certificate",
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    code: "incomplete_chain",
    message: "unknown issuer or missing intermediate certificate",
  },
  CERT_SIGNATURE_FAILURE: { code: "bad_signature", message: "certificate signature does not verify" },
  CERT_REVOKED: { code: "revoked", message: "certificate has been revoked" },
};

/** The problem behind an OpenSSL verification code; an unlisted code is "untrusted", in its own words. */
export function trustProblem(opensslCode: string): ChainProblem {
  return (
    BY_OPENSSL_CODE[opensslCode] ?? {
      code: "untrusted",
      message: opensslCode.toLowerCase().replaceAll("_", " "),
    }
  );
}

export function hostnameMismatch(detail: string): ChainProblem {
  return { code: "hostname_mismatch", message: `hostname mismatch: ${detail}` };
}

/** A problem of trust (the issuer chain or the dates), as opposed to the certificate's names. */
export const isTrustProblem = (code: string | null): boolean => code !== null && code !== "hostname_mismatch";
