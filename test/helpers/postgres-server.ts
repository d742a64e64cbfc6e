// A real PostgreSQL server with TLS, for the STARTTLS probe's postgres preamble: Debian's own
// binaries (initdb, postgres), a throwaway cluster on a free loopback port with the test's
// certificate, stopped and removed after. PostgreSQL refuses to run as root, so as root the cluster
// runs as the postgres user (runuser).
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, stopProcess } from "../../bench/processes.js";
import type { Running } from "./tls-servers.js";

const run = promisify(execFile);

/** The folder of Debian's PostgreSQL binaries, newest version first; null when none is installed. */
function binaries(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  const found = versions.map((v) => join(root, v, "bin")).find((bin) => existsSync(join(bin, "initdb")));
  return found ?? null;
}

const asRoot = process.getuid?.() === 0;

/** Why a real PostgreSQL cannot be started here; null when it can. */
export function postgresUnavailable(): string | null {
  if (!binaries()) return "Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin) are not installed";
  if (asRoot) {
    try {
      execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
    } catch {
      return "running as root, and there is no postgres user to run PostgreSQL as";
    }
  }
  return null;
}

export async function startPostgres({ cert, key }: { cert: string; key: string }): Promise<Running> {
  const bin = binaries() as string;
  const dir = mkdtempSync(join(tmpdir(), "certpulse-postgres-"));
  const data = join(dir, "data");
  const owner = asRoot
    ? {
        uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
        gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
      }
    : null;
  const own = (path: string) => owner && chownSync(path, owner.uid, owner.gid);
  own(dir);
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];
  await run(...command("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]));
  for (const [name, text] of [
    ["server.crt", cert],
    ["server.key", key],
  ] as const) {
    writeFileSync(join(data, name), text, { mode: 0o600 });
    own(join(data, name));
  }
  const port = await freePort();
  appendFileSync(
    join(data, "postgresql.conf"),
    [
      "ssl = on",
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      "fsync = off",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(...command("postgres", ["-D", data]), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let said = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      said += chunk;
      if (said.includes("ready to accept connections")) resolve();
    });
    child.once("exit", () => reject(new Error(`postgres exited:\n${said}`)));
  });
  return {
    port,
    async close() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
