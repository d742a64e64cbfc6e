// Domain lists as files: what an import reads (CSV, JSON or a plain list of targets) and what an
// export writes (CSV or JSON), one format each way so an export imports unchanged. Reading only
// splits a file into lines of raw fields; the importer judges each line with the domain rules.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { badInput } from "../lib/errors.js";

export const DOMAIN_FILE_FORMATS = ["csv", "json", "list"] as const;
export type DomainFileFormat = (typeof DOMAIN_FILE_FORMATS)[number];

export const MAX_IMPORT_LINES = 10_000;

/** One line of an import: its number in the file (1-based, CSV's header is line 1) and its fields. */
export interface RawLine {
  line: number;
  /** The line's target as written (`host`, `host:port`, a URL), for the per-line result. */
  target: string;
  fields: Record<string, unknown>;
  /** Why the line cannot be read at all (a target that is not a host, host:port or URL). */
  error?: string;
}

/** The columns an import understands; an export writes these and the read-only facts after them. */
const WRITABLE = [
  "hostname",
  "port",
  "address",
  "is_active",
  "tags",
  "notes",
  "alert_days",
  "http_path",
] as const;
const READ_ONLY = ["id", "status", "ssl_grade", "ssl_valid_to", "whois_expires_at", "created_at"] as const;
const TARGET_ALIASES = ["hostname", "host", "domain", "url"];
/** Tags and alert days share one CSV cell, separated by this. */
const LIST_SEPARATOR = ";";

/**
 * A target as people write it: `host`, `host:port`, or `https://host[:port][/path]`. A URL's path
 * (with its query) is what the check's HTTP request asks for.
 */
export function parseTarget(
  text: string,
): { hostname: string; port?: number; httpPath?: string } | { error: string } {
  const target = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { error: `"${target}" is not a valid URL` };
    }
    if (url.protocol !== "https:")
      return { error: `only https:// URLs can be monitored, not ${url.protocol}//` };
    if (url.username || url.password) return { error: "a URL with credentials cannot be monitored" };
    const httpPath = `${url.pathname}${url.search}`;
    return {
      hostname: url.hostname,
      port: url.port === "" ? undefined : Number(url.port),
      ...(httpPath === "/" ? {} : { httpPath }),
    };
  }
  const withPort = /^([^:\s/]+):(\d{1,5})$/.exec(target);
  if (withPort) return { hostname: withPort[1] as string, port: Number(withPort[2]) };
  if (/[\s/:]/.test(target)) return { error: `"${target}" is not a host, host:port or https:// URL` };
  return { hostname: target };
}

/** Fields from a target column: the hostname, and the port unless the line names one itself. */
function targetFields(text: string, fields: Record<string, unknown>): Omit<RawLine, "line"> {
  const parsed = parseTarget(text);
  if ("error" in parsed) return { target: text, fields, error: parsed.error };
  const port = fields.port ?? parsed.port;
  return {
    target: text,
    fields: {
      ...fields,
      hostname: parsed.hostname,
      ...(port === undefined ? {} : { port }),
      ...(parsed.httpPath === undefined || fields.http_path !== undefined
        ? {}
        : { http_path: parsed.httpPath }),
    },
  };
}

/** The format a file is in when the caller does not say: JSON opens with [ or {, CSV has a header. */
export function sniffFormat(content: string): DomainFileFormat {
  const start = content.trimStart();
  if (start.startsWith("[") || start.startsWith("{")) return "json";
  const header = (start.split(/\r?\n/, 1)[0] ?? "").toLowerCase();
  const columns = header.split(",").map((cell) => cell.trim().replace(/^"|"$/g, ""));
  return columns.some((column) => TARGET_ALIASES.includes(column)) ? "csv" : "list";
}

function tooMany(count: number): never {
  throw badInput(`An import holds at most ${MAX_IMPORT_LINES} lines; this one has ${count}`);
}

