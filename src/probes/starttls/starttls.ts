// STARTTLS: services that speak TLS only after a plain-text preamble (RFC 3207 SMTP, RFC 2595 IMAP
// and POP3, RFC 4217 FTP, RFC 6120 XMPP, RFC 4511 LDAP's StartTLS operation, PostgreSQL's SSLRequest
// and MySQL's). Each preamble runs on a fresh TCP connection until the server is ready for the
// ClientHello; the TLS probe then handshakes (and scans) over that socket. Written here: each
// preamble is a few lines of the protocol, and no library speaks all of them only up to STARTTLS.
import type { Socket } from "node:net";

export const STARTTLS_PROTOCOLS = [
  "smtp",
  "submission",
  "imap",
  "pop3",
  "ftp",
  "xmpp",
  "ldap",
  "postgres",
  "mysql",
] as const;
export type StartTlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** The well-known plain-text ports of each protocol: a domain on one of them uses its preamble unless told otherwise. */
const BY_PORT: Record<number, StartTlsProtocol> = {
  25: "smtp",
  587: "submission",
  143: "imap",
  110: "pop3",
  21: "ftp",
  5222: "xmpp",
  389: "ldap",
  5432: "postgres",
  3306: "mysql",
};

/** The preamble a domain's checks speak: its own setting ("tls": none), else its port's default. */
export function startTlsFor(
  port: number,
  setting: StartTlsProtocol | "tls" | null | undefined,
): StartTlsProtocol | null {
  if (setting === "tls") return null;
  return setting ?? BY_PORT[port] ?? null;
}

/** What a server said instead of agreeing to TLS. */
export class StartTlsRefused extends Error {}

/** A server's preamble is a few lines; more than this before it agrees is not the protocol. */
const MAX_PREAMBLE_BYTES = 64 * 1024;

/** Reads what the server sends, piece by piece, until `take` finds a complete answer in it. */
function reader(socket: Socket, protocol: StartTlsProtocol) {
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiting?.();
  };
  const onEnd = () => {
    failure = new StartTlsRefused(`the server closed the connection during the ${protocol} preamble`);
    waiting?.();
  };
  const onError = (error: Error) => {
    failure = error;
    waiting?.();
  };
  socket.on("data", onData).on("end", onEnd).on("error", onError);
  return {
    /** `take` returns how many bytes make the answer, or -1 for "not yet". */
    async next(take: (data: Buffer) => number): Promise<Buffer> {
      for (;;) {
        const size = take(buffer);
        if (size >= 0) {
          const answer = buffer.subarray(0, size);
          buffer = buffer.subarray(size);
          return answer;
        }
        if (failure) throw failure;
        if (buffer.length > MAX_PREAMBLE_BYTES)
          throw new StartTlsRefused(`the ${protocol} preamble ran past 64 KiB`);
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        waiting = null;
      }
    },
    /** Hands the socket over: the TLS layer reads from here on. */
    release() {
      socket.off("data", onData).off("end", onEnd).off("error", onError);
      if (buffer.length > 0) socket.unshift(buffer);
    },
  };
}

/** A whole reply of a line protocol: up to the line `last` accepts. */
const reply = (last: (line: string) => boolean) => (data: Buffer) => {
  let start = 0;
  for (let end = data.indexOf("\n"); end !== -1; end = data.indexOf("\n", start)) {
    const line = data.subarray(start, end).toString("latin1").replace(/\r$/, "");
    start = end + 1;
    if (last(line)) return start;
  }
  return -1;
};
/** SMTP and FTP: "250-more" lines, then "250 last". */
const numericReply = reply((line) => /^\d{3}( |$)/.test(line));
const text = (data: Buffer) => data.toString("latin1").trim().replace(/\s+/g, " ").slice(0, 200);

function expect(protocol: string, answer: Buffer, ok: (text: string) => boolean, what: string) {
  if (!ok(answer.toString("latin1")))
    throw new StartTlsRefused(`${protocol}: ${what}; the server said "${text(answer)}"`);
}

/** One whole BER element (tag, length, content) at the start of `data`, or -1 while incomplete. */
function berElement(data: Buffer): number {
  if (data.length < 2) return -1;
  const first = data[1] as number;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (data.length < 2 + bytes) return -1;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (data[2 + i] as number);
    header += bytes;
  }
  return data.length >= header + length ? header + length : -1;
}

/** One MySQL packet: a 3-byte little-endian length, a sequence number, the payload. */
const mysqlPacket = (data: Buffer) =>
  data.length >= 4 && data.length >= 4 + data.readUIntLE(0, 3) ? 4 + data.readUIntLE(0, 3) : -1;

