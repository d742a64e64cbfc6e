// WebhookDelivery: one event queued for one webhook, with its attempts; the delivery log per
// webhook, and a test delivery sent on demand.
import { DELIVERY_STATUSES } from "../../webhooks/webhook-deliveries.service.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { pageComplexity, pageOf } from "../page.js";
import { Webhook } from "./webhook.js";

const DeliveryStatus = builder.enumType("DeliveryStatus", {
  values: upperValues(DELIVERY_STATUSES),
  description: "PENDING: not yet delivered, retried until it succeeds or the attempts run out",
});

const WebhookDelivery = builder.prismaObject("WebhookDelivery", {
  fields: (t) => ({
    id: t.exposeID("id", { description: "Also the webhook-id header: the same on every retry" }),
    webhookId: t.exposeID("webhookId"),
    alertId: t.exposeID("alertId", { nullable: true }),
    eventType: t.exposeString("eventType", { description: "alert.triggered or webhook.test" }),
    payload: t.field({
      type: "JSONObject",
      description: "The generic event; SLACK and DISCORD webhooks receive it reformatted",
      resolve: (delivery) => delivery.payload as Record<string, unknown>,
    }),
    status: t.field({ type: DeliveryStatus, resolve: (delivery) => delivery.status }),
    attempts: t.exposeInt("attempts"),
    nextAttemptAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When a pending delivery is tried next",
      resolve: (delivery) => (delivery.status === "pending" ? delivery.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose("lastAttemptAt", { type: "DateTime", nullable: true }),
    responseStatus: t.exposeInt("responseStatus", { nullable: true }),
    responseBody: t.exposeString("responseBody", {
      nullable: true,
      description: "The start of the receiver's last answer",
    }),
    durationMs: t.exposeInt("durationMs", { nullable: true }),
    error: t.exposeString("error", { nullable: true, description: "Why the last attempt failed" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const WebhookDeliveryPage = pageOf("WebhookDeliveryPage", WebhookDelivery);

builder.objectField(Webhook, "deliveries", (t) =>
  t.field({
    type: WebhookDeliveryPage,
    complexity: pageComplexity,
    description: "The delivery log, newest first",
    args: {
      page: t.arg.int({ required: false, defaultValue: 1 }),
      perPage: t.arg.int({ required: false, defaultValue: 20, description: "1-100" }),
      status: t.arg({ type: DeliveryStatus, required: false }),
    },
    resolve: (webhook, args, { services }) =>
      services.webhookDeliveries.list(webhook.userId, webhook.id, args),
  }),
);

builder.mutationField("testWebhook", (t) =>
  t.withAuth({ write: true }).field({
    type: WebhookDelivery,
    description: "Sends a webhook.test event now and returns how it went (not retried)",
    args: { id: t.arg.id() },
    resolve: (_root, { id }, { services, auth }) => services.webhookDeliveries.test(auth.userId, String(id)),
  }),
);
