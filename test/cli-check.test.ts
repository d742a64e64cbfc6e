// `certpulse check`: the probes from the command line with no database, agreeing with openssl and
// with GET /domains/{id}/ssl and /whois, and telling valid (0), not valid (1) and failed (2) by exit status.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import { createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { sClient } from "./helpers/openssl.js";
import { issue, testPki } from "./helpers/pki.js";
import { bootstrapFile, type RdapServer, startRdapServer } from "./helpers/registry-servers.js";
import { type Running, startHttpsServer, startSilentServer } from "./helpers/tls-servers.js";

let dir: string;
let valid: Running;
let selfSigned: Running;
let env: NodeJS.ProcessEnv;
let rdap: RdapServer;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-cli-check-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 valid-site.com self-site.net box.test\n");
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  const leaf = await pki.leaf({ cn: "valid-site.com" });
  valid = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  const own = await issue({ cn: "self-site.net" });
  selfSigned = await startHttpsServer({ chain: [own.cert], key: own.key });
  rdap = await startRdapServer();
  rdap.route("/dns.json", { status: 200, json: bootstrapFile([[["com", "net"], [`${rdap.url}/`]]]) });
  rdap.route("/domain/valid-site.com", {
    status: 200,
    json: rdapDomain({
      name: "valid-site.com",
      registrar: { name: "Gandi SAS", ianaId: "81" },
      created: "2020-03-15T00:00:00Z",
      expires: "2099-03-15T00:00:00Z",
      nameservers: ["ns1.valid-site.com"],
      signed: true,
    }),
  });
  env = {
    ...process.env,
    CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
    CERTPULSE_WHOIS_SERVER: "127.0.0.1:9",
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "1500",
    NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
  };
});
after(async () => {
  await valid.close();
  await selfSigned.close();
  await rdap.close();
  rmSync(dir, { recursive: true, force: true });
});

function check(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, cliArgs("check", ...args), { env }, (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
}

test("a valid certificate: exit 0, a readable report, and JSON that openssl agrees with", async () => {
  const text = await check(`valid-site.com:${valid.port}`);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^valid-site\.com:\d+ \(127\.0\.0\.1\)/);
  assert.match(text.stdout, /Grade {5}A\n/);
  assert.match(text.stdout, /Trust {5}valid/);
  // The accepted suites per version, as the scan read them (Node's server: TLS 1.2 and 1.3).
  assert.match(text.stdout, /\n {2}TLSv1\.3 *\n {4}TLS_AES_256_GCM_SHA384 \(x25519\)\n/);
  assert.match(text.stdout, /\n {2}TLSv1\.2 *\n {4}TLS_ECDHE_\w+_WITH_AES_\d+_GCM_SHA\d+ \(x25519\)\n/);

  const json = await check(`valid-site.com:${valid.port}`, "--json");
  assert.equal(json.code, 0);
  const fields = JSON.parse(json.stdout).ssl;
  const printed = await sClient(valid.port, "valid-site.com", join(dir, "ca.pem"));
  assert.match(printed, new RegExp(`New, ${fields.tls_version}, Cipher is ${fields.cipher}`));
  assert.match(printed, /Verify return code: 0 \(ok\)/);
  assert.match(printed, /subject=CN ?= ?valid-site\.com/);
  assert.equal(fields.chain_valid, true);
  assert.equal(fields.grade, "A");
  const tls13 = fields.cipher_suites.find((p: { protocol: string }) => p.protocol === "TLSv1.3");
  assert.equal(tls13.suites[0].name, "TLS_AES_256_GCM_SHA384");
  assert.equal(tls13.suites[0].forward_secrecy, true);
  assert.equal(tls13.suites[0].aead, true);
});

