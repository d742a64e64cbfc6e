// Which cipher suites a server accepts, per protocol, read from ServerHellos: the scan sends a
// ClientHello offering suites, reads which one the server picks (and, for DHE and ECDHE in TLS 1.2
// and below, the group and size from its ServerKeyExchange), and stops there; no handshake is
// completed, so suites OpenSSL refuses to negotiate (RC4, DES, 3DES, export, NULL, anonymous) and
// SSL 3 are seen as well as modern ones. Node's TLS stack cannot offer those, and no maintained npm
// package builds raw ClientHellos, so the few record and handshake fields needed are written here
// (RFC 5246 §7.4, RFC 8446 §4.1).
import { randomBytes } from "node:crypto";
import { connect, isIP, type Socket } from "node:net";
import { ProbeTimeout } from "../../net/network-error.js";
import { SUITES } from "./cipher-suites.js";

export type ScanProtocol = "SSLv3" | "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

const WIRE_VERSION: Record<ScanProtocol, number> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  "TLSv1.1": 0x0302,
  "TLSv1.2": 0x0303,
  "TLSv1.3": 0x0304,
};

/** Named groups offered, most preferred first (RFC 8446 §4.2.7); ids for reading them back. */
export const GROUP_NAMES: Record<number, string> = {
  23: "secp256r1",
  24: "secp384r1",
  25: "secp521r1",
  29: "x25519",
  30: "x448",
};
const GROUPS = [29, 23, 24, 25, 30];
// Every signature algorithm a server's certificate may need, SHA-1 included (RFC 8446 §4.2.3).
const SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501,
  0x0601, 0x0203, 0x0201, 0x0402, 0x0202,
];

export interface HelloTarget {
  address: string;
  port: number;
  /** SNI; omitted for IP literals. */
  host: string;
  /** Opens the TCP stream (a proxy's tunnel) instead of connecting to address:port. */
  dial?: () => Promise<Socket>;
}

export type HelloAnswer =
  | {
      accepted: true;
      version: ScanProtocol;
      suite: number;
      /** The key-exchange group: a named curve, or for finite-field DHE its prime's size. */
      group: string | null;
      /** Bits of the DHE prime, or of the named group. */
      groupBits: number | null;
      /** The chain the server sent (DER, leaf first); TLS 1.3 encrypts it, so empty there. */
      certificates: Buffer[];
      /** Whether the ServerHello carried renegotiation_info (RFC 5746). */
      secureRenegotiation: boolean;
    }
  | { accepted: false; reason: string };

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vector16 = (body: Buffer) => Buffer.concat([u16(body.length), body]);
const list16 = (values: number[]) => vector16(Buffer.concat(values.map(u16)));
const extension = (type: number, body: Buffer) => Buffer.concat([u16(type), vector16(body)]);

