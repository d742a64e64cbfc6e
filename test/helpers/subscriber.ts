// A real graphql-ws client subscribed to one operation, collecting what it is sent.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

export interface Result {
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The hostname of synthetic events that tests publish to learn a subscription is listening. */
export const WARM_UP_HOST = "warm-up.invalid";
/** Warm-ups carry "warm-up" in their id, hostname and error: whichever fields a test selects. */
const isWarmUp = (result: Result) => JSON.stringify(result).includes('"warm-up');

export interface Subscription {
  /** What the server sent, warm-up events left out. */
  results: Result[];
  /**
   * Calls `publish` (which publishes a warm-up event to this subscription's topic) until one
   * arrives: from then on the subscription is listening, on every instance its topic spans.
   */
  ready(publish: () => void): Promise<void>;
  /** Resolves with the n-th result (1-based). */
  nth(n: number): Promise<Result>;
  /** Resolves when the server completes the subscription (or rejects on a transport error). */
  done: Promise<void>;
  dispose(): Promise<void>;
}

export async function subscribe(
  baseUrl: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription> {
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => {
    acknowledged = resolve;
  });
  const client = createClient({
    url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key}` },
    on: { connected: () => acknowledged() },
  });
  const results: Result[] = [];
  let warmUps = 0;
  const waiters: { n: number; resolve: (r: Result) => void }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          if (isWarmUp(value as Result)) {
            warmUps += 1;
            return;
          }
          results.push(value as Result);
          for (const w of waiters.filter((w) => w.n === results.length)) w.resolve(value as Result);
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  done.catch(() => {});
  await ready;
  return {
    results,
    async ready(publish) {
      const seen = warmUps;
      for (let i = 0; warmUps === seen; i++) {
        if (i === 250) throw new Error("the subscription never received a warm-up event");
        publish();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    nth: (n) =>
      new Promise((resolve) => {
        const ready = results[n - 1];
        if (ready) resolve(ready);
        else waiters.push({ n, resolve });
      }),
    done,
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** A synthetic alert for `ready()`: it matches any severity filter, and `domainId` if given. */
export function warmUpAlert(userId: string, domainId: string | null = null) {
  return {
    id: "warm-up",
    userId,
    domainId,
    hostname: WARM_UP_HOST,
    type: "ssl_invalid" as const,
    severity: "critical" as const,
    title: "warm-up",
    message: "warm-up",
    thresholdDays: null,
    dedupeKey: "warm-up",
    triggeredAt: new Date(),
    resolvedAt: null,
  };
}

/** A synthetic finished check for `ready()`. */
export function warmUpCheck(domainId: string) {
  return {
    domainId,
    hostname: WARM_UP_HOST,
    kind: "ssl" as const,
    checkedAt: new Date(),
    error: "warm-up",
    sslCheck: null,
    whoisCheck: null,
  };
}
