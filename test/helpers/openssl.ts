// `openssl s_client` against a test server, for comparing what CertPulse reports with OpenSSL.

import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptsConnections, freePort } from "../../bench/processes.js";

/**
 * What s_client prints. Run asynchronously, as the server under test lives in the test's process;
 * the exit status is ignored because OpenSSL 3 calls a close without close_notify an error even
 * after a complete handshake.
 */
export function sClient(
  port: number,
  servername: string,
  caFile: string,
  extra: string[] = [],
): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", servername, "-CAfile", caFile, ...extra],
      // A server that stops mid-conversation must not hold the test: s_client is killed after 15 s.
      { encoding: "utf8", timeout: 15_000 },
      (_error, stdout) => resolve(stdout),
    );
    child.stdin?.end();
  });
}

/**
 * `openssl s_server` on a free loopback port with `args` (ciphers, protocols, DH parameters), until
 * closed. It serves one connection at a time, which is all a scan needs.
 */
export async function startSServer(
  cert: string,
  key: string,
  args: string[],
): Promise<{ port: number; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-s-server-"));
  // -cert sends its first certificate only; the rest of the chain goes in -cert_chain.
  const [leaf, ...intermediates] =
    cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  writeFileSync(join(dir, "cert.pem"), leaf ?? "");
  writeFileSync(join(dir, "chain.pem"), intermediates.join("\n"));
  writeFileSync(join(dir, "key.pem"), key);
  const chain = intermediates.length > 0 ? ["-cert_chain", join(dir, "chain.pem")] : [];
  const port = await freePort();
  const child = spawn(
    "openssl",
    [
      "s_server",
      "-accept",
      `127.0.0.1:${port}`,
      "-cert",
      join(dir, "cert.pem"),
      "-key",
      join(dir, "key.pem"),
      ...chain,
      "-quiet",
      ...args,
    ],
    { stdio: ["pipe", "ignore", "ignore"] },
  );
  const close = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  if (await acceptsConnections(port, child)) return { port, close };
  close();
  throw new Error(`openssl s_server ${args.join(" ")} did not start`);
}

/** Whether `openssl s_client` completes a handshake offering only `cipher` at `protocol`. */
export function sClientAccepts(
  port: number,
  protocol: "-tls1" | "-tls1_1" | "-tls1_2" | "-tls1_3",
  cipher: string,
) {
  const offer = protocol === "-tls1_3" ? ["-ciphersuites", cipher] : ["-cipher", `${cipher}:@SECLEVEL=0`];
  return new Promise<boolean>((resolve) => {
    const child = execFile(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${port}`, protocol, ...offer],
      { encoding: "utf8", timeout: 5000 },
      (_error, stdout) => resolve(/^New, .*Cipher is (?!\(NONE\))/m.test(stdout)),
    );
    child.stdin?.end();
  });
}

/** Fresh DH parameters of `bits` in `dir` (for s_server -dhparam), by OpenSSL; returns the file. */
export function dhParams(dir: string, bits: number): string {
  const file = join(dir, `dh${bits}.pem`);
  execFileSync("openssl", [
    "genpkey",
    "-genparam",
    "-algorithm",
    "DH",
    "-pkeyopt",
    `dh_paramgen_prime_len:${bits}`,
    "-out",
    file,
  ]);
  return file;
}
