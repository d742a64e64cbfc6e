// CheckCompleted: a live feed of finished checks (SSL probes and registration lookups) of the
// caller's domains, with the stored check itself.

import type { CheckCompleted as CheckCompletedEvent } from "../../events/event-bus.js";
import { builder } from "../builder.js";
import { eventOrEnd, ownEvents } from "../subscription-stream.js";
import { SslCheck } from "./ssl-check.js";
import { WhoisCheck } from "./whois-check.js";

const CheckKind = builder.enumType("CheckKind", {
  values: { SSL: { value: "ssl" }, WHOIS: { value: "whois" } } as const,
});

const CheckCompleted = builder.objectRef<CheckCompletedEvent>("CheckCompleted").implement({
  fields: (t) => ({
    domainId: t.exposeID("domainId"),
    hostname: t.exposeString("hostname"),
    kind: t.field({ type: CheckKind, resolve: (event) => event.kind }),
    checkedAt: t.expose("checkedAt", { type: "DateTime" }),
    error: t.exposeString("error", { nullable: true, description: "Why the check failed, if it did" }),
    sslCheck: t.field({ type: SslCheck, nullable: true, resolve: (event) => event.sslCheck }),
    whoisCheck: t.field({
      type: WhoisCheck,
      nullable: true,
      resolve: (event) => event.whoisCheck && { ...event.whoisCheck, domainId: event.domainId },
    }),
  }),
});

builder.subscriptionField("checkCompleted", (t) =>
  t.withAuth({ read: true }).field({
    type: CheckCompleted,
    description: "Each check of the caller's domains as it finishes, whichever instance ran it",
    args: { domainId: t.arg.id({ required: false, description: "Only this domain's checks" }) },
    subscribe: (_root, { domainId }, context) => ownEvents(context, "checkCompleted", domainId),
    resolve: eventOrEnd,
  }),
);
