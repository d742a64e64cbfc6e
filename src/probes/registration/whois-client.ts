// One WHOIS question (RFC 3912): connect to port 43, send the query and CRLF, read until the server
// closes. One deadline for the whole exchange and a cap on the answer's size, so a server that hangs,
// dribbles or floods costs a bounded time and memory.
import { connect } from "node:net";
import { formatServer, type WhoisServer } from "../../lib/whois-server.js";
import { assertAddressAllowed, type GuardOptions, guardedLookup } from "../net/guarded-lookup.js";
import { describeNetworkError } from "../net/network-error.js";
import { TargetRefused } from "../net/resolve-target.js";
import { LookupFailure } from "./registration.js";

export interface WhoisClientOptions extends GuardOptions {
  timeoutMs: number;
  maxBytes: number;
}

export type WhoisQuery = (server: WhoisServer, query: string) => Promise<string>;

export function createWhoisClient(options: WhoisClientOptions): WhoisQuery {
  const lookup = guardedLookup(options);
  return (server, query) =>
    new Promise((resolve, reject) => {
      const name = formatServer(server);
      try {
        assertAddressAllowed(server.host, options);
      } catch (error) {
        reject(new LookupFailure("unreachable", (error as TargetRefused).message));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const socket = connect({ host: server.host, port: server.port, lookup });
      const fail = (failure: LookupFailure) => {
        clearTimeout(timer);
        socket.destroy();
        reject(failure);
      };
      const timer = setTimeout(
        () =>
          fail(
            new LookupFailure(
              "timeout",
              `WHOIS server ${name} did not answer within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
      // Write without half-closing: some registries drop a connection whose client sends FIN first.
      socket.on("connect", () => socket.write(`${query}\r\n`));
      socket.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          fail(
            new LookupFailure(
              "invalid_response",
              `WHOIS server ${name} answered with more than ${options.maxBytes} bytes`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      socket.on("end", () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString("utf8"));
      });
      socket.on("error", (error) => {
        const cause = error instanceof TargetRefused ? error.message : describeNetworkError(error);
        fail(new LookupFailure("unreachable", `WHOIS server ${name}: ${cause}`));
      });
    });
}
