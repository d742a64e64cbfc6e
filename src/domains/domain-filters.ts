// The list's fact filters, as database conditions: a hostname pattern, ports, whether the
// certificate is valid now, and its days remaining. Day counts become date bounds on sslValidTo
// (the same floor rule as daysUntil), so the filter reads the indexed column and stays right as days pass.
import { z } from "zod";
import type { Prisma } from "../db/generated/sqlite/client.js";
import { DAY_MS } from "../lib/days.js";

const int = z.number().int();
/** Integers to match: any of `in`, none of `notIn`, within the bounds given. */
export const intFilter = z
  .object({
    in: z.array(int).max(100).nullish(),
    notIn: z.array(int).max(100).nullish(),
    gt: int.nullish(),
    gte: int.nullish(),
    lt: int.nullish(),
    lte: int.nullish(),
  })
  .nullish();
export type IntFilter = NonNullable<z.output<typeof intFilter>>;

/** `*.example.com`, `api.*`, `*shop*`: `*` stands for any characters, the rest is matched as written. */
export const hostPattern = z
  .string()
  .max(253, "host pattern must be at most 253 characters")
  .refine(
    (value) => /^[a-z0-9.*-]+$/i.test(value),
    "host pattern may hold letters, digits, dots, dashes and *",
  )
  .transform((value) => value.toLowerCase())
  .nullish();

export function hostWhere(pattern: string): Prisma.DomainWhereInput {
  const parts = pattern.split("*");
  if (parts.length === 1) return { hostname: pattern };
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter(Boolean);
  // Prisma escapes LIKE's own wildcards in these; between the first and last part the middle parts
  // are each required somewhere (their order is not: no pattern here has two middle parts in practice).
  return {
    AND: [
      ...(first ? [{ hostname: { startsWith: first } }] : []),
      ...(last ? [{ hostname: { endsWith: last } }] : []),
      ...middle.map((part) => ({ hostname: { contains: part } })),
    ],
  };
}

export function portWhere(filter: IntFilter): Prisma.DomainWhereInput {
  const port: Prisma.IntFilter<"Domain"> = {};
  if (filter.in) port.in = filter.in;
  if (filter.notIn) port.notIn = filter.notIn;
  for (const bound of ["gt", "gte", "lt", "lte"] as const) {
    const value = filter[bound];
    if (value !== null && value !== undefined) port[bound] = value;
  }
  return { port };
}

/** Valid now: checked, the latest check without error (chain, name, reachability), not expired. */
export function sslValidWhere(valid: boolean, now: Date): Prisma.DomainWhereInput {
  const isValid: Prisma.DomainWhereInput = {
    sslCheckedAt: { not: null },
    sslError: null,
    sslValidTo: { gt: now },
  };
  return valid ? isValid : { NOT: isValid };
}

/** The sslValidTo bounds of "whole days remaining is within [min, max]" (floor((validTo - now) / day)). */
function daysRange(min: number | null, max: number | null, now: Date): Prisma.DomainWhereInput {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const sslValidTo: Prisma.DateTimeNullableFilter<"Domain"> = { not: null };
  if (min !== null) sslValidTo.gte = at(min);
  if (max !== null) sslValidTo.lt = at(max + 1);
  return { sslValidTo };
}

export function sslDaysWhere(filter: IntFilter, now: Date): Prisma.DomainWhereInput {
  const conditions: Prisma.DomainWhereInput[] = [];
  const lower = Math.max(
    filter.gte ?? Number.NEGATIVE_INFINITY,
    filter.gt === null || filter.gt === undefined ? Number.NEGATIVE_INFINITY : filter.gt + 1,
  );
  const upper = Math.min(
    filter.lte ?? Number.POSITIVE_INFINITY,
    filter.lt === null || filter.lt === undefined ? Number.POSITIVE_INFINITY : filter.lt - 1,
  );
  conditions.push(
    daysRange(Number.isFinite(lower) ? lower : null, Number.isFinite(upper) ? upper : null, now),
  );
  if (filter.in) conditions.push({ OR: filter.in.map((days) => daysRange(days, days, now)) });
  if (filter.notIn) conditions.push({ NOT: { OR: filter.notIn.map((days) => daysRange(days, days, now)) } });
  return { AND: conditions };
}
