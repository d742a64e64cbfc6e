// Real database servers with TLS, for the STARTTLS probe's postgres and mysql preambles: Debian's own
// binaries (initdb and postgres; mariadb-install-db and mariadbd), a throwaway data folder on a free
// loopback port with the test's certificate, stopped and removed after. Neither runs as root: as
// root, PostgreSQL runs as the postgres user (runuser) and MariaDB as mysql (its --user).
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
import { freePort, stopProcess, untilSaid } from "../../bench/processes.js";
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

/** A system user's uid and gid; null when there is no such user. */
function idsOf(user: string): { uid: number; gid: number } | null {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, user], { stdio: "pipe" }).toString());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

/** As root, why the server cannot run as `user`; null when it can (or when not root). */
const rootWithout = (user: string, server: string) =>
  asRoot && !idsOf(user) ? `running as root, and there is no ${user} user to run ${server} as` : null;

/** Why a real PostgreSQL cannot be started here; null when it can. */
export function postgresUnavailable(): string | null {
  if (!binaries()) return "Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin) are not installed";
  return rootWithout("postgres", "PostgreSQL");
}

export async function startPostgres({ cert, key }: { cert: string; key: string }): Promise<Running> {
  const bin = binaries() as string;
  const dir = mkdtempSync(join(tmpdir(), "certpulse-postgres-"));
  const data = join(dir, "data");
  const owner = asRoot ? idsOf("postgres") : null;
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
  await untilSaid(child, "ready to accept connections");
  return {
    port,
    async close() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const MARIADB = { install: "/usr/bin/mariadb-install-db", server: "/usr/sbin/mariadbd" };

/** Why a real MariaDB cannot be started here; null when it can. */
export function mariadbUnavailable(): string | null {
  if (!existsSync(MARIADB.install) || !existsSync(MARIADB.server)) {
    return "Debian's MariaDB server (mariadb-install-db, mariadbd) is not installed";
  }
  return rootWithout("mysql", "MariaDB");
}

export async function startMariadb({ cert, key }: { cert: string; key: string }): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "certpulse-mariadb-"));
  const user = asRoot ? ["--user=mysql"] : [];
  const owner = asRoot ? idsOf("mysql") : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  await run(MARIADB.install, [
    "--no-defaults",
    `--datadir=${data}`,
    ...user,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ]);
  for (const [name, text] of [
    ["server.crt", cert],
    ["server.key", key],
  ] as const) {
    writeFileSync(join(dir, name), text, { mode: 0o644 });
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    MARIADB.server,
    [
      "--no-defaults",
      `--datadir=${data}`,
      ...user,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${join(dir, "mysqld.sock")}`,
      `--pid-file=${join(dir, "mysqld.pid")}`,
      `--ssl-cert=${join(dir, "server.crt")}`,
      `--ssl-key=${join(dir, "server.key")}`,
      "--skip-log-error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  await untilSaid(child, "ready for connections");
  return {
    port,
    async close() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
