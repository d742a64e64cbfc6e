// The SSLmonitor API's parameters as CertPulse's list filters and inputs. Its filters are small
// expressions (`443,8443`, `!443`, `100-200`, `>=100`, `<30`); each becomes an IntFilter the
// database applies. One that does not parse is a 400 naming the parameter.
import type { IntFilter } from "../../../domains/domain-filters.js";
import { badInput } from "../../../lib/errors.js";

const N = "(-?\\d{1,9})";
const PORT_FORMS = "443, 443,8443, !443, 100-200 or >=100";
const DAYS_FORMS = "=30, 30-60, <30 or >30";

/** One integer expression: N, =N, ==N, N,M,…, !N[,M…], A-B, >N, >=N, <N, <=N. */
export function intExpression(name: string, raw: string, forms: string): IntFilter {
  const text = raw.replace(/\s+/g, "");
  const fail = () => badInput(`${name}: cannot read "${raw}"; write ${forms}`);
  let match = new RegExp(`^(?:==?)?${N}$`).exec(text);
  if (match) return { in: [Number(match[1])] };
  if (new RegExp(`^${N}(,${N})+$`).test(text)) return { in: text.split(",").map(Number) };
  match = new RegExp(`^!(${N}(?:,${N})*)$`).exec(text);
  if (match) return { notIn: (match[1] as string).split(",").map(Number) };
  match = /^(\d{1,9})-(\d{1,9})$/.exec(text);
  if (match) {
    const [low, high] = [Number(match[1]), Number(match[2])];
    if (low > high) throw fail();
    return { gte: low, lte: high };
  }
  match = new RegExp(`^(>=|>|<=|<)${N}$`).exec(text);
  if (match) {
    const bound = { ">=": "gte", ">": "gt", "<=": "lte", "<": "lt" }[match[1] as string] as keyof IntFilter;
    return { [bound]: Number(match[2]) };
  }
  throw fail();
}

/** `true` / `false` (also 1 / 0, as form posts often send them). */
export function booleanParam(name: string, raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw badInput(`${name}: cannot read "${raw}"; write true or false`);
}

/** A whole positive number (a monitor's id, a port). */
export function integerParam(
  name: string,
  raw: string | null,
  { required = false } = {},
): number | undefined {
  if (raw === null || raw.trim() === "") {
    if (required) throw badInput(`${name} is required`);
    return undefined;
  }
  if (!/^\d{1,9}$/.test(raw.trim())) throw badInput(`${name} must be a whole number`);
  return Number(raw.trim());
}

/** The list's filters as the `domains` query's arguments. */
export function listFilters(query: URLSearchParams) {
  const filters: Record<string, unknown> = {};
  const read = (name: string) => {
    const value = query.get(name);
    return value === null || value.trim() === "" ? null : value;
  };
  const host = read("host");
  if (host !== null) filters.hostPattern = host.trim();
  const port = read("port");
  if (port !== null) filters.port = intExpression("port", port, PORT_FORMS);
  const valid = read("ssl_valid");
  if (valid !== null) filters.sslValid = booleanParam("ssl_valid", valid);
  const days = read("ssl_expire_days");
  if (days !== null) filters.sslDaysRemaining = intExpression("ssl_expire_days", days, DAYS_FORMS);
  return filters;
}

/** SSLmonitor's timestamps: `YYYY-MM-DD HH:MM`, UTC. */
export function sslmonitorDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 16).replace("T", " ");
}
