// The one HTTP server: health, request ids, GraphiQL, graphql-ws on /graphql, and a draining stop.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { createClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { createUser, harness, startApp, type TestUser } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let user: TestUser;

before(async () => {
  t = await harness();
  user = await createUser(t.app);
});
after(() => t.close());

describe("health and request ids", () => {
  test("/healthz and /readyz answer without a key", async () => {
    const live = await t.client().request("GET", "/healthz");
    assert.deepEqual([live.status, live.body], [200, { status: "ok" }]);
    const ready = await t.client().request("GET", "/readyz");
    assert.deepEqual([ready.status, ready.body], [200, { status: "ok", database: "ok" }]);
  });

  test("every response carries X-Request-Id; a caller's sane id is kept", async () => {
    const made = await t.client(user.key).get("/domains");
    assert.match(made.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const kept = await t.client(user.key).get("/domains", { "x-request-id": "trace-42" });
    assert.equal(kept.headers.get("x-request-id"), "trace-42");
    const refused = await t.client(user.key).get("/domains", { "x-request-id": "bad id\twith spaces" });
    assert.notEqual(refused.headers.get("x-request-id"), "bad id\twith spaces");
    const gql = await t.client().request("GET", "/healthz");
    assert.ok(gql.headers.get("x-request-id"));
  });

  test("GraphiQL is served to a browser at /graphql", async () => {
    const res = await t.client().request("GET", "/graphql", { headers: { accept: "text/html" } });
    assert.equal(res.status, 200);
    assert.match(String(res.body), /CertPulse GraphQL/);
  });
});

describe("graphql-ws on /graphql", () => {
  const wsUrl = () => `${t.url.replace(/^http/, "ws")}/graphql`;
  const connect = (authorization?: string): WsClient =>
    createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: authorization === undefined ? {} : { authorization },
    });
  const run = (client: WsClient, query: string) =>
    new Promise<{ data?: unknown; errors?: { message: string }[] }>((resolve, reject) => {
      let result: { data?: unknown; errors?: { message: string }[] } = {};
      client.subscribe(
        { query },
        {
          next: (value) => {
            result = value as typeof result;
          },
          error: reject,
          complete: () => resolve(result),
        },
      );
    });

  test("a query runs with the key from connection_init, as that user", async () => {
    await t.client(user.key).post("/domains", { hostname: "ws.example.com" });
    const client = connect(`Bearer ${user.key}`);
    try {
      const result = await run(client, "{ domains { data { hostname } } }");
      assert.deepEqual(result.data, { domains: { data: [{ hostname: "ws.example.com" }] } });
    } finally {
      await client.dispose();
    }
  });

  test("a bare key works too; an unknown key closes the connection as forbidden", async () => {
    const bare = connect(user.key);
    try {
      const ok = await run(bare, "{ apiKeys { label } }");
      assert.ok(Array.isArray((ok.data as { apiKeys: unknown[] }).apiKeys));
    } finally {
      await bare.dispose();
    }
    const bad = connect(`Bearer ssa_live_${"Z".repeat(32)}`);
    try {
      await assert.rejects(
        run(bad, "{ apiKeys { label } }"),
        (error: { code?: number }) => error.code === 4403,
      );
    } finally {
      await bad.dispose();
    }
  });

  test("without a key, operations get UNAUTHENTICATED", async () => {
    const anonymous = connect();
    try {
      const result = await run(anonymous, "{ apiKeys { label } }");
      assert.equal(result.errors?.[0]?.message, "Missing API key");
    } finally {
      await anonymous.dispose();
    }
  });
});

test("stop() lets an in-flight request finish, then refuses new ones", async () => {
  const running = await startApp(t.database.url);
  const url = new URL("/api/v1/domains", running.url);
  // A request whose body is still arriving when the stop begins.
  const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { authorization: `Bearer ${user.key}`, "content-type": "application/json" },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write('{"hostname": "drain');
    setTimeout(() => req.end('.example.com"}'), 300);
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopped = running.stop();
  const answer = await inFlight;
  assert.equal(answer.status, 201, answer.body);
  await stopped;
  await assert.rejects(fetch(url));
  const list = await t.client(user.key).get("/domains?search=drain");
  assert.equal(list.body.pagination.total, 1, "the drained request was committed");
});
