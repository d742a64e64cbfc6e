// /alerts: the caller's alert history, newest first, by domain, severity, type and open/resolved.

import { type AlertFields, alertJson } from "../../../alerts/alert-json.js";
import type { Route } from "../route.js";
import { ALERT_FIELDS, pagination } from "../selections.js";

type Row = Record<string, unknown>;

export const alertRoutes: Route[] = [
  {
    method: "GET",
    path: "/alerts",
    summary: "The caller's alerts, newest first",
    responses: { 200: "AlertPage" },
    document: `query ($page: Int, $perPage: Int, $domainId: ID, $severity: Severity, $type: AlertType, $unresolved: Boolean) {
      alerts(page: $page, perPage: $perPage, domainId: $domainId, severity: $severity, type: $type, unresolved: $unresolved) {
        data { ${ALERT_FIELDS} }
        pagination { page perPage total totalPages }
      }
    }`,
    query: {
      page: "page",
      per_page: "perPage",
      domain_id: "domainId",
      severity: "severity",
      alert_type: "type",
      unresolved: "unresolved",
    },
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
