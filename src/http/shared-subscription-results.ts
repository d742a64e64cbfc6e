// An alert fanned out to many subscribers is executed once, not once per subscriber: subscriptions
// of one user with the same operation and variables receive the very same result object for the
// same event. The event itself is already shared (the event bus hands every listener one object),
// so an event object and an operation key name one result, kept only while the event lives.
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute, print } from "graphql";
import { isAsyncIterable, mapAsyncIterator, type Plugin } from "graphql-yoga";
import type { Context } from "../schema/context.js";

const resultsByEvent = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

async function sharedSubscribe(args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable(stream)) return stream;
  const auth = (args.contextValue as Context).auth;
  // Results may depend on who asks, so only one user's identical operations share them.
  const key = JSON.stringify([auth?.userId, print(args.document), args.operationName, args.variableValues]);
  return mapAsyncIterator(stream, (event: unknown) => {
    if (event === null || typeof event !== "object") return execute({ ...args, rootValue: event });
    const results = resultsByEvent.get(event) ?? new Map();
    resultsByEvent.set(event, results);
    const shared = results.get(key) ?? execute({ ...args, rootValue: event });
    results.set(key, shared);
    return shared;
  });
}

export function useSharedSubscriptionResults(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(sharedSubscribe as never);
    },
  };
}
