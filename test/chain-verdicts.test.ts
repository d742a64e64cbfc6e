// Chain verdicts are codes beside words: the grade and the alerts follow the code, so rewording a
// message can never change either.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sslAlerts } from "../src/alerts/rules/ssl-rules.js";
import type { SslCheck } from "../src/db/generated/sqlite/client.js";
import { DAY_MS } from "../src/lib/days.js";
import { CHAIN_VERDICTS, trustProblem } from "../src/probes/tls/chain-verdict.js";
import { gradeTls } from "../src/probes/tls/grade.js";
import type { TlsProbeResult } from "../src/probes/tls/tls-probe.js";

const NOW = new Date("2026-12-01T12:00:00Z");

const probed = (chainErrorCode: TlsProbeResult["chainErrorCode"], chainError: string | null) =>
  ({
    host: "shop.example.com",
    port: 443,
    address: "127.0.0.1",
    checkedAt: NOW,
    error: null,
    subject: "CN=shop.example.com",
    subjectParts: null,
    issuer: "CN=Test CA",
    issuerParts: null,
    validFrom: new Date(NOW.getTime() - 10 * DAY_MS),
    validTo: new Date(NOW.getTime() + 80 * DAY_MS),
    daysRemaining: 80,
    serialNumber: "01",
    sans: ["shop.example.com"],
    fingerprint256: "AA:BB",
    keyType: "EC",
    keySize: 256,
    signatureAlgorithm: "ecdsa-with-SHA256",
    tlsVersion: "TLSv1.3",
    cipher: "TLS_AES_256_GCM_SHA384",
    chainValid: chainErrorCode === null,
    chainError,
    chainErrorCode,
    hostnameValid: chainErrorCode !== "hostname_mismatch",
    chain: null,
    earliestExpiry: null,
    ocspStapled: false,
    revocation: null,
    caa: null,
    hsts: null,
    http: null,
    chainDer: null,
    addressName: null,
    addressGeo: null,
    protocols: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true },
    cipherSuites: null,
  }) satisfies TlsProbeResult;

const stored = (result: TlsProbeResult): SslCheck =>
  ({
    ...result,
    id: "c1",
    domainId: "d1",
    subjectParts: null,
    issuerParts: null,
    sans: result.sans,
    chain: null,
    hsts: false,
    hstsMaxAge: null,
    hstsIncludeSubdomains: null,
    hstsPreload: null,
    protocols: result.protocols,
    grade: null,
    gradeReasons: [],
  }) as unknown as SslCheck;

const alertsFor = (check: SslCheck) =>
  sslAlerts({
    domain: { id: "d1", hostname: "shop.example.com", port: 443, alertDays: null },
    check,
    lastGood: check,
    previousGood: null,
    lifetimePercent: 33,
    now: NOW,
  });

test("every OpenSSL verification code the probe names maps to a verdict code", () => {
  for (const code of [
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_SIGNATURE_FAILURE",
    "CERT_REVOKED",
  ]) {
    assert.ok(CHAIN_VERDICTS.includes(trustProblem(code).code), code);
    assert.notEqual(trustProblem(code).code, "untrusted", code);
  }
  assert.deepEqual(trustProblem("CERT_CHAIN_TOO_LONG"), {
    code: "untrusted",
    message: "cert chain too long",
  });
});

for (const [code, words] of [
  ["self_signed", "self-signed certificate"],
  ["untrusted_root", "self-signed certificate in the chain (untrusted root)"],
  ["incomplete_chain", "unknown issuer or missing intermediate certificate"],
  ["hostname_mismatch", "hostname mismatch: Host: shop.example.com. is not in the cert's altnames"],
  ["revoked", "certificate has been revoked"],
] as const) {
  test(`${code}: a reworded message changes neither the grade nor the alerts`, () => {
    const original = probed(code, words);
    const reworded = probed(code, "something else entirely");
    assert.equal(gradeTls(reworded, NOW).grade, gradeTls(original, NOW).grade);
    assert.match(gradeTls(original, NOW).grade ?? "", /^[TM]$/);
    const keys = (c: SslCheck) => {
      const evaluation = alertsFor(c);
      return {
        raise: evaluation.raise.map((a) => [a.type, a.severity, a.dedupeKey]),
        holds: evaluation.holds,
      };
    };
    assert.deepEqual(keys(stored(reworded)), keys(stored(original)));
    const expected = code === "revoked" ? "ssl_revoked" : "ssl_invalid";
    assert.ok(alertsFor(stored(original)).raise.some((a) => a.type === expected));
  });
}

test("an expired chain is graded T and alerted as expiry, not as distrust", () => {
  const expired = probed("expired", "reworded: past its end");
  expired.validTo = new Date(NOW.getTime() - DAY_MS);
  assert.equal(gradeTls(expired, NOW).grade, "T");
  const evaluation = alertsFor(stored(expired));
  assert.deepEqual(
    evaluation.raise.map((a) => a.type),
    ["ssl_expiry"],
  );
});
