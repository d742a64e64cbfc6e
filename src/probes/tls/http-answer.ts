// The check's HTTP request: one GET over the probe's own TLS connection (no second handshake), read
// for what the site answers: status, headers, body size, the page's <title> and meta description
// and keywords (htmlparser2, streaming: parsing stops at </head>), and HSTS (RFC 6797 §6.1).
// Redirects are reported (status and Location). Only when configured are they followed, and only
// within the same origin: the certificate checked is this server's, and a redirect elsewhere would
// be another target with its own guard and proxy.
import { request } from "node:http";
import type { TLSSocket } from "node:tls";
import { Parser } from "htmlparser2";

export interface Hsts {
  maxAge: number;
  includeSubdomains: boolean;
  preload: boolean;
}

export interface HttpHeader {
  n: string;
  v: string;
}

export interface HttpRedirect {
  path: string;
  status: number;
  location: string;
}

export interface HttpAnswer {
  /** The path this answer is for: the domain's, or where same-origin redirects led. */
  path: string;
  /** The redirects followed to get here, in order (none unless CERTPULSE_HTTP_REDIRECTS is set). */
  redirects: HttpRedirect[];
  /** Null when no HTTP answer came (then `error` says why). */
  status: number | null;
  /** Body bytes: Content-Length when the server sends it, else counted up to the size cap. */
  size: number | null;
  /** The body went past the size cap before it ended; `size` is then the cap. */
  truncated: boolean;
  /** As sent, names in the server's case, in order. */
  headers: HttpHeader[];
  title: string | null;
  description: string | null;
  keywords: string | null;
  error: string | null;
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

/** The HSTS policy an answer sets, if any (the first header, as browsers read it). */
export function hstsOf(answer: HttpAnswer | null): Hsts | null {
  const header = answer?.headers.find((h) => h.n.toLowerCase() === "strict-transport-security");
  return header ? parseHsts(header.v) : null;
}

/**
 * Where a redirect answer points, as a path on the same origin (https, same host and port); null
 * when it is no redirect, has no usable Location, or leads elsewhere.
 */
export function sameOriginRedirect(
  answer: HttpAnswer,
  target: { host: string; port: number },
): string | null {
  if (answer.status === null || ![301, 302, 303, 307, 308].includes(answer.status)) return null;
  const location = answer.headers.find((h) => h.n.toLowerCase() === "location")?.v;
  if (!location) return null;
  const origin = `https://${target.host}${target.port === 443 ? "" : `:${target.port}`}`;
  let next: URL;
  try {
    next = new URL(location, `${origin}${answer.path}`);
  } catch {
    return null;
  }
  return next.origin === new URL(origin).origin ? `${next.pathname}${next.search}` : null;
}

/**
 * Ports whose implicit-TLS protocol is not HTTP (SMTPS, LDAPS, DNS over TLS, FTPS, IMAPS, POP3S,
 * XMPP, IRC, AMQP, MQTT): nothing there answers HTTP, so it is never asked.
 */
const NOT_HTTP_PORTS = new Set([465, 636, 853, 989, 990, 993, 995, 5223, 5671, 6697, 8883]);

export function mayServeHttp(port: number): boolean {
  return !NOT_HTTP_PORTS.has(port);
}

/** Values longer than this are cut: a title or a header is for reading, not for storing pages. */
const MAX_TEXT = 1000;
const MAX_HEADERS = 100;
/** The head is parsed from at most this much of the body; a page whose head runs longer has no title here. */
const MAX_PARSED = 256 * 1024;

const clip = (text: string) => {
  const squeezed = text.replace(/\s+/g, " ").trim();
  return squeezed.length > MAX_TEXT ? squeezed.slice(0, MAX_TEXT) : squeezed;
};

/** Title, description and keywords from the head of an HTML page, fed in pieces. */
function headReader() {
  const found = {
    title: null as string | null,
    description: null as string | null,
    keywords: null as string | null,
  };
  let inTitle = false;
  let title = "";
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "title" && found.title === null) inTitle = true;
        else if (name === "meta") {
          const which = attributes.name?.toLowerCase();
          if ((which === "description" || which === "keywords") && found[which] === null)
            found[which] = clip(attributes.content ?? "");
        } else if (name === "body") done = true;
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === "title" && inTitle) {
          inTitle = false;
          found.title = clip(title);
        } else if (name === "head") done = true;
      },
    },
    { decodeEntities: true },
  );
  return {
    found,
    get done() {
      return done;
    },
    write(text: string) {
      if (!done) parser.write(text);
    },
    end() {
      if (!done) parser.end();
      if (inTitle) found.title = clip(title);
    },
  };
}

