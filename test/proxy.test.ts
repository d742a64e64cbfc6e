// Checks through an HTTP CONNECT proxy: Debian's tinyproxy, started here, for the TLS probe, the
// protocol scan, the HTTP request and the revocation sources alike; with Basic credentials, wrong
// ones and none; a proxy that refuses the tunnel and one that accepts and never answers. The password
// is never returned.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { acceptsConnections, freePort } from "../bench/processes.js";
import { createUser, harness } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { crlOf, testPki } from "./helpers/pki.js";
import { listen, type Running, startHttpsServer, startSilentServer } from "./helpers/tls-servers.js";

const tinyproxy = spawnSync("sh", ["-c", "command -v tinyproxy"]).stdout.toString().trim();
const haveTinyproxy = tinyproxy !== "";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let site: Running;
let silent: Running;
/** A site whose certificate names a CRL, and the CRL's server, which notes who asked. */
let revocable: Running;
let crlServer: Running;
const crlAsks: IncomingHttpHeaders[] = [];
const proxies: { port: number; log: string; child: ChildProcess }[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

/** A tinyproxy on loopback with these extra configuration lines; resolves once it listens. */
async function startTinyproxy(extra: string[] = []): Promise<{ port: number; log: string }> {
  const port = await freePort();
  const name = `tinyproxy-${port}`;
  const log = join(dir, `${name}.log`);
  const config = join(dir, `${name}.conf`);
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Allow 127.0.0.1",
      "Timeout 10",
      `LogFile "${log}"`,
      "LogLevel Connect",
      ...extra,
      "",
    ].join("\n"),
  );
  const child = spawn(tinyproxy, ["-d", "-c", config], { stdio: "ignore" });
  proxies.push({ port, log, child });
  if (await acceptsConnections(port, child)) return { port, log };
  throw new Error(`tinyproxy did not start on ${port}`);
}

let open: { port: number; log: string };
let guarded: { port: number; log: string };
let refusing: { port: number; log: string };

