// Writes the printed GraphQL schema to schema.graphql; with --check, fails when the committed file
// differs from what the code builds (CI runs the check, so the schema can never drift unnoticed).
import { readFileSync, writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { schema } from "../src/schema/index.js";

const file = new URL("../schema.graphql", import.meta.url);
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(file, "utf8");
  } catch {}
  if (committed !== printed) {
    console.error("schema.graphql is out of date: run npm run schema:print and commit it");
    process.exit(1);
  }
  console.log("schema.graphql: up to date");
} else {
  writeFileSync(file, printed);
  console.log("wrote schema.graphql");
}
