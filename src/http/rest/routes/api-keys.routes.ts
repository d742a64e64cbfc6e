// /api-keys: create (the key is in this one response), list, revoke.

import { apiKeyJson } from "../../../access/api-key-json.js";
import { camelKeys, type Route, upperEnums } from "../route.js";
import { API_KEY_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;

export const apiKeyRoutes: Route[] = [
  {
    method: "POST",
    path: "/api-keys",
    summary: "Create an API key; the key is in this answer only",
    responses: { 201: "ApiKeyWithKey" },
    document: `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${API_KEY_FIELDS} } } }`,
    variables: ({ body }) => ({ input: upperEnums(camelKeys(body), ["permissions"]) }),
    render: ({ createApiKey }) => {
      const created = createApiKey as { key: string; apiKey: Row };
      return { status: 201, body: apiKeyJson(created.apiKey, created.key) };
    },
  },
  {
    method: "GET",
    path: "/api-keys",
    summary: "The caller's API keys",
    responses: { 200: "ApiKeyList" },
    document: `query { apiKeys { ${API_KEY_FIELDS} } }`,
    variables: () => ({}),
    render: ({ apiKeys }) => ({ status: 200, body: { data: (apiKeys as Row[]).map((k) => apiKeyJson(k)) } }),
  },
  {
    method: "DELETE",
    path: "/api-keys/:id",
    summary: "Revoke an API key",
    responses: { 200: "Message" },
    document: "mutation ($id: ID!) { revokeApiKey(id: $id) { id } }",
    variables: ({ params }) => ({ id: params.id }),
    render: () => ({ status: 200, body: { message: "API key revoked" } }),
  },
];
