// A DNS server on loopback, answering from the records a test gives it (dns-packet encodes them)
// and NXDOMAIN for every other name, as a real resolver answers for a name that does not exist.
import { createSocket } from "node:dgram";
import * as packet from "dns-packet";

/** Records by name (lower case, no trailing dot), e.g. { "1.0.0.127.in-addr.arpa": [{ type: "PTR", data: "web.test" }] }. */
export type Zone = Record<string, { type: string; data: unknown }[]>;

export async function startDnsServer(zone: Zone = {}): Promise<{
  address: string;
  queries: string[];
  close(): Promise<void>;
}> {
  const socket = createSocket("udp4");
  const queries: string[] = [];
  socket.on("message", (message, peer) => {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    queries.push(name);
    const records = zone[name];
    const answers = (records ?? [])
      .filter((record) => record.type === question.type)
      .map((record) => ({ name: question.name, type: record.type, class: "IN", ttl: 60, data: record.data }));
    const answer = packet.encode({
      id: query.id,
      type: "response",
      // RA, and RCODE 3 (NXDOMAIN) for a name the zone does not hold.
      flags: packet.RECURSION_AVAILABLE | (records ? 0 : 3),
      questions: [question],
      answers: answers as packet.Answer[],
    });
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
