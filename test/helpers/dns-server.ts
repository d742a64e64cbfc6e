// A DNS server on loopback, answering from the records a test gives it (dns-packet encodes them)
// and NXDOMAIN for every other name, as a real resolver answers for a name that does not exist. Like
// a recursive resolver it follows a name's CNAME, answering the alias and the target's records; a
// `{ type: "SERVFAIL" }` record makes every query for the name fail.
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
    const answers: packet.Answer[] = [];
    let owner = name;
    let records = zone[owner];
    for (let hops = 0; records && hops < 8; hops++) {
      const alias = records.find((r) => r.type === "CNAME" && question.type !== "CNAME");
      const matching = alias ? [alias] : records.filter((r) => r.type === question.type);
      answers.push(
        ...matching.map(
          (r) => ({ name: owner, type: r.type, class: "IN", ttl: 60, data: r.data }) as packet.Answer,
        ),
      );
      if (!alias) break;
      owner = String(alias.data).toLowerCase().replace(/\.$/, "");
      records = zone[owner];
    }
    const failing = zone[name]?.some((r) => r.type === "SERVFAIL");
    const answer = packet.encode({
      id: query.id,
      type: "response",
      // RA, and RCODE 3 (NXDOMAIN) for a name the zone does not hold (2: SERVFAIL).
      flags: packet.RECURSION_AVAILABLE | (failing ? 2 : records ? 0 : 3),
      questions: [question],
      answers: failing ? [] : answers,
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
