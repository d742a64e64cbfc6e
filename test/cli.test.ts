// The certpulse CLI: migrate, users create, keys create (the key alone on stdout's last line), and
// serve, which answers with that key and exits cleanly on SIGTERM.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { promisify, stripVTControlCharacters } from "node:util";
import { cliArgs } from "./helpers/cli.js";
import { freshDatabase, type TestDatabase } from "./helpers/database.js";

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

before(async () => {
  database = await freshDatabase();
  env = {
    ...process.env,
    DATABASE_URL: database.url,
    LOG_LEVEL: "info",
    PORT: "0",
    HOST: "127.0.0.1",
    // The domain it adds is a public name: nothing may probe it from here (scheduler.test.ts runs one).
    CERTPULSE_SCHEDULER_ENABLED: "false",
  };
});
after(() => database.drop());

async function certpulse(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, cliArgs(...args), { env });
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

test("migrate, create a user and a key, then serve with that key", async () => {
  assert.match((await certpulse("migrate")).stderr, /Applied: .*_init|Database is up to date/);
  assert.match((await certpulse("migrate")).stderr, /Database is up to date/);
  await certpulse("users", "create", "--email", "Ops@Example.test", "--name", "Ops");
  const created = await certpulse(
    "keys",
    "create",
    "--email",
    "ops@example.test",
    "--label",
    "deploy",
    "--permissions",
    "read,write",
  );
  const key = lastLine(created.stdout);
  assert.match(key, /^ssa_live_[A-Za-z0-9_-]{32}$/);
  assert.match(created.stderr, /not shown again/);

  const server: ChildProcess = spawn(process.execPath, cliArgs("serve"), {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let port = 0;
    for await (const line of createInterface({ input: server.stdout! })) {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === "CertPulse listening") {
        port = entry.port ?? 0;
        break;
      }
    }
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/domains`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ hostname: "cli.example.com" }),
    });
    assert.equal(res.status, 201);
    server.kill("SIGTERM");
    const [code] = await once(server, "exit");
    assert.equal(code, 0);
  } finally {
    server.kill("SIGKILL");
  }
});

test("mistakes are reported with exit status 1 and no key", async () => {
  const cases: [string[], RegExp][] = [
    [["users", "create", "--email", "not-an-email"], /email must be a valid email address/],
    [["keys", "create", "--email", "nobody@example.test", "--label", "x"], /No user with email/],
    [
      ["keys", "create", "--email", "ops@example.test", "--label", "x", "--permissions", "admin"],
      /permissions/,
    ],
    [["keys", "create", "--email", "ops@example.test", "--label", "x", "--expires-at", "soon"], /expires/],
    [["frobnicate"], /unknown command .frobnicate./],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(certpulse(...args), (error: { code: number; stderr: string; stdout: string }) => {
      assert.equal(error.code, 1, args.join(" "));
      assert.match(error.stderr, message);
      assert.equal(error.stdout, "");
      return true;
    });
  }
});

/** Runs the CLI to its end, whatever its exit status. */
function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, cliArgs(...args), { env: { ...env, ...extraEnv } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test("--version prints package.json's version; every command has help with examples", async () => {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal((await run(["--version"])).stdout.trim(), version);
  const top = await run(["--help"]);
  for (const command of ["serve", "migrate", "check", "users", "keys", "domains"])
    assert.match(top.stdout, new RegExp(`\\n  ${command}\\b`));
  const commands = [
    ["serve"],
    ["migrate"],
    ["check"],
    ["users", "create"],
    ["keys", "create"],
    ["keys", "list"],
    ["keys", "revoke"],
    ["domains", "import"],
    ["domains", "export"],
    ["domains", "list"],
    ["domains", "add"],
  ];
  for (const command of commands) {
    const help = await run([...command, "--help"]);
    assert.equal(help.code, 0, command.join(" "));
    assert.match(help.stdout, new RegExp(`Usage: certpulse ${command.join(" ")}`));
    assert.match(help.stdout, /Examples:\n {2}\$ /, command.join(" "));
  }
});

test("mistakes name what is missing and where help is", async () => {
  const noHost = await run(["check"]);
  assert.equal(noHost.code, 1);
  assert.match(noHost.stderr, /missing required argument 'host\[:port\]'/);
  assert.match(noHost.stderr, /certpulse help COMMAND/);
  const unknown = await run(["chek", "example.com"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command 'chek'/);
  const noEmail = await run(["keys", "create", "--label", "x"]);
  assert.match(noEmail.stderr, /required option '--email <email>' not specified/);
  const badLimit = await run(["users", "create", "--email", "a@example.test", "--monitor-limit", "lots"]);
  assert.match(badLimit.stderr, /--monitor-limit.*expected a whole number above 0/);
});

test("serve on a taken port says so in one line, with the fix", async () => {
  const taken = createServer().listen(0, "127.0.0.1");
  await once(taken, "listening");
  const { port } = taken.address() as AddressInfo;
  try {
    const res = await run(["serve"], { PORT: String(port) });
    assert.equal(res.code, 1);
    assert.deepEqual(res.stderr.trim().split("\n"), [
      `certpulse: port ${port} on 127.0.0.1 is already in use; set PORT to a free one (PORT=${port + 1} certpulse serve)`,
    ]);
  } finally {
    taken.close();
  }
});

/** Whether a process is still alive (signal 0 tests without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("npm start stops on SIGTERM and SIGINT with no orphan left behind", async () => {
  const root = new URL("..", import.meta.url);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const npm = spawn("npm", ["start", "--silent"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let pid = 0;
    for await (const line of createInterface({ input: npm.stdout! })) {
      const entry = JSON.parse(line) as { msg?: string; pid?: number };
      if (entry.msg === "CertPulse listening") {
        pid = entry.pid ?? 0;
        break;
      }
    }
    assert.ok(pid > 0 && pid !== npm.pid, "the server is npm's child, logging its pid");
    npm.kill(signal);
    const [code] = await once(npm, "exit");
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const orphaned = alive(pid);
    if (orphaned) process.kill(pid, "SIGKILL");
    assert.equal(orphaned, false, `${signal}: the server outlived npm`);
    assert.equal(code, 0, signal);
  }
});

test("on a terminal the log is one readable line per event; piped, it is JSON", async () => {
  // script(1) gives serve a pseudo-terminal, as a person's shell does.
  const command = [process.execPath, ...cliArgs("serve")].map((arg) => `'${arg}'`).join(" ");
  const tty = spawn("script", ["-qec", command, "/dev/null"], { env });
  let output = "";
  const listening =
    /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \((\d+)\): CertPulse listening \{"port":\d+,"host":"127\.0\.0\.1"\}\r?$/m;
  const plain = () => stripVTControlCharacters(output);
  await new Promise<void>((resolve, reject) => {
    tty.stdout.on("data", (chunk) => {
      output += chunk;
      if (listening.test(plain())) resolve();
    });
    tty.on("exit", () => reject(new Error(`serve ended before listening:\n${output}`)));
  });
  process.kill(Number(listening.exec(plain())![1]), "SIGINT");
  await once(tty, "exit");
  assert.match(plain(), /INFO \(\d+\): draining and shutting down \{"signal":"SIGINT"\}/);
  assert.doesNotMatch(plain(), /"level":30/);
});

test("npx certpulse in the project folder runs this project's command, offline; LICENSE is package.json's", async () => {
  const root = new URL("..", import.meta.url);
  const { version, license } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
  const npx = await promisify(execFile)("npx", ["--offline", "certpulse", "--version"], { cwd: root, env });
  assert.equal(npx.stdout.trim(), version);
  assert.equal(license, "MIT");
  assert.match(readFileSync(new URL("LICENSE", root), "utf8"), /^MIT License\n\nCopyright \(c\) \d{4} /);
});
