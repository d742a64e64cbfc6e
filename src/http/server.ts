// The HTTP server: yoga at /graphql (HTTP, GraphiQL, graphql-ws), the REST adapter at /api/v1 and
// /healthz and /readyz, one request log line each. It serves; src/app/ decides what it serves.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Config } from "../config.js";
import type { Logger } from "../lib/logger.js";
import type { MetricsSnapshot } from "../lib/telemetry.js";
import type { Services } from "../schema/context.js";
import { BodyTooLarge, readLimitedBody } from "./body.js";
import { health } from "./health.js";
import { metricsAnswer } from "./metrics.js";
import { queryLimitsFrom } from "./query-limits.js";
import { requestIdFrom } from "./request-id.js";
import { useRestApi } from "./rest/plugin.js";
import { restRouteOf } from "./rest/route-table.js";
import { attachWebSocket } from "./ws.js";
import { createYogaServer, type YogaServer } from "./yoga.js";

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export interface HttpServer {
  server: Server;
  /**
   * Closes idle keep-alive connections now and each busy one as soon as its response is sent, so a
   * stop waits for in-flight requests and not for clients' idle sockets.
   */
  drain(): void;
  /** Ends the WebSocket connections (the server's own close waits for the HTTP ones). */
  closeWebSockets(): Promise<void>;
}

/** Paths served here by name; anything else not a REST route is "other", so no caller can mint series. */
const NAMED_ROUTES = new Set(["/graphql", "/metrics", "/healthz", "/readyz"]);
/** Where a request may carry a domain file, under CERTPULSE_MAX_IMPORT_BYTES. */
const FILE_PATHS = new Set(["/graphql", "/api/v1/domains/import", "/api/v1/domains/import/"]);

export function createHttpServer(
  services: Services,
  config: Config,
  log: Logger,
  otherThreads: () => Promise<MetricsSnapshot[]> = async () => [],
): HttpServer {
  const yoga: YogaServer = createYogaServer(services, log, queryLimitsFrom(config), [
    useRestApi(() => yoga, log),
  ]);

  let draining = false;

  async function handle(req: IncomingMessage & { body?: Buffer }, res: ServerResponse) {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const started = performance.now();
    res.setHeader("X-Request-Id", requestId);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    res.on("finish", () => {
      const elapsed = performance.now() - started;
      const ms = Math.round(elapsed * 10) / 10;
      log.info({ requestId, method: req.method, url: req.url, status: res.statusCode, ms }, "request");
      const method = req.method ?? "GET";
      const route = restRouteOf(method, path) ?? (NAMED_ROUTES.has(path) ? path : "other");
      services.telemetry.httpRequest(method, route, res.statusCode, elapsed / 1000);
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    const probe = await health(path, services.db);
    if (probe) return sendJson(res, probe.status, probe.body);
    if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD")) {
      const headers = new Headers();
      for (const name of ["authorization", "x-api-key"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const answer = await metricsAnswer(headers, {
        services,
        token: config.CERTPULSE_METRICS_TOKEN,
        otherThreads,
      });
      res.writeHead(answer.status, answer.headers);
      return res.end(req.method === "HEAD" ? undefined : answer.body);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      // An import carries a file: it (and GraphQL, where importDomains takes one) may be larger.
      const bodyLimit = FILE_PATHS.has(path)
        ? config.CERTPULSE_MAX_IMPORT_BYTES
        : config.CERTPULSE_MAX_BODY_BYTES;
      try {
        // yoga's node adapter takes an already-read body from req.body.
        req.body = await readLimitedBody(req, bodyLimit);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.setHeader("Connection", "close");
        return sendJson(res, 400, { error: `Request body too large (limit ${bodyLimit} bytes)` });
      }
    }
    await yoga(req, res, { requestId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "Internal server error" });
      else res.destroy();
    });
  });
  const ws = attachWebSocket(server, yoga, services);
  return {
    server,
    drain() {
      draining = true;
      server.closeIdleConnections();
    },
    closeWebSockets: () => ws.close(),
  };
}
