// A DNS server on loopback that knows no name: every query is answered NXDOMAIN, as a real resolver
// answers for a name that does not exist. Written here because answering "no such name" needs only
// the query's own header echoed back (QR set, RCODE 3, no records); a DNS library would add nothing.
import { createSocket } from "node:dgram";

export async function startNxdomainServer(): Promise<{
  address: string;
  queries: string[];
  close(): Promise<void>;
}> {
  const socket = createSocket("udp4");
  const queries: string[] = [];
  socket.on("message", (query, peer) => {
    if (query.length < 12) return;
    queries.push(questionName(query));
    const answer = Buffer.from(query);
    answer[2] = (query[2]! | 0x80) & 0xf9; // QR (an answer), opcode kept, AA and TC clear
    answer[3] = 0x80 | 0x03; // RA, RCODE 3: NXDOMAIN
    answer.writeUInt16BE(0, 6); // no answers, authority or additional records
    answer.writeUInt16BE(0, 8);
    answer.writeUInt16BE(0, 10);
    socket.send(answer.subarray(0, 12 + questionLength(query)), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** The first question's name, and its length with type and class (the bytes an answer echoes). */
function questionName(query: Buffer): string {
  const labels: string[] = [];
  for (let at = 12; at < query.length && query[at] !== 0; at += query[at]! + 1) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]!).toString("ascii"));
  }
  return labels.join(".");
}

function questionLength(query: Buffer): number {
  let at = 12;
  while (at < query.length && query[at] !== 0) at += query[at]! + 1;
  return at + 1 + 4 - 12;
}
