// Webhook deliveries to real receivers on loopback: Standard Webhooks signatures that an
// off-the-shelf verifier accepts, the generic, Slack and Discord bodies, the event filter, test
// deliveries, hostile receivers that never hold up the others, retries kept across a restart, and
// a webhook that keeps failing turned off with an alert to its owner.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { Client, createUser, harness, startApp, type TestUser } from "./helpers/app.js";
import { clockedScheduler, days } from "./helpers/clock.js";
import { freshDatabase } from "./helpers/database.js";
import { issue } from "./helpers/pki.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";
import { type Received, type Receiver, startReceiver } from "./helpers/webhook-receiver.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let tls: Running;
const receivers: Receiver[] = [];
let env: Record<string, string>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-deliveries-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com\n");
  // Self-signed: a check raises ssl_invalid (critical) and, with no registry, whois_error (warning).
  const cert = await issue({ cn: "www.example.com", notBefore: days(-30), notAfter: days(300) });
  tls = await startHttpsServer({ chain: [cert.cert], key: cert.key });
  env = {
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "2000",
    CERTPULSE_WEBHOOK_TIMEOUT_MS: "1500",
  };
  t = await harness(env);
});
after(async () => {
  await t.close();
  await Promise.all([tls.close(), ...receivers.map((r) => r.close())]);
  rmSync(dir, { recursive: true, force: true });
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function webhookFor(api: Client, url: string, options: Record<string, unknown> = {}) {
  const created = await api.post("/webhooks", { url, ...options });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body as { id: string; secret: string };
}

/** Adds the self-signed domain and checks it now: the alerts it raises are queued for delivery. */
async function raiseAlerts(api: Client): Promise<string> {
  const domain = await api.post("/domains", { hostname: "www.example.com", port: tls.port });
  assert.equal((await api.post("/check", { domain_id: domain.body.id })).status, 200);
  return domain.body.id;
}

/** The body of a received delivery, once an off-the-shelf Standard Webhooks verifier accepts it. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
const verified = (secret: string, got: Received): any => new Webhook(secret).verify(got.body, got.headers);

const log = async (api: Client, webhookId: string) =>
  (await api.get(`/webhooks/${webhookId}/deliveries`)).body.data;

describe("signed deliveries", () => {
  test("a local receiver verifies the Standard Webhooks signature of an alert raised by a check", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const hook = await receiver();
    const webhook = await webhookFor(api, hook.url, { event_types: ["ssl_invalid"] });
    const domainId = await raiseAlerts(api);
    const got = await hook.nth(1);
    const payload = verified(webhook.secret, got);
    assert.equal(payload.type, "alert.triggered");
    assert.equal(payload.data.alert_type, "ssl_invalid");
    assert.equal(payload.data.severity, "critical");
    assert.equal(payload.data.domain_id, domainId);
    assert.equal(payload.data.hostname, "www.example.com");
    // One JSON shape per entity: the payload's alert is GET /alerts' row for it, field for field.
    const listed = (await api.get("/alerts?alert_type=ssl_invalid")).body.data;
    assert.deepEqual(
      payload.data,
      listed.find((a: { id: string }) => a.id === payload.data.id),
    );
    assert.equal(got.headers["content-type"], "application/json");
    // Tampered with, or replayed later with a fresh signature over an old timestamp: refused.
    assert.throws(() =>
      new Webhook(webhook.secret).verify(got.body.replace("critical", "info"), got.headers),
    );
    const old = new Date(Date.now() - 10 * 60_000);
    const replay = {
      ...got.headers,
      "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
      "webhook-signature": new Webhook(webhook.secret).sign(got.headers["webhook-id"]!, old, got.body),
    };
    assert.throws(() => new Webhook(webhook.secret).verify(got.body, replay), /too old/);
    await t.app.deliveries.idle();
    // The filter let only ssl_invalid through, not the whois_error raised alongside.
    assert.equal(hook.received.length, 1);
    const [entry] = await log(api, webhook.id);
    assert.equal(entry.id, got.headers["webhook-id"]);
    assert.equal(entry.status, "succeeded");
    assert.equal(entry.attempts, 1);
    assert.equal(entry.response_status, 200);
    assert.equal(entry.event_type, "alert.triggered");
    assert.equal(typeof entry.duration_ms, "number");
    assert.equal(entry.next_attempt_at, null);
  });

  test("Slack and Discord webhooks receive their own bodies, signed the same way", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const slackHook = await receiver();
    const discordHook = await receiver();
    const filter = { min_severity: "critical" };
    const slack = await webhookFor(api, slackHook.url, { format: "slack", ...filter });
    const discord = await webhookFor(api, discordHook.url, { format: "discord", ...filter });
    await raiseAlerts(api);
    const slackBody = verified(slack.secret, await slackHook.nth(1));
    assert.match(slackBody.text, /^\[CRITICAL\] .*\n/);
    assert.equal(slackBody.blocks[0].type, "section");
    const discordBody = verified(discord.secret, await discordHook.nth(1));
    assert.equal(discordBody.username, "CertPulse");
    assert.match(discordBody.embeds[0].title, /^\[CRITICAL\] /);
    assert.equal(discordBody.embeds[0].color, 0xe74c3c);
    await t.app.deliveries.idle();
    // min_severity critical: the whois_error warning went to neither.
    assert.equal(slackHook.received.length, 1);
    assert.equal(discordHook.received.length, 1);
  });

  test("a test delivery is sent at once and logged; a failing one is logged as failed, not retried", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const hook = await receiver();
    const webhook = await webhookFor(api, hook.url);
    const ok = await api.post(`/webhooks/${webhook.id}/test`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, "succeeded");
    assert.equal(ok.body.event_type, "webhook.test");
    assert.equal(ok.body.response_status, 200);
    const payload = verified(webhook.secret, hook.received[0]!);
    assert.equal(payload.type, "webhook.test");
    assert.equal(payload.data.webhook_id, webhook.id);
    hook.behaviour = { status: 500 };
    const failed = await api.post(`/webhooks/${webhook.id}/test`);
    assert.equal(failed.status, 200);
    assert.equal(failed.body.status, "failed");
    assert.equal(failed.body.response_status, 500);
    assert.equal(failed.body.response_body, "receiver error");
    assert.equal(failed.body.error, "the receiver answered HTTP 500");
    // Tests do not count against the webhook.
    assert.equal((await api.get(`/webhooks/${webhook.id}`)).body.failure_count, 0);
    assert.equal(
      (await api.get(`/webhooks/${webhook.id}/deliveries?status=failed`)).body.pagination.total,
      1,
    );
  });
});

describe("hostile and absent receivers", () => {
  test("a receiver that hangs, answers 500 or answers slowly never blocks other deliveries", async () => {
    const user = await createUser(t.app);
    const api = t.client(user.key);
    const only = { event_types: ["ssl_invalid"] };
    const hang = await receiver("hang");
    const error = await receiver({ status: 500 });
    const slow = await receiver("slow");
    const good = await receiver();
    const hooks = {
      hang: await webhookFor(api, hang.url, only),
      error: await webhookFor(api, error.url, only),
      slow: await webhookFor(api, slow.url, only),
      good: await webhookFor(api, good.url, only),
    };
    await raiseAlerts(api);
    await good.nth(1);
    await hang.nth(1);
    await slow.nth(1);
    // Delivered while the hanging and trickling receivers still hold their requests open.
    assert.equal(hang.open, 1);
    assert.equal(slow.open, 1);
    await t.app.deliveries.idle();
    const [hangEntry] = await log(api, hooks.hang.id);
    const [errorEntry] = await log(api, hooks.error.id);
    const [slowEntry] = await log(api, hooks.slow.id);
    const [goodEntry] = await log(api, hooks.good.id);
    assert.equal(goodEntry.status, "succeeded");
    assert.match(hangEntry.error, /did not answer within 1500 ms/);
    assert.match(slowEntry.error, /did not answer within 1500 ms/);
    assert.equal(errorEntry.error, "the receiver answered HTTP 500");
    for (const entry of [hangEntry, errorEntry, slowEntry]) {
      assert.equal(entry.status, "pending");
      assert.equal(entry.attempts, 1);
      // First retry 10 s after the attempt, ±10 %.
      const wait = Date.parse(entry.next_attempt_at) - Date.parse(entry.last_attempt_at);
      assert.ok(wait >= 9_000 && wait <= 11_000, String(wait));
    }
    // Their retries are not the business of the tests after this one, which move the clock.
    for (const hook of Object.values(hooks)) await api.delete(`/webhooks/${hook.id}`);
  });

  test("a receiver that is down is retried later and receives the delivery after a restart", async () => {
    const database = await freshDatabase();
    // Take a free port, then close it: the receiver is down when the alert is raised.
    const down = await startReceiver();
    const port = down.port;
    await down.close();
    let app = await startApp(database.url, env);
    try {
      const user = await createUser(app.app);
      const api = new Client(app.url, user.key);
      const webhook = await webhookFor(api, `http://127.0.0.1:${port}/hook`, {
        event_types: ["ssl_invalid"],
      });
      const domain = await api.post("/domains", { hostname: "www.example.com", port: tls.port });
      await api.post("/check", { domain_id: domain.body.id });
      await app.app.deliveries.idle();
      const [first] = await log(api, webhook.id);
      assert.equal(first.status, "pending");
      assert.equal(first.attempts, 1);
      assert.match(first.error, /ECONNREFUSED|refused/);
      await app.stop();

      const hook = await receiver({ status: 200 }, port);
      app = await startApp(database.url, env);
      const clocked = clockedScheduler(app.app, 20, app.app.services.webhookDeliveries);
      await clocked.at(new Date(Date.now() + 60_000));
      const got = await hook.nth(1);
      assert.equal(got.headers["webhook-id"], first.id);
      const payload = verified(webhook.secret, got);
      assert.equal(payload.data.alert_type, "ssl_invalid");
      const [after] = await log(new Client(app.url, user.key), webhook.id);
      assert.equal(after.status, "succeeded");
      assert.equal(after.attempts, 2);
      assert.equal(after.error, null);
    } finally {
      await app.stop();
      await database.drop();
    }
  });

  test("a webhook failing for over a day is turned off and its owner alerted; turning it on starts afresh", async () => {
    const user: TestUser = await createUser(t.app);
    const api = t.client(user.key);
    const failing = await receiver({ status: 503 });
    const team = await receiver();
    const broken = await webhookFor(api, failing.url, { event_types: ["ssl_invalid"] });
    await webhookFor(api, team.url, { event_types: ["webhook_disabled"] });
    await raiseAlerts(api);
    await t.app.deliveries.idle();
    const clocked = clockedScheduler(t.app, 20, t.app.services.webhookDeliveries);
    const later = (ms: number) => new Date(Date.now() + ms);
    for (const at of [later(60_000), later(10 * 60_000), later(3_600_000)]) await clocked.at(at);
    let state = (await api.get(`/webhooks/${broken.id}`)).body;
    assert.equal(state.failure_count, 4);
    assert.equal(state.is_active, true, "four failures within an hour are not enough");
    await clocked.at(later(25 * 3_600_000));
    state = (await api.get(`/webhooks/${broken.id}`)).body;
    assert.equal(state.is_active, false);
    assert.equal(state.failure_count, 5);
    assert.notEqual(state.disabled_at, null);
    assert.equal(failing.received.length, 5);
    const [entry] = await log(api, broken.id);
    assert.equal(entry.status, "failed");
    const alerts = (await api.get("/alerts?alert_type=webhook_disabled")).body.data;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].severity, "warning");
    assert.equal(alerts[0].domain_id, null);
    assert.match(alerts[0].message, new RegExp(`${failing.url}.*failed 5 times in a row`));
    // The owner's other webhook was told.
    const told = await team.nth(1);
    assert.equal(told.json.data.alert_type, "webhook_disabled");
    const enabled = await api.put(`/webhooks/${broken.id}`, { is_active: true });
    assert.equal(enabled.body.is_active, true);
    assert.equal(enabled.body.failure_count, 0);
    assert.equal(enabled.body.disabled_at, null);
  });
});
