// For every kind of test server, `certpulse check --json` and GET /domains/{id}/ssl report what
// `openssl s_client` and `openssl x509` show: protocol, cipher, served chain, verification, serial,
// dates and subject.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type Client, createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { sClient } from "./helpers/openssl.js";
import { type Issued, issue, testPki } from "./helpers/pki.js";
import { type HttpsOptions, type Running, startHttpsServer } from "./helpers/tls-servers.js";

const DAY = 86_400_000;
const run = promisify(execFile);
let dir: string;
let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
let env: NodeJS.ProcessEnv;
const servers: Running[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-openssl-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 agree.example.com\n");
  env = {
    ...process.env,
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
  };
});
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

/** What openssl says of a server: s_client's handshake and chain, x509's view of the leaf. */
async function openssl(port: number) {
  const printed = await sClient(port, "agree.example.com", join(dir, "ca.pem"), [
    "-verify_hostname",
    "agree.example.com",
    "-cipher",
    "DEFAULT:@SECLEVEL=0",
    "-showcerts",
  ]);
  const handshake = /New, (TLSv[\d.]+), Cipher is (\S+)/.exec(printed);
  const leafPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(printed)?.[0] ?? "";
  const x509 = async (...args: string[]) => {
    const child = run("openssl", ["x509", "-noout", ...args], { encoding: "utf8" });
    child.child.stdin?.end(leafPem);
    return (await child).stdout.trim();
  };
  return {
    protocol: handshake?.[1],
    cipher: handshake?.[2],
    chain: [...printed.matchAll(/^ *\d+ s:(.*)$/gm)].map((m) => (m[1] ?? "").replace(/ = /g, "=")),
    verified: /Verify return code: 0 \(ok\)/.test(printed),
    serial: (await x509("-serial")).replace("serial=", ""),
    notBefore: new Date((await x509("-startdate")).replace("notBefore=", "")).toISOString(),
    notAfter: new Date((await x509("-enddate")).replace("notAfter=", "")).toISOString(),
    subject: (await x509("-subject")).replace("subject=", "").replace(/ = /g, "="),
  };
}

test("every kind of server: the CLI and the REST API agree with openssl", async () => {
  const pki = await testPki();
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  t = await harness({ CERTPULSE_HOSTS_FILE: join(dir, "hosts"), CERTPULSE_ALLOW_PRIVATE_TARGETS: "true" });
  api = t.client((await createUser(t.app)).key);

  const name = "agree.example.com";
  const withIntermediate = (leaf: Issued, extra: Partial<HttpsOptions> = {}): HttpsOptions => ({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    ...extra,
  });
  const cases: [string, HttpsOptions][] = [
    ["valid chain", withIntermediate(await pki.leaf({ cn: name }))],
    [
      "expired",
      withIntermediate(
        await pki.leaf({
          cn: name,
          notBefore: new Date(Date.now() - 90 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
      ),
    ],
    ["not yet valid", withIntermediate(await pki.leaf({ cn: name, notBefore: new Date(Date.now() + DAY) }))],
    ["self-signed", await issue({ cn: name }).then((own) => ({ chain: [own.cert], key: own.key }))],
    ["wrong hostname", withIntermediate(await pki.leaf({ cn: "elsewhere.example.com" }))],
    [
      "missing intermediate",
      await pki.leaf({ cn: name }).then((leaf) => ({ chain: [leaf.cert], key: leaf.key })),
    ],
    ["RSA 1024-bit key", withIntermediate(await pki.leaf({ cn: name, rsaBits: 1024 }))],
    [
      "TLS 1.0 accepted, TLS 1.2 at most",
      withIntermediate(await pki.leaf({ cn: name, rsaBits: 2048 }), {
        minVersion: "TLSv1",
        maxVersion: "TLSv1.2",
      }),
    ],
  ];

  for (const [label, options] of cases) {
    const server = await startHttpsServer(options);
    servers.push(server);
    const seen = await openssl(server.port);
    const cli = await run(
      process.execPath,
      cliArgs("check", `${name}:${server.port}`, "--json", "--ssl-only"),
      {
        env,
        encoding: "utf8",
      },
    ).catch((error: { stdout: string }) => error);
    const fromCli = JSON.parse(cli.stdout).ssl;
    const domain = (await api.post("/domains", { hostname: name, port: server.port })).body;
    await t.app.services.sslChecks.run(
      await t.app.services.db.domain.findUniqueOrThrow({ where: { id: domain.id } }),
    );
    const fromRest = (await api.get(`/domains/${domain.id}/ssl`)).body;

    for (const [source, fields] of [
      ["CLI", fromCli],
      ["REST", fromRest],
    ] as const) {
      const where = `${label}, ${source}`;
      assert.equal(fields.error, null, where);
      assert.equal(fields.tls_version, seen.protocol, where);
      assert.equal(fields.cipher, seen.cipher, where);
      assert.deepEqual(
        fields.chain.map((c: { subject: string }) => c.subject),
        seen.chain,
        where,
      );
      assert.equal(fields.chain_valid, seen.verified, where);
      assert.equal(fields.serial_number.replaceAll(":", "").toUpperCase(), seen.serial, where);
      assert.equal(fields.valid_from, seen.notBefore, where);
      assert.equal(fields.valid_to, seen.notAfter, where);
      assert.equal(fields.subject, seen.subject, where);
    }
  }
});
