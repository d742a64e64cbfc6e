// DateTime: ISO-8601 in UTC with milliseconds, as the REST spec writes timestamps. JSONObject: the
// parts of a distinguished name, whose attribute names vary by certificate.
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { builder } from "./builder.js";

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSONObject", JSONObjectResolver);
