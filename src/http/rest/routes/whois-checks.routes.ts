// /domains/{id}/whois: the latest registration check covering a domain.

import { whoisCheckJson } from "../../../checks/whois-check-json.js";
import type { RestResponse, Route } from "../route.js";
import { WHOIS_CHECK_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;

const NOT_YET: RestResponse = { status: 404, body: { error: "No WHOIS check has run for this domain yet" } };
const notApplicable = (hostname: string): RestResponse => ({
  status: 404,
  body: { error: `Registration checks do not apply to ${hostname}: no public registry holds it` },
});

export const whoisCheckRoutes: Route[] = [
  {
    method: "GET",
    path: "/domains/:id/whois",
    summary: "The domain's latest registration check",
    responses: { 200: "WhoisCheck" },
    document: `query ($id: ID!) { domain(id: $id) { hostname registrationApplies latestWhoisCheck { ${WHOIS_CHECK_FIELDS} } } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => {
      const domain = data.domain as {
        hostname: string;
        registrationApplies: boolean;
        latestWhoisCheck: Row | null;
      };
      if (!domain.registrationApplies) return notApplicable(domain.hostname);
      return domain.latestWhoisCheck
        ? { status: 200, body: whoisCheckJson(domain.latestWhoisCheck) }
        : NOT_YET;
    },
  },
];
