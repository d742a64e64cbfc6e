// STARTTLS: the probe speaks each protocol's preamble, then checks the certificate (and scans the
// protocols) as on any TLS port; compared with `openssl s_client -starttls`, which reads the same
// leaf from the same servers. SMTP is npm's smtp-server, and PostgreSQL and MySQL are also real
// PostgreSQL and MariaDB servers with TLS; the other preambles are test servers. A server that
// refuses TLS or never answers is a recorded error, and the port picks the default.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startTlsFor } from "../src/probes/starttls/starttls.js";
import { createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { days } from "./helpers/clock.js";
import {
  mariadbUnavailable,
  postgresUnavailable,
  startMariadb,
  startPostgres,
} from "./helpers/database-servers.js";
import { sClient } from "./helpers/openssl.js";
import { testPki } from "./helpers/pki.js";
import { startPreambleServer, startSmtpServer } from "./helpers/starttls-servers.js";
import { type Running, startSilentServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let cert: string;
let key: string;
const servers: Running[] = [];
let silent: Running;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-starttls-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 mail.example.com\n");
  const leaf = await pki.leaf({ cn: "mail.example.com", notBefore: days(-3), notAfter: days(45) });
  cert = `${leaf.cert}${pki.intermediate.cert}`;
  key = leaf.key;
  silent = await startSilentServer();
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
  });
});
after(async () => {
  await t.close();
  await Promise.all([...servers.map((s) => s.close()), silent.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

async function serve(protocol: string, refuse = false): Promise<Running> {
  const server =
    protocol === "smtp"
      ? await startSmtpServer({ cert, key, refuse })
      : await startPreambleServer(protocol as "imap", { cert, key, refuse });
  servers.push(server);
  return server;
}

async function check(port: number, startTls: string) {
  const user = await createUser(t.app);
  const res = await t
    .client(user.key)
    .graphql(`mutation ($input: CreateDomainInput!) { createDomain(input: $input) { id startTls } }`, {
      input: { hostname: "mail.example.com", port, startTls },
    });
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  const domain = await t.app.services.domains.get(user.userId, res.body.data.createDomain.id);
  return t.app.services.sslChecks.run(domain);
}

const fingerprintOf = (pem: string) =>
  /=([0-9A-F:]+)/.exec(
    execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: pem }).toString(),
  )?.[1];

describe("STARTTLS", () => {
  for (const protocol of ["smtp", "imap", "pop3", "ftp", "xmpp", "ldap", "postgres", "mysql"]) {
    test(`${protocol}: the preamble, then the certificate and the protocol scan, as openssl s_client -starttls reads it`, async () => {
      const server = await serve(protocol);
      const stored = await check(server.port, protocol.toUpperCase());
      assert.equal(stored.error, null);
      assert.equal(stored.subject, "CN=mail.example.com");
      assert.equal(stored.chainValid, true);
      assert.equal(stored.http, null, "no HTTP request on a mail, directory or database port");
      const protocols = stored.protocols as Record<string, boolean> | null;
      assert.ok(protocols?.["TLSv1.2"] && protocols["TLSv1.3"], JSON.stringify(protocols));
      const out = await sClient(server.port, "mail.example.com", join(dir, "ca.pem"), [
        "-starttls",
        protocol,
        ...(protocol === "xmpp" ? ["-xmpphost", "mail.example.com"] : []),
      ]);
      const leaf = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(out)?.[0];
      assert.ok(leaf, `openssl s_client -starttls ${protocol} read no certificate:\n${out.slice(0, 400)}`);
      assert.equal(stored.fingerprint256, fingerprintOf(leaf));
    });
  }

  for (const [protocol, real, unavailable, start] of [
    ["postgres", "a real PostgreSQL with ssl = on", postgresUnavailable, startPostgres],
    ["mysql", "a real MariaDB with --ssl-cert", mariadbUnavailable, startMariadb],
  ] as const) {
    test(`${protocol}: ${real}, as openssl s_client -starttls ${protocol} reads it`, {
      skip: unavailable() ?? false,
    }, async () => {
      const server = await start({ cert, key });
      servers.push(server);
      const stored = await check(server.port, protocol.toUpperCase());
      assert.equal(stored.error, null);
      assert.equal(stored.chainValid, true);
      assert.equal(stored.subject, "CN=mail.example.com");
      // HSTS is an HTTPS header: a database port is not marked down for lacking it.
      assert.match(
        (stored.gradeReasons as string[]).join("\n"),
        /no HTTP request on this port \(HSTS is an HTTPS header\)/,
      );
      const out = await sClient(server.port, "mail.example.com", join(dir, "ca.pem"), [
        "-starttls",
        protocol,
      ]);
      const leaf = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(out)?.[0];
      assert.ok(leaf, `openssl s_client -starttls ${protocol} read no certificate:\n${out.slice(0, 400)}`);
      assert.equal(stored.fingerprint256, fingerprintOf(leaf));
    });
  }

  test("a server that refuses TLS is a recorded error saying what it answered", async () => {
    const smtp = await check((await serve("smtp", true)).port, "SMTP");
    assert.match(smtp.error ?? "", /^smtp: STARTTLS is not offered; the server said "250-/);
    const imap = await check((await serve("imap", true)).port, "IMAP");
    assert.match(imap.error ?? "", /^imap: STARTTLS was refused; the server said "a001 BAD not now"/);
    const postgres = await check((await serve("postgres", true)).port, "POSTGRES");
    assert.equal(postgres.error, "postgres: the server does not accept SSL connections");
    const ldap = await check((await serve("ldap", true)).port, "LDAP");
    assert.equal(ldap.error, "ldap: StartTLS was refused (result code 2)");
  });

  test("a server that never says a word times out within the probe's deadline", async () => {
    const started = Date.now();
    const stored = await check(silent.port, "POP3");
    assert.equal(stored.error, "timed out after 3000 ms during the pop3 STARTTLS preamble");
    assert.ok(Date.now() - started < 4500);
  });

  test("certpulse check --starttls speaks the preamble too", async () => {
    const server = await serve("pop3");
    const run = promisify(execFile);
    const env = {
      ...process.env,
      CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
      CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
      NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
      LOG_LEVEL: "silent",
    };
    const { stdout } = await run(
      process.execPath,
      cliArgs("check", `mail.example.com:${server.port}`, "--starttls", "pop3", "--ssl-only", "--json"),
      { env },
    );
    const report = JSON.parse(stdout);
    assert.deepEqual(
      [report.ssl.error, report.ssl.subject, report.ssl.chain_valid],
      [null, "CN=mail.example.com", true],
    );
    const bad = await run(process.execPath, cliArgs("check", "mail.example.com", "--starttls", "gopher"), {
      env,
    }).catch((error: { stderr: string; code: number }) => error);
    assert.match((bad as { stderr: string }).stderr, /--starttls must be tls or one of smtp, submission/);
  });

  test("the port picks the preamble unless the domain names one; TLS turns it off", async () => {
    assert.deepEqual(
      [25, 587, 143, 110, 21, 5222, 389, 5432, 3306, 443, 993].map((port) => startTlsFor(port, null)),
      ["smtp", "submission", "imap", "pop3", "ftp", "xmpp", "ldap", "postgres", "mysql", null, null],
    );
    assert.equal(startTlsFor(25, "tls"), null);
    assert.equal(startTlsFor(2525, "smtp"), "smtp");
    const user = await createUser(t.app);
    const bad = await t
      .client(user.key)
      .post("/domains", { hostname: "mail.example.com", port: 25, start_tls: "telnet" });
    assert.equal(bad.status, 400);
    const ok = await t
      .client(user.key)
      .post("/domains", { hostname: "mail.example.com", port: 2525, start_tls: "smtp" });
    assert.equal(ok.body.start_tls, "smtp");
  });
});
