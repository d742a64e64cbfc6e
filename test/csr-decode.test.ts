// CSR decoding (POST /api/v1/csr/decode and GraphQL decodeCsr) of requests `openssl req` writes,
// compared with what `openssl req -text` reads of them: subject, names, key, signature algorithm; the
// problems (weak key, SHA-1, no SAN, a signature broken by tampering, names against the domain's
// current certificate); malformed input as a 400 with the reason; another user's domain as a 404.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createUser, harness } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { days } from "./helpers/clock.js";
import { testPki } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let site: Running;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

/** A CSR as `openssl req` writes it, with its own fresh key. */
function opensslCsr(name: string, args: string[]): string {
  const out = join(dir, `${name}.csr`);
  execFileSync(
    "openssl",
    ["req", "-new", "-nodes", "-keyout", join(dir, `${name}.key`), "-out", out, ...args],
    {
      stdio: "ignore",
    },
  );
  return readFileSync(out, "utf8");
}

/** What `openssl req -text` says of a CSR: the reference the decoder is held to. */
function opensslReads(pem: string) {
  const text = execFileSync("openssl", ["req", "-noout", "-text"], { input: pem }).toString();
  return {
    bits: Number(/Public-Key: \((\d+) bit\)/.exec(text)?.[1]),
    signature: /Signature Algorithm: (\S+)/.exec(text)?.[1],
    sans:
      /DNS:[^\n]+/
        .exec(text)?.[0]
        .split(", ")
        .map((entry) => entry.replace(/^DNS:/, "")) ?? [],
  };
}

