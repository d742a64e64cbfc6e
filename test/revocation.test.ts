// Revocation against real sources on loopback: an `openssl ocsp` responder over an index this test
// writes, a CRL a local HTTP server hands out, and a stapled response a Node TLS server sends (got
// from the same responder). Every verdict is held to OpenSSL's own (`openssl ocsp`, `openssl verify
// -crl_check`). Then the end-to-end path: a scheduled check of a revoked certificate makes the domain
// `error`, grades it T, raises ssl_revoked (critical) and delivers it to a webhook.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { freePort, stopProcess, untilSaid } from "../bench/processes.js";
import { tlsProbeOptions } from "../src/app/probe-options.js";
import { loadConfig } from "../src/config.js";
import { gradeTls } from "../src/probes/tls/grade.js";
import { probeTls, type TlsProbeResult } from "../src/probes/tls/tls-probe.js";
import { createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { sClient } from "./helpers/openssl.js";
import { CrlReason, crlOf, type Issued, issue, testPki } from "./helpers/pki.js";
import {
  type HttpsServer,
  listen,
  type Running,
  startHttpsServer,
  startSilentServer,
} from "./helpers/tls-servers.js";
import { startReceiver } from "./helpers/webhook-receiver.js";

const run = promisify(execFile);
const REVOKED_AT = new Date("2026-11-20T08:00:00Z");
/** A port nothing listens on: a responder that is down. */
const DOWN = "http://127.0.0.1:9";

let dir: string;
let pki: Awaited<ReturnType<typeof testPki>>;
let responder: ChildProcess;
let delegatedResponder: ChildProcess;
let delegatedUrl: string;
let impostorResponder: ChildProcess;
let impostorUrl: string;
let ocspUrl: string;
let crlServer: Running;
let crlUrl: string;
let bigCrl: Buffer;
let silent: Running;
const crlRequests: string[] = [];
const servers: Record<string, HttpsServer> = {};
const leaves: Record<string, Issued> = {};
const ports: Record<string, number> = {};
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
let options: ReturnType<typeof tlsProbeOptions>;

const serialOf = (leaf: Issued) => leaf.certificate.serialNumber.toUpperCase();
const pemFile = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** An index line of `openssl ca`'s database, as `openssl ocsp -index` reads it. */
function indexLine(leaf: Issued, revoked?: { at: Date; reason: string }) {
  const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`;
  const status = revoked ? "R" : "V";
  const when = revoked ? `${stamp(revoked.at)},${revoked.reason}` : "";
  return [status, stamp(leaf.certificate.notAfter), when, serialOf(leaf), "unknown", `/${leaf.name}`].join(
    "\t",
  );
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-revocation-"));
  pki = await testPki();
  process.env.NODE_EXTRA_CA_CERTS = pemFile("root.pem", pki.root.cert);
  silent = await startSilentServer();
  const responderPort = await freePort();
  ocspUrl = `http://127.0.0.1:${responderPort}`;
  const delegatedPort = await freePort();
  delegatedUrl = `http://127.0.0.1:${delegatedPort}`;
  const impostorPort = await freePort();
  impostorUrl = `http://127.0.0.1:${impostorPort}`;
  crlServer = await listen(
    createServer((req, res) => {
      crlRequests.push(req.url ?? "");
      res
        .writeHead(200, { "content-type": "application/pkix-crl" })
        .end(req.url === "/big.crl" ? bigCrl : crl);
    }),
    new Set(),
  );
  crlUrl = `http://127.0.0.1:${crlServer.port}/intermediate.crl`;
  const hung = `http://127.0.0.1:${silent.port}`;
  const make = async (name: string, ocsp: string | undefined, crlPoint?: string) => {
    leaves[name] = await pki.leaf({ cn: `${name}.example.com`, ocspUrl: ocsp, crlUrl: crlPoint });
  };
  await make("good", ocspUrl, crlUrl);
  await make("revoked", ocspUrl);
  await make("delegated", delegatedUrl);
  await make("impostor", impostorUrl);
  await make("stapled", DOWN);
  await make("crl", DOWN, crlUrl);
  await make("crlgood", DOWN, crlUrl);
  await make("down", DOWN, `${DOWN}/x.crl`);
  await make("hung", hung);
  await make("crlbig", DOWN, `http://127.0.0.1:${crlServer.port}/big.crl`);
  writeFileSync(
    join(dir, "hosts"),
    `127.0.0.1 ${Object.keys(leaves)
      .map((n) => `${n}.example.com`)
      .join(" ")}\n`,
  );
  const crl = await crlOf(pki.intermediate, [
    { serial: leaves.crl!.certificate.serialNumber, at: REVOKED_AT, reason: CrlReason.superseded },
  ]);
  writeFileSync(join(dir, "intermediate.crl"), crl);
  writeFileSync(
    join(dir, "index.txt"),
    `${[
      indexLine(leaves.good!),
      indexLine(leaves.revoked!, { at: REVOKED_AT, reason: "keyCompromise" }),
      indexLine(leaves.stapled!, { at: REVOKED_AT, reason: "cessationOfOperation" }),
      indexLine(leaves.delegated!, { at: REVOKED_AT, reason: "affiliationChanged" }),
    ].join("\n")}\n`,
  );
  const ca = pemFile("intermediate.pem", pki.intermediate.cert);
  pemFile("intermediate.key", pki.intermediate.key);
  bigCrl = await opensslCrl(50_000, leaves.crlbig!);
  responder = await startResponder(responderPort, ca, join(dir, "intermediate.key"));
  // A second responder signs with a certificate the intermediate issued for OCSP signing only.
  const delegate = await issue({
    cn: "CertPulse Test OCSP Responder",
    issuer: pki.intermediate,
    ocspSigning: true,
  });
  delegatedResponder = await startResponder(
    delegatedPort,
    pemFile("delegate.pem", delegate.cert),
    pemFile("delegate.key", delegate.key),
  );
  // A third signs with a server certificate of the same issuer: not made for OCSP signing.
  impostorResponder = await startResponder(
    impostorPort,
    pemFile("good-leaf.pem", leaves.good!.cert),
    pemFile("good-leaf.key", leaves.good!.key),
  );
  for (const [name, leaf] of Object.entries(leaves)) {
    const server = await startHttpsServer({
      chain: [leaf.cert, pki.intermediate.cert],
      key: leaf.key,
      // The stapling server fetches its staple from the responder with a request OpenSSL writes.
      staple: name === "stapled" ? () => openSslResponse(leaf) : undefined,
    });
    servers[name] = server;
    ports[name] = server.port;
  }
  const config = loadConfig({
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
  });
  options = tlsProbeOptions(config);
});

