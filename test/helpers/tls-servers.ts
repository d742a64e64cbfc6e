// Servers on loopback for the probe to meet: HTTPS with any chain and protocol range, a port that
// accepts and never answers, one that resets, and plain HTTP.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import {
  type AddressInfo,
  connect,
  createServer as createTcpServer,
  type Server,
  type Socket,
} from "node:net";
import type { SecureVersion } from "node:tls";

export interface Running {
  port: number;
  close(): Promise<void>;
}

/** Listens on a free loopback port; close() ends every open connection, then the server. */
export async function listen(server: Server, sockets: Set<Socket>, host = "127.0.0.1"): Promise<Running> {
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface HttpsOptions {
  /** PEM certificates, leaf first: what the server sends. */
  chain: string[];
  key: string;
  /** The Strict-Transport-Security header, if any. */
  hsts?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** The loopback address to listen on: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Answers requests instead of the default 200 "ok". */
  respond?: (req: IncomingMessage, res: ServerResponse) => void;
  /** The OCSP response (DER) to staple when a client asks for one. */
  staple?: () => Promise<Buffer | null>;
}

export interface HttpsServer extends Running {
  /** Serves another chain from now on (a renewal, a replacement), same port. */
  serve(chain: string[], key: string): void;
}

export async function startHttpsServer(options: HttpsOptions): Promise<HttpsServer> {
  const legacy = options.minVersion === "TLSv1" || options.minVersion === "TLSv1.1";
  const context = (chain: string[], key: string) => ({
    cert: chain.join(""),
    key,
    minVersion: options.minVersion ?? "TLSv1.2",
    maxVersion: options.maxVersion ?? "TLSv1.3",
    // TLS 1.0/1.1 need OpenSSL's security level 0 on this side too.
    ...(legacy ? { ciphers: "DEFAULT:@SECLEVEL=0" } : {}),
  });
  const server = createHttpsServer(
    context(options.chain, options.key),
    options.respond ??
      ((_req, res) => {
        res.writeHead(200, options.hsts ? { "strict-transport-security": options.hsts } : {});
        res.end("ok");
      }),
  );
  const { staple } = options;
  if (staple) {
    server.on(
      "OCSPRequest",
      (_cert: Buffer, _issuer: Buffer, done: (e: Error | null, r?: Buffer) => void) => {
        staple().then((response) => done(null, response ?? undefined), done);
      },
    );
  }
  const running = await listen(server, new Set(), options.host);
  return { ...running, serve: (chain, key) => server.setSecureContext(context(chain, key)) };
}

/**
 * A TCP front for another local server: passes connections through (after `delayMs`, when set), or
 * (as `mode` says) resets them or holds them open unanswered, so one address can go down and come
 * back, or be slow.
 */
export async function startSwitchableServer(
  upstreamPort: number,
  { delayMs = 0 } = {},
): Promise<Running & { mode: "up" | "reset" | "hang"; accepted: number }> {
  const sockets = new Set<Socket>();
  const state = { mode: "up" as "up" | "reset" | "hang", accepted: 0 };
  const pass = (socket: Socket) => {
    const upstream = connect(upstreamPort, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  };
  const server = createTcpServer((socket) => {
    state.accepted += 1;
    if (state.mode === "reset") return socket.resetAndDestroy();
    if (state.mode === "hang") return;
    if (delayMs > 0) setTimeout(() => pass(socket), delayMs);
    else pass(socket);
  });
  const running = await listen(server, sockets);
  return Object.assign(state, running);
}

/** Accepts TCP connections and never says anything; `accepted` counts them. */
export async function startSilentServer(): Promise<Running & { accepted: number }> {
  const state = { accepted: 0 };
  const server = createTcpServer(() => {
    state.accepted += 1;
  });
  return Object.assign(state, await listen(server, new Set()));
}

/** Resets every connection as soon as it is accepted. */
export function startResettingServer(): Promise<Running> {
  return listen(
    createTcpServer((socket) => socket.resetAndDestroy()),
    new Set(),
  );
}

export function startPlainHttpServer(): Promise<Running> {
  return listen(
    createHttpServer((_req, res) => res.end("plain")),
    new Set(),
  );
}
