// The yoga instance: schema, per-request context (authentication happens here, once), error masking
// that logs what it hides, GraphiQL, and the REST adapter entering through the same pipeline.
import { randomUUID } from "node:crypto";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { getOperationAST } from "graphql";
import { createYoga, type GraphiQLOptions, maskError, type Plugin } from "graphql-yoga";
import type { Logger } from "../lib/logger.js";
import type { Telemetry } from "../lib/telemetry.js";
import type { Context, QueryLimits, Services } from "../schema/context.js";
import { schema } from "../schema/index.js";
import { keyFromConnectionParams, keyFromHeaders } from "./api-key-header.js";
import { useQueryLimits } from "./query-limits.js";
import { useSharedSubscriptionResults } from "./shared-subscription-results.js";

// GraphiQL with its scripts, styles, workers and favicon inlined from the npm package: yoga's
// default page loads them from a CDN, which a monitor on a closed network cannot reach.
const GRAPHIQL: GraphiQLOptions = {
  title: "CertPulse GraphQL",
  defaultEditorToolsVisibility: "headers",
  headers: "{}",
  defaultQuery: `# Put your API key in the Headers pane below:
# {"Authorization": "Bearer YOUR_KEY"}
query Domains {
  domains(perPage: 20) {
    data { hostname port status sslDaysRemaining sslGrade }
    pagination { total }
  }
}
`,
};
let graphiqlPage: string | undefined;
/** Rendered once: the page is several megabytes of inlined assets and never changes. */
const graphiqlHtml = () => {
  graphiqlPage ??= renderGraphiQL(GRAPHIQL);
  return graphiqlPage;
};

export interface ServerContext {
  requestId?: string;
}

/** How long each executed operation took, by type and outcome (REST routes run one each). */
function useOperationMetrics(telemetry: Telemetry): Plugin {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const operation = getOperationAST(args.document, args.operationName)?.operation ?? "unknown";
      return {
        onExecuteDone({ result }) {
          const errors = Symbol.asyncIterator in result ? undefined : result.errors;
          const outcome = errors && errors.length > 0 ? "error" : "ok";
          telemetry.graphqlOperation(operation, outcome, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

export function createYogaServer(
  services: Services,
  log: Logger,
  limits: QueryLimits,
  plugins: Plugin[] = [],
) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: GRAPHIQL,
    renderGraphiQL: graphiqlHtml,
    landingPage: false,
    healthCheckEndpoint: "/yoga-health",
    logging: log.child({ component: "yoga" }),
    plugins: [
      ...useQueryLimits(limits),
      useSharedSubscriptionResults(),
      useOperationMetrics(services.telemetry),
      ...plugins,
    ],
    maskedErrors: {
      // Expected errors are GraphQLErrors and pass through; anything else is logged here in full
      // and reaches the caller only as "Unexpected error.".
      maskError(error, message) {
        const original = (error as { originalError?: unknown }).originalError;
        if (original && !(original as { extensions?: unknown }).extensions) {
          log.error({ err: original }, "unexpected error while executing an operation");
        }
        return maskError(error, message, false);
      },
    },
    context: async (initial) => {
      // graphql-ws calls arrive with the socket and connection_init's payload instead of HTTP headers.
      const ws = initial as typeof initial & { socket?: unknown; connectionParams?: Record<string, unknown> };
      const key = ws.socket
        ? keyFromConnectionParams(ws.connectionParams)
        : keyFromHeaders(initial.request.headers);
      const auth = key === null ? null : await services.apiKeys.authenticate(key);
      return { services, limits, auth, requestId: initial.requestId ?? randomUUID() };
    },
  });
}

export type YogaServer = ReturnType<typeof createYogaServer>;
