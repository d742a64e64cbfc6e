// Runs one GraphQL operation for a REST route through yoga's own envelop pipeline, so the REST call
// gets the same context (authentication), validation, error masking and resolvers as /graphql.
import type { ExecutionResult, GraphQLError } from "graphql";
import type { YogaServer } from "../yoga.js";

export type Variables = Record<string, unknown>;

export interface CallResult {
  data: Record<string, unknown> | null;
  errors: readonly GraphQLError[];
}

export async function callGraphQL(
  yoga: YogaServer,
  request: Request,
  serverContext: Record<string, unknown>,
  query: string,
  variables: Variables,
): Promise<CallResult> {
  const params = { query, variables };
  // Yoga refuses mutations over GET (a guard for cookie-authenticated browsers). Here the route table
  // has already decided which method runs which operation (SSLmonitor's spec adds monitors by GET),
  // and every call carries its key in a header, so the pipeline sees a POST.
  const asPost =
    request.method === "POST"
      ? request
      : new Request(request.url, { method: "POST", headers: request.headers });
  const { parse, validate, contextFactory, execute, schema } = yoga.getEnveloped({
    ...serverContext,
    request: asPost,
    params,
  });
  const document = parse(query);
  const invalid = validate(schema, document);
  // The documents are ours and fixed; a validation failure is a bug, not bad input.
  if (invalid.length > 0) throw new Error(`REST document is invalid: ${invalid[0]?.message}`);
  let contextValue: unknown;
  try {
    contextValue = await contextFactory();
  } catch (error) {
    return { data: null, errors: [error as GraphQLError] };
  }
  const result = (await execute({
    schema,
    document,
    contextValue,
    variableValues: variables,
  })) as ExecutionResult;
  return { data: (result.data as Record<string, unknown> | null) ?? null, errors: result.errors ?? [] };
}
