// Checks on demand and as they finish: checkDomain runs a domain's SSL and registration checks now
// (POST /check in REST); the checkCompleted subscription is a live feed of finished checks (SSL
// probes and registration lookups) of the caller's domains, with the stored check itself.
import type { ManualCheck } from "../../checks/manual-checks.service.js";
import type { CheckCompleted as CheckCompletedEvent } from "../../events/event-bus.js";
import { builder } from "../builder.js";
import { eventOrEnd, ownEvents } from "../subscription-stream.js";
import { Domain } from "./domain.js";
import { SslCheck } from "./ssl-check.js";
import { WhoisCheck } from "./whois-check.js";

const CheckDomainInput = builder.inputType("CheckDomainInput", {
  fields: (t) => ({ domainId: t.id() }),
});

const CheckDomainPayload = builder.objectRef<ManualCheck>("CheckDomainPayload").implement({
  fields: (t) => ({
    domain: t.field({ type: Domain, resolve: (result) => result.domain }),
    ssl: t.field({ type: SslCheck, resolve: (result) => result.ssl }),
    whois: t.field({
      type: WhoisCheck,
      nullable: true,
      description: "Null only while another instance holds the first lookup of this registrable domain",
      resolve: (result) => result.whois && { ...result.whois, domainId: result.domain.id },
    }),
  }),
});

builder.mutationField("checkDomain", (t) =>
  t.withAuth({ write: true }).field({
    type: CheckDomainPayload,
    description: "Runs the SSL and registration checks now; 10 a minute per user, shared with POST /check",
    args: { input: t.arg({ type: CheckDomainInput }) },
    resolve: (_root, { input }, { services, auth }) =>
      services.manualChecks.checkNow(auth.userId, String(input.domainId)),
  }),
);

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
