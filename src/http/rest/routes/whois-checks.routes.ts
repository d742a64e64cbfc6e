// /domains/{id}/whois: the latest registration check covering a domain.

import { whoisCheckJson } from "../../../checks/whois-check-json.js";
import type { RestResponse, Route } from "../route.js";
import { WHOIS_CHECK_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;

const NOT_YET: RestResponse = { status: 404, body: { error: "No WHOIS check has run for this domain yet" } };

export const whoisCheckRoutes: Route[] = [
  {
    method: "GET",
    path: "/domains/:id/whois",
    document: `query ($id: ID!) { domain(id: $id) { latestWhoisCheck { ${WHOIS_CHECK_FIELDS} } } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => {
      const latest = (data.domain as { latestWhoisCheck: Row | null }).latestWhoisCheck;
      return latest ? { status: 200, body: whoisCheckJson(latest) } : NOT_YET;
    },
  },
];
