// The certificate a domain serves (GET /api/v1/domains/{id}/certificate and Domain.certificate),
// held to what `openssl s_client -showcerts` reads from the same server: the summary, the chain as
// PEM, and a ZIP that Debian's `unzip` opens; each certificate stored once however often it is
// seen; the user's domains that serve it, and no one else's.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createUser, harness } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { sClient } from "./helpers/openssl.js";
import { issue, testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let site: Running;
let own: Running;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-served-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com api.example.com self.example.com\n");
  const leaf = await pki.leaf({
    cn: "www.example.com",
    sans: ["www.example.com", "api.example.com"],
    notBefore: days(-5),
    notAfter: days(85),
  });
  site = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  const selfSigned = await issue({ cn: "self.example.com" });
  own = await startHttpsServer({ chain: [selfSigned.cert], key: selfSigned.key });
  t = await harness({ CERTPULSE_HOSTS_FILE: join(dir, "hosts"), CERTPULSE_ALLOW_PRIVATE_TARGETS: "true" });
});
after(async () => {
  await t.close();
  await Promise.all([site.close(), own.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

/** The certificates `openssl s_client -showcerts` receives, as PEM, leaf first. */
async function opensslChain(host: string, port: number): Promise<string[]> {
  const out = await sClient(port, host, join(dir, "ca.pem"), ["-showcerts"]);
  return out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
}

const fingerprint = (pem: string) =>
  /=([0-9A-F:]+)/.exec(
    execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: pem }).toString(),
  )?.[1];

async function addChecked(key: string, hostname: string, port: number): Promise<string> {
  const res = await t
    .client(key)
    .graphql("mutation ($input: CreateDomainInput!) { createCheckedDomain(input: $input) { id } }", {
      input: { hostname, port },
    });
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return res.body.data.createCheckedDomain.id;
}

describe("GET /domains/{id}/certificate", () => {
  test("the summary and the chain are what openssl s_client receives", async () => {
    const user = await createUser(t.app);
    const id = await addChecked(user.key, "www.example.com", site.port);
    const served = await opensslChain("www.example.com", site.port);
    assert.equal(served.length, 2);
    const res = await t.client(user.key).get(`/domains/${id}/certificate`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const c = res.body;
    assert.deepEqual(
      [c.status, c.subject, c.names, c.key_type, c.days_remaining],
      ["valid", "CN=www.example.com", ["www.example.com", "api.example.com"], "EC", 84],
    );
    assert.match(c.issuer, /Intermediate/);
    assert.deepEqual(
      c.chain.map((cert: { fingerprint_sha256: string }) => cert.fingerprint_sha256),
      served.map(fingerprint),
    );
    assert.equal(c.fingerprint_sha256, fingerprint(served[0]!));

    const pem = await t.client(user.key).get(`/domains/${id}/certificate?format=pem`);
    assert.equal(pem.status, 200);
    assert.equal(pem.headers.get("content-type"), "application/x-pem-file");
    assert.equal(pem.body, served.join(""));
  });

  test("the ZIP holds the leaf, the intermediate, chain.pem and fullchain.pem, as unzip reads it", async () => {
    const user = await createUser(t.app);
    const id = await addChecked(user.key, "www.example.com", site.port);
    const res = await fetch(`${t.url}/api/v1/domains/${id}/certificate?format=zip`, {
      headers: { authorization: `Bearer ${user.key}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/zip");
    assert.match(res.headers.get("content-disposition") ?? "", /filename="www\.example\.com\.zip"/);
    const zip = join(dir, "chain.zip");
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    execFileSync("unzip", ["-tq", zip]); // the archive's own integrity check
    const listing = execFileSync("zipinfo", ["-1", zip]).toString().trim().split("\n").sort();
    assert.deepEqual(listing, ["chain.pem", "fullchain.pem", "intermediate-1.crt", "www.example.com.crt"]);
    const read = (name: string) => execFileSync("unzip", ["-p", zip, name]).toString();
    const served = await opensslChain("www.example.com", site.port);
    assert.equal(read("www.example.com.crt"), served[0]);
    assert.equal(read("intermediate-1.crt"), served[1]);
    assert.equal(read("chain.pem"), served[1]);
    assert.equal(read("fullchain.pem"), served.join(""));
  });

  test("each certificate is stored once, however many checks and domains see it", async () => {
    const user = await createUser(t.app);
    const id = await addChecked(user.key, "www.example.com", site.port);
    await t.app.services.sslChecks.run(await t.app.services.domains.get(user.userId, id));
    await addChecked(user.key, "api.example.com", site.port);
    const prints = (await opensslChain("www.example.com", site.port)).map(fingerprint) as string[];
    const stored = await t.app.services.db.certificate.count({ where: { fingerprint256: { in: prints } } });
    assert.equal(stored, 2);
  });

  test("servedBy lists the user's domains serving the same certificate, and never another user's", async () => {
    const user = await createUser(t.app);
    const www = await addChecked(user.key, "www.example.com", site.port);
    const api = await addChecked(user.key, "api.example.com", site.port);
    await addChecked(user.key, "self.example.com", own.port);
    const stranger = await createUser(t.app);
    await addChecked(stranger.key, "www.example.com", site.port);
    const res = await t
      .client(user.key)
      .graphql(
        "query ($id: ID!) { domain(id: $id) { certificate { status servedBy { id hostname } pem } } }",
        {
          id: www,
        },
      );
    const certificate = res.body.data.domain.certificate;
    assert.deepEqual(certificate.servedBy.map((d: { id: string }) => d.id).sort(), [www, api].sort());
    assert.equal(certificate.status, "valid");
    assert.equal(certificate.pem, (await opensslChain("www.example.com", site.port)).join(""));
  });

  test("a self-signed certificate says so; no successful check is a 404; a bad format a 400", async () => {
    const user = await createUser(t.app);
    const id = await addChecked(user.key, "self.example.com", own.port);
    const res = await t.client(user.key).get(`/domains/${id}/certificate`);
    assert.deepEqual([res.body.status, res.body.chain.length], ["self_signed", 1]);
    const unchecked = await t.client(user.key).post("/domains", { hostname: "later.example.com" });
    const none = await t.client(user.key).get(`/domains/${unchecked.body.id}/certificate`);
    assert.deepEqual(
      [none.status, none.body.error],
      [404, "No successful SSL check has run for this domain yet"],
    );
    const bad = await t.client(user.key).get(`/domains/${id}/certificate?format=der`);
    assert.deepEqual([bad.status, bad.body.error], [400, "format must be json, pem or zip"]);
    const foreign = await t.client((await createUser(t.app)).key).get(`/domains/${id}/certificate`);
    assert.equal(foreign.status, 404);
  });
});
