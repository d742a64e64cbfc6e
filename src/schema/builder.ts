// The Pothos builder: plugins and their options only, no types. Scope-auth first, then Prisma.
import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import PrismaPlugin from "@pothos/plugin-prisma";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import type PrismaTypes from "../db/generated/pothos-types.js";
import { getDatamodel } from "../db/generated/pothos-types.js";
import { badInput, forbidden, unauthenticated } from "../lib/errors.js";
import type { AuthedContext, Context } from "./context.js";

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { read: boolean; write: boolean };
  // A field behind t.withAuth({ read: true }) (or write) sees the caller's key: no `auth!` needed.
  AuthContexts: { read: AuthedContext; write: AuthedContext };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  DefaultInputFieldRequiredness: true;
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin, PrismaPlugin],
  defaultInputFieldRequiredness: true,
  // Fields are non-null unless they say otherwise, so clients need not null-check ids and names.
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      read: context.auth?.permissions.includes("read") ?? false,
      write: context.auth?.permissions.includes("write") ?? false,
    }),
    unauthorizedError: (_parent, context, info) =>
      context.auth
        ? forbidden(
            `This API key lacks the permission ${info.operation.operation === "query" ? "read" : "write"}`,
          )
        : unauthenticated("Missing API key"),
  },
  // Depth, fields and cost per request (the other limits are in http/query-limits.ts). Paged fields
  // multiply by their page size (pageComplexity in page.ts); other lists are short and count once.
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 1,
    limit: (context) => ({
      depth: context.limits.depth,
      breadth: context.limits.breadth,
      complexity: context.limits.complexity,
    }),
    complexityError: (kind, result) => {
      const [what, found, max, variable] = {
        Depth: ["Query too deep", result.depth, result.maxDepth, "CERTPULSE_GRAPHQL_MAX_DEPTH"],
        Breadth: ["Too many fields", result.breadth, result.maxBreadth, "CERTPULSE_GRAPHQL_MAX_FIELDS"],
        Complexity: [
          "Query too costly",
          result.complexity,
          result.maxComplexity,
          "CERTPULSE_GRAPHQL_MAX_COST",
        ],
      }[kind];
      return badInput(`${what}: ${found} where at most ${max} is allowed (${variable})`);
    },
  },
  prisma: {
    client: (context) => context.services.db,
    dmmf: getDatamodel(),
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "error",
  },
});
