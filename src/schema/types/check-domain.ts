// checkDomain: run a domain's SSL and registration checks now (POST /check in REST).
import type { ManualCheck } from "../../checks/manual-checks.service.js";
import { builder } from "../builder.js";
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