test("--json has the fields of GET /domains/{id}/ssl, named the same", async () => {
  process.env.NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS;
  const t = await harness({
    CERTPULSE_HOSTS_FILE: env.CERTPULSE_HOSTS_FILE as string,
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
  });
  try {
    const api = t.client((await createUser(t.app)).key);
    const created = (await api.post("/domains", { hostname: "valid-site.com", port: valid.port })).body;
    await t.app.services.sslChecks.run(
      await t.app.services.db.domain.findUniqueOrThrow({ where: { id: created.id } }),
    );
    const rest = (await api.get(`/domains/${created.id}/ssl`)).body;
    const cli = JSON.parse((await check(`valid-site.com:${valid.port}`, "--json")).stdout).ssl;
    const { id: _id, domain_id: _domainId, ...restFields } = rest;
    assert.deepEqual(Object.keys(cli), Object.keys(restFields));
    for (const field of [
      "subject",
      "issuer",
      "valid_to",
      "serial_number",
      "sans",
      "grade",
      "chain_valid",
      "protocols",
    ]) {
      assert.deepEqual(cli[field], restFields[field], field);
    }
  } finally {
    await t.close();
    delete process.env.NODE_EXTRA_CA_CERTS;
  }
});

test("a self-signed certificate: exit 1, with the reason", async () => {
  const result = await check(`self-site.net:${selfSigned.port}`);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /NOT VALID: self-signed certificate/);
  assert.match(result.stdout, /Grade {5}T/);
});

test("a probe that fails: exit 2; a private target without the opt-in is refused", async () => {
  const silent = await startSilentServer();
  await silent.close();
  const closed = await check(`valid-site.com:${silent.port}`);
  assert.equal(closed.code, 2);
  assert.match(closed.stdout, /Error {5}connection refused/);
  const previous = env.CERTPULSE_ALLOW_PRIVATE_TARGETS;
  env.CERTPULSE_ALLOW_PRIVATE_TARGETS = "false";
  const refused = await check(`valid-site.com:${valid.port}`, "--json");
  env.CERTPULSE_ALLOW_PRIVATE_TARGETS = previous;
  assert.equal(refused.code, 2);
  assert.match(JSON.parse(refused.stdout).ssl.error, /not a public address/);
});

test("the registration is shown too, with the fields of GET /domains/{id}/whois", async () => {
  const text = await check(`valid-site.com:${valid.port}`);
  assert.equal(text.code, 0);
  assert.match(
    text.stdout,
    /Registration of valid-site\.com \(RDAP, http:\/\/127\.0\.0\.1:\d+\/domain\/valid-site\.com\)/,
  );
  assert.match(text.stdout, /Registrar +Gandi SAS \(IANA 81\)/);
  assert.match(text.stdout, /Expires +2099-03-15 \(\d+ days left\)/);
  assert.match(text.stdout, /DNSSEC +signed/);

  const { whois } = JSON.parse((await check(`valid-site.com:${valid.port}`, "--json")).stdout);
  assert.deepEqual(Object.keys(whois), [
    "registrar",
    "created_date",
    "expiry_date",
    "days_remaining",
    "dnssec",
    "nameservers",
    "checked_at",
    "registrable_domain",
    "outcome",
    "source",
    "server",
    "error",
    "expiry_note",
    "retry_after",
    "registrar_iana_id",
    "updated_date",
    "statuses",
  ]);
  assert.equal(whois.registrar, "Gandi SAS");
  assert.equal(whois.expiry_date, "2099-03-15T00:00:00.000Z");
  assert.deepEqual(whois.nameservers, ["ns1.valid-site.com"]);
  assert.equal(whois.outcome, "registered");

  // self-site.net has no registration (RDAP 404): the certificate is judged as before, and exit is 1.
  const unregistered = JSON.parse((await check(`self-site.net:${selfSigned.port}`, "--json")).stdout).whois;
  assert.equal(unregistered.outcome, "not_registered");
  const skipped = JSON.parse((await check(`valid-site.com:${valid.port}`, "--json", "--ssl-only")).stdout);
  assert.equal(skipped.whois, null);
  // A name no public registry holds is not looked up at all.
  const internal = await check(`box.test:${valid.port}`);
  assert.match(internal.stdout, /Registration: not applicable \(no public registry holds box\.test\)/);
  assert.equal(JSON.parse((await check(`box.test:${valid.port}`, "--json")).stdout).whois, null);
});
