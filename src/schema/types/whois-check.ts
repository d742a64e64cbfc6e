// WhoisCheck: one registration lookup (RDAP or WHOIS) of the domain's registrable domain, shared by
// every monitored host under it; the domain's latest check and its history.
import type { WhoisCheck as WhoisCheckRow } from "../../db/generated/sqlite/client.js";
import { daysUntil } from "../../lib/days.js";
import { REGISTRATION_OUTCOMES } from "../../probes/registration/registration.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { loaders } from "../loaders.js";
import { pageComplexity, pageOf } from "../page.js";
import { Domain } from "./domain.js";

/** A shared check, seen through one of the caller's domains. */
type WhoisCheckView = WhoisCheckRow & { domainId: string };

const RegistrationOutcome = builder.enumType("RegistrationOutcome", {
  values: upperValues(REGISTRATION_OUTCOMES),
});
const RegistrationSource = builder.enumType("RegistrationSource", {
  values: upperValues(["rdap", "whois"] as const),
});

export const WhoisCheck = builder.objectRef<WhoisCheckView>("WhoisCheck").implement({
  description: "A registration lookup, RDAP first and WHOIS when RDAP is unavailable",
  fields: (t) => ({
    id: t.exposeID("id"),
    domainId: t.exposeID("domainId"),
    registrableDomain: t.exposeString("registrableDomain", { description: "The name that was looked up" }),
    checkedAt: t.expose("checkedAt", { type: "DateTime" }),
    outcome: t.field({ type: RegistrationOutcome, resolve: (c) => c.outcome }),
    source: t.field({ type: RegistrationSource, nullable: true, resolve: (c) => c.source }),
    server: t.exposeString("server", {
      nullable: true,
      description: "The RDAP URL or WHOIS server that answered",
    }),
    error: t.exposeString("error", { nullable: true, description: "Why the lookup found no registration" }),
    expiryNote: t.exposeString("expiryNote", {
      nullable: true,
      description: "Why a registered domain has no expiry date",
    }),
    retryAfter: t.expose("retryAfter", {
      type: "DateTime",
      nullable: true,
      description: "When a rate-limiting registry allows the next lookup",
    }),
    registrar: t.exposeString("registrar", { nullable: true }),
    registrarIanaId: t.exposeString("registrarIanaId", { nullable: true }),
    createdDate: t.expose("createdDate", { type: "DateTime", nullable: true }),
    expiryDate: t.expose("expiryDate", { type: "DateTime", nullable: true }),
    updatedDate: t.expose("updatedDate", { type: "DateTime", nullable: true }),
    daysRemaining: t.int({ nullable: true, resolve: (c) => daysUntil(c.expiryDate, new Date()) }),
    dnssec: t.exposeBoolean("dnssec", { nullable: true, description: "Whether the delegation is signed" }),
    nameservers: t.stringList({ resolve: (c) => c.nameservers as string[] }),
    statuses: t.stringList({ resolve: (c) => c.statuses as string[] }),
  }),
});

const WhoisCheckPage = pageOf("WhoisCheckPage", WhoisCheck);

builder.prismaObjectFields(Domain, (t) => ({
  latestWhoisCheck: t.field({
    type: WhoisCheck,
    nullable: true,
    select: { registrableDomain: true },
    // Not a relation of the domain (a registration is shared): batched per request instead.
    resolve: async (domain, _args, context) => {
      const check = await loaders(context).latestWhoisCheck.load(domain.registrableDomain);
      return check && { ...check, domainId: domain.id };
    },
  }),
  whoisChecks: t.field({
    type: WhoisCheckPage,
    select: { registrableDomain: true },
    complexity: pageComplexity,
    description: "Registration lookup history, newest first",
    args: {
      page: t.arg.int({ required: false, defaultValue: 1 }),
      perPage: t.arg.int({ required: false, defaultValue: 20 }),
    },
    resolve: async (domain, args, { services }) => {
      const page = await services.whoisChecks.pageFor(domain, args);
      return { ...page, data: page.data.map((check) => ({ ...check, domainId: domain.id })) };
    },
  }),
}));
