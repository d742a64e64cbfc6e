// DateTime: ISO-8601 in UTC with milliseconds, as the REST spec writes timestamps.
import { DateTimeResolver } from "graphql-scalars";
import { builder } from "./builder.js";

builder.addScalarType("DateTime", DateTimeResolver);