/** A ClientHello record offering `suites` at `protocol`. */
export function clientHello(protocol: ScanProtocol, suites: number[], host: string): Buffer {
  const tls13 = protocol === "TLSv1.3";
  const extensions: Buffer[] = [];
  if (protocol !== "SSLv3") {
    if (host && isIP(host) === 0) {
      const name = Buffer.from(host, "ascii");
      extensions.push(extension(0, vector16(Buffer.concat([u8(0), vector16(name)]))));
    }
    extensions.push(extension(10, list16(GROUPS)));
    extensions.push(extension(11, Buffer.from([1, 0]))); // ec_point_formats: uncompressed
    extensions.push(extension(13, list16(SIGNATURE_ALGORITHMS)));
    extensions.push(extension(0xff01, Buffer.from([0]))); // renegotiation_info, empty
    if (tls13) {
      extensions.push(extension(43, Buffer.from([2, 0x03, 0x04]))); // supported_versions: TLS 1.3
      // Any 32 bytes are an X25519 public key; the server answers before it could tell.
      extensions.push(extension(51, vector16(Buffer.concat([u16(29), vector16(randomBytes(32))]))));
      extensions.push(extension(45, Buffer.from([1, 1]))); // psk_key_exchange_modes: psk_dhe_ke
    }
  }
  const version = tls13 ? 0x0303 : WIRE_VERSION[protocol];
  const body = Buffer.concat([
    u16(version),
    randomBytes(32),
    tls13 ? Buffer.concat([u8(32), randomBytes(32)]) : u8(0), // legacy_session_id
    list16(suites),
    Buffer.from([1, 0]), // compression: null only
    ...(extensions.length > 0 ? [vector16(Buffer.concat(extensions))] : []),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  return Buffer.concat([
    u8(22),
    u16(protocol === "SSLv3" ? 0x0300 : 0x0301),
    u16(handshake.length),
    handshake,
  ]);
}

// RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest.
const RETRY_RANDOM = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");
const VERSION_NAMES = new Map(
  Object.entries(WIRE_VERSION).map(([name, wire]) => [wire, name as ScanProtocol]),
);

interface Reader {
  buffer: Buffer;
  at: number;
}
const read = (r: Reader, n: number) => {
  if (r.at + n > r.buffer.length) throw new RangeError("truncated");
  const slice = r.buffer.subarray(r.at, r.at + n);
  r.at += n;
  return slice;
};
const readU8 = (r: Reader) => read(r, 1)[0] as number;
const readU16 = (r: Reader) => read(r, 2).readUInt16BE(0);

type Parsed = { done: false } | { done: true; answer: HelloAnswer };

/**
 * Reads what the server has sent so far: records, then handshake messages. Done at an alert, at a
 * TLS 1.3 ServerHello (or HelloRetryRequest), or at ServerHelloDone in older versions (by when the
 * ServerKeyExchange has named the group).
 */
export function parseServerFlight(data: Buffer, offered: ScanProtocol): Parsed {
  const records: Reader = { buffer: data, at: 0 };
  const handshakes: Buffer[] = [];
  while (records.buffer.length - records.at >= 5) {
    const type = records.buffer[records.at] as number;
    const length = records.buffer.readUInt16BE(records.at + 3);
    if (records.buffer.length - records.at < 5 + length) break;
    const fragment = records.buffer.subarray(records.at + 5, records.at + 5 + length);
    records.at += 5 + length;
    if (type === 21) {
      const description = fragment[1];
      return { done: true, answer: { accepted: false, reason: `alert ${description}` } };
    }
    // TLS 1.3 follows its ServerHello with ChangeCipherSpec and encrypted records: plaintext ends.
    if (type === 20 || type === 23) break;
    if (type !== 22) return { done: true, answer: { accepted: false, reason: `record type ${type}` } };
    handshakes.push(fragment);
  }
  const messages: Reader = { buffer: Buffer.concat(handshakes), at: 0 };
  let hello: { version: ScanProtocol; suite: number } | null = null;
  let group: string | null = null;
  let groupBits: number | null = null;
  const certificates: Buffer[] = [];
  let secureRenegotiation = false;
  const accepted = (): Parsed => {
    const bits = group ? (GROUP_BITS[group] ?? groupBits) : groupBits;
    return {
      done: true,
      answer: {
        accepted: true,
        ...(hello as { version: ScanProtocol; suite: number }),
        group,
        groupBits: bits,
        certificates,
        secureRenegotiation,
      },
    };
  };
  while (messages.buffer.length - messages.at >= 4) {
    const type = messages.buffer[messages.at] as number;
    const length = messages.buffer.readUIntBE(messages.at + 1, 3);
    if (messages.buffer.length - messages.at < 4 + length) break;
    const body: Reader = {
      buffer: messages.buffer.subarray(messages.at + 4, messages.at + 4 + length),
      at: 0,
    };
    messages.at += 4 + length;
    if (!hello && type !== 2) {
      return { done: true, answer: { accepted: false, reason: `handshake type ${type} first` } };
    }
    if (type === 2) {
      let version = readU16(body);
      const random = read(body, 32);
      read(body, readU8(body)); // session id
      const suite = readU16(body);
      readU8(body); // compression
      if (body.at < body.buffer.length) {
        const end = body.at + 2 + readU16(body);
        while (body.at + 4 <= end) {
          const extType = readU16(body);
          const ext: Reader = { buffer: read(body, readU16(body)), at: 0 };
          if (extType === 43) version = readU16(ext);
          if (extType === 0xff01) secureRenegotiation = true;
          if (extType === 51) group = groupName(readU16(ext));
        }
      }
      const name = VERSION_NAMES.get(version);
      if (name !== offered) {
        return {
          done: true,
          answer: { accepted: false, reason: `answered ${name ?? `0x${version.toString(16)}`}` },
        };
      }
      hello = { version: name, suite };
      // TLS 1.3 encrypts everything after its ServerHello (a HelloRetryRequest too has chosen).
      if (name === "TLSv1.3" || random.equals(RETRY_RANDOM)) return accepted();
    } else if (type === 11) {
      // Certificate: a 24-bit list of 24-bit-length DER certificates.
      const end = 3 + body.buffer.readUIntBE(0, 3);
      body.at = 3;
      while (body.at + 3 <= end) {
        const length = body.buffer.readUIntBE(body.at, 3);
        body.at += 3;
        certificates.push(Buffer.from(read(body, length)));
      }
    } else if (type === 12) {
      // ServerKeyExchange: ECDHE names its curve; DHE sends its prime first. (The chosen suite says
      // which: a DHE prime's length can start with the byte that means "named curve".)
      const kx = SUITES.get((hello as { suite: number }).suite)?.keyExchange;
      if (kx === "ECDHE" || kx === "ECDH_anon") {
        body.at = 1;
        group = groupName(readU16(body));
      } else {
        const prime = read(body, readU16(body));
        const first = prime.findIndex((byte) => byte !== 0);
        groupBits = first < 0 ? 0 : (prime.length - first) * 8 - (Math.clz32(prime[first] as number) - 24);
        group = "ffdhe";
      }
    } else if (type === 14) {
      return accepted(); // ServerHelloDone
    }
  }
  return { done: false };
}

const groupName = (id: number) => GROUP_NAMES[id] ?? `group ${id}`;

const GROUP_BITS: Record<string, number> = {
  secp256r1: 256,
  secp384r1: 384,
  secp521r1: 521,
  x25519: 253,
  x448: 448,
};

/** One ClientHello to the target and what it answered; refusals (alerts, closed connections) are answers. */
export async function sendHello(
  target: HelloTarget,
  protocol: ScanProtocol,
  suites: number[],
  { signal, timeoutMs }: { signal: AbortSignal; timeoutMs: number },
): Promise<HelloAnswer> {
  if (signal.aborted) throw new ProbeTimeout(timeoutMs, "scanning cipher suites");
  const tunnel = target.dial ? await target.dial() : undefined;
  return new Promise((resolve, reject) => {
    const socket: Socket = tunnel ?? connect({ host: target.address, port: target.port });
    let received = Buffer.alloc(0);
    const finish = (answer: HelloAnswer | Error) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      if (answer instanceof Error) reject(answer);
      else resolve(answer);
    };
    const onAbort = () => finish(new ProbeTimeout(timeoutMs, "scanning cipher suites"));
    signal.addEventListener("abort", onAbort, { once: true });
    // A tunnel is connected when it is handed over; a direct socket says so with "connect".
    if (tunnel) socket.write(clientHello(protocol, suites, target.host));
    else socket.once("connect", () => socket.write(clientHello(protocol, suites, target.host)));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // A server flight is a few kilobytes; anything far larger is not a TLS server talking.
      if (received.length > 256 * 1024) return finish({ accepted: false, reason: "oversized answer" });
      try {
        const parsed = parseServerFlight(received, protocol);
        if (parsed.done) finish(parsed.answer);
      } catch {
        finish({ accepted: false, reason: "malformed answer" });
      }
    });
    socket.once("end", () => finish({ accepted: false, reason: "connection closed" }));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" ? finish({ accepted: false, reason: "connection reset" }) : finish(error),
    );
  });
}

