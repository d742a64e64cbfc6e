// `openssl s_client` against a test server, for comparing what CertPulse reports with OpenSSL.

import { execFile } from "node:child_process";

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
      { encoding: "utf8" },
      (_error, stdout) => resolve(stdout),
    );
    child.stdin?.end();
  });
}
