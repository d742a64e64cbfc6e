// The schema: one import per entity, then toSchema().
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "./scalars.js";
import "./domain.js";
import "./api-key.js";
import "./ssl-check.js";
import "./whois-check.js";
import "./check-domain.js";
import "./alert.js";
import "./check-completed.js";
import "./webhook.js";
import "./webhook-delivery.js";

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = lexicographicSortSchema(builder.toSchema());
