// ApiKey: listing, creation (the key is returned once) and revocation; and the account the keys belong to.
import type { UsersService } from "../../access/users.service.js";
import type { ApiKey as ApiKeyRow } from "../../db/generated/sqlite/client.js";
import { builder } from "../builder.js";

const Permission = builder.enumType("Permission", {
  values: { READ: { value: "read" }, WRITE: { value: "write" } } as const,
});

const ApiKey = builder.prismaObject("ApiKey", {
  fields: (t) => ({
    id: t.exposeID("id"),
    number: t.int({
      description: "A small integer id beside the UUID, counted per account (SSLmonitor's apikey_id)",
      resolve: (key) => key.number ?? 0,
    }),
    label: t.exposeString("label"),
    prefix: t.exposeString("prefix", { description: "The key's first characters, to tell keys apart" }),
    permissions: t.field({
      type: [Permission],
      resolve: (key) => key.permissions as ("read" | "write")[],
    }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    lastUsedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (key, _args, { services }) => services.apiKeys.lastUsedAt(key),
    }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const CreateApiKeyPayload = builder
  .objectRef<{ apiKey: ApiKeyRow; key: string }>("CreateApiKeyPayload")
  .implement({
    fields: (t) => ({
      key: t.exposeString("key", { description: "The full key. It is shown only this once." }),
      apiKey: t.field({ type: ApiKey, resolve: (payload) => payload.apiKey }),
    }),
  });

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    label: t.string(),
    permissions: t.field({ type: [Permission], required: false, description: "Defaults to [READ]" }),
    expiresAt: t.field({ type: "DateTime", required: false }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.withAuth({ read: true }).field({
    type: [ApiKey],
    resolve: (_root, _args, { services, auth }) => services.apiKeys.list(auth.userId),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.withAuth({ write: true }).field({
    type: CreateApiKeyPayload,
    args: { input: t.arg({ type: CreateApiKeyInput }) },
    resolve: (_root, { input }, { services, auth }) =>
      services.apiKeys.createAs(auth, {
        label: input.label,
        permissions: input.permissions ?? undefined,
        expiresAt: input.expiresAt,
      }),
  }),
  revokeApiKey: t.withAuth({ write: true }).field({
    type: ApiKey,
    args: { id: t.arg.id() },
    resolve: (_root, { id }, { services, auth }) => services.apiKeys.revoke(auth.userId, String(id)),
  }),
}));

type AccountFacts = Awaited<ReturnType<UsersService["account"]>>;

const Account = builder.objectRef<AccountFacts>("Account").implement({
  description: "The caller's account: who it is and its monitors against the limit",
  fields: (t) => ({
    number: t.exposeInt("number", { description: "The account's small integer id" }),
    apiKeyNumber: t.exposeInt("apiKeyNumber", {
      description: "The small integer id (counted per account) of the key this request was sent with",
    }),
    email: t.exposeString("email"),
    name: t.exposeString("name", { nullable: true }),
    monitorLimit: t.exposeInt("monitorLimit", { description: "How many domains the account may monitor" }),
    monitorsUsed: t.exposeInt("used", { description: "How many it monitors" }),
    monitorsAvailable: t.exposeInt("available", { description: "How many more it may add" }),
  }),
});

builder.queryFields((t) => ({
  account: t.withAuth({ read: true }).field({
    type: Account,
    resolve: (_root, _args, { services, auth }) => services.users.account(auth.userId, auth.keyId),
  }),
}));
