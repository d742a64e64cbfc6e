// Turns a zod failure into one BAD_USER_INPUT error whose message names the field, so REST and
// GraphQL callers both get "port must be an integer between 1 and 65535", not a stack of issues.
import type { z } from "zod";
import { badInput } from "./errors.js";

/** A schema's input as GraphQL and REST callers pass it: any field may be absent or null. */
export type Loose<T> = { [K in keyof T]?: T[K] | null };

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw badInput(issue?.message ?? "Invalid request");
}
