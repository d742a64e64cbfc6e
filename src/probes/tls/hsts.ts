// HSTS: one HTTP request over the probe's TLS connection, reading Strict-Transport-Security
// (RFC 6797 §6.1). The body is never read.
import { request } from "node:http";
import type { TLSSocket } from "node:tls";

export interface Hsts {
  maxAge: number;
  includeSubdomains: boolean;
  preload: boolean;
}

export function parseHsts(header: string): Hsts | null {
  const directives = header.split(";").map((part) => part.trim().toLowerCase());
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)?.[1]).find(Boolean);
  if (maxAge === undefined) return null;
  return {
    maxAge: Number(maxAge),
    includeSubdomains: directives.includes("includesubdomains"),
    preload: directives.includes("preload"),
  };
}

/**
 * Ports whose implicit-TLS protocol is not HTTP (SMTPS, LDAPS, DNS over TLS, FTPS, IMAPS, POP3S,
 * XMPP, IRC, AMQP, MQTT): nothing there can send an HSTS header, so it is never asked.
 */
const NOT_HTTP_PORTS = new Set([465, 636, 853, 989, 990, 993, 995, 5223, 5671, 6697, 8883]);

export function mayServeHttp(port: number): boolean {
  return !NOT_HTTP_PORTS.has(port);
}

/**
 * The server's HSTS policy, asked with one GET on the probe's own connection (no second handshake);
 * null when it sends none, answers something that is not HTTP, or says nothing within `timeoutMs`
 * (a TLS peer that does not speak HTTP is never waited on for the whole probe timeout).
 */
export function readHsts(
  socket: TLSSocket,
  target: { port: number; host: string },
  { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal },
): Promise<Hsts | null> {
  return new Promise((resolve) => {
    const hostHeader = target.port === 443 ? target.host : `${target.host}:${target.port}`;
    const req = request({
      createConnection: () => socket,
      path: "/",
      method: "GET",
      headers: { host: hostHeader, "user-agent": "CertPulse", accept: "*/*", connection: "close" },
      signal,
    });
    const done = (hsts: Hsts | null) => {
      clearTimeout(timer);
      req.destroy();
      resolve(hsts);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    req.on("response", (res) => {
      const header = res.headers["strict-transport-security"];
      done(typeof header === "string" ? parseHsts(header) : null);
    });
    req.on("error", () => done(null));
    req.end();
  });
}
