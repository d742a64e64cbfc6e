// /alerts: the caller's alert history, newest first, by domain, severity, type and open/resolved.

import { type AlertFields, alertJson } from "../../../alerts/alert-json.js";
import { queryValue, type Route } from "../route.js";
import { ALERT_FIELDS, pagination } from "../selections.js";

type Row = Record<string, unknown>;

export const alertRoutes: Route[] = [
  {
    method: "GET",
    path: "/alerts",
    document: `query ($page: Int, $perPage: Int, $domainId: ID, $severity: Severity, $type: AlertType, $unresolved: Boolean) {
      alerts(page: $page, perPage: $perPage, domainId: $domainId, severity: $severity, type: $type, unresolved: $unresolved) {
        data { ${ALERT_FIELDS} }
        pagination { page perPage total totalPages }
      }
    }`,
    variables: ({ query }) => ({
      page: queryValue(query, "page", "int"),
      perPage: queryValue(query, "per_page", "int"),
      domainId: queryValue(query, "domain_id", "string"),
      severity: queryValue(query, "severity", "enum"),
      type: queryValue(query, "alert_type", "enum"),
      unresolved: queryValue(query, "unresolved", "bool"),
    }),
    render: ({ alerts }) => {
      const page = alerts as { data: Row[]; pagination: Row };
      return {
        status: 200,
        body: {
          data: page.data.map((a) => alertJson(a as AlertFields)),
          pagination: pagination(page.pagination),
        },
      };
    },
  },
];
