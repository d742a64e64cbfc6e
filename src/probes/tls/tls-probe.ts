// The TLS probe: a target and options in, a plain result out; no database, no GraphQL. It connects
// (pinned address, hosts file or DNS, behind the private-address guard), reads the certificate and
// chain, judges trust and hostname, and optionally scans protocol support and reads HSTS, all
// within one deadline. A failure is a result with `error`, never a throw.
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { checkServerIdentity, type TLSSocket } from "node:tls";
import { daysUntil } from "../../lib/days.js";
import { deadline } from "../../lib/deadline.js";
import type { CaaChecker, CaaVerdict } from "../caa/caa.js";
import { describeNetworkError, ProbeTimeout } from "../net/network-error.js";
import { connectTcp, openTunnel, ProxyRefused, type ProxyTarget } from "../net/proxy-tunnel.js";
import { type Lookup, resolveTarget, TargetRefused } from "../net/resolve-target.js";
import type { ReverseLookup } from "../net/reverse-dns.js";
import type { Revocation, RevocationChecker } from "../revocation/revocation.js";
import { negotiate, type StartTlsProtocol, StartTlsRefused } from "../starttls/starttls.js";
import { chainEntry, describeCertificate } from "./certificate-info.js";
import { type ChainVerdict, hostnameMismatch, trustProblem } from "./chain-verdict.js";
import { anchorsOf, verifyOffline } from "./chain-verify.js";
import {
  type Hsts,
  type HttpAnswer,
  hstsOf,
  mayServeHttp,
  readHttp,
  sameOriginRedirect,
} from "./http-answer.js";
import { LEGACY_SUITE_IDS, SUITES, suiteName } from "./scan/cipher-suites.js";
import { sendHello } from "./scan/hello-scan.js";
import { type ProtocolSupport, type SuiteSupport, scanProtocols } from "./scan/protocol-scan.js";
import { type Handshake, handshake } from "./tls-handshake.js";
import type { TrustStore } from "./trust-store.js";

export interface TlsTarget {
  host: string;
  port: number;
  /** Connect here instead of resolving the host; SNI stays the host. */
  address?: string | null;
  /** What the HTTP request asks for (default /). */
  httpPath?: string;
  /** Reach the server through this HTTP CONNECT proxy (it resolves the host). */
  proxy?: ProxyTarget | null;
  /** Speak this protocol's plain-text preamble before TLS (null: TLS from the first byte). */
  startTls?: StartTlsProtocol | null;
}

export interface TlsProbeOptions {
  trust: TrustStore;
  timeoutMs: number;
  allowPrivate: boolean;
  hostsFile?: string;
  lookup?: Lookup;
  /** Which versions and suites the server accepts: dozens of short connections, so callers run it less often. */
  scanProtocols?: boolean;
  /** One HTTP request over the connection (status, headers, title, HSTS); never on non-HTTP ports. */
  checkHttp?: boolean;
  /** How long the HTTP request may take, within the probe's deadline (default 3 s). */
  httpTimeoutMs?: number;
  /** Body bytes the HTTP request counts before it stops (default 5 MiB). */
  httpMaxBytes?: number;
  /** Same-origin redirects the HTTP request follows, each over a new connection (default 0: none). */
  httpRedirects?: number;
  /** The connected address's name; none: not looked up. */
  reverse?: ReverseLookup;
  /** Asks whether the certificate is revoked (stapled OCSP, its responders, its CRLs); none: not asked. */
  revocation?: RevocationChecker;
  /** Whether the names' CAA records let the issuer issue again; none: not looked up. */
  caa?: CaaChecker;
  /** The connected address's location; none: not looked up. */
  geo?: (address: string) => string | null;
  now?: () => Date;
}

export interface ChainCertificate {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
}

