// HSTS: one HTTPS request to the same host and port, reading Strict-Transport-Security
// (RFC 6797 §6.1). The body is never read.
import { type RequestOptions, request } from "node:https";
import { isIP } from "node:net";
import type { SecureContext } from "node:tls";

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

/** The server's HSTS policy, null when it sends none (or the request fails). */
export function fetchHsts(
  target: { address: string; port: number; host: string },
  secureContext: SecureContext,
  signal: AbortSignal,
): Promise<Hsts | null> {
  return new Promise((resolve) => {
    const hostHeader = target.port === 443 ? target.host : `${target.host}:${target.port}`;
    // The https agent passes secureContext on to tls.connect; @types/node omits it.
    const options: RequestOptions & { secureContext: SecureContext } = {
      host: target.address,
      port: target.port,
      servername: isIP(target.host) ? undefined : target.host,
      path: "/",
      method: "GET",
      headers: { host: hostHeader, "user-agent": "CertPulse", accept: "*/*" },
      secureContext,
      rejectUnauthorized: false,
      agent: false,
      signal,
    };
    const req = request(options);
    req.on("response", (res) => {
      const header = res.headers["strict-transport-security"];
      res.destroy();
      resolve(typeof header === "string" ? parseHsts(header) : null);
    });
    req.on("error", () => resolve(null));
    req.end();
  });
}
