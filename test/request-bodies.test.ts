// Malformed JSON, bodies of the wrong shape and oversized bodies get a 400 and change nothing.
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { type Client, createUser, harness } from "./helpers/app.js";

let t: Awaited<ReturnType<typeof harness>>;
let api: Client;
let domainId: string;

before(async () => {
  t = await harness();
  api = t.client((await createUser(t.app)).key);
  domainId = (await api.post("/domains", { hostname: "body.example.com", notes: "original" })).body.id;
});
after(() => t.close());

async function unchanged() {
  const list = await api.get("/domains");
  assert.equal(list.body.pagination.total, 1);
  assert.equal((await api.get(`/domains/${domainId}`)).body.notes, "original");
}

const bad: [string, string, RegExp][] = [
  ["truncated JSON", '{"hostname": "x.example.com"', /Malformed JSON body/],
  ["not JSON at all", "hostname=x.example.com", /Malformed JSON body/],
  ["a JSON array", '["x.example.com"]', /must be a JSON object/],
  ["a JSON string", '"x.example.com"', /must be a JSON object/],
  ["JSON null", "null", /must be a JSON object/],
];
for (const [name, raw, message] of bad) {
  test(`POST and PUT with ${name}: 400`, async () => {
    for (const [method, path] of [
      ["POST", "/api/v1/domains"],
      ["PUT", `/api/v1/domains/${domainId}`],
    ] as const) {
      const res = await api.request(method, path, { raw });
      assert.equal(res.status, 400, `${method} ${raw}`);
      assert.match(res.body.error, message);
    }
    await unchanged();
  });
}

test("wrong types are 400 with the field named", async () => {
  const cases: [unknown, RegExp][] = [
    [{ hostname: ["a.example.com"] }, /hostname/],
    [{ hostname: "w.example.com", notes: 5 }, /notes/],
    [{ hostname: "w.example.com", tags: "web" }, /tags: expected an array/],
    [{ hostname: "w.example.com", port: true }, /port/],
    [{ hostname: null }, /hostname/],
  ];
  for (const [body, message] of cases) {
    const res = await api.post("/domains", body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(res.body.error, message, JSON.stringify(body));
  }
  const put = await api.put(`/domains/${domainId}`, { notes: ["a"], is_active: 1 });
  assert.equal(put.status, 400);
  await unchanged();
});

test("an oversized body is refused before it is read whole, on REST and GraphQL", async () => {
  const limit = t.config.CERTPULSE_MAX_BODY_BYTES;
  const huge = JSON.stringify({ hostname: "big.example.com", notes: "x".repeat(limit) });
  const rest = await api.request("POST", "/api/v1/domains", { raw: huge });
  assert.equal(rest.status, 400);
  assert.equal(rest.body.error, `Request body too large (limit ${limit} bytes)`);
  const gql = await api.request("POST", "/graphql", { raw: huge });
  assert.equal(gql.status, 400);
  await unchanged();
});

test("an oversized chunked body (no Content-Length) is cut off with a 400", async () => {
  const url = new URL("/api/v1/domains", t.url);
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.write('{"hostname": "chunked.example.com", "notes": "');
    const chunk = "y".repeat(16 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 8 * t.config.CERTPULSE_MAX_BODY_BYTES) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end('"}');
    };
    pump();
  });
  assert.equal(status, 400);
  await unchanged();
});

/** POSTs `size` bytes from a plain socket, as a client uploading steadily would, and reads the answer. */
function upload(size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/v1/domains", t.url);
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${api.key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
          sent += part.length;
          if (!socket.write(part)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    let answer = "";
    socket.on("data", (data) => {
      answer += data.toString();
    });
    socket.on("error", (error) => (answer ? undefined : reject(error)));
    socket.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      resolve({ status, body: answer.slice(answer.indexOf("\r\n\r\n") + 4) });
    });
  });
}

test("a 2 MB body gets its 400 every time: the upload is drained, not cut off mid-way", async () => {
  const limit = t.config.CERTPULSE_MAX_BODY_BYTES;
  for (let attempt = 0; attempt < 10; attempt++) {
    const res = await upload(2 * 1024 * 1024);
    assert.equal(res.status, 400, `attempt ${attempt}`);
    assert.match(res.body, new RegExp(`Request body too large \\(limit ${limit} bytes\\)`));
  }
  await unchanged();
});

test("a path with a malformed escape is a 400, with or without a key", async () => {
  for (const client of [api, t.client()]) {
    for (const path of ["/domains/%ZZ", "/domains/%", "/domains/%E0%A4%A/ssl"]) {
      const res = await client.get(path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error, "Malformed percent-encoding in the path");
    }
  }
  await unchanged();
});
