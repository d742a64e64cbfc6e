// Query-string parameters as the route table declares them (`per_page` sets `$perPage`,
// `dry_run` sets `$input.dryRun`), typed by the GraphQL variable they set. The adapter reads
// requests with them and the OpenAPI document describes them, so the two never disagree.
import { type GraphQLInputType, getNamedType, getNullableType, isEnumType, isInputObjectType } from "graphql";
import type { VariableTypes } from "./strict-lists.js";

export interface QueryParam {
  name: string;
  /** The variable, then input fields, the value sets: ["input", "dryRun"]. */
  path: string[];
  type: GraphQLInputType;
}

/** The declared parameters with the GraphQL type each sets; a name the document lacks is a bug. */
export function queryParams(
  declared: Record<string, string> | undefined,
  types: VariableTypes,
  route: string,
): QueryParam[] {
  return Object.entries(declared ?? {}).map(([name, target]) => {
    const [variable, ...fields] = target.split(".");
    let type = types.get(variable!);
    for (const field of fields) {
      const holder = type && getNullableType(type);
      type = isInputObjectType(holder) ? holder.getFields()[field]?.type : undefined;
    }
    if (!type) throw new Error(`${route}: query parameter ${name} sets ${target}, which the document lacks`);
    return { name, path: [variable!, ...fields], type };
  });
}

/**
 * A query-string value as a GraphQL variable: integers as numbers, booleans as booleans, enum values
 * upper-cased, anything else passed through so the schema's own coercion reports it. Empty is absent.
 */
function variableValue(raw: string, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (named.name === "Int" && /^-?\d{1,15}$/.test(raw)) return Number(raw);
  if (named.name === "Boolean" && (raw === "true" || raw === "false")) return raw === "true";
  if (isEnumType(named)) return raw.toUpperCase();
  return raw;
}

/** Sets each parameter the request carries into `variables` (over what the route set there). */
export function applyQuery(params: QueryParam[], query: URLSearchParams, variables: Record<string, unknown>) {
  for (const param of params) {
    const raw = query.get(param.name);
    if (raw === null || raw === "") continue;
    let holder = variables;
    for (const key of param.path.slice(0, -1)) {
      holder[key] = { ...(holder[key] as Record<string, unknown> | undefined) };
      holder = holder[key] as Record<string, unknown>;
    }
    holder[param.path.at(-1)!] = variableValue(raw, param.type);
  }
  return variables;
}