before(async () => {
  if (!haveTinyproxy) return;
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-proxy-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  const leaf = await pki.leaf({ cn: "shop.example.com", notBefore: days(-10), notAfter: days(60) });
  site = await startHttpsServer({
    chain: [leaf.cert, pki.intermediate.cert],
    key: leaf.key,
    respond: (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><head><title>Shop</title></head></html>");
    },
  });
  silent = await startSilentServer();
  const crl = await crlOf(pki.intermediate, []);
  crlServer = await listen(
    createServer((req, res) => {
      crlAsks.push(req.headers);
      res.writeHead(200, { "content-type": "application/pkix-crl" }).end(crl);
    }),
    new Set(),
  );
  const listed = await pki.leaf({
    cn: "shop.example.com",
    crlUrl: `http://127.0.0.1:${crlServer.port}/intermediate.crl`,
  });
  revocable = await startHttpsServer({ chain: [listed.cert, pki.intermediate.cert], key: listed.key });
  [open, guarded, refusing] = await Promise.all([
    startTinyproxy(),
    startTinyproxy(["BasicAuth checker s3cret"]),
    // CONNECT only to port 1: every tunnel the checks ask for is refused.
    startTinyproxy(["ConnectPort 1"]),
  ]);
  t = await harness({
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
  });
});
after(async () => {
  if (!haveTinyproxy) return;
  await t.close();
  for (const { child } of proxies) child.kill();
  await Promise.all([site.close(), silent.close(), revocable.close(), crlServer.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

const CHECKED = `mutation ($input: CreateDomainInput!) {
  createCheckedDomain(input: $input) {
    id proxy { host port username hasPassword }
    latestSslCheck { error address subject protocols { version accepted } http { status title } }
  }
}`;

/** The pinned address makes the proxy connect to loopback; SNI and the name checked stay the hostname. */
const target = () => ({ hostname: "shop.example.com", port: site.port, address: "127.0.0.1" });

async function checkThrough(proxy: Record<string, unknown>) {
  const user = await createUser(t.app);
  const res = await t.client(user.key).graphql(CHECKED, { input: { ...target(), proxy } });
  return { user, res };
}

describe("checks through an HTTP CONNECT proxy", {
  skip: haveTinyproxy ? false : "tinyproxy is not installed",
}, () => {
  test("the handshake, the protocol scan and the HTTP request all go through the tunnel", async () => {
    const { res } = await checkThrough({ host: "127.0.0.1", port: open.port });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const domain = res.body.data.createCheckedDomain;
    const check = domain.latestSslCheck;
    assert.equal(check.error, null);
    assert.equal(check.subject, "CN=shop.example.com");
    assert.equal(check.address, null, "through a proxy the server's address is the proxy's to know");
    assert.equal(check.http.status, 200);
    assert.equal(check.http.title, "Shop");
    assert.ok(check.protocols.some((p: { accepted: boolean }) => p.accepted));
    assert.deepEqual(domain.proxy, {
      host: "127.0.0.1",
      port: open.port,
      username: null,
      hasPassword: false,
    });
    // tinyproxy saw the tunnels: the handshake's, and the scan's dozens.
    const log = readFileSync(open.log, "utf8");
    const tunnels = log.split("\n").filter((line) => line.includes(`CONNECT 127.0.0.1:${site.port}`)).length;
    assert.ok(tunnels > 5, `${tunnels} CONNECTs in tinyproxy's log`);
  });

  test("Basic credentials: the right ones pass; none or wrong ones are recorded as the proxy's answer", async () => {
    const ok = await checkThrough({
      host: "127.0.0.1",
      port: guarded.port,
      username: "checker",
      password: "s3cret",
    });
    assert.equal(ok.res.body.data.createCheckedDomain.latestSslCheck.error, null);
    assert.deepEqual(ok.res.body.data.createCheckedDomain.proxy, {
      host: "127.0.0.1",
      port: guarded.port,
      username: "checker",
      hasPassword: true,
    });
    // The password is never returned: not by REST either.
    const id = ok.res.body.data.createCheckedDomain.id;
    const rest = await t.client(ok.user.key).get(`/domains/${id}`);
    assert.deepEqual(rest.body.proxy, {
      host: "127.0.0.1",
      port: guarded.port,
      username: "checker",
      has_password: true,
    });
    assert.ok(!JSON.stringify(rest.body).includes("s3cret"));

    const user = await createUser(t.app);
    const added = await t
      .client(user.key)
      .post("/domains", { ...target(), proxy: { host: "127.0.0.1", port: guarded.port } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const check = await t.app.services.sslChecks.run(
      await t.app.services.domains.get(user.userId, added.body.id),
    );
    assert.match(
      check.error ?? "",
      new RegExp(`the proxy 127\\.0\\.0\\.1:${guarded.port} asks for credentials \\(407`),
    );

    await t.client(user.key).put(`/domains/${added.body.id}`, {
      proxy: { host: "127.0.0.1", port: guarded.port, username: "checker", password: "wrong" },
    });
    const wrong = await t.app.services.sslChecks.run(
      await t.app.services.domains.get(user.userId, added.body.id),
    );
    assert.match(wrong.error ?? "", /refused the credentials \(40[17]/);
  });

  test("a proxy that refuses the tunnel, and one that never answers, are recorded errors within the timeout", async () => {
    const user = await createUser(t.app);
    const refused = await t.client(user.key).post("/domains", {
      ...target(),
      proxy: { host: "127.0.0.1", port: refusing.port },
    });
    const refusal = await t.app.services.sslChecks.run(
      await t.app.services.domains.get(user.userId, refused.body.id),
    );
    assert.match(
      refusal.error ?? "",
      new RegExp(`refused the tunnel to 127\\.0\\.0\\.1:${site.port} \\(403`),
    );

    await t
      .client(user.key)
      .put(`/domains/${refused.body.id}`, { proxy: { host: "127.0.0.1", port: silent.port } });
    const started = Date.now();
    const timeout = await t.app.services.sslChecks.run(
      await t.app.services.domains.get(user.userId, refused.body.id),
    );
    assert.match(timeout.error ?? "", /timed out after 3000 ms waiting for the proxy 127\.0\.0\.1/);
    assert.ok(Date.now() - started < 4500);

    // Removing the proxy goes direct again.
    await t.client(user.key).put(`/domains/${refused.body.id}`, { proxy: null });
    const direct = await t.app.services.sslChecks.run(
      await t.app.services.domains.get(user.userId, refused.body.id),
    );
    assert.equal(direct.error, null);
    assert.equal(direct.address, "127.0.0.1");
  });

  test("the revocation sources are asked through the proxy too, as the server was", async () => {
    const user = await createUser(t.app);
    const res = await t.client(user.key).graphql(
      `mutation ($input: CreateDomainInput!) {
        createCheckedDomain(input: $input) { latestSslCheck { error revocation { status source url } } }
      }`,
      {
        input: {
          ...target(),
          port: revocable.port,
          proxy: { host: "127.0.0.1", port: guarded.port, username: "checker", password: "s3cret" },
        },
      },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const check = res.body.data.createCheckedDomain.latestSslCheck;
    assert.equal(check.error, null);
    assert.deepEqual(
      [check.revocation.status, check.revocation.source],
      ["GOOD", "CRL"],
      JSON.stringify(check.revocation),
    );
    // The CRL server heard from tinyproxy (its Via header), asked in the absolute form a proxy forwards.
    assert.equal(crlAsks.length, 1);
    assert.match(String(crlAsks[0]?.via), /tinyproxy/);
  });

  test("bad proxy input is a 400 naming the field, and changes nothing", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    for (const [proxy, words] of [
      [{ host: "127.0.0.1" }, /port is required/],
      [{ host: "not a host", port: 3128 }, /proxy host must be a hostname or an IP address/],
      [{ host: "127.0.0.1", port: 3128, password: "x" }, /a proxy password needs a proxy username/],
    ] as const) {
      const res = await api.post("/domains", { ...target(), proxy });
      assert.equal(res.status, 400, JSON.stringify(proxy));
      assert.match(res.body.error, words);
    }
    assert.equal((await api.get("/domains")).body.pagination.total, 0);
  });
});
