// One TLS handshake to one address, bounded by the probe's deadline. Certificates are never
// rejected here: the probe reports what is wrong with them instead.
import { isIP, type Socket } from "node:net";
import { type ConnectionOptions, connect, type SecureContext, type TLSSocket } from "node:tls";
import { ProbeTimeout } from "../net/network-error.js";

export interface HandshakeOptions {
  address: string;
  port: number;
  /** SNI; omitted for IP literals, as RFC 6066 requires. */
  host: string;
  secureContext: SecureContext;
  signal: AbortSignal;
  timeoutMs: number;
  /** Opens the TCP stream (a proxy's tunnel) instead of connecting to address:port. */
  dial?: () => Promise<Socket>;
}

export interface Handshake {
  socket: TLSSocket;
  /** The OCSP response the server stapled (DER); null when it stapled none. */
  ocspResponse: Buffer | null;
}

export async function handshake(options: HandshakeOptions): Promise<Handshake> {
  const tunnel = options.dial ? await options.dial() : undefined;
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      tunnel?.destroy();
      return reject(new ProbeTimeout(options.timeoutMs, "before connecting"));
    }
    let ocspResponse: Buffer | null = null;
    let connected = tunnel !== undefined;
    // requestOCSP is a TLSSocket option that tls.connect passes through; @types/node omits it.
    const connectOptions: ConnectionOptions & { requestOCSP: boolean } = {
      ...(tunnel ? { socket: tunnel } : { host: options.address, port: options.port }),
      servername: isIP(options.host) ? undefined : options.host,
      secureContext: options.secureContext,
      rejectUnauthorized: false,
      requestOCSP: true,
      // The probe judges the name itself, on the X509Certificate (tls-probe.ts).
      checkServerIdentity: () => undefined,
    };
    const socket = connect(connectOptions);
    // After a verified handshake Node builds the peer's whole chain as legacy objects
    // (getPeerCertificate(true)) only to hand it to checkServerIdentity, which is a no-op here:
    // that was a third of an expiry probe's CPU. Until secureConnect this socket answers that call
    // with nothing; afterwards the method is Node's own again.
    const unused = (() => ({})) as TLSSocket["getPeerCertificate"];
    socket.getPeerCertificate = unused;
    const onAbort = () => {
      socket.destroy();
      reject(new ProbeTimeout(options.timeoutMs, connected ? "during the TLS handshake" : "connecting"));
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    const settle = () => options.signal.removeEventListener("abort", onAbort);
    socket.once("connect", () => {
      connected = true;
    });
    // Emitted with null when the server staples nothing.
    socket.on("OCSPResponse", (response: Buffer | null) => {
      ocspResponse = response !== null && response.length > 0 ? response : null;
    });
    socket.once("secureConnect", () => {
      if (socket.getPeerCertificate === unused) Reflect.deleteProperty(socket, "getPeerCertificate");
      settle();
      resolve({ socket, ocspResponse });
    });
    socket.once("error", (error) => {
      settle();
      socket.destroy();
      reject(error);
    });
  });
}
