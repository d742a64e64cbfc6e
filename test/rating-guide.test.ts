// Grades against the SSL Labs SSL Server Rating Guide and its updates, on real servers (openssl
// s_server with chosen suites, protocols, DH parameters and keys), probed as a check probes them:
// every accepted suite enumerated, then graded, each cap a reason. Suites this OpenSSL no longer
// builds (RC4, 3DES, export) and SSL 3 cannot be served here; their caps are graded from a scan result.
import assert from "node:assert/strict";
import { randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startNginx } from "../bench/peers.js";
import { anchorsOf, verifyOffline } from "../src/probes/tls/chain-verify.js";
import { gradeTls } from "../src/probes/tls/grade.js";
import { probeTls, type TlsProbeResult } from "../src/probes/tls/tls-probe.js";
import { createTrustStore } from "../src/probes/tls/trust-store.js";
import { dhParams, startSServer } from "./helpers/openssl.js";
import { issue, testPki } from "./helpers/pki.js";

let dir: string;
let dh1024: string;
let pki: Awaited<ReturnType<typeof testPki>>;
let rsa: { chain: string; key: string };

before(async () => {
  pki = await testPki();
  const leaf = await pki.leaf({ cn: "scan.test", rsaBits: 2048 });
  rsa = { chain: `${leaf.cert}\n${pki.intermediate.cert}`, key: leaf.key };
  dir = mkdtempSync(join(tmpdir(), "certpulse-rating-"));
  dh1024 = dhParams(dir, 1024);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function gradeOf(args: string[], cert = rsa, host = "scan.test") {
  const server = await startSServer(cert.chain, cert.key, args);
  try {
    const result = await probeTls(
      { host, port: server.port, address: "127.0.0.1" },
      { trust: createTrustStore([pki.root.cert]), timeoutMs: 10_000, allowPrivate: true, checkHttp: false },
    );
    assert.equal(result.error, null);
    return { ...gradeTls(result, result.checkedAt), result };
  } finally {
    server.close();
  }
}

const AEAD_ECDHE = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";

for (const [name, args, grade, reason] of [
  [
    "TLS 1.2 and 1.3, ECDHE with AEAD",
    ["-cipher", AEAD_ECDHE, "-no_tls1", "-no_tls1_1"],
    "A",
    /no HSTS(?: header)?: no A\+/,
  ],
  ["TLS 1.3 only", ["-tls1_3"], "A", /no HSTS/],
  [
    "ECDHE and DHE with a 2048-bit group",
    ["-tls1_2", "-cipher", `${AEAD_ECDHE}:DHE-RSA-AES128-GCM-SHA256`],
    "A",
    /no HSTS/,
  ],
  [
    "static RSA key exchange only",
    ["-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384"],
    "B",
    /no forward secrecy .*: capped at B/,
  ],
  [
    "CBC only (no AEAD)",
    ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384"],
    "B",
    /no AEAD cipher suite: capped at B/,
  ],
  [
    "DHE only, 1024-bit group",
    ["-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-dhparam", "DH1024"],
    "B",
    /DH parameters of 1024 bits are weak: capped at B/,
  ],
  [
    "TLS 1.0 accepted too",
    ["-no_tls1_3", "-cipher", `${AEAD_ECDHE}:ECDHE-RSA-AES128-SHA:@SECLEVEL=0`],
    "B",
    /TLS 1\.0 accepted: capped at B/,
  ],
  [
    "TLS 1.0 and 1.1 only",
    ["-no_tls1_2", "-no_tls1_3", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"],
    "C",
    /neither TLS 1\.2 nor TLS 1\.3 supported: capped at C/,
  ],
  [
    "anonymous DH accepted beside good suites",
    ["-tls1_2", "-cipher", `${AEAD_ECDHE}:ADH-AES128-GCM-SHA256:@SECLEVEL=0`],
    "F",
    /anonymous key exchange accepted \(TLS_DH_anon_WITH_AES_128_GCM_SHA256\): F/,
  ],
  [
    "a NULL suite accepted",
    ["-tls1_2", "-cipher", `${AEAD_ECDHE}:NULL-SHA256:@SECLEVEL=0`],
    "F",
    /suites without encryption accepted \(TLS_RSA_WITH_NULL_SHA256\): F/,
  ],
  [
    "static RSA preferred, ECDHE supported",
    ["-tls1_2", "-serverpref", "-cipher", "AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"],
    "A-",
    /has no forward secrecy: A-/,
  ],
] as [string, string[], string, RegExp][]) {
  test(`${name}: ${grade}`, async () => {
    const { grade: got, reasons, result } = await gradeOf(args.map((a) => (a === "DH1024" ? dh1024 : a)));
    assert.equal(got, grade, reasons.join("; "));
    assert.ok(
      reasons.some((r) => reason.test(r)),
      reasons.join("; "),
    );
    assert.ok(result.cipherSuites && result.cipherSuites.length > 0, "the suites were enumerated");
  });
}

test("a 1024-bit RSA key: B; self-signed: T; another name: M", async () => {
  const weak = await pki.leaf({ cn: "scan.test", rsaBits: 1024 });
  const small = await gradeOf(["-tls1_2", "-cipher", `${AEAD_ECDHE}:@SECLEVEL=0`], {
    chain: `${weak.cert}\n${pki.intermediate.cert}`,
    key: weak.key,
  });
  assert.equal(small.grade, "B");
  assert.ok(small.reasons.includes("RSA key of 1024 bits is weak: capped at B"), small.reasons.join("; "));
  const own = await issue({ cn: "scan.test" });
  const selfSigned = await gradeOf(["-tls1_2"], { chain: own.cert, key: own.key });
  assert.equal(selfSigned.grade, "T");
  assert.match(selfSigned.reasons[0] ?? "", /^not trusted \(self-signed certificate\): T, A if trusted$/);
  const mismatch = await gradeOf(["-tls1_2"], rsa, "other.test");
  assert.equal(mismatch.grade, "M");
  assert.match(mismatch.reasons[0] ?? "", /does not match other\.test: M, A if it matched/);
});

test("what this OpenSSL cannot serve, graded from a scan: SSL 3, RC4, 3DES, export, weak DH", async () => {
  const { result } = await gradeOf(["-tls1_2", "-cipher", AEAD_ECDHE]);
  const good = { name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", group: "x25519", groupBits: 253 };
  const suite = (name: string, extra: object = {}) => ({ name, group: null, groupBits: null, ...extra });
  const grade = (cipherSuites: TlsProbeResult["cipherSuites"]) =>
    gradeTls({ ...result, cipherSuites }, result.checkedAt);
  // Each suite under test ranked first at its version: the server prefers it.
  for (const [cipherSuites, expected, reason] of [
    [
      [
        { protocol: "SSLv3", suites: [suite("TLS_RSA_WITH_AES_128_CBC_SHA")] },
        { protocol: "TLSv1.2", suites: [good] },
      ],
      "C",
      /^SSL 3 accepted \(POODLE\): capped at C$/,
    ],
    [
      [{ protocol: "TLSv1.2", suites: [suite("TLS_RSA_WITH_RC4_128_SHA"), good] }],
      "C",
      /^RC4 accepted \(TLS_RSA_WITH_RC4_128_SHA\): capped at C$/,
    ],
    [
      [{ protocol: "TLSv1.2", suites: [suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), good] }],
      "C",
      /^64-bit block ciphers preferred at TLS 1\.1\+ \(TLS_RSA_WITH_3DES_EDE_CBC_SHA; SWEET32\): capped at C$/,
    ],
    [
      [{ protocol: "TLSv1.2", suites: [suite("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), good] }],
      "F",
      /^export suites accepted .*: F$/,
    ],
    [
      [
        {
          protocol: "TLSv1.2",
          suites: [suite("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", { group: "ffdhe", groupBits: 768 }), good],
        },
      ],
      "F",
      /^DH parameters of 768 bits are insecure: F$/,
    ],
    // 3DES ranked below a stronger suite never reaches a modern client: no cap (the 2017 update).
    [
      [{ protocol: "TLSv1.2", suites: [good, suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA")] }],
      "A",
      /no HSTS(?: header)?: no A\+/,
    ],
    // No secure renegotiation is a warning: A-.
    [
      [{ protocol: "TLSv1.2", suites: [good], secureRenegotiation: false }],
      "A-",
      /^no secure renegotiation \(RFC 5746\): A-$/,
    ],
  ] as [TlsProbeResult["cipherSuites"], string, RegExp][]) {
    const graded = grade(cipherSuites);
    const story = `${JSON.stringify(cipherSuites)}: ${graded.reasons.join("; ")}`;
    assert.equal(graded.grade, expected, story);
    assert.ok(
      graded.reasons.some((r) => reason.test(r)),
      story,
    );
  }
});

test("nginx with TLS 1.2 and 1.3, its default suites and HSTS: A+", async (t) => {
  // The benchmark's nginx (Debian's nginx-light, which .ci/run installs).
  const nginx = await startNginx(dir, rsa.chain, rsa.key);
  if (typeof nginx === "string") return t.skip(nginx);
  try {
    const result = await probeTls(
      { host: "scan.test", port: nginx.port, address: "127.0.0.1" },
      { trust: createTrustStore([pki.root.cert]), timeoutMs: 10_000, allowPrivate: true },
    );
    const { grade, reasons } = gradeTls(result, result.checkedAt);
    assert.equal(grade, "A+", reasons.join("; "));
    assert.deepEqual(
      result.cipherSuites?.map((p) => p.protocol),
      ["TLSv1.2", "TLSv1.3"],
    );
    // nginx's default "HIGH:!aNULL:!MD5" keeps static RSA and CBC suites beside the good ones.
    const tls12 = result.cipherSuites?.find((p) => p.protocol === "TLSv1.2")?.suites.map((s) => s.name) ?? [];
    assert.ok(tls12.includes("TLS_RSA_WITH_AES_128_CBC_SHA"), tls12.join(", "));
    assert.ok(tls12.includes("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), tls12.join(", "));
  } finally {
    nginx.process.kill();
  }
});

/**
 * A TLS 1.2 server that offers TLS_RSA_WITH_3DES_EDE_CBC_SHA only, which OpenSSL 3 no longer
 * builds: a ClientHello listing it gets ServerHello, Certificate and ServerHelloDone; any other
 * gets a handshake_failure alert. Enough for a scan to read; no handshake ever completes.
 */
async function only3des(chainPem: string) {
  const ders = (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new X509Certificate(pem).raw,
  );
  const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const message = (type: number, body: Buffer) =>
    Buffer.concat([Buffer.from([type]), u24(body.length), body]);
  const certificates = Buffer.concat(ders.map((der) => Buffer.concat([u24(der.length), der])));
  const flight = Buffer.concat([
    message(2, Buffer.concat([Buffer.from([3, 3]), randomBytes(32), Buffer.from([0, 0x00, 0x0a, 0])])),
    message(11, Buffer.concat([u24(certificates.length), certificates])),
    message(14, Buffer.alloc(0)),
  ]);
  const record = (type: number, body: Buffer) =>
    Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
  const server = createServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.once("data", (hello: Buffer) => {
      const version = hello.readUInt16BE(9);
      const sessionEnd = 44 + (hello[43] as number);
      const suites = hello.subarray(sessionEnd + 2, sessionEnd + 2 + hello.readUInt16BE(sessionEnd));
      const offered = Array.from({ length: suites.length / 2 }, (_, i) => suites.readUInt16BE(2 * i));
      const answer =
        version === 0x0303 && offered.includes(0x000a)
          ? record(22, flight)
          : record(21, Buffer.from([2, 40]));
      socket.end(answer);
    });
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

test("a server offering only 3DES, which Node cannot negotiate: read without a handshake, C", async () => {
  const server = await only3des(rsa.chain);
  try {
    const result = await probeTls(
      { host: "scan.test", port: server.port, address: "127.0.0.1" },
      { trust: createTrustStore([pki.root.cert]), timeoutMs: 5000, allowPrivate: true, checkHttp: false },
    );
    assert.equal(result.error, null);
    assert.equal(result.subject, "CN=scan.test");
    assert.equal(result.chainValid, true, String(result.chainError));
    assert.equal(result.cipher, "DES-CBC3-SHA");
    assert.deepEqual(result.cipherSuites, [
      {
        protocol: "TLSv1.2",
        suites: [{ name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", group: null, groupBits: null }],
        secureRenegotiation: false,
      },
    ]);
    const { grade, reasons } = gradeTls(result, result.checkedAt);
    assert.equal(grade, "C", reasons.join("; "));
    assert.ok(
      reasons.some((r) =>
        /64-bit block ciphers preferred at TLS 1\.1\+ \(TLS_RSA_WITH_3DES_EDE_CBC_SHA; SWEET32\)/.test(r),
      ),
    );
    assert.ok(reasons.some((r) => /no forward secrecy/.test(r)));
  } finally {
    server.close();
  }
});

test("a chain verified without a handshake: untrusted, incomplete and expired ones say so", () => {
  const now = new Date();
  const anchors = anchorsOf([pki.root.cert]);
  const chain = (rsa.chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new X509Certificate(pem),
  );
  assert.equal(verifyOffline(chain, anchors, now), null);
  assert.equal(verifyOffline(chain.slice(0, 1), anchors, now), "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  assert.equal(verifyOffline(chain, [], now), "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  assert.equal(
    verifyOffline(chain, anchors, new Date(now.getTime() + 20 * 365 * 86_400_000)),
    "CERT_HAS_EXPIRED",
  );
});