let modern: string;
let legacy: string;
let ec: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-csr-"));
  const pki = await testPki();
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com\n");
  const leaf = await pki.leaf({
    cn: "www.example.com",
    sans: ["www.example.com", "shop.example.com"],
    notBefore: days(-10),
    notAfter: days(60),
  });
  site = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  modern = opensslCsr("modern", [
    "-newkey",
    "rsa:2048",
    "-subj",
    "/C=GB/O=Example Ltd/CN=www.example.com",
    "-addext",
    "subjectAltName=DNS:www.example.com,DNS:example.com",
  ]);
  legacy = opensslCsr("legacy", ["-newkey", "rsa:1024", "-sha1", "-subj", "/CN=old.example.com"]);
  ec = opensslCsr("ec", [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-subj",
    "/CN=www.example.com",
    "-addext",
    "subjectAltName=DNS:www.example.com,DNS:shop.example.com",
  ]);
  t = await harness({ CERTPULSE_HOSTS_FILE: join(dir, "hosts"), CERTPULSE_ALLOW_PRIVATE_TARGETS: "true" });
});
after(async () => {
  await t.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

describe("POST /csr/decode", () => {
  test("reads what openssl reads: subject, names, key and signature algorithm", async () => {
    const api = t.client((await createUser(t.app)).key);
    for (const pem of [modern, ec]) {
      const res = await api.post("/csr/decode", { csr: pem });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reference = opensslReads(pem);
      assert.equal(res.body.key_size, reference.bits);
      assert.equal(res.body.signature_algorithm, reference.signature);
      assert.deepEqual(res.body.names, reference.sans);
      assert.equal(res.body.signature_valid, true);
      assert.deepEqual(res.body.problems, []);
    }
    const res = await api.post("/csr/decode", { csr: modern });
    assert.deepEqual(
      [res.body.subject, res.body.subject_parts, res.body.key_type, res.body.has_subject_alt_name],
      [
        "C=GB, O=Example Ltd, CN=www.example.com",
        { C: "GB", O: "Example Ltd", CN: "www.example.com" },
        "RSA",
        true,
      ],
    );
    assert.equal((await api.post("/csr/decode", { csr: ec })).body.key_type, "EC");
  });

  test("names a weak key, SHA-1 and a missing subjectAltName", async () => {
    const api = t.client((await createUser(t.app)).key);
    const res = await api.post("/csr/decode", { csr: legacy });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.names, ["old.example.com"], "without a SAN, the CN");
    assert.deepEqual(res.body.problems, [
      "weak key: RSA 1024 bits (CAs require at least 2048)",
      "signed with SHA-1, which CAs refuse",
      "no subjectAltName: browsers ignore the CN, so the names must be in a SAN",
    ]);
  });

  test("a request altered after signing fails its signature check, as openssl's -verify says", async () => {
    const der = Buffer.from(modern.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
    const at = der.indexOf("Example Ltd");
    der.write("Exampla", at);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE REQUEST-----\n`;
    // openssl req -verify exits 0 either way; it says which on stderr.
    const said = spawnSync("openssl", ["req", "-noout", "-verify"], { input: pem }).stderr.toString();
    const opensslVerifies = !said.includes("verify failure");
    assert.equal(opensslVerifies, false, "openssl refuses it too");
    const res = await t.client((await createUser(t.app)).key).post("/csr/decode", { csr: pem });
    assert.equal(res.body.signature_valid, false);
    assert.match(res.body.problems[0], /signature does not verify/);
    assert.equal(res.body.subject_parts.O, "Exampla Ltd");
  });

  test("with domain_id: the names it adds or drops against the domain's current certificate", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const added = await api.graphql(
      "mutation ($input: CreateDomainInput!) { createCheckedDomain(input: $input) { id number } }",
      { input: { hostname: "www.example.com", port: site.port } },
    );
    const { id, number } = added.body.data.createCheckedDomain;
    const res = await api.post("/csr/decode", { csr: modern, domain_id: id });
    assert.deepEqual(res.body.problems, [
      "names the current certificate does not cover: example.com",
      "names the current certificate covers that it drops: shop.example.com",
    ]);
    const same = await api.graphql(
      "query ($input: DecodeCsrInput!) { decodeCsr(input: $input) { names problems } }",
      { input: { csr: ec, domainId: String(number) } },
    );
    assert.deepEqual(same.body.data.decodeCsr, {
      names: ["www.example.com", "shop.example.com"],
      problems: [],
    });
    const elsewhere = await api.post("/csr/decode", { csr: legacy, domain_id: id });
    assert.ok(elsewhere.body.problems.includes("it does not cover the monitored host www.example.com"));

    // Another user's domain is not found, and says nothing of it.
    const stranger = t.client((await createUser(t.app)).key);
    const foreign = await stranger.post("/csr/decode", { csr: modern, domain_id: id });
    assert.deepEqual([foreign.status, foreign.body.error], [404, "Domain not found"]);
  });

  test("what is not a CSR is a 400 with the reason", async () => {
    const api = t.client((await createUser(t.app)).key);
    const cases: [unknown, RegExp][] = [
      ["hello", /^csr: not a PEM certificate request/],
      [
        "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----",
        /^csr: the PEM block is not base64/,
      ],
      [
        "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAAAA\n-----END CERTIFICATE REQUEST-----",
        /^csr: not a PKCS #10 certificate request/,
      ],
      ["x".repeat(40_000), /^csr: a CSR is at most 32 KiB/],
      [42, /^Invalid value for csr/],
    ];
    for (const [csr, words] of cases) {
      const res = await api.post("/csr/decode", { csr });
      assert.equal(res.status, 400, String(csr).slice(0, 40));
      assert.match(res.body.error, words);
    }
    const missing = await api.post("/csr/decode", {});
    assert.deepEqual([missing.status, missing.body.error], [400, "csr is required"]);
  });
});

describe("certpulse csr", () => {
  const csrCli = (args: string[], input?: string) =>
    spawnSync(process.execPath, cliArgs("csr", ...args), { input, encoding: "utf8" });

  test("reads a file as openssl req -text does, and exits 0 when nothing is wrong", () => {
    writeFileSync(join(dir, "cli.csr"), ec);
    const run = csrCli([join(dir, "cli.csr")]);
    assert.equal(run.status, 0, run.stderr);
    const reference = opensslReads(ec);
    assert.match(run.stdout, /Subject {3}CN=www\.example\.com\n/);
    assert.match(run.stdout, new RegExp(`Names {5}${reference.sans.join(", ").replaceAll(".", "\\.")}\n`));
    assert.match(run.stdout, new RegExp(`Key {7}EC ${reference.bits} bits\n`));
    assert.match(run.stdout, new RegExp(`Signature ${reference.signature}, verifies\n`));
    assert.match(run.stdout, /Problems {2}none\n/);
  });

  test("standard input and --json; problems exit 1, what is not a CSR exits 2", () => {
    const run = csrCli(["-", "--json"], legacy);
    assert.equal(run.status, 1);
    const decoded = JSON.parse(run.stdout);
    assert.equal(decoded.keySize, opensslReads(legacy).bits);
    assert.ok(decoded.problems.some((p: string) => /weak key: RSA 1024 bits/.test(p)));
    assert.ok(decoded.problems.some((p: string) => /SHA-1/.test(p)));
    const junk = csrCli(["-"], "hello");
    assert.equal(junk.status, 2);
    assert.match(junk.stderr, /not a PEM certificate request/);
  });
});
