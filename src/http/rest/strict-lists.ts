// GraphQL input coercion turns a lone value into a one-item list ("web" → ["web"]). The REST contract
// types such fields as arrays, so the adapter refuses a non-array where the schema has a list before
// the operation runs, rather than quietly storing something the caller did not send.
import {
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  parse,
  typeFromAST,
} from "graphql";
import { snake } from "./route.js";

export type VariableTypes = Map<string, GraphQLInputType>;

/** The input type of each variable the document declares. */
export function variableTypes(schema: GraphQLSchema, document: string): VariableTypes {
  const types: VariableTypes = new Map();
  for (const definition of parse(document).definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type);
      if (type) types.set(variable.variable.name.value, type as GraphQLInputType);
    }
  }
  return types;
}

function firstMismatch(type: GraphQLInputType, value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return path;
    for (const item of value) {
      const found = firstMismatch(nullable.ofType, item, path);
      if (found) return found;
    }
  } else if (isInputObjectType(nullable) && typeof value === "object" && !Array.isArray(value)) {
    for (const [name, field] of Object.entries(nullable.getFields())) {
      const found = firstMismatch(field.type, (value as Record<string, unknown>)[name], snake(name));
      if (found) return found;
    }
  }
  return null;
}

/** "Invalid value for tags: expected an array" for the first list given a non-array, else null. */
export function listMismatch(types: VariableTypes, variables: Record<string, unknown>): string | null {
  for (const [name, type] of types) {
    const path = firstMismatch(type, variables[name], snake(name));
    if (path) return `Invalid value for ${path}: expected an array`;
  }
  return null;
}
