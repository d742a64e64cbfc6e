// /webhooks: create (the secret is in this one response), list, get, update, delete, send a test,
// rotate the secret, and each webhook's delivery log.

import { deliveryJson, webhookJson } from "../../../webhooks/webhook-json.js";
import { camelKeys, type Route, upperEnums } from "../route.js";
import { DELIVERY_FIELDS, pagination, WEBHOOK_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;
type Page = { data: Row[]; pagination: Row };

const ENUM_FIELDS = ["format", "eventTypes", "minSeverity"];
const input = (body: Record<string, unknown>) => upperEnums(camelKeys(body), ENUM_FIELDS);
const withSecret = (payload: unknown) => {
  const { webhook: row, secret } = payload as { webhook: Row; secret: string };
  return webhookJson(row, secret);
};

export const webhookRoutes: Route[] = [
  {
    method: "GET",
    path: "/webhooks",
    summary: "The caller's webhooks",
    responses: { 200: "WebhookPage" },
    document: `query ($page: Int, $perPage: Int) {
      webhooks(page: $page, perPage: $perPage) { data { ${WEBHOOK_FIELDS} } pagination { page perPage total totalPages } }
    }`,
    query: { page: "page", per_page: "perPage" },
    render: ({ webhooks }) => {
      const page = webhooks as Page;
      return {
        status: 200,
        body: { data: page.data.map((w) => webhookJson(w)), pagination: pagination(page.pagination) },
      };
    },
  },
  {
    method: "POST",
    path: "/webhooks",
    summary: "Create a webhook; its signing secret is in this answer",
    responses: { 201: "WebhookWithSecret" },
    document: `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { ${WEBHOOK_FIELDS} } } }`,
    variables: ({ body }) => ({ input: input(body) }),
    render: ({ createWebhook }) => ({ status: 201, body: withSecret(createWebhook) }),
  },
  {
    method: "GET",
    path: "/webhooks/:id",
    summary: "One webhook",
    responses: { 200: "Webhook" },
    document: `query ($id: ID!) { webhook(id: $id) { ${WEBHOOK_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => ({ status: 200, body: webhookJson(data.webhook as Row) }),
  },
  {
    method: "PUT",
    path: "/webhooks/:id",
    summary: "Change a webhook",
    responses: { 200: "Webhook" },
    document: `mutation ($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { ${WEBHOOK_FIELDS} } }`,
    variables: ({ params, body }) => ({ id: params.id, input: input(body) }),
    render: ({ updateWebhook }) => ({ status: 200, body: webhookJson(updateWebhook as Row) }),
  },
  {
    method: "DELETE",
    path: "/webhooks/:id",
    summary: "Delete a webhook",
    responses: { 200: "Message" },
    document: "mutation ($id: ID!) { deleteWebhook(id: $id) }",
    variables: ({ params }) => ({ id: params.id }),
    render: () => ({ status: 200, body: { message: "Webhook deleted" } }),
  },
  {
    method: "POST",
    path: "/webhooks/:id/test",
    summary: "Send a test delivery now",
    responses: { 200: "WebhookDelivery" },
    document: `mutation ($id: ID!) { testWebhook(id: $id) { ${DELIVERY_FIELDS} } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: ({ testWebhook }) => ({ status: 200, body: deliveryJson(testWebhook as Row) }),
  },
  {
    method: "POST",
    path: "/webhooks/:id/rotate-secret",
    summary: "Replace the signing secret",
    responses: { 200: "WebhookWithSecret" },
    document: `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { ${WEBHOOK_FIELDS} } } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: ({ rotateWebhookSecret }) => ({ status: 200, body: withSecret(rotateWebhookSecret) }),
  },
  {
    method: "GET",
    path: "/webhooks/:id/deliveries",
    summary: "A webhook's delivery log, newest first",
    responses: { 200: "WebhookDeliveryPage" },
    document: `query ($id: ID!, $page: Int, $perPage: Int, $status: DeliveryStatus) {
      webhook(id: $id) {
        deliveries(page: $page, perPage: $perPage, status: $status) {
          data { ${DELIVERY_FIELDS} } pagination { page perPage total totalPages }
        }
      }
    }`,
    query: { page: "page", per_page: "perPage", status: "status" },
    variables: ({ params }) => ({ id: params.id }),
    render: ({ webhook: found }) => {
      const page = (found as { deliveries: Page }).deliveries;
      return {
        status: 200,
        body: { data: page.data.map(deliveryJson), pagination: pagination(page.pagination) },
      };
    },
  },
];
