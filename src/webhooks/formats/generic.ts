// The generic format: the event itself, as JSON.
import type { Format } from "./format.js";

export const generic: Format = (event) => event;
