// Cipher-suite enumeration from raw ClientHellos, against openssl s_server with chosen suites,
// protocols and DH parameters, and compared suite by suite with what openssl s_client accepts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LEGACY_SUITE_IDS, SUITES, TLS13_SUITE_IDS } from "../src/probes/tls/scan/cipher-suites.js";
import { enumerateSuites, type ScanProtocol, sendHello } from "../src/probes/tls/scan/hello-scan.js";
import { probeTls } from "../src/probes/tls/tls-probe.js";
import { createTrustStore } from "../src/probes/tls/trust-store.js";
import { dhParams, sClientAccepts, startSServer } from "./helpers/openssl.js";
import { testPki } from "./helpers/pki.js";
import { startSilentServer, startSwitchableServer } from "./helpers/tls-servers.js";

let chain: string;
let key: string;
let dh1024: string;
let dir: string;
const options = () => ({ signal: AbortSignal.timeout(20_000), timeoutMs: 20_000 });
const target = (port: number) => ({ address: "127.0.0.1", port, host: "scan.test" });
/** The suites OpenSSL on this machine can offer, by its names: what s_client can be asked for. */
const opensslNames = (protocol: "tls1_2" | "tls1_3") =>
  execFileSync("openssl", ["ciphers", `-${protocol}`, "-s", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"], {
    encoding: "utf8",
  })
    .trim()
    .split(":");

before(async () => {
  const pki = await testPki();
  const leaf = await pki.leaf({ cn: "scan.test", rsaBits: 2048 });
  chain = `${leaf.cert}\n${pki.intermediate.cert}`;
  key = leaf.key;
  dir = mkdtempSync(join(tmpdir(), "certpulse-hello-scan-"));
  dh1024 = dhParams(dir, 1024);
  assert.match(readFileSync(dh1024, "utf8"), /BEGIN DH PARAMETERS/);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("TLS 1.2: the accepted suites in the server's order, with groups and DH size, as s_client sees them", async () => {
  const configured = [
    "ECDHE-RSA-AES128-GCM-SHA256",
    "DHE-RSA-AES256-SHA",
    "AES128-SHA",
    "ECDHE-RSA-AES256-SHA384",
  ];
  const server = await startSServer(chain, key, [
    "-cipher",
    `${configured.join(":")}:@SECLEVEL=0`,
    "-serverpref",
    "-tls1_2",
    "-dhparam",
    dh1024,
  ]);
  try {
    const scan = await enumerateSuites(target(server.port), "TLSv1.2", LEGACY_SUITE_IDS, options());
    const names = scan.suites.map((s) => SUITES.get(s.id)?.openssl);
    assert.deepEqual(names, configured, "every suite, in the server's preference order");
    const dhe = scan.suites.find((s) => SUITES.get(s.id)?.keyExchange === "DHE");
    assert.deepEqual([dhe?.group, dhe?.groupBits], ["ffdhe", 1024]);
    const ecdhe = scan.suites.find((s) => SUITES.get(s.id)?.keyExchange === "ECDHE");
    assert.deepEqual([ecdhe?.group, ecdhe?.groupBits], ["x25519", 253]);
    assert.equal(SUITES.get(scan.suites[2]?.id ?? 0)?.forwardSecrecy, false, "AES128-SHA is static RSA");

    // The reference: s_client offering one suite at a time, every suite it knows.
    const accepted: string[] = [];
    for (const name of opensslNames("tls1_2")) {
      if (await sClientAccepts(server.port, "-tls1_2", name)) accepted.push(name);
    }
    assert.deepEqual([...accepted].sort(), [...configured].sort());
    // And no other version is spoken (-tls1_2: only TLS 1.2).
    for (const protocol of ["TLSv1", "TLSv1.1", "TLSv1.3"] as ScanProtocol[]) {
      const offer = protocol === "TLSv1.3" ? TLS13_SUITE_IDS : LEGACY_SUITE_IDS;
      assert.deepEqual(
        (await enumerateSuites(target(server.port), protocol, offer, options())).suites,
        [],
        protocol,
      );
    }
  } finally {
    server.close();
  }
});

test("TLS 1.3 and TLS 1.0: the suites configured, and old protocols when allowed", async () => {
  const server = await startSServer(chain, key, [
    "-ciphersuites",
    "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384",
    "-cipher",
    "ECDHE-RSA-AES256-SHA:@SECLEVEL=0",
    "-serverpref",
  ]);
  try {
    const tls13 = await enumerateSuites(target(server.port), "TLSv1.3", TLS13_SUITE_IDS, options());
    assert.deepEqual(
      tls13.suites.map((s) => SUITES.get(s.id)?.name),
      ["TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384"],
    );
    assert.equal(tls13.suites[0]?.group, "x25519");
    const accepted: string[] = [];
    for (const name of opensslNames("tls1_3")) {
      if (await sClientAccepts(server.port, "-tls1_3", name)) accepted.push(name);
    }
    assert.deepEqual(accepted.sort(), ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]);
    const tls10 = await enumerateSuites(target(server.port), "TLSv1", LEGACY_SUITE_IDS, options());
    assert.deepEqual(
      tls10.suites.map((s) => SUITES.get(s.id)?.openssl),
      ["ECDHE-RSA-AES256-SHA"],
    );
  } finally {
    server.close();
  }
});

test("a peer that does not speak TLS is a refusal, and a silent one runs into the deadline", async () => {
  const silent = await startSilentServer();
  try {
    const signal = AbortSignal.timeout(300);
    await assert.rejects(
      sendHello(target(silent.port), "TLSv1.2", LEGACY_SUITE_IDS, { signal, timeoutMs: 300 }),
      /300 ms/,
    );
  } finally {
    await silent.close();
  }
});

test("a scan the deadline cuts short counts as no scan, and the check still stands", async () => {
  const server = await startSServer(chain, key, [
    "-tls1_2",
    "-cipher",
    "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA",
  ]);
  // Every connection through this proxy waits 450 ms before it reaches the server: the handshake
  // fits in the deadline, the scan's three hellos in a row (two suites and a refusal) do not.
  const proxy = await startSwitchableServer(server.port, { delayMs: 450 });
  try {
    const port = proxy.port;
    const result = await probeTls(
      { host: "scan.test", port, address: "127.0.0.1" },
      { trust: createTrustStore([]), timeoutMs: 1500, allowPrivate: true, checkHttp: false },
    );
    assert.equal(result.error, null, "the certificate was read");
    assert.equal(result.cipherSuites, null, "an incomplete scan is not reported as one");
    assert.equal(result.protocols, null);
  } finally {
    await proxy.close();
    server.close();
  }
});
