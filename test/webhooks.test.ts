// Webhooks as their owner manages them, through REST (/webhooks) and GraphQL: a generated secret
// shown once, defaults, the event filter, validation with clear 400s that change nothing, the
// private-address guard, and tenancy.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createUser, harness, type TestUser } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let owner: TestUser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "certpulse-webhooks-"));
  // A name that resolves to a private address: accepted when created, refused when sent to.
  writeFileSync(join(dir, "hosts"), "10.1.2.3 hooks.internal.example\n");
  // The default guard: private targets refused.
  t = await harness({ CERTPULSE_HOSTS_FILE: join(dir, "hosts"), CERTPULSE_WEBHOOK_TIMEOUT_MS: "2000" });
  owner = await createUser(t.app);
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("REST /webhooks", () => {
  test("create returns the secret once, with defaults; get and list never show it", async () => {
    const api = t.client(owner.key);
    const created = await api.post("/webhooks", { url: "https://hooks.example.com/certpulse" });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(created.body.format, "generic");
    assert.deepEqual(created.body.event_types, []);
    assert.equal(created.body.min_severity, "info");
    assert.equal(created.body.is_active, true);
    assert.equal(created.body.failure_count, 0);
    const fetched = await api.get(`/webhooks/${created.body.id}`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body.secret, undefined);
    assert.equal(fetched.body.url, "https://hooks.example.com/certpulse");
    const list = await api.get("/webhooks");
    assert.ok(list.body.data.some((w: { id: string }) => w.id === created.body.id));
    assert.ok(list.body.data.every((w: Record<string, unknown>) => !("secret" in w)));
    assert.deepEqual(Object.keys(list.body.pagination), ["page", "per_page", "total", "total_pages"]);
  });

  test("the filter, format and description are set and changed; the secret rotates", async () => {
    const api = t.client(owner.key);
    const created = await api.post("/webhooks", {
      url: "https://hooks.example.com/slack",
      format: "slack",
      event_types: ["ssl_expiry", "whois_expiry", "ssl_expiry"],
      min_severity: "warning",
      description: "team channel",
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.event_types, ["ssl_expiry", "whois_expiry"]);
    assert.equal(created.body.min_severity, "warning");
    assert.equal(created.body.format, "slack");
    assert.equal(created.body.description, "team channel");
    const updated = await api.put(`/webhooks/${created.body.id}`, {
      format: "discord",
      event_types: [],
      min_severity: "critical",
      description: null,
      is_active: false,
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.format, "discord");
    assert.deepEqual(updated.body.event_types, []);
    assert.equal(updated.body.min_severity, "critical");
    assert.equal(updated.body.description, null);
    assert.equal(updated.body.is_active, false);
    const rotated = await api.post(`/webhooks/${created.body.id}/rotate-secret`);
    assert.equal(rotated.status, 200);
    assert.match(rotated.body.secret, /^whsec_/);
    assert.notEqual(rotated.body.secret, created.body.secret);
    const stored = await t.app.services.db.webhook.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.equal(stored.secret, rotated.body.secret);
  });

  test("bad input is a 400 that names the field and changes nothing", async () => {
    const api = t.client(owner.key);
    const before = (await api.get("/webhooks")).body.pagination.total;
    const cases: [unknown, RegExp][] = [
      [{}, /url/],
      [{ url: "not a url" }, /url must be an absolute http or https URL/],
      [{ url: "ftp://hooks.example.com/x" }, /url must be an absolute http or https URL/],
      [{ url: `https://example.com/${"a".repeat(2100)}` }, /url must be at most 2048 characters/],
      [{ url: "https://hooks.example.com", format: "teams" }, /format|WebhookFormat/],
      [{ url: "https://hooks.example.com", event_types: ["ssl_expiry", "nope"] }, /event_types|AlertType/],
      [{ url: "https://hooks.example.com", event_types: "ssl_expiry" }, /event_types/],
      [{ url: "https://hooks.example.com", min_severity: "fatal" }, /min_severity|Severity/],
      [{ url: "https://hooks.example.com", description: "x".repeat(501) }, /description must be at most 500/],
      [{ url: "https://hooks.example.com", secret: "mine" }, /secret/],
    ];
    for (const [body, message] of cases) {
      const res = await api.post("/webhooks", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error, message, JSON.stringify(body));
    }
    assert.equal((await api.get("/webhooks")).body.pagination.total, before);
    const id = (await api.post("/webhooks", { url: "https://hooks.example.com/keep" })).body.id;
    const bad = await api.put(`/webhooks/${id}`, { url: "http://127.0.0.1/x", is_active: false });
    assert.equal(bad.status, 400);
    const kept = await api.get(`/webhooks/${id}`);
    assert.equal(kept.body.url, "https://hooks.example.com/keep");
    assert.equal(kept.body.is_active, true);
  });

  test("URLs at private addresses are refused, as for probe targets", async () => {
    const api = t.client(owner.key);
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "http://[::1]/hook",
      "http://10.0.0.5/hook",
      "http://169.254.169.254/",
    ]) {
      const res = await api.post("/webhooks", { url });
      assert.equal(res.status, 400, url);
      assert.match(res.body.error, /url must point to a public address: .* is not a public address/);
    }
    // A name is resolved when sending: one that resolves to a private address is refused then.
    const named = await api.post("/webhooks", { url: "http://hooks.internal.example/hook" });
    assert.equal(named.status, 201);
    const test = await api.post(`/webhooks/${named.body.id}/test`);
    assert.equal(test.status, 200);
    assert.equal(test.body.status, "failed");
    assert.match(test.body.error, /hooks\.internal\.example resolves to 10\.1\.2\.3 \(private\)/);
  });

  test("another user's webhook is not found, for every verb; read-only keys cannot write", async () => {
    const api = t.client(owner.key);
    const id = (await api.post("/webhooks", { url: "https://hooks.example.com/mine" })).body.id;
    const other = t.client((await createUser(t.app)).key);
    for (const res of [
      await other.get(`/webhooks/${id}`),
      await other.put(`/webhooks/${id}`, { is_active: false }),
      await other.delete(`/webhooks/${id}`),
      await other.post(`/webhooks/${id}/test`),
      await other.post(`/webhooks/${id}/rotate-secret`),
      await other.get(`/webhooks/${id}/deliveries`),
    ]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: "Webhook not found" });
    }
    assert.equal((await other.get("/webhooks")).body.pagination.total, 0);
    const readOnly = t.client(owner.readKey);
    assert.equal((await readOnly.get(`/webhooks/${id}`)).status, 200);
    assert.equal((await readOnly.post("/webhooks", { url: "https://hooks.example.com/x" })).status, 403);
    assert.equal((await readOnly.post(`/webhooks/${id}/test`)).status, 403);
    assert.equal((await readOnly.delete(`/webhooks/${id}`)).status, 403);
    assert.equal((await t.client().get("/webhooks")).status, 401);
    const deleted = await api.delete(`/webhooks/${id}`);
    assert.deepEqual([deleted.status, deleted.body], [200, { message: "Webhook deleted" }]);
    assert.equal((await api.get(`/webhooks/${id}`)).status, 404);
  });

  test("a user has at most 25 webhooks", async () => {
    const user = t.client((await createUser(t.app)).key);
    for (let i = 0; i < 25; i++) {
      assert.equal((await user.post("/webhooks", { url: `https://hooks.example.com/${i}` })).status, 201);
    }
    const res = await user.post("/webhooks", { url: "https://hooks.example.com/26" });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, "A user can have at most 25 webhooks");
  });
});

