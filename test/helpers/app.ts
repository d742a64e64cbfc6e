// Starts the real server on a free loopback port over a fresh database, with helpers to call it.

import type { Permission } from "../../src/access/api-keys.service.js";
import { type App, buildApp } from "../../src/app/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { DbOptions } from "../../src/db/client.js";
import { createLogger, type Logger } from "../../src/lib/logger.js";
import { freshDatabase, type TestDatabase } from "./database.js";
import { checkAnswer } from "./openapi.js";

export interface Running {
  app: App;
  url: string;
  config: Config;
  stop(): Promise<void>;
}

export async function startApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  dbOptions: DbOptions = {},
  log?: Logger,
): Promise<Running> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    DATABASE_URL: databaseUrl,
    // Nothing outside loopback: registration lookups go to a closed local port unless a test says otherwise.
    CERTPULSE_RDAP_BOOTSTRAP_URL: "http://127.0.0.1:9/dns.json",
    CERTPULSE_WHOIS_SERVER: "127.0.0.1:9",
    // Nothing checked unasked: tests of the scheduler turn it on (or drive one with their own clock).
    CERTPULSE_SCHEDULER_ENABLED: "false",
    ...env,
  });
  const app = await buildApp(config, log ?? createLogger(config.LOG_LEVEL), dbOptions);
  const url = await app.start();
  return { app, url, config, stop: () => app.stop() };
}

export interface TestUser {
  userId: string;
  email: string;
  /** A read+write key. */
  key: string;
  /** A read-only key. */
  readKey: string;
}

let users = 0;

export async function createUser(
  app: App,
  options: { monitorLimit?: number; permissions?: Permission[] } = {},
): Promise<TestUser> {
  users += 1;
  const email = `user${users}-${Date.now()}@example.test`;
  const user = await app.services.users.create({ email, monitorLimit: options.monitorLimit });
  const { key } = await app.services.apiKeys.createFor(user.id, {
    label: "test",
    permissions: options.permissions ?? ["read", "write"],
  });
  const { key: readKey } = await app.services.apiKeys.createFor(user.id, {
    label: "read-only",
    permissions: ["read"],
  });
  return { userId: user.id, email, key, readKey };
}

/** One app over one fresh database, for a test file: `const t = await harness(); … await t.close()`. */
export async function harness(env: Record<string, string> = {}, dbOptions: DbOptions = {}, log?: Logger) {
  const database: TestDatabase = await freshDatabase();
  const running = await startApp(database.url, env, dbOptions, log);
  return {
    ...running,
    database,
    client: (key?: string) => new Client(running.url, key),
    async close() {
      await running.stop();
      await database.drop();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  body: any;
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
  ) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.key !== undefined && !("authorization" in headers)) headers.authorization = `Bearer ${this.key}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {}
    if (path.startsWith("/api/v1") && method !== "HEAD") {
      const contentType = response.headers.get("content-type") ?? "";
      // A text answer (an export's CSV) is checked as the text it is.
      const body = contentType.startsWith("application/json") ? parsed : text;
      checkAnswer(method, path.split("?")[0]!, response.status, contentType, body);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  get = (path: string, headers?: Record<string, string>) =>
    this.request("GET", `/api/v1${path}`, { headers });
  post = (path: string, body?: unknown) => this.request("POST", `/api/v1${path}`, { body });
  put = (path: string, body?: unknown) => this.request("PUT", `/api/v1${path}`, { body });
  delete = (path: string) => this.request("DELETE", `/api/v1${path}`);

  graphql(query: string, variables?: Record<string, unknown>): Promise<Reply> {
    return this.request("POST", "/graphql", { body: { query, variables } });
  }
}
