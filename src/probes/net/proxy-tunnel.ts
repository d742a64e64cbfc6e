// The TCP streams a probe opens when it must do something before TLS: a plain connection (for a
// STARTTLS preamble), or an HTTP CONNECT tunnel (RFC 9110 §9.3.6) when a domain is checked through a
// proxy, for the TLS handshake, the protocol scan and the HTTP request alike. Node's own http client
// speaks CONNECT; this adds the deadline and plain words for what the proxy answered.
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { ProbeTimeout } from "./network-error.js";

export interface ProxyTarget {
  host: string;
  port: number;
  username?: string | null;
  password?: string | null;
}

/** Why a proxy did not open the tunnel, as the check records it. */
export class ProxyRefused extends Error {}

/** Opens a tunnel from the proxy (at `address`, already past the address guard) to host:port. */
export function openTunnel(
  proxy: ProxyTarget & { address: string },
  to: { host: string; port: number },
  { signal, timeoutMs }: { signal: AbortSignal; timeoutMs: number },
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProbeTimeout(timeoutMs, "before reaching the proxy"));
    const authority = to.host.includes(":") ? `[${to.host}]:${to.port}` : `${to.host}:${to.port}`;
    const headers: Record<string, string> = { host: authority, "user-agent": "CertPulse" };
    if (proxy.username) {
      const credentials = `${proxy.username}:${proxy.password ?? ""}`;
      headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    const req = request({
      host: proxy.address,
      port: proxy.port,
      method: "CONNECT",
      path: authority,
      headers,
      agent: false,
    });
    const onAbort = () => {
      req.destroy();
      reject(new ProbeTimeout(timeoutMs, `waiting for the proxy ${proxy.host}:${proxy.port}`));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal.removeEventListener("abort", onAbort);
    req.once("connect", (res, socket, head) => {
      settle();
      if (res.statusCode === 200) {
        if (head.length > 0) socket.unshift(head);
        return resolve(socket);
      }
      socket.destroy();
      const status = `${res.statusCode} ${res.statusMessage ?? ""}`.trim();
      reject(
        new ProxyRefused(
          // 407 is the standard answer; some proxies (tinyproxy) refuse wrong credentials with 401.
          res.statusCode === 407 || res.statusCode === 401
            ? proxy.username
              ? `the proxy ${proxy.host}:${proxy.port} refused the credentials (${status})`
              : `the proxy ${proxy.host}:${proxy.port} asks for credentials (${status})`
            : `the proxy ${proxy.host}:${proxy.port} refused the tunnel to ${authority} (${status})`,
        ),
      );
    });
    req.once("error", (error: NodeJS.ErrnoException) => {
      settle();
      const reason = error.code === "ECONNREFUSED" ? "connection refused" : error.message;
      reject(new ProxyRefused(`the proxy ${proxy.host}:${proxy.port} could not be reached: ${reason}`));
    });
    req.end();
  });
}

/** A plain TCP connection to address:port, once connected. */
export function connectTcp(
  to: { address: string; port: number },
  { signal, timeoutMs }: { signal: AbortSignal; timeoutMs: number },
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProbeTimeout(timeoutMs, "before connecting"));
    const socket = connect({ host: to.address, port: to.port });
    const onAbort = () => {
      socket.destroy();
      reject(new ProbeTimeout(timeoutMs, "connecting"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      signal.removeEventListener("abort", onAbort);
      resolve(socket);
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}
