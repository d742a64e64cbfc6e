// The OpenAPI 3.1 document of /api/v1, built from the route table the adapter runs: each route's
// method and path, its path and query parameters (typed by the GraphQL variables they set), its
// JSON body (the GraphQL input type of `$input`, in REST's snake_case), and the answers it declares.
// Served at /api/v1/openapi.json; built once per process.
import {
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from "graphql";
import { packageVersion } from "../../db/package-root.js";
import { schema } from "../../schema/index.js";
import { type JsonSchema, responseSchemas } from "./response-schemas.js";
import { snake } from "./route.js";
import { type CompiledRoute, compiled, REST_PREFIX } from "./route-table.js";

const SCALARS: Record<string, JsonSchema> = {
  Int: { type: "integer" },
  Float: { type: "number" },
  String: { type: "string" },
  ID: { type: "string" },
  Boolean: { type: "boolean" },
  DateTime: { type: "string", format: "date-time" },
  JSONObject: { type: "object" },
};

/** A GraphQL input type as the JSON REST callers send: snake_case fields, lower-case enum values. */
function inputSchema(type: GraphQLInputType, nested = false): JsonSchema {
  const inner = getNullableType(type);
  let result: JsonSchema;
  if (isListType(inner)) result = { type: "array", items: inputSchema(inner.ofType, true) };
  else if (isEnumType(inner)) {
    result = { type: "string", enum: inner.getValues().map((value) => value.name.toLowerCase()) };
  } else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    result = {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        fields.map((field) => [
          snake(field.name),
          {
            ...inputSchema(field.type, true),
            ...(field.description ? { description: field.description } : {}),
          },
        ]),
      ),
      required: fields
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => snake(field.name)),
    };
    if ((result.required as string[]).length === 0) delete result.required;
  } else result = { ...(SCALARS[inner.name] ?? { type: "string" }) };
  // A nullable field may be sent as null; the top-level body itself is always an object.
  if (nested && !isNonNullType(type) && typeof result.type === "string") result.type = [result.type, "null"];
  return result;
}

const ERROR = {
  description: "The error, in words",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

/** The input's schema, with "at least one of these" where the route says so. */
function bodySchema(schema: Record<string, unknown>, oneOf: string[] | undefined) {
  if (!oneOf) return schema;
  return { ...schema, anyOf: oneOf.map((name) => ({ required: [name] })) };
}

function operation({ route, types, query }: CompiledRoute) {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const queryParams = [
    ...query.map((param) => ({ name: param.name, in: "query", schema: inputSchema(param.type) })),
    ...Object.entries(route.parameters ?? {}).map(([name, description]) => ({
      name,
      in: "query",
      description,
      schema: { type: "string" },
    })),
  ];
  // A "params" route reads the same parameters from a form or JSON body too.
  const paramsBody = {
    type: "object",
    properties: Object.fromEntries(Object.keys(route.parameters ?? {}).map((name) => [name, {}])),
  };
  const input = types.get("input");
  const requestBody =
    route.body === "params"
      ? route.method === "GET"
        ? undefined
        : {
            required: false,
            content: {
              "application/x-www-form-urlencoded": { schema: paramsBody },
              "multipart/form-data": { schema: paramsBody },
              "application/json": { schema: paramsBody },
            },
          }
      : route.body === "text"
        ? {
            required: true,
            description: "The file: CSV with a header, JSON, or a plain list of targets (see format)",
            content: Object.fromEntries(
              ["text/csv", "text/plain", "application/json"].map((type) => [
                type,
                { schema: { type: "string" } },
              ]),
            ),
          }
        : input
          ? {
              required: true,
              content: {
                "application/json": { schema: bodySchema(inputSchema(input), route.oneOfRequired) },
              },
            }
          : undefined;
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    const content = typeof answer === "string" ? { "application/json": answer } : answer;
    responses[status] = {
      description: route.summary,
      content: Object.fromEntries(
        Object.entries(content).map(([type, name]) => [
          type,
          { schema: name === "string" ? { type: "string" } : { $ref: `#/components/schemas/${name}` } },
        ]),
      ),
    };
  }
  responses.default = route.errors
    ? {
        description: "The error, in the dialect's shape",
        content: { "application/json": { schema: { $ref: `#/components/schemas/${route.errors.schema}` } } },
      }
    : ERROR;
  return {
    summary: route.summary,
    parameters: [...pathParams, ...queryParams],
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function build(graphqlSchema: GraphQLSchema, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of compiled) {
    const path = `${REST_PREFIX}${route.route.path.replace(/:(\w+)/g, "{$1}")}`;
    paths[path] ??= {};
    paths[path][route.route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "CertPulse REST API",
      version,
      description:
        "TLS certificate and domain registration monitoring. Every operation needs an API key, as `Authorization: Bearer ssa_…` or `X-API-Key: ssa_…`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { apiKeyHeader: [] }],
    paths,
    components: {
      schemas: responseSchemas(graphqlSchema),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key: Bearer ssa_live_…" },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
    },
  };
}

let document: string | undefined;

/** The document as JSON text, built on first use; its version is the package's. */
export function openApiDocument(): string {
  if (document === undefined) {
    document = JSON.stringify(build(schema, packageVersion()));
  }
  return document;
}
