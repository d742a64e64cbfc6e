// Alert: what the alert engine raised for one of the caller's domains; the alert history, overall and
// per domain, with filters for severity, type and unresolved; and alerts live as they are raised.

import { ALERT_TYPES, atLeast, SEVERITIES } from "../../alerts/alert-kinds.js";
import { alertListQuery } from "../../alerts/alerts.service.js";
import type { Prisma } from "../../db/generated/sqlite/client.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { pageComplexity, pageOf } from "../page.js";
import { eventOrEnd, ownEvents } from "../subscription-stream.js";
import { Domain } from "./domain.js";

export const AlertType = builder.enumType("AlertType", { values: upperValues(ALERT_TYPES) });
export const Severity = builder.enumType("Severity", {
  values: upperValues(SEVERITIES),
  description: "info < warning < critical",
});

export const Alert = builder.prismaObject("Alert", {
  fields: (t) => ({
    id: t.exposeID("id"),
    domainId: t.exposeID("domainId", { nullable: true }),
    hostname: t.exposeString("hostname"),
    alertType: t.field({ type: AlertType, resolve: (alert) => alert.type }),
    severity: t.field({ type: Severity, resolve: (alert) => alert.severity }),
    title: t.exposeString("title"),
    message: t.exposeString("message"),
    thresholdDays: t.exposeInt("thresholdDays", {
      nullable: true,
      description: "The expiry threshold crossed (0: expired); null for other types",
    }),
    triggeredAt: t.expose("triggeredAt", { type: "DateTime" }),
    resolvedAt: t.expose("resolvedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the condition cleared (a notice such as a renewal is resolved when raised)",
    }),
  }),
});

const AlertPage = pageOf("AlertPage", Alert);

const filterArgs = builder.args((t) => ({
  page: t.int({ required: false, defaultValue: 1 }),
  perPage: t.int({ required: false, defaultValue: 20, description: "1-100" }),
  severity: t.field({ type: Severity, required: false }),
  type: t.field({ type: AlertType, required: false }),
  unresolved: t.boolean({ required: false, description: "true: open alerts only; false: resolved only" }),
}));

builder.queryField("alerts", (t) =>
  t.withAuth({ read: true }).field({
    type: AlertPage,
    complexity: pageComplexity,
    description: "The caller's alerts, newest first",
    args: { ...filterArgs, domainId: t.arg.id({ required: false }) },
    resolve: (_root, args, { services, auth }) =>
      services.alerts.list(auth.userId, { ...args, domainId: args.domainId?.toString() }),
  }),
);

builder.prismaObjectField(Domain, "alerts", (t) =>
  t.field({
    type: AlertPage,
    complexity: pageComplexity,
    description: "This domain's alerts, newest first",
    args: filterArgs,
    // Loaded with the domain (a page of domains loads all of theirs in one query), with their count.
    select: (args, _context, nestedSelection) => {
      const { where, orderBy, skip, take } = alertListQuery(args);
      const rows: Prisma.AlertFindManyArgs = nestedSelection({ where, orderBy, skip, take }, ["data"]);
      // Only the pagination asked for: Prisma refuses an empty select, so the page is read as ids.
      if (rows.select && Object.keys(rows.select).length === 0) rows.select = { id: true };
      return { alerts: rows, _count: { select: { alerts: { where } } } };
    },
    resolve: (domain, args) => {
      const { page, perPage } = alertListQuery(args);
      return { data: domain.alerts, page, perPage, total: domain._count.alerts };
    },
  }),
);

builder.subscriptionField("alertTriggered", (t) =>
  t.withAuth({ read: true }).field({
    type: Alert,
    description:
      "Each alert as it is raised for the caller's domains (or account), whichever instance ran the check",
    args: {
      domainId: t.arg.id({ required: false, description: "Only this domain's alerts" }),
      minSeverity: t.arg({ type: Severity, required: false, description: "Only this severity or worse" }),
    },
    subscribe: (_root, { domainId, minSeverity }, context) =>
      ownEvents(
        context,
        "alertTriggered",
        domainId,
        (alert) => minSeverity == null || atLeast(alert.severity, minSeverity),
      ),
    resolve: eventOrEnd,
  }),
);
