// Several instances with Redis: an alert raised by the instance that ran the check reaches a
// subscriber connected to another, and a key revoked on one ends its subscriptions on the other.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Client, createUser, type Running, startApp } from "./helpers/app.js";
import { days } from "./helpers/clock.js";
import { freshDatabase, type TestDatabase } from "./helpers/database.js";
import { issue } from "./helpers/pki.js";
import { subscribe, warmUpAlert } from "./helpers/subscriber.js";
import { startHttpsServer, type Running as TlsServer } from "./helpers/tls-servers.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let database: TestDatabase;
let dir: string;
let server: TlsServer;
let checker: Running;
let listener: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-redis-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 www.example.com\n");
  const cert = await issue({ cn: "www.example.com", notBefore: days(-30), notAfter: days(300) });
  server = await startHttpsServer({ chain: [cert.cert], key: cert.key });
  database = await freshDatabase();
  const env = {
    REDIS_URL,
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "2000",
    // Long, so a key refused soon after its revocation elsewhere was dropped, not timed out.
    CERTPULSE_KEY_CACHE_MS: "60000",
  };
  checker = await startApp(database.url, env);
  listener = await startApp(database.url, env);
});
after(async () => {
  await checker.stop();
  await listener.stop();
  await database.drop();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("an alert raised on one instance reaches a subscriber on another", async () => {
  const user = await createUser(checker.app);
  const api = new Client(checker.url, user.key);
  const domainId = (await api.post("/domains", { hostname: "www.example.com", port: server.port })).body.id;
  const sub = await subscribe(
    listener.url,
    user.key,
    "subscription { alertTriggered { id domainId alertType } }",
  );
  try {
    // Published on the checking instance: the warm-up itself proves the path through Redis.
    await sub.ready(() =>
      checker.app.services.events.publish("alertTriggered", user.userId, warmUpAlert(user.userId)),
    );
    assert.equal((await api.post("/check", { domain_id: domainId })).status, 200);
    const received = (await sub.nth(1)).data.alertTriggered;
    assert.equal(received.domainId, domainId);
    const stored = (await api.get("/alerts")).body.data.map((a: { id: string }) => a.id);
    assert.ok(stored.includes(received.id));
  } finally {
    await sub.dispose();
  }
});

test("a key revoked through one instance ends its subscriptions on another", async () => {
  const user = await createUser(checker.app);
  const sub = await subscribe(listener.url, user.readKey, "subscription { alertTriggered { id } }");
  await sub.ready(() =>
    checker.app.services.events.publish("alertTriggered", user.userId, warmUpAlert(user.userId)),
  );
  const api = new Client(checker.url, user.key);
  const readOnly = (await api.get("/api-keys")).body.data.find(
    (k: { label: string }) => k.label === "read-only",
  );
  assert.equal((await api.delete(`/api-keys/${readOnly.id}`)).status, 200);
  await sub.done;
  assert.equal(sub.results.at(-1)?.errors?.[0]?.message, "API key has been revoked");
  await sub.dispose();
});

test("a key revoked through one instance is refused at once by another that had it cached", async () => {
  const user = await createUser(checker.app);
  const elsewhere = new Client(listener.url, user.readKey);
  assert.equal((await elsewhere.get("/domains")).status, 200);
  const api = new Client(checker.url, user.key);
  const readOnly = (await api.get("/api-keys")).body.data.find(
    (k: { label: string }) => k.label === "read-only",
  );
  const revokedAt = Date.now();
  assert.equal((await api.delete(`/api-keys/${readOnly.id}`)).status, 200);
  for (;;) {
    const res = await elsewhere.get("/domains");
    if (res.status === 401) {
      assert.deepEqual(res.body, { error: "API key has been revoked" });
      break;
    }
    assert.ok(Date.now() - revokedAt < 2000, "still accepted 2 s after its revocation");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