export interface TlsProbeResult {
  host: string;
  port: number;
  /** The address the probe connected to; null through a proxy (the proxy resolves the name). */
  address: string | null;
  /** The address's reverse-DNS name. */
  addressName: string | null;
  /** The address's country (ISO 3166 alpha-2). */
  addressGeo: string | null;
  checkedAt: Date;
  /** Why no certificate could be read; every other field is then null. */
  error: string | null;
  subject: string | null;
  subjectParts: Record<string, string> | null;
  issuer: string | null;
  issuerParts: Record<string, string> | null;
  validFrom: Date | null;
  validTo: Date | null;
  daysRemaining: number | null;
  serialNumber: string | null;
  sans: string[] | null;
  fingerprint256: string | null;
  keyType: string | null;
  keySize: number | null;
  signatureAlgorithm: string | null;
  tlsVersion: string | null;
  cipher: string | null;
  /** Trusted chain and matching hostname: what a browser would accept. */
  chainValid: boolean | null;
  /** What is wrong with the chain, in words; null when chainValid. */
  chainError: string | null;
  /** The same as a code: what grading and alerts read. */
  chainErrorCode: ChainVerdict | null;
  hostnameValid: boolean | null;
  /** Leaf first, as the server sent it. */
  chain: ChainCertificate[] | null;
  /** The first expiry anywhere in the chain: an intermediate can end before the leaf. */
  earliestExpiry: Date | null;
  /** Each certificate as served, DER, leaf first. */
  chainDer: Buffer[] | null;
  ocspStapled: boolean | null;
  /** Whether the issuer says the certificate is revoked; null when not asked or nothing can revoke it (self-signed). */
  revocation: Revocation | null;
  /** Whether CAA lets the certificate's CA issue its renewal; null when not looked up (a CA whose CAA identity is not known). */
  caa: CaaVerdict | null;
  hsts: Hsts | null;
  /** The answer to the check's HTTP request; null when none was sent. */
  http: HttpAnswer | null;
  protocols: ProtocolSupport | null;
  /** Per version the server accepts, the suites it accepts, in its order (with the protocol scan). */
  cipherSuites: SuiteSupport | null;
}

const EMPTY = {
  subject: null,
  subjectParts: null,
  issuer: null,
  issuerParts: null,
  validFrom: null,
  validTo: null,
  daysRemaining: null,
  serialNumber: null,
  sans: null,
  fingerprint256: null,
  keyType: null,
  keySize: null,
  signatureAlgorithm: null,
  tlsVersion: null,
  cipher: null,
  chainValid: null,
  chainError: null,
  chainErrorCode: null,
  hostnameValid: null,
  chain: null,
  earliestExpiry: null,
  chainDer: null,
  ocspStapled: null,
  revocation: null,
  caa: null,
  hsts: null,
  http: null,
  protocols: null,
  cipherSuites: null,
} as const;

/** The chain as the server sent it, leaf first (Node links each peer certificate to its issuer). */
function servedChain(leaf: X509Certificate): X509Certificate[] {
  const chain = [leaf];
  let current: X509Certificate | undefined = leaf;
  while (current && !current.checkIssued(current) && chain.length < 10) {
    current = (current as X509Certificate & { issuerCertificate?: X509Certificate }).issuerCertificate;
    if (current) chain.push(current);
  }
  return chain;
}

/** `code`: OpenSSL's verification code for the chain, null when it verified. */
function trustOf(
  code: string | null,
  leaf: X509Certificate,
  host: string,
): Pick<TlsProbeResult, "chainValid" | "chainError" | "chainErrorCode" | "hostnameValid"> {
  // From the X509Certificate, not getPeerCertificate(): in Node 20 the latter comes back empty once
  // getPeerX509Certificate() has been called, and building its legacy chain is the probe's most
  // expensive step.
  // OpenSSL's own name check first (cheap); Node's, whose message the check reports, only on a mismatch.
  const matches = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  const mismatch = matches ? undefined : checkServerIdentity(host, leaf.toLegacyObject());
  const problem = code ? trustProblem(code) : mismatch ? hostnameMismatch(mismatch.message) : null;
  return {
    chainValid: problem === null,
    chainError: problem?.message ?? null,
    chainErrorCode: problem?.code ?? null,
    hostnameValid: mismatch === undefined,
  };
}

