// Plain words for why a connection failed, recorded on the check instead of a stack trace.
const BY_CODE: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the server",
  EPIPE: "connection closed by the server",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "hostname could not be resolved",
  EAI_AGAIN: "hostname could not be resolved (DNS did not answer)",
  ERR_SSL_WRONG_VERSION_NUMBER:
    "the server did not answer with TLS (plain HTTP or another protocol on this port?)",
  ERR_SSL_PACKET_LENGTH_TOO_LONG:
    "the server did not answer with TLS (plain HTTP or another protocol on this port?)",
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: "no TLS version in common with the server",
  ERR_SSL_UNSUPPORTED_PROTOCOL: "no TLS version in common with the server",
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: "the server refused the TLS handshake",
};

/** Whether a recorded probe error says the name did not resolve (no address at all). */
export const isUnresolved = (error: string | null) =>
  error?.startsWith("hostname could not be resolved") ?? false;

export class ProbeTimeout extends Error {
  constructor(ms: number, phase: string) {
    super(`timed out after ${ms} ms ${phase}`);
  }
}

export function describeNetworkError(error: unknown): string {
  if (error instanceof ProbeTimeout) return error.message;
  const { code, message } = error as { code?: string; message?: string };
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (message?.includes("socket disconnected before secure TLS connection")) {
    return "connection closed during the TLS handshake";
  }
  return message ?? String(error);
}
