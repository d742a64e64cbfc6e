// The TLS probe: a target and options in, a plain result out; no database, no GraphQL. It connects
// (pinned address, hosts file or DNS, behind the private-address guard), reads the certificate and
// chain, judges trust and hostname, and optionally scans protocol support and reads HSTS, all
// within one deadline. A failure is a result with `error`, never a throw.
import type { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { checkServerIdentity, type TLSSocket } from "node:tls";
import { daysUntil } from "../../lib/days.js";
import { describeNetworkError, ProbeTimeout } from "../net/network-error.js";
import { type Lookup, resolveTarget, TargetRefused } from "../net/resolve-target.js";
import { chainEntry, describeCertificate } from "./certificate-info.js";
import { type ChainVerdict, hostnameMismatch, trustProblem } from "./chain-verdict.js";
import { type Hsts, mayServeHttp, readHsts } from "./hsts.js";
import { type ProtocolSupport, type SuiteSupport, scanProtocols } from "./scan/protocol-scan.js";
import { type Handshake, handshake } from "./tls-handshake.js";
import type { TrustStore } from "./trust-store.js";

export interface TlsTarget {
  host: string;
  port: number;
  /** Connect here instead of resolving the host; SNI stays the host. */
  address?: string | null;
}

export interface TlsProbeOptions {
  trust: TrustStore;
  timeoutMs: number;
  allowPrivate: boolean;
  hostsFile?: string;
  lookup?: Lookup;
  /** Which versions and suites the server accepts: dozens of short connections, so callers run it less often. */
  scanProtocols?: boolean;
  checkHsts?: boolean;
  /** How long the HSTS request may wait for an answer, within the probe's deadline (default 3 s). */
  hstsTimeoutMs?: number;
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
  /** The address the probe connected to. */
  address: string | null;
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
  ocspStapled: boolean | null;
  hsts: Hsts | null;
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
  ocspStapled: null,
  hsts: null,
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

function trustOf(
  socket: TLSSocket,
  leaf: X509Certificate,
  host: string,
): Pick<TlsProbeResult, "chainValid" | "chainError" | "chainErrorCode" | "hostnameValid"> {
  // From the X509Certificate, not getPeerCertificate(): in Node 20 the latter comes back empty once
  // getPeerX509Certificate() has been called, and building its legacy chain is the probe's most
  // expensive step.
  // OpenSSL's own name check first (cheap); Node's, whose message the check reports, only on a mismatch.
  const matches = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  const mismatch = matches ? undefined : checkServerIdentity(host, leaf.toLegacyObject());
  // The handshake leaves the name to this check, so Node's verdict is about the chain alone.
  const code = socket.authorized ? null : String(socket.authorizationError ?? "UNKNOWN");
  const problem = code ? trustProblem(code) : mismatch ? hostnameMismatch(mismatch.message) : null;
  return {
    chainValid: problem === null,
    chainError: problem?.message ?? null,
    chainErrorCode: problem?.code ?? null,
    hostnameValid: mismatch === undefined,
  };
}

function describeHandshake(target: TlsTarget, { socket, ocspStapled }: Handshake, now: Date) {
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return { error: "the server sent no certificate" };
  const info = describeCertificate(leaf);
  const chain = servedChain(leaf).map((cert) => chainEntry(cert));
  const earliestExpiry = chain.reduce((min, cert) => (cert.validTo < min ? cert.validTo : min), info.validTo);
  const cipher = socket.getCipher();
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
    tlsVersion: socket.getProtocol(),
    cipher: cipher.name, // OpenSSL's name, as `openssl s_client` prints it
    ...trustOf(socket, leaf, target.host),
    chain,
    earliestExpiry,
    ocspStapled,
  };
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
  const now = options.now?.() ?? new Date();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const base = { host: target.host, port: target.port, checkedAt: now };
  const failed = (error: string, address: string | null = null): TlsProbeResult => ({
    ...base,
    ...EMPTY,
    address,
    error,
  });

  let addresses: string[];
  try {
    addresses = await beforeDeadline(
      resolveTarget(target.host, { ...options, address: target.address }),
      signal,
      options.timeoutMs,
      "resolving the hostname",
    );
  } catch (error) {
    return failed(error instanceof TargetRefused ? error.message : describeNetworkError(error));
  }

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
      });
      break;
    } catch (error) {
      lastError = error;
      if (signal.aborted) break;
    }
  }
  if (!done) return failed(describeNetworkError(lastError), address);

  let described: ReturnType<typeof describeHandshake>;
  try {
    described = describeHandshake(target, done, now);
  } catch (error) {
    done.socket.destroy();
    throw error;
  }
  if (described.error !== null) {
    done.socket.destroy();
    return failed(described.error, address);
  }

  const connectTo = { address: address as string, port: target.port, host: target.host };
  const readsHsts = options.checkHsts !== false && mayServeHttp(target.port);
  // The connection is let go as soon as nothing rides it: a server serving one connection at a
  // time (openssl s_server, small appliances) would otherwise hold the scan's behind it.
  if (!readsHsts) done.socket.destroy();
  const [scan, hsts] = await Promise.all([
    options.scanProtocols === false ? null : scanProtocols(connectTo, signal, options.timeoutMs),
    readsHsts ? readHsts(done.socket, target, { timeoutMs: options.hstsTimeoutMs ?? 3000, signal }) : null,
  ]);
  done.socket.destroy();
  return {
    ...base,
    ...EMPTY,
    ...described,
    address,
    hsts,
    protocols: scan?.protocols ?? null,
    cipherSuites: scan?.suites ?? null,
  };
}