function readList(content: string): RawLine[] {
  const lines: RawLine[] = [];
  content.split(/\r?\n/).forEach((text, index) => {
    const target = text.replace(/#.*$/, "").trim();
    if (target !== "") lines.push({ line: index + 1, ...targetFields(target, {}) });
  });
  return lines;
}

/** A CSV cell as the JSON value the domain rules expect; empty is absent. */
function csvValue(column: string, cell: string): unknown {
  const value = cell.trim();
  if (value === "") return undefined;
  if (column === "port") return /^\d+$/.test(value) ? Number(value) : value;
  if (column === "is_active") return value === "true" ? true : value === "false" ? false : value;
  if (column === "tags") return value.split(LIST_SEPARATOR).map((tag) => tag.trim());
  if (column === "alert_days") {
    return value.split(LIST_SEPARATOR).map((day) => (/^\d+$/.test(day.trim()) ? Number(day) : day));
  }
  return value;
}

function readCsv(content: string): RawLine[] {
  let rows: string[][];
  try {
    rows = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    throw badInput(`The CSV cannot be read: ${(error as Error).message}`);
  }
  const header = (rows[0] ?? []).map((cell) => cell.trim().toLowerCase());
  const targetColumn = header.findIndex((column) => TARGET_ALIASES.includes(column));
  if (targetColumn === -1) throw badInput("The CSV header needs a hostname (or host, domain, url) column");
  const known = new Set<string>([...WRITABLE, ...READ_ONLY, ...TARGET_ALIASES]);
  const unknown = header.find((column) => !known.has(column));
  if (unknown !== undefined) {
    throw badInput(`Unknown CSV column "${unknown}"; the columns are ${[...WRITABLE].join(", ")}`);
  }
  if (rows.length - 1 > MAX_IMPORT_LINES) tooMany(rows.length - 1);
  return rows.slice(1).map((row, index) => {
    const fields: Record<string, unknown> = {};
    header.forEach((column, i) => {
      if (i === targetColumn || !(WRITABLE as readonly string[]).includes(column)) return;
      const value = csvValue(column, row[i] ?? "");
      if (value !== undefined) fields[column] = value;
    });
    return { line: index + 2, ...targetFields(row[targetColumn] ?? "", fields) };
  });
}

function readJson(content: string): RawLine[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw badInput("The JSON cannot be read: it is malformed");
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { domains?: unknown } | null)?.domains;
  if (!Array.isArray(items)) {
    throw badInput('A JSON import is an array of domains, or an object whose "domains" is one');
  }
  if (items.length > MAX_IMPORT_LINES) tooMany(items.length);
  return items.map((item, index) => {
    const line = index + 1;
    if (typeof item === "string") return { line, ...targetFields(item, {}) };
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return {
        line,
        target: JSON.stringify(item),
        fields: {},
        error: "each domain is an object or a string",
      };
    }
    const record = item as Record<string, unknown>;
    const alias = TARGET_ALIASES.find((name) => typeof record[name] === "string");
    if (alias === undefined) return { line, target: "", fields: record, error: "hostname is required" };
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (TARGET_ALIASES.includes(key) || (READ_ONLY as readonly string[]).includes(key)) continue;
      fields[key] = value;
    }
    return { line, ...targetFields(record[alias] as string, fields) };
  });
}

/** Splits an import into lines; a file that cannot be read at all is one BAD_USER_INPUT error. */
export function readDomainFile(content: string, format: DomainFileFormat = sniffFormat(content)) {
  const lines =
    format === "csv" ? readCsv(content) : format === "json" ? readJson(content) : readList(content);
  if (lines.length > MAX_IMPORT_LINES) tooMany(lines.length);
  if (lines.length === 0)
    throw badInput(`The ${format === "list" ? "list" : format.toUpperCase()} holds no domains`);
  return { format, lines };
}

/** A domain as an export row: the writable fields, then what CertPulse knows of it. */
export interface ExportRow {
  id: string;
  hostname: string;
  port: number;
  address: string | null;
  is_active: boolean;
  tags: string[];
  notes: string | null;
  alert_days: number[] | null;
  http_path: string;
  status: string;
  ssl_grade: string | null;
  ssl_valid_to: string | null;
  whois_expires_at: string | null;
  created_at: string;
}

export function writeDomainFile(rows: ExportRow[], format: "csv" | "json"): string {
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  const columns = [...WRITABLE, ...READ_ONLY];
  return stringify(
    rows.map((row) =>
      columns.map((column) => {
        const value = row[column];
        return Array.isArray(value) ? value.join(LIST_SEPARATOR) : (value ?? "");
      }),
    ),
    { header: true, columns: [...columns], cast: { boolean: (value) => String(value) } },
  );
}
