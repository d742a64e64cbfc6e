// The schema: one import per entity, then toSchema().
import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "./scalars.js";
import "./types/domain.js";
import "./types/domain-import.js";
import "./types/api-key.js";
import "./types/ssl-check.js";
import "./types/certificate.js";
import "./types/whois-check.js";
import "./types/check-domain.js";
import "./types/alert.js";
import "./types/webhook.js";
import "./types/webhook-delivery.js";

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = lexicographicSortSchema(builder.toSchema());