/** What a result says of the certificate and the chain as served (leaf first). */
function describeChain(
  target: TlsTarget,
  served: X509Certificate[],
  session: {
    tlsVersion: string | null;
    cipher: string | null;
    ocspStapled: boolean;
    trustCode: string | null;
  },
  now: Date,
) {
  const leaf = served[0] as X509Certificate;
  const info = describeCertificate(leaf);
  const chain = served.map((cert) => chainEntry(cert));
  const earliestExpiry = chain.reduce((min, cert) => (cert.validTo < min ? cert.validTo : min), info.validTo);
  return {
    error: null,
    subject: info.subject,
    subjectParts: info.subjectParts,
    issuer: info.issuer,
    issuerParts: info.issuerParts,
    validFrom: info.validFrom,
    validTo: info.validTo,
    daysRemaining: daysUntil(info.validTo, now),
    serialNumber: info.serialNumber,
    sans: info.sans,
    fingerprint256: info.fingerprint256,
    keyType: info.keyType,
    keySize: info.keySize,
    signatureAlgorithm: info.signatureAlgorithm,
    tlsVersion: session.tlsVersion,
    cipher: session.cipher, // OpenSSL's name, as `openssl s_client` prints it
    ...trustOf(session.trustCode, leaf, target.host),
    chain,
    earliestExpiry,
    chainDer: served.map((cert) => cert.raw),
    ocspStapled: session.ocspStapled,
  };
}

function describeHandshake(target: TlsTarget, { socket, ocspResponse }: Handshake, now: Date) {
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return { error: "the server sent no certificate" } as const;
  // The handshake leaves the name to trustOf, so Node's verdict is about the chain alone.
  const trustCode = socket.authorized ? null : String(socket.authorizationError ?? "UNKNOWN");
  const served = servedChain(leaf);
  const session = {
    tlsVersion: socket.getProtocol(),
    cipher: socket.getCipher().name,
    ocspStapled: ocspResponse !== null,
    trustCode,
  };
  return { ...describeChain(target, served, session, now), served };
}

/** A revoked certificate is untrusted above all else: the verdict says so, with when and why. */
function withRevocation<T extends Pick<TlsProbeResult, "chainValid" | "chainError" | "chainErrorCode">>(
  described: T,
  revocation: Revocation | null,
): T & { revocation: Revocation | null } {
  if (revocation?.status !== "revoked") return { ...described, revocation };
  const when = revocation.revokedAt ? ` on ${revocation.revokedAt.toISOString()}` : "";
  const why = revocation.reason ? ` (${revocation.reason})` : "";
  return {
    ...described,
    revocation,
    chainValid: false,
    chainError: `certificate has been revoked${when}${why}`,
    chainErrorCode: "revoked",
  };
}

/**
 * The certificate of a server Node cannot negotiate with (it offers only suites OpenSSL refuses:
 * RC4, 3DES, export), read from the plaintext Certificate message a ClientHello draws, newest
 * version first; the chain is verified without a handshake. Null when no version brings one.
 */
async function describeWithoutHandshake(
  target: TlsTarget,
  connectTo: { address: string; port: number; host: string },
  options: TlsProbeOptions,
  signal: AbortSignal,
  now: Date,
) {
  for (const protocol of ["TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3"] as const) {
    const answer = await sendHello(connectTo, protocol, LEGACY_SUITE_IDS, {
      signal,
      timeoutMs: options.timeoutMs,
    }).catch(() => null);
    if (!answer?.accepted || answer.certificates.length === 0) continue;
    const served = answer.certificates.map((der) => new X509Certificate(der));
    const trustCode = verifyOffline(served, anchorsOf(options.trust.anchors), now);
    const cipher = SUITES.get(answer.suite)?.openssl ?? suiteName(answer.suite);
    const session = { tlsVersion: protocol, cipher, ocspStapled: false, trustCode };
    return { ...describeChain(target, served, session, now), served };
  }
  return null;
}

/** Rejects when the deadline passes first, so a hung DNS lookup cannot outlive the probe. */
function beforeDeadline<T>(
  work: Promise<T>,
  signal: AbortSignal,
  timeoutMs: number,
  phase: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new ProbeTimeout(timeoutMs, phase));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export async function probeTls(target: TlsTarget, options: TlsProbeOptions): Promise<TlsProbeResult> {
  const limit = deadline(options.timeoutMs);
  try {
    return await probeWithin(target, options, limit.signal);
  } finally {
    limit.clear();
  }
}

