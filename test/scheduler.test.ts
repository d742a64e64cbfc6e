// Scheduled checks: overdue work at start-up, inactive domains skipped, a new domain checked within
// seconds without its 201 waiting, two schedulers on one database never checking a domain twice, a
// killed instance's claim expiring, and back-off for a domain that keeps failing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DAY_MS } from "../src/lib/days.js";
import { rdapDomain } from "./fixtures/rdap-answers.js";
import { Client, createUser, harness, startApp } from "./helpers/app.js";
import { cliArgs } from "./helpers/cli.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { usingPostgres } from "./helpers/database.js";
import { testPki } from "./helpers/pki.js";
import { bootstrapFile, type RdapServer, startRdapServer } from "./helpers/registry-servers.js";
import {
  type HttpsServer,
  type Running,
  startHttpsServer,
  startSilentServer,
  startSwitchableServer,
} from "./helpers/tls-servers.js";

const FLEET = Array.from({ length: 24 }, (_, i) => `d${i + 1}.example.com`);

let t: Awaited<ReturnType<typeof harness>>;
let env: Record<string, string>;
let dir: string;
let rdap: RdapServer;
let server: HttpsServer;
const closers: Running[] = [];
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-scheduler-"));
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  writeFileSync(join(dir, "hosts"), `127.0.0.1 www.example.com hung.example.com ${FLEET.join(" ")}\n`);
  const leaf = await pki.leaf({
    cn: "www.example.com",
    sans: ["www.example.com", "hung.example.com", "*.example.com"],
    // Long-lived, so the day thresholds apply (a third of a short lifetime would come later).
    notBefore: days(-300),
    notAfter: days(10),
  });
  server = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  rdap = await startRdapServer();
  rdap.route("/dns.json", { status: 200, json: bootstrapFile([[["com"], [`${rdap.url}/rdap/`]]]) });
  rdap.route("/rdap/domain/example.com", {
    status: 200,
    json: rdapDomain({ name: "example.com", expires: new Date(Date.now() + 900 * DAY_MS).toISOString() }),
  });
  env = {
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "3000",
    CERTPULSE_RDAP_BOOTSTRAP_URL: `${rdap.url}/dns.json`,
  };
  // This app never schedules: it adds domains, and the tests run schedulers beside it.
  t = await harness(env);
});
after(async () => {
  await t.close();
  await Promise.all([server.close(), rdap.close(), ...closers.map((c) => c.close())]);
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

const sslChecksOf = (domainId: string) => t.app.services.db.sslCheck.count({ where: { domainId } });

test("overdue work runs at start-up; inactive domains are skipped; a new domain is checked within seconds", async () => {
  const user = await createUser(t.app);
  const api = t.client(user.key);
  const add = async (hostname: string, port = server.port) =>
    (await api.post("/domains", { hostname, port })).body.id as string;
  const waiting = [await add("www.example.com"), await add("d1.example.com")];
  const inactive = await add("d2.example.com");
  await api.put(`/domains/${inactive}`, { is_active: false });

  let slowId: string | undefined;
  const live = await startApp(t.database.url, {
    ...env,
    CERTPULSE_SCHEDULER_ENABLED: "true",
    LOG_LEVEL: process.env.TEST_LOG ?? "silent",
  });
  try {
    await eventually("the overdue domains are checked", async () => {
      const counts = await Promise.all(waiting.map(sslChecksOf));
      return counts.every((n) => n === 1);
    });
    await live.app.scheduler?.idle();
    assert.equal(await sslChecksOf(inactive), 0, "an inactive domain is never checked");

    // Added through the scheduling instance's API: 201 at once (status pending) while its check hangs…
    const hung = await startSilentServer();
    closers.push(hung);
    const liveClient = new Client(live.url, user.key);
    const slow = await liveClient.post("/domains", { hostname: "hung.example.com", port: hung.port });
    slowId = slow.body.id;
    assert.equal(slow.status, 201);
    assert.equal(slow.body.status, "pending");
    assert.equal((await liveClient.get(`/domains/${slow.body.id}/ssl`)).status, 404);
    // …and a reachable one is checked, registration and alerts included, without anyone asking.
    const created = await liveClient.post("/domains", { hostname: "d3.example.com", port: server.port });
    const id = created.body.id as string;
    const ssl = await eventually("the new domain is checked", async () => {
      const res = await liveClient.get(`/domains/${id}/ssl`);
      return res.status === 200 && res.body;
    });
    assert.equal(ssl.error, null);
    await eventually("its registration is looked up", async () => {
      return (await liveClient.get(`/domains/${id}/whois`)).status === 200;
    });
    const alerts = await eventually("its alert is raised", async () => {
      const res = await liveClient.get(`/alerts?domain_id=${id}`);
      return res.body.data.length > 0 && res.body.data;
    });
    assert.deepEqual(
      alerts.map((a: { alert_type: string; threshold_days: number }) => [a.alert_type, a.threshold_days]),
      [["ssl_expiry", 14]],
    );
  } finally {
    await live.stop();
    // The hung domain's retries are not the business of the tests after this one, which move the clock.
    if (slowId) await t.app.services.domains.delete(user.userId, slowId);
  }
});

// Several instances share PostgreSQL (DESIGN.md, scale-out); SQLite serves one process. Two apps on
// one SQLite file inside one test process would also block each other's event loop on its write lock.
test("two schedulers on one PostgreSQL never check a domain twice in a window", {
  skip: !usingPostgres,
}, async () => {
  const user = await createUser(t.app);
  const ids: string[] = [];
  for (const hostname of FLEET.slice(3)) {
    ids.push((await t.app.services.domains.create(user.userId, { hostname, port: server.port })).id);
  }
  const second = await startApp(t.database.url, env);
  try {
    const a = clockedScheduler(t.app, 3);
    const b = clockedScheduler(second.app, 3);
    const lookupsBefore = rdap.hits.filter((h) => h.endsWith("/domain/example.com")).length;
    const now = new Date(Date.now() + 1000);
    // Both wake at once, repeatedly, as two instances' timers would.
    await Promise.all([a.at(now), b.at(now), a.at(now), b.at(now)]);
    const counts = await Promise.all(ids.map(sslChecksOf));
    assert.deepEqual(
      counts,
      ids.map(() => 1),
      "each domain checked exactly once",
    );
    const claimed = await t.app.services.db.domain.count({
      where: { id: { in: ids }, claimedBy: { not: null } },
    });
    assert.equal(claimed, 0, "every claim released");
    // The next check is booked about six hours on (±10 % jitter), and the next lookup a day on.
    const booked = await t.app.services.db.domain.findMany({ where: { id: { in: ids } } });
    for (const d of booked) {
      const hours = ((d.nextSslCheckAt as Date).getTime() - now.getTime()) / 3_600_000;
      assert.ok(hours >= 5.4 && hours <= 6.6, `next SSL check in ${hours} h`);
      assert.ok((d.nextWhoisCheckAt as Date) > days(0.9));
    }
    // example.com was looked up at most once more, whatever instance did it (d1 may have fetched it first).
    const lookups = rdap.hits.filter((h) => h.endsWith("/domain/example.com")).length - lookupsBefore;
    assert.ok(lookups <= 1, `${lookups} registration lookups`);
    // Nothing is due again in this window.
    await Promise.all([a.at(now), b.at(now)]);
    assert.deepEqual(await Promise.all(ids.map(sslChecksOf)), counts);
  } finally {
    await second.stop();
  }
});

test("a scheduler killed mid-check leaves a claim that expires, and the domain is checked again", async () => {
  const front = await startSwitchableServer(server.port);
  closers.push(front);
  front.mode = "hang";
  const user = await createUser(t.app);
  const domain = await t.app.services.domains.create(user.userId, {
    hostname: "d1.example.com",
    port: front.port,
  });
  const child = spawn(process.execPath, cliArgs("serve"), {
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: t.database.url,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      CERTPULSE_SCHEDULER_ENABLED: "true",
      // Long enough that the check is still hanging when the process dies.
      CERTPULSE_PROBE_TIMEOUT_MS: "60000",
    },
    stdio: "ignore",
  });
  try {
    const db = t.app.services.db;
    const claimed = await eventually("the child claims the domain and starts its check", async () => {
      const row = await db.domain.findUniqueOrThrow({ where: { id: domain.id } });
      return row.claimedBy !== null && front.accepted > 0 && row;
    });
    child.kill("SIGKILL");
    await once(child, "exit");
    front.mode = "up";
    assert.ok(claimed.claimExpiresAt && claimed.claimExpiresAt > new Date());

    const clock = clockedScheduler(t.app);
    await clock.at(new Date(Date.now() + 5_000));
    assert.equal(await sslChecksOf(domain.id), 0, "the claim holds until it expires");
    await clock.at(new Date((claimed.claimExpiresAt as Date).getTime() + 1_000));
    assert.equal(await sslChecksOf(domain.id), 1, "checked once the claim expired");
    const after = await db.domain.findUniqueOrThrow({ where: { id: domain.id } });
    assert.equal(after.claimedBy, null);
    assert.equal(after.sslError, null);
  } finally {
    child.kill("SIGKILL");
  }
});

test("a domain whose checks keep failing is retried after 5, 10, 20 minutes…", async () => {
  const front = await startSwitchableServer(server.port);
  closers.push(front);
  front.mode = "reset";
  const user = await createUser(t.app);
  const { id } = await t.app.services.domains.create(user.userId, {
    hostname: "d2.example.com",
    port: front.port,
  });
  const clock = clockedScheduler(t.app);
  let now = new Date(Date.now() + 1000);
  const gaps: number[] = [];
  for (let i = 0; i < 4; i++) {
    await clock.at(now);
    const row = await t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
    gaps.push(Math.round(((row.nextSslCheckAt as Date).getTime() - now.getTime()) / 60_000));
    now = row.nextSslCheckAt as Date;
  }
  assert.equal(await sslChecksOf(id), 4);
  // 5, 10, 20, 40 minutes, each within ±10 % jitter.
  [5, 10, 20, 40].forEach((minutes, i) => {
    assert.ok(Math.abs((gaps[i] as number) - minutes) <= minutes * 0.1 + 1, `gap ${i}: ${gaps[i]} min`);
  });
  // It comes back: the next check is a normal interval away again.
  front.mode = "up";
  await clock.at(now);
  const healthy = await t.app.services.db.domain.findUniqueOrThrow({ where: { id } });
  assert.equal(healthy.failureCount, 0);
  assert.ok((healthy.nextSslCheckAt as Date).getTime() - now.getTime() > 5 * 3_600_000);
});

test("checks run in their own thread: an API thread held for two seconds does not hold them", async () => {
  const user = await createUser(t.app);
  const live = await startApp(t.database.url, { ...env, CERTPULSE_SCHEDULER_ENABLED: "true" });
  try {
    assert.equal(live.app.scheduler, null, "no scheduler on the API's thread");
    const { id } = await live.app.services.domains.create(user.userId, {
      hostname: "d4.example.com",
      port: server.port,
    });
    // The API thread computes for two seconds without yielding, as a heavy request would.
    const held = Date.now();
    while (Date.now() - held < 2000) {}
    const released = new Date();
    const check = await eventually("the check is stored", () =>
      t.app.services.db.sslCheck.findFirst({ where: { domainId: id } }),
    );
    assert.equal(check.error, null);
    assert.ok(check.checkedAt < released, "the check ran while the API thread was busy");
  } finally {
    await live.stop();
  }
});

test("hung peers holding every slot never delay a new domain's first check", async () => {
  const user = await createUser(t.app);
  const hung = await startSilentServer();
  closers.push(hung);
  // Two domains checked before (the routine lane, concurrency 2) and three new ones (three of the
  // four first-check slots), all hanging until the 8 s probe timeout.
  const add = (hostname: string) => t.app.services.domains.create(user.userId, { hostname, port: hung.port });
  const routine = [await add("d5.example.com"), await add("d6.example.com")];
  await t.app.services.db.domain.updateMany({
    where: { id: { in: routine.map((d) => d.id) } },
    data: { sslCheckedAt: new Date(Date.now() - DAY_MS), nextSslCheckAt: new Date(Date.now() - 60_000) },
  });
  for (const hostname of ["d7.example.com", "d8.example.com", "d9.example.com"]) await add(hostname);
  const live = await startApp(t.database.url, {
    ...env,
    CERTPULSE_SCHEDULER_ENABLED: "true",
    CERTPULSE_CHECK_CONCURRENCY: "2",
    CERTPULSE_FIRST_CHECK_SLOTS: "4",
    CERTPULSE_PROBE_TIMEOUT_MS: "8000",
  });
  try {
    await eventually("every hung peer is connected", async () => hung.accepted >= 5);
    const added = Date.now();
    const { id } = await live.app.services.domains.create(user.userId, {
      hostname: "d10.example.com",
      port: server.port,
    });
    const check = await eventually("the new domain is checked", () =>
      t.app.services.db.sslCheck.findFirst({ where: { domainId: id } }),
    );
    assert.equal(check.error, null);
    // Long before any hung check times out (those are still open): it never waited for a slot.
    assert.ok(
      check.checkedAt.getTime() - added < 4000,
      `checked after ${check.checkedAt.getTime() - added} ms`,
    );
    assert.equal(await t.app.services.db.sslCheck.count({ where: { domain: { port: hung.port } } }), 0);
  } finally {
    await live.stop();
    for (const domain of await t.app.services.db.domain.findMany({ where: { port: hung.port } })) {
      await t.app.services.domains.delete(user.userId, domain.id);
    }
  }
});