describe("GraphQL webhooks", () => {
  test("create, query, update, rotate and delete", async () => {
    const gql = t.client(owner.key);
    const created = await gql.graphql(
      `mutation { createWebhook(input: { url: "https://hooks.example.com/gql", format: DISCORD, eventTypes: [SSL_INVALID], minSeverity: CRITICAL }) {
        secret webhook { id url format eventTypes minSeverity isActive } } }`,
    );
    const { secret, webhook } = created.body.data.createWebhook;
    assert.match(secret, /^whsec_/);
    assert.deepEqual(
      { ...webhook, id: undefined },
      {
        id: undefined,
        url: "https://hooks.example.com/gql",
        format: "DISCORD",
        eventTypes: ["SSL_INVALID"],
        minSeverity: "CRITICAL",
        isActive: true,
      },
    );
    const listed = await gql.graphql("{ webhooks(perPage: 100) { data { id } pagination { total } } }");
    assert.ok(listed.body.data.webhooks.data.some((w: { id: string }) => w.id === webhook.id));
    const updated = await gql.graphql(
      "mutation ($id: ID!) { updateWebhook(id: $id, input: { minSeverity: WARNING }) { minSeverity } }",
      { id: webhook.id },
    );
    assert.equal(updated.body.data.updateWebhook.minSeverity, "WARNING");
    const one = await gql.graphql(
      "query ($id: ID!) { webhook(id: $id) { url deliveries { data { id } pagination { total } } } }",
      { id: webhook.id },
    );
    assert.equal(one.body.data.webhook.deliveries.pagination.total, 0);
    const deleted = await gql.graphql("mutation ($id: ID!) { deleteWebhook(id: $id) }", { id: webhook.id });
    assert.equal(deleted.body.data.deleteWebhook, webhook.id);
    const gone = await gql.graphql("query ($id: ID!) { webhook(id: $id) { id } }", { id: webhook.id });
    assert.equal(gone.body.errors[0].extensions.code, "NOT_FOUND");
  });
});
