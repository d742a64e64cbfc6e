// Local registry servers for the registration probe: an RDAP HTTP server (which also serves the
// bootstrap file) and WHOIS TCP servers, each recording what it was asked.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer, type Socket } from "node:net";

export type HttpReply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { hang: true }
  | { bytes: number }
  | { delayMs: number; reply: HttpReply };

export interface RdapServer {
  url: string;
  /** Paths asked, in order. */
  hits: string[];
  route(path: string, reply: HttpReply | (() => HttpReply)): void;
  close(): Promise<void>;
}

export async function startRdapServer(): Promise<RdapServer> {
  const routes = new Map<string, HttpReply | (() => HttpReply)>();
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const respond = (res: ServerResponse, reply: HttpReply | undefined): void => {
    if (reply === undefined) {
      res.writeHead(404, { "content-type": "application/rdap+json" });
      res.end(JSON.stringify({ errorCode: 404, title: "Not Found", rdapConformance: ["rdap_level_0"] }));
    } else if ("hang" in reply) {
      // Never answer: the client's deadline must end it.
    } else if ("delayMs" in reply) {
      setTimeout(() => respond(res, reply.reply), reply.delayMs);
    } else if ("bytes" in reply) {
      res.writeHead(200, { "content-type": "application/rdap+json" });
      res.end(`{"objectClassName":"domain","pad":"${"x".repeat(reply.bytes)}"}`);
    } else {
      res.writeHead(reply.status, { "content-type": "application/rdap+json", ...reply.headers });
      res.end(reply.text ?? JSON.stringify(reply.json ?? {}));
    }
  };
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").toLowerCase();
    hits.push(path);
    const found = routes.get(path);
    respond(res, typeof found === "function" ? found() : found);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    route: (path, reply) => routes.set(path.toLowerCase(), reply),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type WhoisReply = string | { hang: true } | { bytes: number };

export interface WhoisServer {
  /** host:port, as a referral or CERTPULSE_WHOIS_SERVER names it. */
  address: string;
  host: string;
  port: number;
  queries: string[];
  close(): Promise<void>;
}

export async function startWhoisServer(answer: (query: string) => WhoisReply): Promise<WhoisServer> {
  const queries: string[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const end = buffer.indexOf("\r\n");
      if (end === -1) return;
      const query = buffer.slice(0, end);
      queries.push(query);
      const reply = answer(query);
      if (typeof reply === "string") socket.end(reply.replace(/\n/g, "\r\n"));
      else if ("bytes" in reply) {
        const line = `${"% filler ".repeat(10)}\r\n`;
        socket.end(line.repeat(Math.ceil(reply.bytes / line.length)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    queries,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A bootstrap file (RFC 9224 dns.json) mapping TLDs to RDAP base URLs. */
export function bootstrapFile(services: [string[], string[]][]) {
  return { version: "1.0", publication: "2026-11-01T00:00:00Z", description: "test", services };
}