function decoderFor(contentType: string | undefined): TextDecoder {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? "")?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8");
  } catch {
    return new TextDecoder("utf-8");
  }
}

export interface HttpRequestOptions {
  path: string;
  /** How long the whole exchange may take, within the probe's deadline. */
  timeoutMs: number;
  /** Body bytes counted before giving up on the size (the head is parsed from the first 256 KiB). */
  maxBytes: number;
  signal: AbortSignal;
}

/**
 * Sends the GET and reads the answer. Never throws: a peer that does not speak HTTP, or says nothing
 * within `timeoutMs`, is an answer with `error` (a TLS peer that is not a web server is never waited
 * on for the whole probe timeout).
 */
export function readHttp(
  socket: TLSSocket,
  target: { port: number; host: string },
  { path, timeoutMs, maxBytes, signal }: HttpRequestOptions,
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const answer: HttpAnswer = {
      path,
      redirects: [],
      status: null,
      size: null,
      truncated: false,
      headers: [],
      title: null,
      description: null,
      keywords: null,
      error: null,
    };
    const hostHeader = target.port === 443 ? target.host : `${target.host}:${target.port}`;
    const req = request({
      createConnection: () => socket,
      path,
      method: "GET",
      headers: {
        host: hostHeader,
        "user-agent": "CertPulse",
        accept: "text/html,*/*;q=0.8",
        "accept-encoding": "identity",
        connection: "close",
      },
      signal,
    });
    let settled = false;
    const done = (error: string | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error && answer.error === null) answer.error = error;
      req.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () =>
        done(
          answer.status === null
            ? `no HTTP answer within ${timeoutMs} ms`
            : `the body did not end within ${timeoutMs} ms`,
        ),
      timeoutMs,
    );
    req.on("response", (res) => {
      answer.status = res.statusCode ?? null;
      for (let i = 0; i + 1 < res.rawHeaders.length && answer.headers.length < MAX_HEADERS; i += 2) {
        answer.headers.push({ n: res.rawHeaders[i] as string, v: clip(res.rawHeaders[i + 1] as string) });
      }
      const declared = Number(res.headers["content-length"]);
      const length = Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
      const html = /^\s*(text\/html|application\/xhtml\+xml)/i.test(res.headers["content-type"] ?? "");
      const head = html ? headReader() : null;
      const decoder = decoderFor(res.headers["content-type"]);
      let received = 0;
      const finish = () => {
        if (settled) return;
        head?.end();
        if (head) Object.assign(answer, head.found);
        answer.size = length ?? Math.min(received, maxBytes);
        done();
      };
      res.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (head && !head.done && received - chunk.length < MAX_PARSED)
          head.write(decoder.decode(chunk, { stream: true }));
        // With the size declared, nothing past the head is needed; without it, count up to the cap.
        const headRead = !head || head.done || received >= MAX_PARSED;
        if (headRead && length !== null) finish();
        else if (received > maxBytes) {
          answer.truncated = true;
          finish();
        }
      });
      res.on("end", finish);
      res.on("error", finish);
    });
    req.on("error", (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      done(
        code?.startsWith("HPE_")
          ? "the server did not answer HTTP"
          : `the HTTP request failed: ${error.message}`,
      );
    });
    req.end();
  });
}
