// Renders GraphQL errors as the REST API's `{"error": "…"}` with the status the taxonomy assigns.
// Variable coercion errors (a body field of the wrong type, a missing or unknown field) are bad input:
// they are reworded in the REST API's snake_case names.
import type { GraphQLError } from "graphql";
import { ERROR_STATUS, type ErrorCode, retryAfterOf } from "../../lib/errors.js";
import { type RestResponse, snake } from "./route.js";

function describeVariableError(message: string): string {
  const field = /at "\w+\.([\w.[\]]+)"/.exec(message)?.[1];
  const missing = /Field "(\w+)" of required type "[^"]+" was not provided/.exec(message)?.[1];
  if (missing) return `${snake(missing)} is required`;
  const unknown = /Field "(\w+)" is not defined by type/.exec(message)?.[1];
  if (unknown) return `Unknown field: ${unknown}`;
  const enumValue = /Value "([^"]*)" does not exist in "\w+" enum/.exec(message)?.[1];
  const name = field
    ? snake(field.replace(/\[\d+\]$/, ""))
    : snake(/Variable "\$(\w+)"/.exec(message)?.[1] ?? "");
  if (enumValue !== undefined) return `Invalid value for ${name}: ${enumValue.toLowerCase()}`;
  const reason = message.split("; ").slice(1).join("; ") || message;
  return `Invalid value for ${name}: ${reason}`;
}

export function errorResponse(errors: readonly GraphQLError[]): RestResponse {
  const error = errors[0]!;
  const code = error.extensions?.code as string | undefined;
  if (code && code in ERROR_STATUS) {
    const retryAfter = retryAfterOf(error);
    return {
      status: ERROR_STATUS[code as ErrorCode],
      body: { error: error.message },
      headers: retryAfter === undefined ? undefined : { "Retry-After": String(retryAfter) },
    };
  }
  if (error.message.startsWith('Variable "$')) {
    return { status: 400, body: { error: describeVariableError(error.message) } };
  }
  return { status: 500, body: { error: "Internal server error" } };
}