async function probeWithin(
  target: TlsTarget,
  options: TlsProbeOptions,
  signal: AbortSignal,
): Promise<TlsProbeResult> {
  const now = options.now?.() ?? new Date();
  const base = { host: target.host, port: target.port, checkedAt: now, addressName: null, addressGeo: null };
  const failed = (error: string, address: string | null = null): TlsProbeResult => ({
    ...base,
    ...EMPTY,
    address,
    error,
  });
  const { proxy } = target;

  // Direct: the host's addresses, each tried in turn. Through a proxy: the proxy's addresses (the
  // guard applies to the proxy, the one the probe connects to), the host left for the proxy to resolve.
  let addresses: string[];
  try {
    addresses = await beforeDeadline(
      proxy
        ? resolveTarget(proxy.host, options)
        : resolveTarget(target.host, { ...options, address: target.address }),
      signal,
      options.timeoutMs,
      proxy ? "resolving the proxy's hostname" : "resolving the hostname",
    );
  } catch (error) {
    return failed(error instanceof TargetRefused ? error.message : describeNetworkError(error));
  }
  const tunnelTo = { host: target.address ?? target.host, port: target.port };
  const limit = { signal, timeoutMs: options.timeoutMs };
  const { startTls } = target;
  /** How a connection to `candidate` is opened: directly by the handshake, or through the proxy and the preamble first. */
  const dialVia = (candidate: string) => {
    const open = proxy
      ? () => openTunnel({ ...proxy, address: candidate }, tunnelTo, limit)
      : startTls
        ? () => connectTcp({ address: candidate, port: target.port }, limit)
        : undefined;
    if (!open || !startTls) return open;
    return async () => {
      const socket = await open();
      const onAbort = () =>
        socket.destroy(new ProbeTimeout(options.timeoutMs, `during the ${startTls} STARTTLS preamble`));
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        await negotiate(socket, startTls, target.host);
        return socket;
      } catch (error) {
        socket.destroy();
        throw error;
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    };
  };
  /** The issuer's word on the certificate, within the probe's deadline; none asked without a checker. */
  const revocationOf = (served: X509Certificate[], stapled: Buffer | null, via: string | null) =>
    options.revocation
      ? beforeDeadline(
          options.revocation.check(
            served,
            stapled,
            signal,
            now,
            proxy && via ? { ...proxy, address: via } : undefined,
          ),
          signal,
          options.timeoutMs,
          "asking whether the certificate is revoked",
        ).catch(
          (error): Revocation => ({
            status: "unavailable",
            source: null,
            url: null,
            revokedAt: null,
            reason: null,
            detail: error instanceof ProbeTimeout ? "no answer before the probe's deadline" : String(error),
          }),
        )
      : null;
  /** CAA for every name the certificate covers, within the probe's deadline. */
  const caaOf = (described: Pick<TlsProbeResult, "sans" | "subjectParts" | "issuerParts">) => {
    const names = described.sans ?? (described.subjectParts?.CN ? [described.subjectParts.CN] : []);
    return options.caa && described.issuerParts && names.length > 0
      ? beforeDeadline(
          options.caa(names, described.issuerParts, signal),
          signal,
          options.timeoutMs,
          "",
        ).catch(() => null)
      : null;
  };
  /** What the report names as the server's address: unknown through a proxy. */
  const reported = (candidate: string | null) => (proxy ? null : candidate);

  // IPv4 and IPv6: the first address that completes a handshake is the one reported.
  let done: Handshake | undefined;
  let address: string | null = null;
  let lastError: unknown = new Error("hostname has no addresses");
  for (const candidate of addresses) {
    address = candidate;
    try {
      done = await handshake({
        address: candidate,
        port: target.port,
        host: target.host,
        secureContext: options.trust.main,
        signal,
        timeoutMs: options.timeoutMs,
        dial: dialVia(candidate),
      });
      break;
    } catch (error) {
      lastError = error;
      if (signal.aborted || error instanceof ProxyRefused || error instanceof StartTlsRefused) break;
    }
  }
  const connectTo = {
    address: address as string,
    port: target.port,
    host: target.host,
    dial: address === null ? undefined : dialVia(address),
  };
  if (!done) {
    // Node's TLS refused what the server offers (ERR_SSL_…): read what it serves without a handshake.
    const refused = (lastError as NodeJS.ErrnoException)?.code?.startsWith("ERR_SSL_") && !signal.aborted;
    const raw = refused ? await describeWithoutHandshake(target, connectTo, options, signal, now) : null;
    if (!raw) return failed(describeNetworkError(lastError), reported(address));
    const { served, ...described } = raw;
    const [scan, revocation, caa] = await Promise.all([
      options.scanProtocols === false ? null : scanProtocols(connectTo, signal, options.timeoutMs),
      revocationOf(served, null, address),
      caaOf(described),
    ]);
    return {
      ...base,
      ...EMPTY,
      ...withRevocation(described, revocation),
      caa,
      address: reported(address),
      protocols: scan?.protocols ?? null,
      cipherSuites: scan?.suites ?? null,
    };
  }

  let handshaken: ReturnType<typeof describeHandshake>;
  try {
    handshaken = describeHandshake(target, done, now);
  } catch (error) {
    done.socket.destroy();
    throw error;
  }
  if (!("served" in handshaken)) {
    done.socket.destroy();
    return failed(handshaken.error, reported(address));
  }
  const { served, ...described } = handshaken;

  const asksHttp = options.checkHttp !== false && !startTls && mayServeHttp(target.port);
  // The connection is let go as soon as nothing rides it: a server serving one connection at a
  // time (openssl s_server, small appliances) would otherwise hold the scan's behind it.
  if (!asksHttp) done.socket.destroy();
  const server = reported(address);
  const httpOptions = (path: string) => ({
    path,
    timeoutMs: options.httpTimeoutMs ?? 3000,
    maxBytes: options.httpMaxBytes ?? 5 * 1024 * 1024,
    signal,
  });
  /** The answer for the domain's path, then for each same-origin redirect allowed, over a new handshake each. */
  const askHttp = async (socket: TLSSocket) => {
    let answer = await readHttp(socket, target, httpOptions(target.httpPath ?? "/"));
    const redirects = [];
    for (
      let next = sameOriginRedirect(answer, target);
      next !== null;
      next = sameOriginRedirect(answer, target)
    ) {
      if (redirects.length >= (options.httpRedirects ?? 0)) break;
      const again = await handshake({
        address: connectTo.address,
        port: target.port,
        host: target.host,
        secureContext: options.trust.main,
        signal,
        timeoutMs: options.timeoutMs,
        dial: connectTo.dial,
      }).catch(() => null);
      if (!again) break;
      redirects.push({ path: answer.path, status: answer.status as number, location: next });
      answer = await readHttp(again.socket, target, httpOptions(next));
      again.socket.destroy();
    }
    return { ...answer, redirects };
  };
  const [scan, http, addressName, revocation, caa] = await Promise.all([
    options.scanProtocols === false ? null : scanProtocols(connectTo, signal, options.timeoutMs),
    asksHttp ? askHttp(done.socket) : null,
    server && options.reverse
      ? beforeDeadline(options.reverse(server), signal, options.timeoutMs, "").catch(() => null)
      : null,
    revocationOf(served, done.ocspResponse, address),
    caaOf(described),
  ]);
  done.socket.destroy();
  // No spread of EMPTY here: `described` sets every field, and copying the 25 nulls first was, of
  // all things, a twentieth of an expiry probe's JavaScript.
  return {
    ...base,
    ...withRevocation(described, revocation),
    caa,
    address: server,
    addressName,
    addressGeo: server && options.geo ? options.geo(server) : null,
    hsts: hstsOf(http),
    http,
    protocols: scan?.protocols ?? null,
    cipherSuites: scan?.suites ?? null,
  };
}
