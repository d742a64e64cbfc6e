// /domains/{id}/ssl: the latest SSL check of a domain.

import { sslCheckJson } from "../../../checks/ssl-check-json.js";
import type { RestResponse, Route } from "../route.js";
import { SSL_CHECK_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;

const NOT_YET: RestResponse = { status: 404, body: { error: "No SSL check has run for this domain yet" } };

export const sslCheckRoutes: Route[] = [
  {
    method: "GET",
    path: "/domains/:id/ssl",
    summary: "The domain's latest SSL check",
    responses: { 200: "SslCheck" },
    document: `query ($id: ID!) { domain(id: $id) { latestSslCheck { ${SSL_CHECK_FIELDS} } } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => {
      const latest = (data.domain as { latestSslCheck: Row | null }).latestSslCheck;
      return latest ? { status: 200, body: sslCheckJson(latest) } : NOT_YET;
    },
  },
];
