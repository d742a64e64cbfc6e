// Servers that speak TLS only after a plain-text preamble, for the STARTTLS probe: SMTP is npm's
// smtp-server (a real SMTP implementation); the others speak their protocol's preamble as RFC 2595
// (IMAP, POP3), RFC 4217 (FTP), RFC 6120 (XMPP), RFC 4511 (LDAP) and the PostgreSQL and MySQL wire
// protocols write it, then hand the socket to Node's TLS. `openssl s_client -starttls` talks to each.
import { createServer, type Server } from "node:net";
import { Duplex } from "node:stream";
import { createSecureContext, TLSSocket } from "node:tls";
import { SMTPServer } from "smtp-server";
import type { StartTlsProtocol } from "../../src/probes/starttls/starttls.js";
import { listen, type Running } from "./tls-servers.js";

interface Options {
  cert: string;
  key: string;
  /** Answer the request for TLS with a refusal instead. */
  refuse?: boolean;
}

/** SMTP with STARTTLS (or, with `refuse`, a server that does not offer it). */
export async function startSmtpServer({ cert, key, refuse }: Options): Promise<Running> {
  const server = new SMTPServer({
    secure: false,
    key,
    cert,
    authOptional: true,
    logger: false,
    disabledCommands: refuse ? ["STARTTLS"] : [],
    onData: (stream, _session, done) => {
      stream.resume();
      stream.on("end", () => done());
    },
  });
  // The protocol scan offers versions and suites the server refuses: those handshakes fail, as they should.
  server.on("error", () => {});
  return listen(server.server as Server, new Set());
}

/** What each protocol's server says first, and how it answers: the bytes read so far in, a reply or null. */
type Script = {
  greeting?: Buffer | string;
  /** The reply to what the client sent so far, and whether TLS starts after it; null while more is needed. */
  answer(received: Buffer, refuse: boolean): { reply: Buffer | string; tls: boolean; rest?: Buffer } | null;
};

const line = (received: Buffer, command: RegExp) => command.test(received.toString("latin1"));

const mysqlGreeting = () => {
  // Protocol 10: version, connection id, 8 bytes of salt, a filler, capabilities (with CLIENT_SSL).
  const payload = Buffer.concat([
    Buffer.from([10]),
    Buffer.from("8.0.0-certpulse-test\0", "latin1"),
    Buffer.from([1, 0, 0, 0]),
    Buffer.from("saltsalt", "latin1"),
    Buffer.from([0]),
    Buffer.alloc(2), // the lower capabilities, written below
    Buffer.from([45]),
    Buffer.from([2, 0]),
    Buffer.from([0xff, 0x81]),
    Buffer.from([21]),
    Buffer.alloc(10),
    Buffer.from("saltsaltsalt\0", "latin1"),
    Buffer.from("mysql_native_password\0", "latin1"),
  ]);
  payload.writeUInt16LE(0x0200 | 0x0800 | 0x8000 | 0x0001 | 0x0008, 1 + 21 + 4 + 9);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 0;
  return Buffer.concat([header, payload]);
};

const SCRIPTS: Record<Exclude<StartTlsProtocol, "smtp" | "submission">, Script> = {
  imap: {
    greeting: "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n",
    answer: (r, refuse) => {
      const [, tag, command] = /^(\S+) (\w+)\r\n$/.exec(r.toString("latin1")) ?? [];
      if (command?.toUpperCase() === "CAPABILITY")
        return { reply: `* CAPABILITY IMAP4rev1 STARTTLS\r\n${tag} OK done\r\n`, tls: false };
      if (command?.toUpperCase() === "STARTTLS")
        return {
          reply: refuse ? `${tag} BAD not now\r\n` : `${tag} OK Begin TLS negotiation now\r\n`,
          tls: !refuse,
        };
      return null;
    },
  },
  pop3: {
    greeting: "+OK POP3 ready\r\n",
    answer: (r, refuse) => {
      if (line(r, /^CAPA\r\n$/i)) return { reply: "+OK\r\nSTLS\r\n.\r\n", tls: false };
      return line(r, /STLS\r\n$/i)
        ? { reply: refuse ? "-ERR not now\r\n" : "+OK Begin TLS\r\n", tls: !refuse }
        : null;
    },
  },
  ftp: {
    greeting: "220-Welcome\r\n220 FTP ready\r\n",
    answer: (r, refuse) =>
      line(r, /AUTH TLS\r\n$/i)
        ? { reply: refuse ? "534 not now\r\n" : "234 AUTH TLS OK\r\n", tls: !refuse }
        : null,
  },
  xmpp: {
    answer: (r, refuse) => {
      const text = r.toString("utf8");
      if (/<starttls[^>]*\/>$/.test(text))
        return {
          reply: refuse
            ? "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            : "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
          tls: !refuse,
        };
      if (/<stream:stream[^>]*>$/.test(text))
        return {
          reply:
            "<?xml version='1.0'?><stream:stream from='chat.example.com' id='1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
          tls: false,
        };
      return null;
    },
  },
  ldap: {
    answer: (r, refuse) =>
      r.length >= 2 && r.length >= 2 + (r[1] as number) && r.includes(Buffer.from("1.3.6.1.4.1.1466.20037"))
        ? {
            // ExtendedResponse: resultCode success (0) or protocolError (2), empty DN and message.
            reply: Buffer.from([
              0x30,
              0x0c,
              0x02,
              0x01,
              0x01,
              0x78,
              0x07,
              0x0a,
              0x01,
              refuse ? 2 : 0,
              0x04,
              0x00,
              0x04,
              0x00,
            ]),
            tls: !refuse,
          }
        : null,
  },
  postgres: {
    answer: (r, refuse) =>
      r.length >= 8 && r.readInt32BE(4) === 80877103 ? { reply: refuse ? "N" : "S", tls: !refuse } : null,
  },
  mysql: {
    greeting: mysqlGreeting(),
    // The client's SSLRequest: a 32-byte packet with CLIENT_SSL set; its ClientHello follows at once
    // (the server says nothing in between), often in the same read.
    answer: (r) =>
      r.length >= 36 && r.readUInt32LE(4) & 0x0800
        ? { reply: Buffer.alloc(0), tls: true, rest: r.subarray(36) }
        : null,
  },
};

/** A server for one preamble: it greets, answers the request for TLS, then speaks TLS on that socket. */
export async function startPreambleServer(
  protocol: keyof typeof SCRIPTS,
  { cert, key, refuse = false }: Options,
): Promise<Running> {
  const script = SCRIPTS[protocol];
  const secureContext = createSecureContext({ cert, key, minVersion: "TLSv1.2" });
  const server = createServer((socket) => {
    socket.on("error", () => {});
    let received = Buffer.alloc(0);
    if (script.greeting) socket.write(script.greeting);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const step = script.answer(received, refuse);
      if (!step) return;
      received = Buffer.alloc(0);
      if (!step.tls) {
        socket.write(step.reply);
        return;
      }
      // TLS reads from a stream of its own, fed what the socket sends next, starting with anything
      // that came in behind the request (a MySQL client sends its ClientHello right after it).
      socket.off("data", onData);
      socket.write(step.reply);
      const stream = new Duplex({
        read() {},
        write(chunk, _encoding, done) {
          socket.write(chunk, done);
        },
      });
      if (step.rest && step.rest.length > 0) stream.push(step.rest);
      socket.on("data", (data) => stream.push(data));
      socket.on("close", () => stream.destroy());
      const secure = new TLSSocket(stream, { isServer: true, secureContext });
      secure.on("error", () => socket.destroy());
    };
    socket.on("data", onData);
  });
  return listen(server, new Set());
}
