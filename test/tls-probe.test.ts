// The TLS probe and its grade against real TLS servers on loopback, with certificates made here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createServer as createTlsServer } from "node:tls";
import { gradeTls } from "../src/probes/tls/grade.js";
import { probeTls, type TlsProbeOptions } from "../src/probes/tls/tls-probe.js";
import { createTrustStore } from "../src/probes/tls/trust-store.js";
import { issue, testPki } from "./helpers/pki.js";
import {
  type Running,
  startHttpsServer,
  startPlainHttpServer,
  startResettingServer,
  startSilentServer,
} from "./helpers/tls-servers.js";

const DAY = 86_400_000;
const YEAR_HSTS = "max-age=31536000; includeSubDomains; preload";
let pki: Awaited<ReturnType<typeof testPki>>;
let dir: string;
let options: TlsProbeOptions;
const servers: Running[] = [];

before(async () => {
  pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-tls-"));
  const hostsFile = join(dir, "hosts");
  writeFileSync(
    hostsFile,
    "# test names\n127.0.0.1 localhost\n127.0.0.1 valid.test expired.test other.test # all here\n",
  );
  options = {
    trust: createTrustStore([pki.root.cert]),
    timeoutMs: 3000,
    allowPrivate: true,
    hostsFile,
  };
});
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(options: Parameters<typeof startHttpsServer>[0]): Promise<number> {
  const server = await startHttpsServer(options);
  servers.push(server);
  return server.port;
}

/** What `openssl x509` says of a PEM certificate. */
function openssl(pem: string, ...args: string[]): string {
  return execFileSync("openssl", ["x509", "-noout", ...args], { input: pem, encoding: "utf8" }).trim();
}

describe("a valid chain from the test CA", () => {
  test("reports the certificate as openssl does, trusted, and grades A+ with HSTS", async () => {
    const leaf = await pki.leaf({ cn: "valid.test", sans: ["valid.test", "www.valid.test"] });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key, hsts: YEAR_HSTS });
    const result = await probeTls({ host: "valid.test", port }, options);
    assert.equal(result.error, null);
    assert.equal(result.address, "127.0.0.1");
    assert.equal(result.subject, "CN=valid.test");
    assert.deepEqual(result.subjectParts, { CN: "valid.test" });
    assert.equal(result.issuer, "CN=CertPulse Test Intermediate");
    assert.deepEqual(result.sans, ["valid.test", "www.valid.test"]);
    // openssl x509: serial, dates and fingerprint agree.
    assert.equal(
      openssl(leaf.cert, "-serial"),
      `serial=${result.serialNumber?.replaceAll(":", "").toUpperCase()}`,
    );
    assert.equal(
      new Date(openssl(leaf.cert, "-enddate").slice("notAfter=".length)).getTime(),
      result.validTo?.getTime(),
    );
    assert.equal(
      new Date(openssl(leaf.cert, "-startdate").slice("notBefore=".length)).getTime(),
      result.validFrom?.getTime(),
    );
    assert.equal(
      openssl(leaf.cert, "-fingerprint", "-sha256"),
      `sha256 Fingerprint=${result.fingerprint256}`,
    );
    assert.match(
      openssl(leaf.cert, "-text"),
      new RegExp(`Signature Algorithm: ${result.signatureAlgorithm}`),
    );
    assert.equal(result.daysRemaining, 89);
    assert.equal(result.keyType, "EC");
    assert.equal(result.keySize, 256);
    assert.equal(result.signatureAlgorithm, "ecdsa-with-SHA256");
    assert.equal(result.tlsVersion, "TLSv1.3");
    assert.match(result.cipher ?? "", /^TLS_/);
    assert.equal(result.chainValid, true);
    assert.equal(result.chainError, null);
    assert.equal(result.chainErrorCode, null);
    assert.equal(result.hostnameValid, true);
    assert.deepEqual(
      result.chain?.map((c) => c.subject),
      ["CN=valid.test", "CN=CertPulse Test Intermediate"],
    );
    assert.equal(result.ocspStapled, false);
    assert.deepEqual(result.hsts, { maxAge: 31_536_000, includeSubdomains: true, preload: true });
    assert.deepEqual(result.protocols, { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true });
    assert.deepEqual(gradeTls(result, new Date()), {
      grade: "A+",
      reasons: ["HSTS with a max-age of at least 6 months: A+"],
    });
  });

  test("without HSTS the grade is A, and says why not A+", async () => {
    const leaf = await pki.leaf({ cn: "valid.test" });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
    const result = await probeTls({ host: "valid.test", port }, options);
    assert.equal(result.hsts, null);
    assert.deepEqual(gradeTls(result, new Date()), { grade: "A", reasons: ["no HSTS header: no A+"] });
  });

  test("an intermediate that expires before the leaf sets the earliest expiry", async () => {
    const shortIntermediate = await issue({
      cn: "Short Intermediate",
      ca: true,
      issuer: pki.root,
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const leaf = await issue({
      cn: "valid.test",
      issuer: shortIntermediate,
      notAfter: new Date(Date.now() + 80 * DAY),
    });
    const port = await serve({ chain: [leaf.cert, shortIntermediate.cert], key: leaf.key });
    const result = await probeTls({ host: "valid.test", port }, options);
    assert.equal(result.daysRemaining, 79);
    assert.equal(result.earliestExpiry?.getTime(), shortIntermediate.certificate.notAfter.getTime());
  });

  test("IPv6: a name the hosts file maps to ::1 and an address that does not answer first", async () => {
    const leaf = await pki.leaf({ cn: "six.example.com" });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key, host: "::1" });
    const lookup = async () => ["127.0.0.2", "::1"]; // nothing listens on 127.0.0.2: the probe moves on
    const result = await probeTls(
      { host: "six.example.com", port },
      { ...options, hostsFile: undefined, lookup },
    );
    assert.equal(result.error, null);
    assert.equal(result.address, "::1");
    assert.equal(result.chainValid, true);
  });

  test("a pinned address is connected to while SNI stays the hostname", async () => {
    const leaf = await pki.leaf({ cn: "pinned.example.com" });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
    const result = await probeTls({ host: "pinned.example.com", port, address: "127.0.0.1" }, options);
    assert.equal(result.chainValid, true);
    assert.equal(result.hostnameValid, true);
  });
});

