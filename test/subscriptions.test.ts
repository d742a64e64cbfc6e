// Live alerts and finished checks over graphql-ws and SSE: a real client receives what a real check
// raised, only its own user's events, filtered by domain and severity, and its subscriptions end
// when its key is revoked.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createUser, harness, type TestUser } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { issue } from "./helpers/pki.js";
import { subscribe, WARM_UP_HOST, warmUpAlert, warmUpCheck } from "./helpers/subscriber.js";
import { type Running, startHttpsServer } from "./helpers/tls-servers.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let selfSigned: Running;

const ALERTS = `subscription ($domainId: ID, $minSeverity: Severity) {
  alertTriggered(domainId: $domainId, minSeverity: $minSeverity) { id domainId hostname alertType severity title triggeredAt }
}`;
const CHECKS = `subscription ($domainId: ID) {
  checkCompleted(domainId: $domainId) { domainId hostname kind checkedAt error sslCheck { grade chainValid checkedAt } whoisCheck { outcome } }
}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-subscriptions-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com shop.example.com other.example.com\n");
  // Not signed by anything trusted: every check of it raises a critical ssl_invalid alert.
  const cert = await issue({ cn: "www.example.com", notBefore: days(-30), notAfter: days(300) });
  selfSigned = await startHttpsServer({ chain: [cert.cert], key: cert.key });
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "2000",
  });
});
after(async () => {
  await t.close();
  await selfSigned.close();
  rmSync(dir, { recursive: true, force: true });
});

async function domainOf(user: TestUser, hostname: string): Promise<string> {
  const created = await t.client(user.key).post("/domains", { hostname, port: selfSigned.port });
  assert.equal(created.status, 201);
  return created.body.id;
}

const check = (user: TestUser, domainId: string) =>
  t.client(user.key).post("/check", { domain_id: domainId });
const alertsReady =
  (user: TestUser, domainId: string | null = null) =>
  () =>
    t.app.services.events.publish("alertTriggered", user.userId, warmUpAlert(user.userId, domainId));

describe("alertTriggered over graphql-ws", () => {
  test("a real client receives the alert a check raised, with its severity and domain", async () => {
    const user = await createUser(t.app);
    const domainId = await domainOf(user, "www.example.com");
    const sub = await subscribe(t.url, user.readKey, ALERTS);
    try {
      await sub.ready(alertsReady(user));
      assert.equal((await check(user, domainId)).status, 200);
      const received = (await sub.nth(1)).data.alertTriggered;
      // Everything is in once a fresh warm-up has overtaken it. The registration lookup fails here
      // (no registry answers), which raises nothing until it has failed for a day.
      await sub.ready(alertsReady(user));
      const types = sub.results.map((r) => r.data.alertTriggered.alertType).sort();
      assert.deepEqual(types, ["SSL_INVALID"]);
      assert.equal(received.domainId, domainId);
      assert.equal(received.hostname, "www.example.com");
      // What arrived is what was stored: GET /alerts lists the same ids.
      const listed = await t.client(user.key).get(`/alerts?domain_id=${domainId}`);
      assert.deepEqual(
        listed.body.data.map((a: { id: string }) => a.id).sort(),
        sub.results.map((r) => r.data.alertTriggered.id).sort(),
      );
    } finally {
      await sub.dispose();
    }
  });

  test("minSeverity and domainId narrow the stream", async () => {
    const user = await createUser(t.app);
    const first = await domainOf(user, "www.example.com");
    const second = await domainOf(user, "shop.example.com");
    const critical = await subscribe(t.url, user.key, ALERTS, { minSeverity: "CRITICAL" });
    const onlySecond = await subscribe(t.url, user.key, ALERTS, { domainId: second });
    try {
      await critical.ready(alertsReady(user));
      await onlySecond.ready(alertsReady(user, second));
      await check(user, first);
      await check(user, second);
      // Everything is in once a fresh warm-up has overtaken it.
      await critical.ready(alertsReady(user));
      await onlySecond.ready(alertsReady(user, second));
      const ids = (sub: typeof critical) => sub.results.map((r) => r.data.alertTriggered.id).sort();
      const stored = async (query: string) =>
        (await t.client(user.key).get(`/alerts?${query}`)).body.data.map((a: { id: string }) => a.id).sort();
      // The server's certificate names www.example.com only: shop.example.com also has a name mismatch.
      assert.deepEqual(ids(critical), await stored("severity=critical"));
      assert.equal(ids(critical).length, 3);
      assert.deepEqual(ids(onlySecond), await stored(`domain_id=${second}`));
      assert.equal(ids(onlySecond).length, 2);
    } finally {
      await critical.dispose();
      await onlySecond.dispose();
    }
  });

  test("user B's subscription never sees user A's alert", async () => {
    const a = await createUser(t.app);
    const b = await createUser(t.app);
    const domainId = await domainOf(a, "other.example.com");
    const subA = await subscribe(t.url, a.key, ALERTS);
    const subB = await subscribe(t.url, b.key, ALERTS);
    const checksB = await subscribe(t.url, b.key, CHECKS);
    try {
      await subA.ready(alertsReady(a));
      await subB.ready(alertsReady(b));
      await checksB.ready(() => t.app.services.events.publish("checkCompleted", b.userId, warmUpCheck("x")));
      await check(a, domainId);
      await subA.nth(2);
      // Anything leaked to B would have been sent before these warm-ups.
      await subB.ready(alertsReady(b));
      await checksB.ready(() => t.app.services.events.publish("checkCompleted", b.userId, warmUpCheck("x")));
      assert.deepEqual(subB.results, []);
      assert.deepEqual(checksB.results, []);
    } finally {
      await Promise.all([subA.dispose(), subB.dispose(), checksB.dispose()]);
    }
  });

  test("subscribing to another user's domain is NOT_FOUND; without a key, UNAUTHENTICATED", async () => {
    const a = await createUser(t.app);
    const b = await createUser(t.app);
    const domainId = await domainOf(a, "www.example.com");
    const sub = await subscribe(t.url, b.key, ALERTS, { domainId });
    await sub.done;
    assert.equal(sub.results[0]?.errors?.[0]?.extensions?.code, "NOT_FOUND");
    await sub.dispose();
    const anonymous = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: ALERTS }),
    });
    const text = await anonymous.text();
    assert.match(text, /UNAUTHENTICATED/);
  });

  test("revoking the key ends its open subscriptions with UNAUTHENTICATED, and only its own", async () => {
    const user = await createUser(t.app);
    const revoked = await subscribe(t.url, user.readKey, ALERTS);
    const kept = await subscribe(t.url, user.key, ALERTS);
    try {
      await revoked.ready(alertsReady(user));
      await kept.ready(alertsReady(user));
      const keys = (await t.client(user.key).get("/api-keys")).body.data as { id: string; label: string }[];
      const readOnly = keys.find((k) => k.label === "read-only")!;
      assert.equal((await t.client(user.key).delete(`/api-keys/${readOnly.id}`)).status, 200);
      await revoked.done;
      const last = revoked.results.at(-1);
      assert.equal(last?.errors?.[0]?.message, "API key has been revoked");
      assert.equal(last?.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
      // The other key's subscription goes on.
      await kept.ready(alertsReady(user));
      assert.equal(kept.results.length, 0);
    } finally {
      await revoked.dispose();
      await kept.dispose();
    }
  });

  test("a subscription ends when its key expires", async () => {
    const user = await createUser(t.app);
    const { key } = await t.app.services.apiKeys.createFor(user.userId, {
      label: "short-lived",
      expiresAt: new Date(Date.now() + 1500),
    });
    const sub = await subscribe(t.url, key, ALERTS);
    await sub.done;
    assert.equal(sub.results.at(-1)?.errors?.[0]?.message, "API key has expired");
    await sub.dispose();
  });
});

describe("checkCompleted", () => {
  test("each finished check arrives with the stored check, SSL and registration", async () => {
    const user = await createUser(t.app);
    const domainId = await domainOf(user, "www.example.com");
    const sub = await subscribe(t.url, user.key, CHECKS, { domainId });
    try {
      await sub.ready(() =>
        t.app.services.events.publish("checkCompleted", user.userId, warmUpCheck(domainId)),
      );
      await check(user, domainId);
      await sub.nth(2);
      const byKind = Object.fromEntries(
        sub.results.map((r) => [r.data.checkCompleted.kind, r.data.checkCompleted]),
      );
      assert.equal(byKind.SSL.domainId, domainId);
      assert.equal(byKind.SSL.sslCheck.chainValid, false);
      assert.equal(byKind.SSL.sslCheck.grade, "T");
      assert.equal(byKind.WHOIS.whoisCheck.outcome, "UNREACHABLE");
      assert.match(byKind.WHOIS.error, /\S/);
    } finally {
      await sub.dispose();
    }
  });
});

describe("subscriptions over SSE", () => {
  test("an alert reaches a text/event-stream subscriber authenticated by its Authorization header", async () => {
    const user = await createUser(t.app);
    const domainId = await domainOf(user, "www.example.com");
    const controller = new AbortController();
    const response = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${user.key}`,
      },
      body: JSON.stringify({ query: ALERTS, variables: { minSeverity: "CRITICAL" } }),
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
        text += value;
      }
    };
    const warm = setInterval(alertsReady(user), 20);
    await readUntil(new RegExp(WARM_UP_HOST.replace(".", "\\.")));
    clearInterval(warm);
    await check(user, domainId);
    await readUntil(new RegExp(`"domainId":"${domainId}"`));
    const event = text
      .split("\n")
      .filter((line) => line.startsWith("data: ") && !line.includes(WARM_UP_HOST))
      .map((line) => JSON.parse(line.slice(6)))
      .find((payload) => payload.data?.alertTriggered);
    assert.equal(event.data.alertTriggered.domainId, domainId);
    assert.equal(event.data.alertTriggered.alertType, "SSL_INVALID");
    controller.abort();
    await reader.cancel().catch(() => {});
  });
});