// LDAPMessage { messageID 1, ExtendedRequest { requestName "1.3.6.1.4.1.1466.20037" } } (RFC 4511 §4.14).
const LDAP_STARTTLS = Buffer.concat([
  Buffer.from([0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16]),
  Buffer.from("1.3.6.1.4.1.1466.20037", "ascii"),
]);
const CLIENT_SSL = 0x0800;

/** Speaks `protocol`'s preamble on a connected socket until the server is ready for the ClientHello. */
export async function negotiate(socket: Socket, protocol: StartTlsProtocol, host: string): Promise<void> {
  const read = reader(socket, protocol);
  const send = (data: string | Buffer) => socket.write(data);
  switch (protocol) {
    case "smtp":
    case "submission": {
      expect(protocol, await read.next(numericReply), (t) => /(^|\n)220 /.test(t), "no 220 greeting");
      send("EHLO certpulse.invalid\r\n");
      const ehlo = await read.next(numericReply);
      expect(protocol, ehlo, (t) => /^250[ -]STARTTLS\b/im.test(t), "STARTTLS is not offered");
      send("STARTTLS\r\n");
      expect(protocol, await read.next(numericReply), (t) => t.startsWith("220"), "STARTTLS was refused");
      break;
    }
    case "imap": {
      expect(
        protocol,
        await read.next(reply(() => true)),
        (t) => /^\* (OK|PREAUTH)/i.test(t),
        "no OK greeting",
      );
      send("a001 STARTTLS\r\n");
      const answer = await read.next(reply((line) => line.startsWith("a001 ")));
      expect(protocol, answer, (t) => /(^|\n)a001 OK/i.test(t), "STARTTLS was refused");
      break;
    }
    case "pop3": {
      expect(protocol, await read.next(reply(() => true)), (t) => t.startsWith("+OK"), "no +OK greeting");
      send("STLS\r\n");
      expect(protocol, await read.next(reply(() => true)), (t) => t.startsWith("+OK"), "STLS was refused");
      break;
    }
    case "ftp": {
      expect(protocol, await read.next(numericReply), (t) => /(^|\n)220 /.test(t), "no 220 greeting");
      send("AUTH TLS\r\n");
      expect(protocol, await read.next(numericReply), (t) => t.startsWith("234"), "AUTH TLS was refused");
      break;
    }
    case "xmpp": {
      send(
        `<?xml version='1.0'?><stream:stream to='${host}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
      );
      const until = (end: RegExp) => (data: Buffer) => {
        const match = end.exec(data.toString("utf8"));
        return match ? Buffer.byteLength(data.toString("utf8").slice(0, match.index + match[0].length)) : -1;
      };
      const features = await read.next(until(/<\/stream:features>|<stream:features[^>]*\/>/));
      expect(protocol, features, (t) => t.includes("<starttls"), "STARTTLS is not among the stream features");
      send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      const answer = await read.next(until(/<proceed[^>]*\/>|<proceed[^>]*>.*?<\/proceed>|<failure[^>]*\/>/));
      expect(protocol, answer, (t) => t.includes("<proceed"), "STARTTLS was refused");
      break;
    }
    case "ldap": {
      send(LDAP_STARTTLS);
      const answer = await read.next(berElement);
      // ExtendedResponse ([APPLICATION 24]) whose resultCode (ENUMERATED) is success (0).
      const at = answer.indexOf(Buffer.from([0x0a, 0x01]));
      const code = at === -1 ? -1 : (answer[at + 2] as number);
      if (!answer.includes(0x78) || code !== 0)
        throw new StartTlsRefused(`ldap: StartTLS was refused (result code ${code})`);
      break;
    }
    case "postgres": {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4); // SSLRequest
      send(request);
      const answer = await read.next((data) => (data.length >= 1 ? 1 : -1));
      if (answer[0] !== 0x53)
        throw new StartTlsRefused("postgres: the server does not accept SSL connections");
      break;
    }
    case "mysql": {
      const greeting = await read.next(mysqlPacket);
      const payload = greeting.subarray(4);
      if (payload[0] === 0xff)
        throw new StartTlsRefused(`mysql: the server refused the connection: ${text(payload.subarray(3))}`);
      // Protocol 10: version string, connection id, 8 bytes of salt and a filler, then capabilities.
      const afterVersion = payload.indexOf(0, 1) + 1;
      const capabilities = payload.readUInt16LE(afterVersion + 4 + 9);
      if (!(capabilities & CLIENT_SSL)) throw new StartTlsRefused("mysql: the server does not offer SSL");
      const request = Buffer.alloc(4 + 32);
      request.writeUIntLE(32, 0, 3);
      request[3] = (greeting[3] as number) + 1;
      // CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION; 16 MiB packets; utf8mb4.
      request.writeUInt32LE(0x0200 | CLIENT_SSL | 0x8000, 4);
      request.writeUInt32LE(16 * 1024 * 1024, 8);
      request[12] = 45;
      send(request);
      break;
    }
  }
  read.release();
}