describe("certificate problems", () => {
  const untrusted = async (leaf: { cert: string; key: string }, chain: string[], host = "valid.test") => {
    const port = await serve({ chain, key: leaf.key });
    return probeTls({ host, port }, options);
  };

  test("expired: untrusted, negative days, graded T", async () => {
    const leaf = await pki.leaf({
      cn: "expired.test",
      notBefore: new Date(Date.now() - 100 * DAY),
      notAfter: new Date(Date.now() - 3 * DAY + 60_000),
    });
    const result = await untrusted(leaf, [leaf.cert, pki.intermediate.cert], "expired.test");
    assert.equal(result.chainValid, false);
    assert.equal(result.chainError, "certificate has expired");
    assert.equal(result.chainErrorCode, "expired");
    assert.equal(result.daysRemaining, -3);
    const grade = gradeTls(result, new Date());
    assert.equal(grade.grade, "T");
    assert.match(grade.reasons[0] ?? "", /not trusted \(certificate has expired\): T, A if trusted/);
  });

  test("not yet valid", async () => {
    const leaf = await pki.leaf({ cn: "valid.test", notBefore: new Date(Date.now() + 2 * DAY) });
    const result = await untrusted(leaf, [leaf.cert, pki.intermediate.cert]);
    assert.equal(result.chainError, "certificate is not yet valid");
    assert.equal(result.chainErrorCode, "not_yet_valid");
    assert.equal(gradeTls(result, new Date()).grade, "T");
  });

  test("self-signed: expiry still reported", async () => {
    const leaf = await issue({ cn: "valid.test", notAfter: new Date(Date.now() + 30 * DAY + 60_000) });
    const result = await untrusted(leaf, [leaf.cert]);
    assert.equal(result.chainError, "self-signed certificate");
    assert.equal(result.chainErrorCode, "self_signed");
    assert.equal(result.daysRemaining, 30);
    assert.equal(result.issuer, "CN=valid.test");
    assert.equal(gradeTls(result, new Date()).grade, "T");
  });

  test("missing intermediate: unknown issuer", async () => {
    const leaf = await pki.leaf({ cn: "valid.test" });
    const result = await untrusted(leaf, [leaf.cert]);
    assert.equal(result.chainValid, false);
    assert.equal(result.chainError, "unknown issuer or missing intermediate certificate");
    assert.equal(result.chainErrorCode, "incomplete_chain");
    assert.equal(result.chain?.length, 1);
    assert.equal(gradeTls(result, new Date()).grade, "T");
  });

  test("wrong hostname: trusted chain, mismatch, graded M", async () => {
    const leaf = await pki.leaf({ cn: "other.test" });
    const result = await untrusted(leaf, [leaf.cert, pki.intermediate.cert], "valid.test");
    assert.equal(result.hostnameValid, false);
    assert.equal(result.chainValid, false);
    assert.match(result.chainError ?? "", /^hostname mismatch: .*valid\.test/);
    assert.equal(result.chainErrorCode, "hostname_mismatch");
    const grade = gradeTls(result, new Date());
    assert.equal(grade.grade, "M");
    assert.match(grade.reasons[0] ?? "", /does not match valid\.test/);
  });

  test("an RSA 1024-bit key is weak: capped at B", async () => {
    const leaf = await pki.leaf({ cn: "valid.test", rsaBits: 1024 });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key, hsts: YEAR_HSTS });
    const result = await probeTls({ host: "valid.test", port }, options);
    assert.equal(result.keyType, "RSA");
    assert.equal(result.keySize, 1024);
    assert.equal(result.chainValid, true);
    assert.deepEqual(gradeTls(result, new Date()), {
      grade: "B",
      reasons: ["RSA key of 1024 bits is weak: capped at B"],
    });
  });
});

