// The server's log, as an operator tails it: one info line per finished check (domain, outcome,
// grade, days, ms), per alert raised or resolved, and per webhook delivery. Lines come from a real
// check of a real TLS server and a real delivery to a local receiver.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pino } from "pino";
import { createUser, harness } from "./helpers/app.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { issue, testPki } from "./helpers/pki.js";
import { type HttpsServer, startHttpsServer } from "./helpers/tls-servers.js";
import { type Receiver, startReceiver } from "./helpers/webhook-receiver.js";

type Line = Record<string, unknown>;
const lines: Line[] = [];
const log = pino({ level: "info" }, { write: (text: string) => lines.push(JSON.parse(text)) });

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let server: HttpsServer;
let receiver: Receiver;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;
let pki: Awaited<ReturnType<typeof testPki>>;

before(async () => {
  pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-logs-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), "127.0.0.1 logged.example.com\n");
  const selfSigned = await issue({ cn: "logged.example.com" });
  server = await startHttpsServer({ chain: [selfSigned.cert], key: selfSigned.key });
  receiver = await startReceiver();
  t = await harness(
    {
      CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
      CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
      CERTPULSE_PROBE_TIMEOUT_MS: "2000",
    },
    {},
    log,
  );
});
after(async () => {
  await t.close();
  await Promise.all([server.close(), receiver.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

const find = (msg: string, fields: Line = {}) =>
  lines.filter((line) => line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v));

async function eventually(what: () => Line[], label: string): Promise<Line> {
  for (let i = 0; i < 100; i++) {
    const found = what();
    if (found.length > 0) return found[0]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no "${label}" line in ${JSON.stringify(lines.map((l) => l.msg))}`);
}

test("a check, the alert it raises, its delivery, and the alert's resolution each log one info line", async () => {
  const user = await createUser(t.app);
  const api = t.client(user.key);
  assert.equal((await api.post("/webhooks", { url: receiver.url })).status, 201);
  const domain = await api.post("/domains", { hostname: "logged.example.com", port: server.port });
  const clock = clockedScheduler(t.app);
  await clock.at(days(0));

  const check = await eventually(() => find("ssl check", { hostname: "logged.example.com" }), "ssl check");
  assert.equal(check.level, 30);
  // The probe got a certificate (outcome ok); that it is not trusted is the grade and the error.
  assert.deepEqual([check.port, check.outcome, check.grade], [server.port, "ok", "T"]);
  assert.equal(typeof check.days, "number");
  assert.ok(typeof check.ms === "number" && check.ms >= 0);
  assert.equal(check.error, "self-signed certificate");

  const raised = await eventually(() => find("alert raised", { type: "ssl_invalid" }), "alert raised");
  assert.deepEqual([raised.severity, raised.hostname], ["critical", "logged.example.com"]);
  assert.equal(typeof raised.alertId, "string");

  const delivery = await eventually(
    () => find("webhook delivery", { outcome: "succeeded" }),
    "webhook delivery",
  );
  assert.equal(delivery.eventType, "alert.triggered");
  assert.ok(receiver.received.length >= 1);

  const good = await pki.leaf({ cn: "logged.example.com" });
  server.serve([good.cert, pki.intermediate.cert], good.key);
  await clock.at(days(1));
  const resolved = await eventually(() => find("alert resolved", { type: "ssl_invalid" }), "alert resolved");
  assert.equal(resolved.hostname, "logged.example.com");
  const healthy = find("ssl check", { hostname: "logged.example.com", error: null });
  assert.equal(healthy.length, 1);
  assert.match(String(healthy[0]!.grade), /^[AB]/);
  assert.ok(domain.body.id);
});
