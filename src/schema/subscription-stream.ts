// What every subscription is built from: the caller's own topic, ended the moment the caller's key
// is revoked (on any instance) or expires. The end reaches the client as one last result carrying
// UNAUTHENTICATED, then completion, over graphql-ws and SSE alike.
import { filter, pipe, Repeater } from "graphql-yoga";
import type { Topics } from "../events/event-bus.js";
import { unauthenticated } from "../lib/errors.js";
import type { AuthedContext } from "./context.js";

export class SubscriptionEnded {
  constructor(readonly reason: string) {}
}

/** setTimeout's longest delay (about 24.8 days); a later expiry is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function untilKeyEnds<T>(
  context: AuthedContext,
  source: AsyncIterable<T>,
): AsyncIterable<T | SubscriptionEnded> {
  const auth = context.auth;
  return new Repeater<T | SubscriptionEnded>(async (push, stop) => {
    const end = (reason: string) => push(new SubscriptionEnded(reason)).then(() => stop());
    const revocations = context.services.events.subscribe("keyRevoked", auth.keyId)[Symbol.asyncIterator]();
    const events = source[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const armExpiry = () => {
      if (!auth.expiresAt) return;
      const left = auth.expiresAt.getTime() - Date.now();
      if (left <= 0) void end("API key has expired");
      else timer = setTimeout(armExpiry, Math.min(left, MAX_TIMER_MS));
    };
    armExpiry();
    revocations.next().then(
      (revoked) => revoked.done || end("API key has been revoked"),
      (error) => stop(error),
    );
    (async () => {
      for (let next = await events.next(); !next.done; next = await events.next()) await push(next.value);
      stop();
    })().catch((error) => stop(error));
    await stop;
    clearTimeout(timer);
    await Promise.all([revocations.return?.(), events.return?.()]);
  });
}

/** The event as the field's value, or the key's end as the field's error. */
export function eventOrEnd<T>(event: T | SubscriptionEnded): T {
  if (event instanceof SubscriptionEnded) throw unauthenticated(event.reason);
  return event;
}

type UserTopic = "alertTriggered" | "checkCompleted";
type Payload<K extends UserTopic> = Topics[K][1];

/**
 * The caller's events on a per-user topic, optionally of one domain (which must be the caller's:
 * NOT_FOUND otherwise), narrowed by `wanted`, until the key ends.
 */
export async function ownEvents<K extends UserTopic>(
  context: AuthedContext,
  topic: K,
  domainId: string | number | null | undefined,
  wanted: (event: Payload<K>) => boolean = () => true,
): Promise<AsyncIterable<Payload<K> | SubscriptionEnded>> {
  const userId = context.auth.userId;
  const only = domainId == null ? null : String(domainId);
  if (only !== null) await context.services.domains.get(userId, only);
  // PubSub's argument type does not resolve for a generic topic; every UserTopic takes a user id.
  const events = context.services.events.subscribe(topic as UserTopic, userId) as AsyncIterable<Payload<K>>;
  return untilKeyEnds(
    context,
    pipe(
      events,
      filter((event: Payload<K>) => (only === null || event.domainId === only) && wanted(event)),
    ),
  );
}
