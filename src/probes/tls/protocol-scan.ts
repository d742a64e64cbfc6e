// Which TLS versions a server accepts: one handshake pinned to each version, in parallel.

import { handshake } from "./tls-handshake.js";
import type { TrustStore } from "./trust-store.js";
import { TLS_VERSIONS, type TlsVersion } from "./trust-store.js";

export type ProtocolSupport = Record<TlsVersion, boolean>;

/** The support as a list in version order, the shape GraphQL (and so REST) gives it. */
export function protocolList(support: ProtocolSupport): { version: TlsVersion; accepted: boolean }[] {
  return TLS_VERSIONS.map((version) => ({ version, accepted: support[version] === true }));
}

export async function scanProtocols(
  target: { address: string; port: number; host: string },
  trust: TrustStore,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<ProtocolSupport> {
  const accepted = await Promise.all(
    TLS_VERSIONS.map((version) =>
      handshake({ ...target, secureContext: trust.only[version], signal, timeoutMs }).then(
        ({ socket }) => {
          socket.destroy();
          return true;
        },
        () => false,
      ),
    ),
  );
  return Object.fromEntries(TLS_VERSIONS.map((version, i) => [version, accepted[i]])) as ProtocolSupport;
}
