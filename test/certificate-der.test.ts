// The DER reader against openssl's own reading of the same certificates, one per key type.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { publicKeyOf, signatureAlgorithm } from "../src/probes/tls/certificate-der.js";

const dir = mkdtempSync(join(tmpdir(), "certpulse-der-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for a key made by `openssl genpkey` with `options`. */
function selfSigned(name: string, options: string[], sign: string[] = ["-sha256"]): string {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync("openssl", ["genpkey", "-out", key, ...options], { stdio: "pipe" });
  execFileSync(
    "openssl",
    ["req", "-x509", "-new", "-key", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}.test`, ...sign],
    { stdio: "pipe" },
  );
  return readFileSync(cert, "utf8");
}

const KEYS: [string, string[], string[]?][] = [
  ["rsa1024", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]],
  ["rsa2048", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]],
  ["rsapss", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"], []],
  ["p256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]],
  ["p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], ["-sha384"]],
  ["p521", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"], ["-sha512"]],
  ["ed25519", ["-algorithm", "ED25519"], []],
  ["ed448", ["-algorithm", "ED448"], []],
];

test("key type, key size and signature algorithm agree with openssl x509 -text", () => {
  for (const [name, options, sign] of KEYS) {
    const pem = selfSigned(name, options, sign);
    const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: pem }).toString();
    const der = new X509Certificate(pem).raw;
    const { keyType, keySize } = publicKeyOf(der);
    // openssl: "Public-Key: (2048 bit)" for RSA and EC; "ED25519 Public-Key:" for EdDSA.
    const bits = text.match(/Public-Key: \((\d+) bit\)/)?.[1];
    if (bits) assert.equal(keySize, Number(bits), name);
    else assert.equal(keySize, name === "ed25519" ? 256 : 448, name);
    const nodeType = new X509Certificate(pem).publicKey.asymmetricKeyType;
    assert.equal(keyType?.toLowerCase(), nodeType, name);
    const algorithm = text.match(/Signature Algorithm: (\S+)/)?.[1];
    assert.equal(signatureAlgorithm(der), algorithm, name);
  }
});

test("truncated or foreign DER reads as unknown, never throws", () => {
  const der = new X509Certificate(selfSigned("cut", KEYS[3]?.[1] ?? [])).raw;
  for (const bytes of [
    der.subarray(0, 40),
    der.subarray(0, der.length - 90),
    Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]),
  ]) {
    assert.deepEqual(publicKeyOf(bytes), { keyType: null, keySize: null });
    assert.equal(signatureAlgorithm(bytes), null);
  }
});
