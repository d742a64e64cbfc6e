// The event bus: typed topics, each keyed by the id of whoever may see the event (the owner's user
// id, or the key id for revocations), so a subscription can only ever listen to its own. In-process
// by default; through Redis when REDIS_URL is set, so an event published by the instance that ran a
// check reaches subscribers connected to any other.

import { setMaxListeners } from "node:events";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSub, type PubSubEventTarget } from "graphql-yoga";
import { Redis } from "ioredis";
import type { Alert, SslCheck, WhoisCheck } from "../db/generated/sqlite/client.js";
import type { Logger } from "../lib/logger.js";

export type CheckKind = "ssl" | "whois";

/** One finished check of one domain: an SSL probe, or the registration lookup that covers it. */
export interface CheckCompleted {
  domainId: string;
  hostname: string;
  kind: CheckKind;
  checkedAt: Date;
  error: string | null;
  sslCheck: SslCheck | null;
  whoisCheck: WhoisCheck | null;
}

export type Topics = {
  alertTriggered: [userId: string, alert: Alert];
  checkCompleted: [userId: string, check: CheckCompleted];
  keyRevoked: [keyId: string, revokedAt: Date];
  /** Every revocation, for the instances' key caches. */
  anyKeyRevoked: [keyId: string];
};

export type EventBus = PubSub<Topics> & { close(): Promise<void> };

/**
 * JSON that keeps Dates: payloads are database rows, and a subscriber on another instance must
 * see the same Date objects the publisher had, not strings the DateTime scalar would reject.
 */
const dateKeepingJson = {
  stringify(message: unknown): string {
    return JSON.stringify(message, function (this: Record<string, unknown>, key, value) {
      const raw = this[key];
      return raw instanceof Date ? { $date: raw.toISOString() } : value;
    });
  },
  parse(message: string): unknown {
    return JSON.parse(message, (_key, value) =>
      value !== null &&
      typeof value === "object" &&
      typeof value.$date === "string" &&
      Object.keys(value).length === 1
        ? new Date(value.$date)
        : value,
    );
  },
};

/** Events reach subscribers of this process only: one instance, the CLI, tests. */
export function inProcessEventBus(): EventBus {
  const eventTarget = new EventTarget();
  // Every open subscription is a listener on its user's topic: a thousand is normal, not a leak.
  setMaxListeners(0, eventTarget);
  return Object.assign(createPubSub<Topics>({ eventTarget: eventTarget as PubSubEventTarget<Topics> }), {
    close: async () => {},
  });
}

/** One published event as it crosses a thread boundary (structured clone keeps its Dates). */
export interface PublishedEvent {
  topic: keyof Topics;
  args: unknown[];
}

/**
 * The bus of the check thread: what it publishes is posted to the main thread, which publishes it
 * on the real bus (in process or Redis), where the subscribers are. Nothing subscribes in there.
 */
export function relayEventBus(post: (event: PublishedEvent) => void): EventBus {
  return {
    publish: ((topic: keyof Topics, ...args: unknown[]) => post({ topic, args })) as EventBus["publish"],
    subscribe: () => {
      throw new Error("the check thread publishes events; subscriptions belong to the main thread");
    },
    close: async () => {},
  };
}

export async function createEventBus(redisUrl: string | undefined, log: Logger): Promise<EventBus> {
  if (!redisUrl) return inProcessEventBus();
  // Two connections: one in subscriber mode, which can do nothing else, and one to publish. Both keep
  // reconnecting and queue while Redis is away, so a restart of Redis loses no subscription.
  const publishClient = new Redis(redisUrl, { lazyConnect: true });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: true });
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (err) => log.warn({ err }, "redis pub/sub error"));
  }
  await Promise.all(
    [publishClient, subscribeClient].map((client) =>
      client.connect().catch((err) => log.warn({ err }, "redis pub/sub unreachable at start-up; retrying")),
    ),
  );
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient,
    subscribeClient,
    serializer: dateKeepingJson,
  });
  return Object.assign(createPubSub<Topics>({ eventTarget }), {
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}