describe("protocols", () => {
  test("a server that also accepts TLS 1.0 is capped at B", async () => {
    const leaf = await pki.leaf({ cn: "valid.test", rsaBits: 2048 });
    const port = await serve({
      chain: [leaf.cert, pki.intermediate.cert],
      key: leaf.key,
      minVersion: "TLSv1",
      hsts: YEAR_HSTS,
    });
    const result = await probeTls({ host: "valid.test", port }, options);
    assert.deepEqual(result.protocols, { TLSv1: true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": true });
    assert.equal(result.tlsVersion, "TLSv1.3");
    const grade = gradeTls(result, new Date());
    assert.equal(grade.grade, "B");
    assert.deepEqual(grade.reasons, ["TLS 1.0 accepted: capped at B", "TLS 1.1 accepted: capped at B"]);
  });

  test("the scan can be skipped; the negotiated version then stands alone", async () => {
    const leaf = await pki.leaf({ cn: "valid.test" });
    const port = await serve({
      chain: [leaf.cert, pki.intermediate.cert],
      key: leaf.key,
      maxVersion: "TLSv1.2",
    });
    const result = await probeTls(
      { host: "valid.test", port },
      { ...options, scanProtocols: false, checkHttp: false },
    );
    assert.equal(result.protocols, null);
    assert.equal(result.tlsVersion, "TLSv1.2");
    assert.match(result.cipher ?? "", /ECDHE/);
  });
});

describe("failures are results, never throws", () => {
  test("a port that accepts TCP and never answers times out", async () => {
    const server = await startSilentServer();
    servers.push(server);
    const started = Date.now();
    const result = await probeTls({ host: "valid.test", port: server.port }, { ...options, timeoutMs: 400 });
    assert.equal(result.error, "timed out after 400 ms during the TLS handshake");
    assert.ok(Date.now() - started < 2000);
    assert.equal(result.subject, null);
    assert.deepEqual(gradeTls(result, new Date()), { grade: null, reasons: [`no grade: ${result.error}`] });
  });

  test("a connection reset", async () => {
    const server = await startResettingServer();
    servers.push(server);
    const result = await probeTls({ host: "valid.test", port: server.port }, options);
    assert.match(result.error ?? "", /connection (reset by the server|closed during the TLS handshake)/);
  });

  test("plain HTTP on the port", async () => {
    const server = await startPlainHttpServer();
    servers.push(server);
    const result = await probeTls({ host: "valid.test", port: server.port }, options);
    assert.equal(
      result.error,
      "the server did not answer with TLS (plain HTTP or another protocol on this port?)",
    );
  });

  test("a TLS peer that does not speak HTTP: the certificate is read, HSTS waits only its own bound", async () => {
    const leaf = await pki.leaf({ cn: "valid.test", notAfter: new Date(Date.now() + 90 * DAY) });
    // Completes the handshake, then says nothing (as a TLS service that is not HTTP would).
    const server = createTlsServer({ cert: `${leaf.cert}${pki.intermediate.cert}`, key: leaf.key }, () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const result = await probeTls(
        { host: "valid.test", port },
        { ...options, timeoutMs: 10_000, httpTimeoutMs: 300, scanProtocols: false },
      );
      assert.equal(result.error, null);
      assert.equal(result.chainValid, true);
      assert.equal(result.hsts, null);
      assert.ok(Date.now() - started < 5000, "not the whole 10 s probe timeout");
    } finally {
      server.close();
    }
  });

  test("a closed port", async () => {
    const server = await startSilentServer();
    await server.close();
    const result = await probeTls({ host: "valid.test", port: server.port }, options);
    assert.equal(result.error, "connection refused");
  });

  test("a private address is refused without the opt-in, before any connection", async () => {
    const leaf = await pki.leaf({ cn: "valid.test" });
    const port = await serve({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
    for (const target of [
      { host: "valid.test", port },
      { host: "pinned.example.com", port, address: "10.1.2.3" },
    ]) {
      const result = await probeTls(target, { ...options, allowPrivate: false });
      assert.match(result.error ?? "", /not a public address; set CERTPULSE_ALLOW_PRIVATE_TARGETS=true/);
      assert.equal(result.address, null);
    }
    const viaDns = await probeTls(
      { host: "internal.example.com", port },
      { ...options, allowPrivate: false, lookup: async () => ["192.168.1.10", "::1"] },
    );
    assert.match(viaDns.error ?? "", /192\.168\.1\.10 \(private\)/);
  });
});
