// GET /api/v1/openapi.json: an OpenAPI 3.1 document a real validator accepts, built from the route
// table (every route, its path and query parameters, its body), served without a key. Every REST
// answer the rest of the suite gets is checked against it (helpers/openapi.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { compiled } from "../src/http/rest/route-table.js";
import { createUser, harness } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON
let doc: any;

before(async () => {
  t = await harness();
  const res = await fetch(`${t.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  doc = await res.json();
});
after(() => t.close());

test("the served document is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator", async () => {
  assert.equal(doc.openapi, "3.1.0");
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
});

test("it describes every route of the table, with its parameters", () => {
  for (const { route } of compiled) {
    const path = `/api/v1${route.path.replace(/:(\w+)/g, "{$1}")}`;
    const operation = doc.paths[path]?.[route.method.toLowerCase()];
    assert.ok(operation, `${route.method} ${path} is missing`);
    assert.equal(operation.summary, route.summary);
    assert.ok(operation.responses.default, `${route.method} ${path} has no error answer`);
  }
  const list = doc.paths["/api/v1/domains"].get;
  assert.deepEqual(
    list.parameters.map((p: { name: string }) => p.name),
    ["page", "per_page", "status", "search", "sort", "order"],
  );
  const status = list.parameters.find((p: { name: string }) => p.name === "status");
  assert.deepEqual([...status.schema.enum].sort(), [
    "all",
    "critical",
    "error",
    "expired",
    "pending",
    "valid",
    "warning",
  ]);
  const alerts = doc.paths["/api/v1/alerts"].get.parameters.map((p: { name: string }) => p.name);
  assert.ok(alerts.includes("alert_type") && alerts.includes("domain_id"));
  const one = doc.paths["/api/v1/domains/{id}"].get.parameters;
  assert.deepEqual(one, [{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
  const imported = doc.paths["/api/v1/domains/import"].post;
  assert.deepEqual(Object.keys(imported.responses).sort(), ["200", "422", "default"]);
  assert.deepEqual(Object.keys(imported.requestBody.content), ["text/csv", "text/plain", "application/json"]);
});

test("a body the document's schema accepts is accepted by the server, and one it refuses is refused", async () => {
  const schema = doc.paths["/api/v1/domains"].post.requestBody.content["application/json"].schema;
  assert.deepEqual(schema.anyOf, [{ required: ["hostname"] }, { required: ["url"] }]);
  const validate = new Ajv2020({ strict: false }).compile(schema);
  const api = t.client((await createUser(t.app)).key);
  const bodies = [
    { hostname: "body-1.example.com", port: 8443, tags: ["a"], alert_days: [10], notes: null },
    { hostname: "body-2.example.com", hostnam: "typo" },
    { port: 443 },
    { url: "https://body-5.example.com:8443/health" },
    { hostname: "body-3.example.com", tags: "not-a-list" },
    { hostname: "body-4.example.com", port: "443" },
  ];
  for (const body of bodies) {
    const res = await api.post("/domains", body);
    assert.equal(res.status === 201, validate(body), `${JSON.stringify(body)} → ${res.status}`);
  }
});
