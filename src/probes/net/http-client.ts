// The HTTP client for RDAP, webhooks and revocation sources: undici with a deadline per request, a
// cap on the answer's size, redirects followed a few times (GET only), and every connection behind
// the address guard, or else through a domain's proxy (which then reaches the target itself).
// Built once per process and injected, so tests can swap it and connections are pooled.
import { Agent, type Dispatcher, errors, ProxyAgent, request } from "undici";
import { LookupFailure } from "../registration/registration.js";
import { assertAddressAllowed, type GuardOptions, guardedLookup } from "./guarded-lookup.js";
import { describeNetworkError } from "./network-error.js";
import type { ProxyTarget } from "./proxy-tunnel.js";
import { TargetRefused } from "./resolve-target.js";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as received (an OCSP response, a CRL). */
  bytes: Buffer;
}

export interface HttpClient {
  /** Throws LookupFailure (timeout, unreachable, invalid_response); any status is an answer. */
  /** `signal`: the caller's own deadline, beside the client's timeout. */
  get(url: string, accept: string, signal?: AbortSignal): Promise<HttpAnswer>;
  /** POSTs once and follows no redirect: a 3xx is the answer. Throws LookupFailure as get does. */
  post(
    url: string,
    body: string | Buffer,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface HttpClientOptions extends GuardOptions {
  timeoutMs: number;
  maxBytes: number;
  /**
   * Send every request through this HTTP proxy (at `address`, already past the guard), which then
   * resolves and reaches the targets itself, as a domain's checks through it do.
   */
  proxy?: ProxyTarget & { address: string };
}

const MAX_REDIRECTS = 3;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { proxy } = options;
  const timeouts = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
  const agent: Dispatcher = proxy
    ? new ProxyAgent({
        uri: `http://${proxy.address.includes(":") ? `[${proxy.address}]` : proxy.address}:${proxy.port}`,
        token: proxy.username
          ? `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ""}`).toString("base64")}`
          : undefined,
        // Plain-HTTP targets (OCSP, CRLs) as a proxy expects them, in absolute form; HTTPS ones tunnel.
        proxyTunnel: false,
        ...timeouts,
      })
    : new Agent({
        connect: { lookup: guardedLookup(options), timeout: options.timeoutMs },
        ...timeouts,
      });

  type Send =
    | { method: "GET"; headers: Record<string, string> }
    | { method: "POST"; headers: Record<string, string>; body: string | Buffer };

  async function once(url: URL, send: Send, signal: AbortSignal): Promise<HttpAnswer> {
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new LookupFailure("invalid_response", `refusing to fetch ${url.protocol} URL ${url.href}`);
    }
    if (!proxy) assertAddressAllowed(url.hostname, options);
    const response = await request(url, {
      ...send,
      dispatcher: agent,
      headers: { "user-agent": "CertPulse", ...send.headers },
      signal,
    });
    // The size cap, counted here for direct and proxied requests alike (undici's maxResponseSize
    // reaches no dispatcher a ProxyAgent makes).
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        response.body.destroy();
        throw new errors.ResponseExceededMaxSizeError();
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    return { status: response.statusCode, headers: response.headers, body: bytes.toString("utf8"), bytes };
  }

  return {
    async get(url, accept, callerSignal) {
      const signal = within(options.timeoutMs, callerSignal);
      let target = new URL(url);
      try {
        for (let hop = 0; ; hop++) {
          const answer = await once(target, { method: "GET", headers: { accept } }, signal);
          const location = answer.headers.location;
          if (answer.status < 300 || answer.status >= 400 || typeof location !== "string") return answer;
          if (hop === MAX_REDIRECTS) {
            throw new LookupFailure("invalid_response", `more than ${MAX_REDIRECTS} redirects from ${url}`);
          }
          target = new URL(location, target);
        }
      } catch (error) {
        throw asLookupFailure(error, target.href, options);
      }
    },
    async post(url, body, headers, callerSignal) {
      try {
        return await once(
          new URL(url),
          { method: "POST", headers, body },
          within(options.timeoutMs, callerSignal),
        );
      } catch (error) {
        throw asLookupFailure(error, url, options);
      }
    },
    close: () => agent.close(),
  };
}

const within = (timeoutMs: number, signal?: AbortSignal) =>
  signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]) : AbortSignal.timeout(timeoutMs);

function asLookupFailure(error: unknown, url: string, options: HttpClientOptions): LookupFailure {
  if (error instanceof LookupFailure) return error;
  if (error instanceof TargetRefused) return new LookupFailure("unreachable", error.message);
  if (error instanceof errors.ResponseExceededMaxSizeError) {
    return new LookupFailure("invalid_response", `${url} answered with more than ${options.maxBytes} bytes`);
  }
  const name = (error as Error).name;
  if (
    name === "TimeoutError" ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new LookupFailure("timeout", `${url} did not answer within ${options.timeoutMs} ms`);
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof TargetRefused) return new LookupFailure("unreachable", cause.message);
  return new LookupFailure("unreachable", `${url}: ${describeNetworkError(cause ?? error)}`);
}
