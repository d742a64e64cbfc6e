// What one GraphQL request may ask (REST routes run GraphQL, so they are held to it too). Parsing
// stops at a token budget, so no document, however nested, can exhaust the parser's stack; aliases
// and directives are counted at validation (graphql-armor's plugins). Depth, the number of fields and
// the cost (page sizes multiply what is selected under them) are the schema's complexity limits
// (@pothos/plugin-complexity, see schema/builder.ts). Each refusal is a BAD_USER_INPUT naming the limit.
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import type { GraphQLError, ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Config } from "../config.js";
import { badInput } from "../lib/errors.js";
import type { QueryLimits } from "../schema/context.js";

export function queryLimitsFrom(config: Config): QueryLimits {
  return {
    tokens: config.CERTPULSE_GRAPHQL_MAX_TOKENS,
    depth: config.CERTPULSE_GRAPHQL_MAX_DEPTH,
    aliases: config.CERTPULSE_GRAPHQL_MAX_ALIASES,
    directives: config.CERTPULSE_GRAPHQL_MAX_DIRECTIVES,
    breadth: config.CERTPULSE_GRAPHQL_MAX_FIELDS,
    complexity: config.CERTPULSE_GRAPHQL_MAX_COST,
  };
}

/**
 * armor's own errors carry no code: each refusal is replaced by ours. At parse time (tokens) there is
 * no validation context, so ours is thrown; at validation it is reported like any invalid query.
 */
function refuse(message: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, _error: GraphQLError) => {
        if (context === null) throw badInput(message);
        context.reportError(badInput(message));
      },
    ],
  };
}

export function useQueryLimits(limits: QueryLimits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.tokens,
      ...refuse(`Query too large: more than ${limits.tokens} tokens (CERTPULSE_GRAPHQL_MAX_TOKENS)`),
    }),
    maxAliasesPlugin({
      n: limits.aliases,
      // armor lets __typename aliases through by default; they are counted like any other.
      allowList: [],
      ...refuse(`Too many aliases: more than ${limits.aliases} (CERTPULSE_GRAPHQL_MAX_ALIASES)`),
    }),
    maxDirectivesPlugin({
      n: limits.directives,
      ...refuse(`Too many directives: more than ${limits.directives} (CERTPULSE_GRAPHQL_MAX_DIRECTIVES)`),
    }),
  ] as Plugin[];
}
