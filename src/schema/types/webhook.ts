// Webhook: the caller's endpoints for alerts (URL, format, event filter), created with a generated
// signing secret that is shown only at creation and rotation.
import type { Webhook as WebhookRow } from "../../db/generated/sqlite/client.js";
import { WEBHOOK_FORMATS } from "../../webhooks/webhooks.service.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { pageComplexity, pageOf } from "../page.js";
import { AlertType, Severity } from "./alert.js";

const WebhookFormat = builder.enumType("WebhookFormat", {
  values: upperValues(WEBHOOK_FORMATS),
  description: "GENERIC: the event as JSON; SLACK and DISCORD: those services' incoming-webhook bodies",
});

export const Webhook = builder.prismaObject("Webhook", {
  fields: (t) => ({
    id: t.exposeID("id"),
    url: t.exposeString("url"),
    description: t.exposeString("description", { nullable: true }),
    format: t.field({ type: WebhookFormat, resolve: (webhook) => webhook.format }),
    eventTypes: t.field({
      type: [AlertType],
      description: "The alert types sent; empty means all",
      resolve: (webhook) => webhook.eventTypes as (typeof AlertType.$inferType)[],
    }),
    minSeverity: t.field({ type: Severity, resolve: (webhook) => webhook.minSeverity }),
    isActive: t.exposeBoolean("isActive"),
    failureCount: t.exposeInt("failureCount", { description: "Failed attempts in a row" }),
    disabledAt: t.expose("disabledAt", {
      type: "DateTime",
      nullable: true,
      description: "When CertPulse turned the webhook off after repeated failures",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const WebhookPage = pageOf("WebhookPage", Webhook);

const WebhookWithSecret = builder
  .objectRef<{ webhook: WebhookRow; secret: string }>("WebhookWithSecret")
  .implement({
    fields: (t) => ({
      webhook: t.field({ type: Webhook, resolve: (payload) => payload.webhook }),
      secret: t.exposeString("secret", {
        description: "The Standard Webhooks signing secret (whsec_…). It is shown only this once.",
      }),
    }),
  });

const CreateWebhookInput = builder.inputType("CreateWebhookInput", {
  fields: (t) => ({
    url: t.string(),
    description: t.string({ required: false }),
    format: t.field({ type: WebhookFormat, required: false, description: "Defaults to GENERIC" }),
    eventTypes: t.field({ type: [AlertType], required: false, description: "Defaults to all" }),
    minSeverity: t.field({ type: Severity, required: false, description: "Defaults to INFO" }),
  }),
});

const UpdateWebhookInput = builder.inputType("UpdateWebhookInput", {
  fields: (t) => ({
    url: t.string({ required: false }),
    description: t.string({ required: false }),
    format: t.field({ type: WebhookFormat, required: false }),
    eventTypes: t.field({ type: [AlertType], required: false }),
    minSeverity: t.field({ type: Severity, required: false }),
    isActive: t.boolean({ required: false, description: "true also turns a disabled webhook back on" }),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.withAuth({ read: true }).field({
    type: WebhookPage,
    complexity: pageComplexity,
    args: {
      page: t.arg.int({ required: false, defaultValue: 1 }),
      perPage: t.arg.int({ required: false, defaultValue: 20, description: "1-100" }),
    },
    resolve: (_root, args, { services, auth }) => services.webhooks.list(auth.userId, args),
  }),
  webhook: t.withAuth({ read: true }).field({
    type: Webhook,
    args: { id: t.arg.id() },
    resolve: (_root, { id }, { services, auth }) => services.webhooks.get(auth.userId, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.withAuth({ write: true }).field({
    type: WebhookWithSecret,
    args: { input: t.arg({ type: CreateWebhookInput }) },
    resolve: (_root, { input }, { services, auth }) => services.webhooks.create(auth.userId, input),
  }),
  updateWebhook: t.withAuth({ write: true }).field({
    type: Webhook,
    args: { id: t.arg.id(), input: t.arg({ type: UpdateWebhookInput }) },
    resolve: (_root, { id, input }, { services, auth }) =>
      services.webhooks.update(auth.userId, String(id), input),
  }),
  deleteWebhook: t.withAuth({ write: true }).id({
    description: "Deletes the webhook with its delivery log; returns its id",
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, { services, auth }) => {
      await services.webhooks.delete(auth.userId, String(id));
      return id;
    },
  }),
  rotateWebhookSecret: t.withAuth({ write: true }).field({
    type: WebhookWithSecret,
    description: "Replaces the signing secret; deliveries sent from now on are signed with the new one",
    args: { id: t.arg.id() },
    resolve: (_root, { id }, { services, auth }) => services.webhooks.rotateSecret(auth.userId, String(id)),
  }),
}));
