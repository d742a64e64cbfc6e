// A grade from A+ to F, plus T (not trusted) and M (hostname mismatch), after the SSL Labs server
// rating guide as far as a client-side probe can see. A score (30 % protocol support, 30 % key
// strength, 40 % cipher strength) gives the letter; caps and warnings then lower it, and each one
// is a reason in plain words. Pure: the same probe result always gets the same grade.
import { isTrustProblem } from "./chain-verdict.js";
import type { TlsProbeResult } from "./tls-probe.js";
import { TLS_VERSIONS, type TlsVersion } from "./trust-store.js";

export interface Grade {
  grade: string | null;
  reasons: string[];
}

const ORDER = ["A+", "A", "A-", "B", "C", "D", "E", "F"];
const worse = (a: string, b: string) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

const PROTOCOL_SCORE: Record<TlsVersion, number> = {
  TLSv1: 90,
  "TLSv1.1": 95,
  "TLSv1.2": 100,
  "TLSv1.3": 100,
};
const PROTOCOL_NAME: Record<TlsVersion, string> = {
  TLSv1: "TLS 1.0",
  "TLSv1.1": "TLS 1.1",
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};
/** Six months: the HSTS max-age SSL Labs asks for an A+. */
export const HSTS_MIN_MAX_AGE = 15_552_000;

/** Key strength in RSA-equivalent bits (NIST SP 800-57): a 256-bit curve counts as RSA 3072. */
function rsaEquivalentBits(type: string | null, size: number | null): number {
  if (size === null) return 0;
  if (type === "RSA" || type === "RSA-PSS" || type === "DSA") return size;
  if (size >= 512) return 15_360;
  if (size >= 384) return 7_680;
  if (size >= 256) return 3_072;
  return size >= 224 ? 2_048 : 1_024;
}

function keyScore(bits: number): number {
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  return bits < 4096 ? 90 : 100;
}

function cipherBits(cipher: string): number {
  if (/NULL/i.test(cipher)) return 0;
  if (/AES_?256|CHACHA20|CAMELLIA_?256/i.test(cipher)) return 256;
  if (/3DES|DES_?CBC3|DES-CBC3/i.test(cipher)) return 112;
  if (/\bDES\b|_DES_|EXPORT/i.test(cipher)) return 56;
  return 128;
}

function cipherScore(bits: number): number {
  if (bits === 0) return 0;
  if (bits < 128) return 20;
  return bits < 256 ? 80 : 100;
}

function letter(score: number): string {
  if (score >= 80) return "A";
  if (score >= 65) return "B";
  if (score >= 50) return "C";
  if (score >= 35) return "D";
  return score >= 20 ? "E" : "F";
}

export function gradeTls(result: TlsProbeResult, now: Date): Grade {
  if (result.error !== null) return { grade: null, reasons: [`no grade: ${result.error}`] };
  const reasons: string[] = [];
  const accepted = result.protocols
    ? TLS_VERSIONS.filter((version) => result.protocols?.[version])
    : TLS_VERSIONS.filter((version) => version === result.tlsVersion);
  const scores = accepted.map((version) => PROTOCOL_SCORE[version]);
  const protocol = scores.length > 0 ? (Math.max(...scores) + Math.min(...scores)) / 2 : 0;
  const keyBits = rsaEquivalentBits(result.keyType, result.keySize);
  const bits = cipherBits(result.cipher ?? "");
  const score = 0.3 * protocol + 0.3 * keyScore(keyBits) + 0.4 * cipherScore(bits);
  let grade = letter(score);
  const cap = (limit: string, reason: string) => {
    grade = worse(grade, limit);
    reasons.push(reason);
  };

  const key = `${result.keyType ?? "unknown"} key of ${result.keySize ?? "?"} bits`;
  if (keyBits < 1024) cap("F", `${key} is insecure: F`);
  else if (keyBits < 2048) cap("B", `${key} is weak: capped at B`);
  if (/md5/i.test(result.signatureAlgorithm ?? "")) cap("F", "MD5 certificate signature is insecure: F");
  for (const old of ["TLSv1", "TLSv1.1"] as const) {
    if (accepted.includes(old)) cap("B", `${PROTOCOL_NAME[old]} accepted: capped at B`);
  }
  if (!accepted.includes("TLSv1.2") && !accepted.includes("TLSv1.3")) {
    cap("C", "neither TLS 1.2 nor TLS 1.3 supported: capped at C");
  }
  if (bits < 128) cap("C", `${result.cipher} has ${bits}-bit strength: capped at C`);

  if (grade === "A") {
    const forwardSecret = result.tlsVersion === "TLSv1.3" || /ECDHE|DHE/.test(result.cipher ?? "");
    if (!forwardSecret) {
      grade = "A-";
      reasons.push(`${result.cipher} has no forward secrecy: A-`);
    } else if ((result.hsts?.maxAge ?? 0) >= HSTS_MIN_MAX_AGE) {
      grade = "A+";
      reasons.push("HSTS with a max-age of at least 6 months: A+");
    } else {
      reasons.push(
        result.hsts
          ? `HSTS max-age of ${result.hsts.maxAge} s is under 6 months: no A+`
          : "no HSTS header: no A+",
      );
    }
  }

  // Trust and name problems replace the letter: no configuration makes an untrusted certificate safe.
  const expired = result.validTo !== null && result.validTo <= now;
  const notYetValid = result.validFrom !== null && result.validFrom > now;
  const untrusted = isTrustProblem(result.chainErrorCode);
  const sha1 = /sha1/i.test(result.signatureAlgorithm ?? "");
  if (untrusted || expired || notYetValid || sha1) {
    const why = [
      untrusted ? result.chainError : null,
      expired && result.chainErrorCode !== "expired" ? "certificate has expired" : null,
      notYetValid && result.chainErrorCode !== "not_yet_valid" ? "certificate is not yet valid" : null,
      sha1 ? "SHA-1 certificate signature" : null,
    ].filter(Boolean);
    reasons.unshift(`not trusted (${why.join("; ")}): T, ${grade} if trusted`);
    return { grade: "T", reasons };
  }
  if (result.hostnameValid === false) {
    reasons.unshift(`certificate does not match ${result.host}: M, ${grade} if it matched`);
    return { grade: "M", reasons };
  }
  return { grade, reasons };
}
