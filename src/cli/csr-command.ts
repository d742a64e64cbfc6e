// `certpulse csr FILE|-`: a certificate signing request read before it is sent for a reissue, as
// POST /api/v1/csr/decode reads it, without a server or a database.
import { readFile } from "node:fs/promises";
import { decodeCsr, MalformedCsr } from "../probes/tls/csr.js";

/** Exit status: 0 nothing wrong, 1 problems found, 2 not a CSR that can be read. */
export async function csrCommand(file: string, flags: { json?: boolean }): Promise<number> {
  const pem = file === "-" ? await readStdin() : await readFile(file, "utf8");
  let decoded: ReturnType<typeof decodeCsr>;
  try {
    decoded = decodeCsr(pem);
  } catch (error) {
    if (!(error instanceof MalformedCsr)) throw error;
    console.error(`${file}: ${error.message}`);
    return 2;
  }
  if (flags.json) {
    console.log(JSON.stringify(decoded, null, 2));
  } else {
    const row = (label: string, value: string) => console.log(`  ${label.padEnd(10)}${value}`);
    row("Subject", decoded.subject);
    row("Names", decoded.names.join(", ") + (decoded.hasSubjectAltName ? "" : " (CN only)"));
    row("Key", `${decoded.keyType} ${decoded.keySize ?? "?"} bits`);
    row(
      "Signature",
      `${decoded.signatureAlgorithm}, ${decoded.signatureValid ? "verifies" : "DOES NOT VERIFY"}`,
    );
    row("Problems", decoded.problems.length === 0 ? "none" : "");
    for (const problem of decoded.problems) console.log(`    - ${problem}`);
  }
  return decoded.problems.length === 0 ? 0 : 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
