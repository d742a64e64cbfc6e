// certpulse domains import | export | list | add and keys list | revoke, run as a user runs them:
// the compiled CLI over a real database, a file and stdin, and a pseudo-terminal for the progress bar.
// Each run loads the whole service (about 2 s here), so each test makes few.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cliArgs } from "./helpers/cli.js";
import { freshDatabase, type TestDatabase } from "./helpers/database.js";

let database: TestDatabase;
let env: NodeJS.ProcessEnv;
const dir = mkdtempSync(join(tmpdir(), "certpulse-cli-"));
const EMAIL = "bulk@example.test";

before(async () => {
  database = await freshDatabase();
  env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" };
  assert.equal((await run(["users", "create", "--email", EMAIL, "--monitor-limit", "5000"])).code, 0);
});
after(() => database.drop());

/** Runs the CLI to its end, with `input` on stdin; whatever its exit status. */
function run(args: string[], input?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, cliArgs(...args), { env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? "");
  });
}

test("domains import from a file and from stdin; a bad line stops it with status 1 unless skipped", async () => {
  const file = join(dir, "hosts.txt");
  writeFileSync(file, "# ours\nfile-one.example.com\nfile-two.example.com:8443\nnot a host\n");
  const blocked = await run(["domains", "import", file, "--email", EMAIL]);
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /line 4: not a host: "not a host" is not a host, host:port or https:\/\/ URL/);
  assert.match(blocked.stderr, /Nothing imported: 2 created, 0 updated, 0 unchanged, 1 rejected/);
  assert.match(blocked.stderr, /--skip-invalid/);
  // Not a terminal: no progress bar in what a script or a log captures.
  assert.doesNotMatch(blocked.stderr, /Importing \[/);

  const skipped = await run(["domains", "import", file, "--email", EMAIL, "--skip-invalid"]);
  assert.equal(skipped.code, 0, skipped.stderr);
  assert.match(skipped.stderr, /Imported: 2 created, 0 updated, 0 unchanged, 1 rejected/);

  const csv = "hostname,tags,alert_days\nstdin.example.com,cli;bulk,21\nfile-one.example.com,,\n";
  const piped = await run(["domains", "import", "-", "--email", EMAIL, "--json"], csv);
  assert.equal(piped.code, 0, piped.stderr);
  const result = JSON.parse(piped.stdout);
  assert.deepEqual(result.counts, { created: 1, updated: 0, unchanged: 1, rejected: 0 });
  assert.equal(result.format, "csv");
});

test("domains add, list and export; the export imports back unchanged", async () => {
  const added = await run([
    "domains",
    "add",
    "https://added.example.com:9443/x",
    "--email",
    EMAIL,
    "--tags",
    "a,b",
    "--alert-days",
    "20,5",
  ]);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout.trim(), /^[0-9a-f-]{36}$/);
  assert.match(added.stderr, /Added added\.example\.com:9443/);

  const table = await run(["domains", "list", "--email", EMAIL]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^HOST\s+STATUS\s+GRADE\s+SSL DAYS\s+WHOIS DAYS\s+TAGS\n/);
  assert.match(table.stdout, /\nadded\.example\.com:9443\s+pending\s+-\s+-\s+-\s+a,b\n/);

  const out = join(dir, "export.csv");
  assert.equal((await run(["domains", "export", "--email", EMAIL, "-o", out])).code, 0);
  const exported = readFileSync(out, "utf8");
  assert.match(exported, /^hostname,port,address,is_active,tags,notes,alert_days,http_path,id,status/);
  assert.match(exported, /\nadded\.example\.com,9443,,true,a;b,,20;5,/);
  const rows = exported.trimEnd().split("\n").length - 1;
  const back = await run(["domains", "import", out, "--email", EMAIL, "--json"]);
  assert.deepEqual(JSON.parse(back.stdout).counts, { created: 0, updated: 0, unchanged: rows, rejected: 0 });
});

test("domains import on a terminal shows a progress bar", async () => {
  const file = join(dir, "many.txt");
  writeFileSync(file, Array.from({ length: 1200 }, (_, i) => `tty-${i}.example.com`).join("\n"));
  // script(1) gives the CLI a pseudo-terminal, as a person's shell does.
  const command = [process.execPath, ...cliArgs("domains", "import", file, "--email", EMAIL, "--dry-run")]
    .map((arg) => `'${arg}'`)
    .join(" ");
  const tty = spawn("script", ["-qec", command, "/dev/null"], { env });
  let output = "";
  tty.stdout.on("data", (chunk) => {
    output += chunk;
  });
  const code = await new Promise((resolve) => tty.on("exit", resolve));
  assert.equal(code, 0, output);
  assert.match(output, /Importing \[[^\]]+\] 100% \| 1200\/1200 lines/);
  assert.match(output, /Dry run, nothing written: 1200 created, 0 updated, 0 unchanged, 0 rejected/);
});

test("keys list shows a user's keys; keys revoke stops one", async () => {
  const key = (await run(["keys", "create", "--email", EMAIL, "--label", "to-revoke"])).stdout.trim();
  const listed = JSON.parse((await run(["keys", "list", "--email", EMAIL, "--json"])).stdout);
  const entry = listed.find((k: { label: string }) => k.label === "to-revoke");
  assert.equal(entry.prefix, key.slice(0, entry.prefix.length));
  assert.deepEqual([entry.permissions, entry.revoked_at], [["read"], null]);

  const revoked = await run(["keys", "revoke", entry.id, "--email", EMAIL]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stderr, /Revoked key "to-revoke" \(ssa_live_[A-Za-z0-9_-]+…\) at \d{4}-/);
  const table = await run(["keys", "list", "--email", EMAIL]);
  assert.match(table.stdout, /^ID\s+PREFIX\s+LABEL\s+PERMISSIONS\s+LAST USED\s+EXPIRES\s+REVOKED\n/);
  assert.match(
    table.stdout,
    new RegExp(`${entry.id}\\s+${entry.prefix}\\s+to-revoke\\s+read\\s+-\\s+-\\s+\\d{4}-`),
  );
  const missing = await run(["keys", "revoke", "00000000-0000-4000-8000-000000000000", "--email", EMAIL]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /API key not found/);
});