after(async () => {
  await options.close();
  await Promise.all([
    stopProcess(responder),
    stopProcess(delegatedResponder),
    stopProcess(impostorResponder),
  ]);
  await Promise.all([crlServer.close(), silent.close(), ...Object.values(servers).map((s) => s.close())]);
  if (previousExtraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A CRL as `openssl ca -gencrl` writes it, signed by the intermediate: `count` revoked serials
 * (keyCompromise), `leaf` among them near the end.
 */
async function opensslCrl(count: number, leaf: Issued): Promise<Buffer> {
  const line = (serial: string) =>
    ["R", "301231000000Z", "261120080000Z,keyCompromise", serial, "unknown", `/CN=${serial}`].join("\t");
  const serials = Array.from({ length: count }, (_, i) => (0x10000000 + i).toString(16).toUpperCase());
  serials.splice(count - 10, 0, serialOf(leaf));
  writeFileSync(join(dir, "big-index.txt"), `${serials.map(line).join("\n")}\n`);
  const config = pemFile(
    "big.cnf",
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${join(dir, "big-index.txt")}\ndefault_md = sha256\ndefault_crl_days = 1\n`,
  );
  const pem = join(dir, "big.crl.pem");
  await run("openssl", [
    "ca",
    "-gencrl",
    "-config",
    config,
    "-keyfile",
    join(dir, "intermediate.key"),
    "-cert",
    join(dir, "intermediate.pem"),
    "-out",
    pem,
  ]);
  const der = join(dir, "big.crl");
  await run("openssl", ["crl", "-in", pem, "-outform", "DER", "-out", der]);
  return readFileSync(der);
}

/** `openssl ocsp` answering on `port` from the index, signing with `signer`; resolved once it listens. */
async function startResponder(port: number, signer: string, key: string): Promise<ChildProcess> {
  const child = spawn(
    "openssl",
    [
      "ocsp",
      "-index",
      join(dir, "index.txt"),
      "-port",
      String(port),
      "-rsigner",
      signer,
      "-rkey",
      key,
      "-CA",
      join(dir, "intermediate.pem"),
      "-nmin",
      "60",
      "-ignore_err",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // Ready once it says so: a bare connection that closes unasked (a port probe) wedges OpenSSL 3.0's
  // single-threaded responder for good.
  await untilSaid(child, "waiting for OCSP client connections");
  return child;
}

/** The responder's DER answer for `leaf`, to a request `openssl ocsp -reqout` wrote. */
async function openSslResponse(leaf: Issued): Promise<Buffer> {
  const cert = pemFile(`${serialOf(leaf)}.pem`, leaf.cert);
  const request = join(dir, `${serialOf(leaf)}.req`);
  await run("openssl", [
    "ocsp",
    "-issuer",
    join(dir, "intermediate.pem"),
    "-cert",
    cert,
    "-no_nonce",
    "-reqout",
    request,
  ]);
  const answer = await fetch(ocspUrl, {
    method: "POST",
    headers: { "content-type": "application/ocsp-request" },
    body: readFileSync(request),
  });
  return Buffer.from(await answer.arrayBuffer());
}

/** What `openssl ocsp` itself reports for `leaf` from the responder: "good", or "revoked" with its reason. */
async function openSslVerdict(leaf: Issued): Promise<string> {
  const cert = pemFile(`${serialOf(leaf)}.pem`, leaf.cert);
  const { stdout } = await run("openssl", [
    "ocsp",
    "-issuer",
    join(dir, "intermediate.pem"),
    "-cert",
    cert,
    "-url",
    ocspUrl,
    "-CAfile",
    join(dir, "root.pem"),
    "-no_nonce",
  ]);
  const status = new RegExp(`${cert.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: (\\w+)`).exec(stdout)?.[1];
  const reason = /Reason: (\w+)/.exec(stdout)?.[1];
  return reason ? `${status} ${reason}` : String(status);
}

const probe = (name: string): Promise<TlsProbeResult> =>
  probeTls(
    { host: `${name}.example.com`, port: ports[name] as number },
    { ...options, scanProtocols: false },
  );

describe("revocation sources", () => {
  test("a good certificate: the AIA's OCSP responder says good, as openssl ocsp does", async () => {
    const result = await probe("good");
    assert.equal(await openSslVerdict(leaves.good!), "good");
    assert.deepEqual(
      { status: result.revocation?.status, source: result.revocation?.source, url: result.revocation?.url },
      { status: "good", source: "ocsp", url: ocspUrl },
    );
    assert.equal(result.chainValid, true);
    assert.notEqual(gradeTls(result, result.checkedAt).grade, "T");
  });

  test("a revoked certificate: revoked with reason and time, the chain not valid, graded T with the reason", async () => {
    const result = await probe("revoked");
    assert.equal(await openSslVerdict(leaves.revoked!), "revoked keyCompromise");
    assert.equal(result.revocation?.status, "revoked");
    assert.equal(result.revocation?.source, "ocsp");
    assert.equal(result.revocation?.reason, "keyCompromise");
    assert.equal(result.revocation?.revokedAt?.toISOString(), REVOKED_AT.toISOString());
    assert.equal(result.chainValid, false);
    assert.equal(result.chainErrorCode, "revoked");
    assert.equal(
      result.chainError,
      `certificate has been revoked on ${REVOKED_AT.toISOString()} (keyCompromise)`,
    );
    const { grade, reasons } = gradeTls(result, result.checkedAt);
    assert.equal(grade, "T");
    assert.match(
      reasons[0] ?? "",
      /^not trusted \(certificate has been revoked on .* \(keyCompromise\)\): T, A/,
    );
  });

  test("a responder certificate the issuer made for OCSP signing is trusted; one without that purpose is not", async () => {
    const result = await probe("delegated");
    assert.deepEqual(
      [result.revocation?.status, result.revocation?.source, result.revocation?.reason],
      ["revoked", "ocsp", "affiliationChanged"],
    );
    const impostor = await probe("impostor");
    assert.equal(impostor.revocation?.status, "unavailable");
    assert.equal(
      impostor.revocation?.detail,
      `${impostorUrl}: the OCSP response is not signed by the issuer or its OCSP responder`,
    );
  });

  test("a stapled response is read first: revoked even though the AIA's responder is down", async () => {
    const result = await probe("stapled");
    assert.equal(result.ocspStapled, true);
    assert.equal(result.revocation?.status, "revoked");
    assert.equal(result.revocation?.source, "stapled");
    assert.equal(result.revocation?.reason, "cessationOfOperation");
    // The openssl client sees the same staple.
    const stdout = await sClient(ports.stapled as number, "stapled.example.com", join(dir, "root.pem"), [
      "-status",
    ]);
    assert.match(stdout, /Cert Status: revoked/);
    assert.match(stdout, /Revocation Reason: cessationOfOperation/);
  });

  test("the responder down: the CRL decides, as openssl verify -crl_check does", async () => {
    const result = await probe("crl");
    assert.equal(result.revocation?.status, "revoked");
    assert.equal(result.revocation?.source, "crl");
    assert.equal(result.revocation?.url, crlUrl);
    assert.equal(result.revocation?.reason, "superseded");
    assert.match(result.revocation?.detail ?? "", /^http:\/\/127\.0\.0\.1:9: /);
    const crlPem = join(dir, "crl.pem");
    await run("openssl", ["crl", "-inform", "DER", "-in", join(dir, "intermediate.crl"), "-out", crlPem]);
    const verdict = await run("openssl", [
      "verify",
      "-crl_check",
      "-CRLfile",
      crlPem,
      "-CAfile",
      join(dir, "root.pem"),
      "-untrusted",
      join(dir, "intermediate.pem"),
      pemFile("crl-leaf.pem", leaves.crl!.cert),
    ]).catch((error) => ({ stdout: `${error.stdout}${error.stderr}` }));
    assert.match(verdict.stdout, /certificate revoked/);
    // A certificate the CRL does not list is good by it; the one download served both.
    const before = crlRequests.length;
    const good = await probe("crlgood");
    assert.deepEqual([good.revocation?.status, good.revocation?.source], ["good", "crl"]);
    assert.equal(crlRequests.length, before, "the CRL is reused until its next update");
  });

  test("a CRL of 50,000 entries, as openssl ca writes it, is read and finds the one listed", async () => {
    const result = await probe("crlbig");
    assert.equal(result.error, null);
    assert.deepEqual(
      [result.revocation?.status, result.revocation?.source, result.revocation?.reason],
      ["revoked", "crl", "keyCompromise"],
      JSON.stringify(result.revocation),
    );
    assert.equal(result.revocation?.revokedAt?.toISOString(), REVOKED_AT.toISOString());
  });

  test("every source down: unavailable, saying why, and the certificate still trusted", async () => {
    const result = await probe("down");
    assert.equal(result.revocation?.status, "unavailable");
    assert.equal(result.revocation?.source, null);
    assert.match(result.revocation?.detail ?? "", /127\.0\.0\.1:9.*; http:\/\/127\.0\.0\.1:9\/x\.crl: /);
    assert.equal(result.chainValid, true);
    assert.notEqual(gradeTls(result, result.checkedAt).grade, "T");
  });

  test("a responder that never answers costs the probe's deadline, not more", async () => {
    const started = Date.now();
    const result = await probe("hung");
    assert.ok(Date.now() - started < 4500, `took ${Date.now() - started} ms`);
    assert.equal(result.error, null);
    assert.equal(result.revocation?.status, "unavailable");
    assert.match(result.revocation?.detail ?? "", /deadline|did not answer/);
  });
});

describe("a revoked certificate, end to end", () => {
  test("a scheduled check makes the domain error, grades it T and delivers ssl_revoked to a webhook", async () => {
    const t = await harness({
      CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
      CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
      CERTPULSE_PROBE_TIMEOUT_MS: "3000",
    });
    const hook = await startReceiver();
    try {
      const user = await createUser(t.app);
      const api = t.client(user.key);
      const webhook = await api.post("/webhooks", { url: hook.url, event_types: ["ssl_revoked"] });
      assert.equal(webhook.status, 201);
      const domain = await api.post("/domains", { hostname: "revoked.example.com", port: ports.revoked });
      assert.equal(domain.status, 201, JSON.stringify(domain.body));
      await clockedScheduler(t.app).at(days(0));
      const got = await hook.nth(1);
      assert.equal(got.json.data.alert_type, "ssl_revoked");
      assert.equal(got.json.data.severity, "critical");
      assert.equal(got.json.data.hostname, "revoked.example.com");
      assert.match(got.json.data.message, /has revoked .*keyCompromise/);
      const shown = (await api.get(`/domains/${domain.body.id}`)).body;
      assert.equal(shown.status, "error");
      assert.equal(shown.ssl_grade, "T");
      const ssl = (await api.get(`/domains/${domain.body.id}/ssl`)).body;
      assert.deepEqual(
        { ...ssl.revocation, detail: undefined },
        {
          status: "revoked",
          source: "ocsp",
          url: ocspUrl,
          revoked_at: REVOKED_AT.toISOString(),
          reason: "keyCompromise",
          detail: undefined,
        },
      );
      const graphql = await api.graphql(
        `query ($id: ID!) { domain(id: $id) { latestSslCheck { revocation { status source reason revokedAt } } } }`,
        { id: domain.body.id },
      );
      assert.deepEqual(graphql.body.data.domain.latestSslCheck.revocation, {
        status: "REVOKED",
        source: "OCSP",
        reason: "keyCompromise",
        revokedAt: REVOKED_AT.toISOString(),
      });
      // A replacement certificate (its responder does not list it yet: unknown) resolves the alert.
      const replacement = await pki.leaf({ cn: "revoked.example.com", ocspUrl });
      servers.revoked?.serve([replacement.cert, pki.intermediate.cert], replacement.key);
      try {
        await clockedScheduler(t.app).at(days(0.3));
        const latest = (await api.get(`/domains/${domain.body.id}/ssl`)).body;
        assert.equal(latest.revocation.status, "unknown");
        assert.equal(latest.chain_valid, true);
        const [alert] = (await api.get("/alerts?alert_type=ssl_revoked")).body.data;
        assert.notEqual(alert.resolved_at, null, "the revoked certificate's alert is resolved");
        assert.equal((await api.get(`/domains/${domain.body.id}`)).body.status, "valid");
      } finally {
        servers.revoked?.serve([leaves.revoked!.cert, pki.intermediate.cert], leaves.revoked!.key);
      }
    } finally {
      await hook.close();
      await t.close();
    }
  });
});

test("certpulse check reports a revoked certificate and exits non-zero", async () => {
  const env = {
    ...process.env,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
  };
  const outcome = await run(
    process.execPath,
    cliArgs("check", `revoked.example.com:${ports.revoked}`, "--ssl-only"),
    {
      env,
    },
  ).then(
    (done) => ({ code: 0, stdout: done.stdout }),
    (error) => ({ code: Number(error.code), stdout: String(error.stdout) }),
  );
  assert.notEqual(outcome.code, 0);
  assert.match(outcome.stdout, /Grade {5}T\n/);
  assert.match(
    outcome.stdout,
    /Trust {5}NOT VALID: certificate has been revoked on 2026-11-20T08:00:00\.000Z \(keyCompromise\)\n/,
  );
  assert.match(
    outcome.stdout,
    new RegExp(
      `Revoked {3}YES, on 2026-11-20T08:00:00\\.000Z, keyCompromise \\(ocsp ${ocspUrl.replaceAll(".", "\\.")}\\)\n`,
    ),
  );
});
