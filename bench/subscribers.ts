// The far side of bench/fanout.ts, in its own process so the server's event loop is not also the
// clients': opens N graphql-ws connections subscribed to alertTriggered and, for each alert, reports
// to the parent when all N have it, with every arrival time.
import { performance } from "node:perf_hooks";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, key, countText] = process.argv.slice(2);
const count = Number(countText);
const arrivals = new Map<string, number[]>();
const now = () => performance.timeOrigin + performance.now();

function received(id: string): void {
  const times = arrivals.get(id) ?? [];
  times.push(now());
  arrivals.set(id, times);
  if (times.length === count) {
    process.send?.({ id, arrivals: times });
    arrivals.delete(id);
  }
}

const clients = Array.from({ length: count }, () =>
  createClient({
    url: url!,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key}` },
  }),
);
for (const client of clients) {
  client.subscribe(
    {
      query:
        "subscription { alertTriggered { id domainId hostname alertType severity title message triggeredAt } }",
    },
    {
      next: (result) => received((result.data as { alertTriggered: { id: string } }).alertTriggered.id),
      error: (error) => {
        console.error("subscription failed", error);
        process.exit(1);
      },
      complete: () => {},
    },
  );
}
process.send?.({ started: count });
process.on("disconnect", () => {
  for (const client of clients) void client.dispose();
  process.exit(0);
});
