// Every REST answer the suite receives is checked against the OpenAPI document the server serves:
// the operation its method and path match, the schema of its status (or the error schema), in the
// media type it was sent as. An answer the document does not describe fails the test that got it.
import assert from "node:assert/strict";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openApiDocument } from "../../src/http/rest/openapi.js";

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON
type Json = any;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export const openApi: Json = JSON.parse(openApiDocument());
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "certpulse", components: openApi.components });

const operations = Object.entries(openApi.paths as Record<string, Record<string, Json>>)
  .map(([template, methods]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}/?$`),
    // A literal path (/domains/export) wins over a template that also matches (/domains/{id}).
    params: (template.match(/\{/g) ?? []).length,
    methods,
  }))
  .sort((a, b) => a.params - b.params);

const compiledSchemas = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: Json): ValidateFunction {
  let validate = compiledSchemas.get(key);
  if (!validate) {
    const target = schema.$ref ? { $ref: `certpulse${schema.$ref}` } : schema;
    validate = ajv.compile(target);
    compiledSchemas.set(key, validate);
  }
  return validate;
}

/** Which operations answered at least once, by "METHOD /template status". */
export const answered = new Set<string>();

export function checkAnswer(
  method: string,
  path: string,
  status: number,
  contentType: string,
  body: unknown,
) {
  if (path === "/api/v1/openapi.json") return;
  const found = operations.find((op) => op.pattern.test(path) && op.methods[method.toLowerCase()]);
  const operation = found?.methods[method.toLowerCase()];
  const response =
    operation?.responses[String(status)] ??
    operation?.responses.default ??
    openApi.paths["/api/v1/domains"].get.responses.default;
  if (status < 400 && !operation?.responses[String(status)]) {
    assert.fail(`${method} ${path} answered ${status}, which the OpenAPI document does not list`);
  }
  const media = contentType.split(";")[0]!.trim();
  const content = response.content[media];
  assert.ok(
    content,
    `${method} ${path} ${status}: the document has no ${media} answer (${Object.keys(response.content)})`,
  );
  const key = `${method} ${found?.template ?? "unknown"} ${status} ${media}`;
  const validate = validatorFor(key, content.schema);
  if (!validate(body)) {
    assert.fail(
      `${key}: the answer does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    );
  }
  answered.add(key);
}