export interface ProtocolSuites {
  protocol: ScanProtocol;
  /** Accepted suites in the order the server chose them from the full offer: its preference. */
  suites: { id: number; group: string | null; groupBits: number | null }[];
  /** False when the deadline cut the list short: it may lack suites the server accepts. */
  complete: boolean;
  /** Whether the server answered with renegotiation_info (RFC 5746); TLS 1.3 has no renegotiation. */
  secureRenegotiation: boolean;
}

/**
 * Every suite the server accepts at `protocol`: offer all, note the one it picks, offer the rest,
 * until it refuses. The order is the server's preference when it has one (else the offer's).
 * Never throws: a failed connection ends the list, the deadline marks it incomplete.
 */
export async function enumerateSuites(
  target: HelloTarget,
  protocol: ScanProtocol,
  offer: number[],
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<ProtocolSuites> {
  const suites: ProtocolSuites["suites"] = [];
  let secureRenegotiation = false;
  let left = [...offer];
  while (left.length > 0) {
    // A peer that hangs up oddly has shown what it accepts; one that runs out the deadline may not have.
    const answer = await sendHello(target, protocol, left, options).catch((error: unknown) => error);
    if (answer instanceof ProbeTimeout) return { protocol, suites, complete: false, secureRenegotiation };
    if (answer instanceof Error || !(answer as HelloAnswer).accepted) break;
    const { suite, group, groupBits, ...rest } = answer as Extract<HelloAnswer, { accepted: true }>;
    if (!left.includes(suite)) break;
    secureRenegotiation ||= rest.secureRenegotiation;
    suites.push({ id: suite, group, groupBits });
    left = left.filter((id) => id !== suite);
  }
  return { protocol, suites, complete: true, secureRenegotiation };
}
