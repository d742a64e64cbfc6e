// A webhook receiver on loopback: records each request (headers and raw body) and answers as the
// test says: 200, a status, never (hangs), or a body trickled out slower than any timeout.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Received {
  headers: Record<string, string>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  json: any;
}

export type Behaviour = { status: number } | "hang" | "slow";

export interface Receiver {
  port: number;
  url: string;
  received: Received[];
  behaviour: Behaviour;
  /** Requests that arrived and have not been answered (hanging or trickling). */
  open: number;
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nth(n: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = { status: 200 }, port = 0): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const waiters: { n: number; resolve: (r: Received) => void }[] = [];
  const receiver: Receiver = {
    port: 0,
    url: "",
    received: [],
    behaviour,
    open: 0,
    nth: (n) =>
      new Promise((resolve) => {
        const ready = receiver.received[n - 1];
        if (ready) resolve(ready);
        else waiters.push({ n, resolve });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const answer = (res: ServerResponse) => {
    const how = receiver.behaviour;
    if (how === "hang") return;
    if (how === "slow") {
      res.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => res.write("."), 500);
      res.on("close", () => clearInterval(drip));
      return;
    }
    res
      .writeHead(how.status, { "content-type": "text/plain" })
      .end(how.status < 300 ? "ok" : "receiver error");
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown = null;
    try {
      json = JSON.parse(body);
    } catch {}
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    receiver.received.push({ headers, body, json });
    for (const waiter of waiters.filter((w) => w.n === receiver.received.length)) {
      waiter.resolve(receiver.received[waiter.n - 1]!);
    }
    receiver.open += 1;
    res.on("close", () => {
      receiver.open -= 1;
    });
    answer(res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  return receiver;
}
