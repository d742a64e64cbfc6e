// A grade from A+ to F, plus T (not trusted) and M (hostname mismatch), after the SSL Labs SSL Server
// Rating Guide and its published updates, from what the probe saw: the accepted protocols and, with a
// protocol scan, every accepted cipher suite with its key-exchange group. A score (30 % protocol
// support, 30 % key exchange, 40 % cipher strength) gives the letter; caps then lower it, each a
// reason in plain words. Pure: the same probe result always gets the same grade.
import { isTrustProblem } from "./chain-verdict.js";
import { type CipherSuite, suiteNamed } from "./scan/cipher-suites.js";
import type { ScanProtocol } from "./scan/hello-scan.js";
import type { TlsProbeResult } from "./tls-probe.js";

export interface Grade {
  grade: string | null;
  reasons: string[];
}

const ORDER = ["A+", "A", "A-", "B", "C", "D", "E", "F"];
const worse = (a: string, b: string) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

const PROTOCOL_SCORE: Record<ScanProtocol, number> = {
  SSLv3: 80,
  TLSv1: 90,
  "TLSv1.1": 95,
  "TLSv1.2": 100,
  "TLSv1.3": 100,
};
const PROTOCOL_NAME: Record<ScanProtocol, string> = {
  SSLv3: "SSL 3",
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

/** The guide's key-exchange table, for the certificate's key and any DH group's prime alike. */
function keyScore(bits: number): number {
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  return bits < 4096 ? 90 : 100;
}

/** The guide's cipher-strength table, on nominal key bits (3DES counts as its 168). */
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

interface Accepted {
  protocol: ScanProtocol;
  suite: CipherSuite;
  /** Bits of the DHE prime, when the suite is DHE. */
  dhBits: number | null;
}

/** The suites the scan found, or failing a scan the one the handshake agreed on. */
function acceptedSuites(result: TlsProbeResult): { scanned: boolean; suites: Accepted[] } {
  // A scan that found nothing while the handshake succeeded saw a server it could not read (one that
  // wants what the scan's ClientHello lacks): the negotiated suite is then all that is known.
  if (result.cipherSuites && result.cipherSuites.length > 0) {
    return {
      scanned: true,
      suites: result.cipherSuites.flatMap(({ protocol, suites }) =>
        suites.flatMap((s) => {
          const suite = suiteNamed(s.name);
          return suite ? [{ protocol, suite, dhBits: s.group === "ffdhe" ? s.groupBits : null }] : [];
        }),
      ),
    };
  }
  const negotiated = suiteNamed(result.cipher);
  const protocol = (result.tlsVersion ?? "TLSv1.2") as ScanProtocol;
  return { scanned: false, suites: negotiated ? [{ protocol, suite: negotiated, dhBits: null }] : [] };
}

export function gradeTls(result: TlsProbeResult, now: Date): Grade {
  if (result.error !== null) return { grade: null, reasons: [`no grade: ${result.error}`] };
  const reasons: string[] = [];
  const { scanned, suites } = acceptedSuites(result);
  const versions = (Object.keys(PROTOCOL_SCORE) as ScanProtocol[]).filter((version) =>
    scanned
      ? suites.some((s) => s.protocol === version)
      : result.protocols
        ? result.protocols[version as keyof typeof result.protocols] === true
        : version === result.tlsVersion,
  );
  const scores = versions.map((version) => PROTOCOL_SCORE[version]);
  const protocol = scores.length > 0 ? (Math.max(...scores) + Math.min(...scores)) / 2 : 0;
  const keyBits = rsaEquivalentBits(result.keyType, result.keySize);
  const dhBits = suites.flatMap((s) => (s.dhBits === null ? [] : [s.dhBits]));
  const weakestDh = dhBits.length > 0 ? Math.min(...dhBits) : null;
  const anonymous = suites.filter(
    (s) => s.suite.keyExchange === "DH_anon" || s.suite.keyExchange === "ECDH_anon",
  );
  const exchange =
    anonymous.length > 0 ? 0 : keyScore(Math.min(keyBits, weakestDh ?? Number.POSITIVE_INFINITY));
  const strengths = suites.map((s) => s.suite.bits);
  const cipher =
    strengths.length > 0
      ? (cipherScore(Math.max(...strengths)) + cipherScore(Math.min(...strengths))) / 2
      : 0;
  let grade = letter(0.3 * protocol + 0.3 * exchange + 0.4 * cipher);
  /** The guide's warnings: each lowers an A to A-. */
  const warnings: string[] = [];
  const cap = (limit: string, reason: string) => {
    grade = worse(grade, limit);
    reasons.push(reason);
  };
  const any = (test: (s: Accepted) => boolean) => suites.filter(test);
  const names = (found: Accepted[]) => [...new Set(found.map((s) => s.suite.name))].slice(0, 3).join(", ");

  const key = `${result.keyType ?? "unknown"} key of ${result.keySize ?? "?"} bits`;
  if (keyBits < 1024) cap("F", `${key} is insecure: F`);
  else if (keyBits < 2048) cap("B", `${key} is weak: capped at B`);
  if (/md5/i.test(result.signatureAlgorithm ?? "")) cap("F", "MD5 certificate signature is insecure: F");
  if (anonymous.length > 0) cap("F", `anonymous key exchange accepted (${names(anonymous)}): F`);
  const nulls = any((s) => s.suite.cipher === "None");
  if (nulls.length > 0) cap("F", `suites without encryption accepted (${names(nulls)}): F`);
  const exports = any((s) => s.suite.export);
  if (exports.length > 0) cap("F", `export suites accepted (${names(exports)}): F`);
  if (weakestDh !== null && weakestDh < 1024) cap("F", `DH parameters of ${weakestDh} bits are insecure: F`);
  else if (weakestDh !== null && weakestDh < 2048)
    cap("B", `DH parameters of ${weakestDh} bits are weak: capped at B`);
  if (versions.includes("SSLv3")) cap("C", "SSL 3 accepted (POODLE): capped at C");
  for (const old of ["TLSv1", "TLSv1.1"] as const) {
    if (versions.includes(old)) cap("B", `${PROTOCOL_NAME[old]} accepted: capped at B`);
  }
  if (!versions.includes("TLSv1.2") && !versions.includes("TLSv1.3")) {
    cap("C", "neither TLS 1.2 nor TLS 1.3 supported: capped at C");
  }
  const rc4 = any((s) => s.suite.cipher === "RC4");
  if (rc4.length > 0) cap("C", `RC4 accepted (${names(rc4)}): capped at C`);
  // 64-bit blocks (SWEET32): capped where a modern client would get one, at TLS 1.1 or newer,
  // unless the server ranks each such suite below a stronger one (the 2017 update).
  const sixtyFourBit = (s: Accepted) => ["3DES", "DES", "RC2"].includes(s.suite.cipher);
  const des: Accepted[] = [];
  for (const protocol of ["TLSv1.1", "TLSv1.2"] as const) {
    const ranked = suites.filter((s) => s.protocol === protocol);
    const lastStrong = ranked.findLastIndex((s) => !sixtyFourBit(s));
    des.push(
      ...ranked.filter((s, i) => sixtyFourBit(s) && i < (lastStrong < 0 ? ranked.length : lastStrong)),
    );
  }
  if (des.length > 0) {
    cap("C", `64-bit block ciphers preferred at TLS 1.1+ (${names(des)}; SWEET32): capped at C`);
  }
  if (scanned && (result.cipherSuites ?? []).some((p) => p.secureRenegotiation === false)) {
    warnings.push("no secure renegotiation (RFC 5746)");
  }
  // 64-bit block ciphers have their own rule above.
  const weak = any((s) => s.suite.bits > 0 && s.suite.bits < 128 && !s.suite.export && !sixtyFourBit(s));
  if (weak.length > 0 && rc4.length === 0 && des.length === 0) {
    cap("C", `suites under 128 bits accepted (${names(weak)}): capped at C`);
  }
  const modern = suites.filter((s) => s.protocol === "TLSv1.2" || s.protocol === "TLSv1.3");
  // Without a scan only the negotiated suite is known: these two need the whole list.
  if (scanned && suites.length > 0 && !suites.some((s) => s.suite.forwardSecrecy)) {
    cap("B", "no forward secrecy (static RSA key exchange only): capped at B");
  }
  if (scanned && modern.length > 0 && !modern.some((s) => s.suite.aead)) {
    cap("B", "no AEAD cipher suite: capped at B");
  }

  if (grade === "A") {
    const negotiatedFs = result.tlsVersion === "TLSv1.3" || /ECDHE|DHE/.test(result.cipher ?? "");
    if (!negotiatedFs)
      warnings.push(`${result.cipher} (the suite a modern client gets) has no forward secrecy`);
    if (warnings.length > 0) {
      grade = "A-";
      for (const warning of warnings) reasons.push(`${warning}: A-`);
    } else if ((result.hsts?.maxAge ?? 0) >= HSTS_MIN_MAX_AGE) {
      grade = "A+";
      reasons.push("HSTS with a max-age of at least 6 months: A+");
    } else {
      reasons.push(
        result.hsts
          ? `HSTS max-age of ${result.hsts.maxAge} s is under 6 months: no A+`
          : result.http === null
            ? "no HTTP request on this port (HSTS is an HTTPS header), so no HSTS: no A+"
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
