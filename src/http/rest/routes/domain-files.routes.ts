// /domains/import and /domains/export: many domains at once, as CSV, JSON or a plain list. Listed
// before /domains/:id, which would otherwise take "export" for an id.
import { lower } from "../../../lib/json.js";
import type { Route } from "../route.js";

type Row = Record<string, unknown>;

/** The format a media type names; anything else (curl's form type, text/plain) is guessed from the content. */
const FORMAT_OF: Record<string, string> = { "text/csv": "CSV", "application/json": "JSON" };

const importLineJson = (line: Row) => ({
  line: line.line,
  target: line.target,
  hostname: line.hostname,
  port: line.port,
  outcome: lower(line.outcome),
  reason: line.reason,
  domain_id: line.domainId,
});

const MEDIA_TYPE = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8" } as const;

export const domainFileRoutes: Route[] = [
  {
    method: "POST",
    path: "/domains/import",
    summary:
      "Add or update up to 10,000 domains from a CSV, JSON or plain-list file; 422 (nothing written) when a line is rejected without skip_invalid",
    responses: { 200: "DomainImport", 422: "DomainImport" },
    body: "text",
    document: `mutation ($input: ImportDomainsInput!) {
      importDomains(input: $input) {
        format dryRun applied
        counts { created updated unchanged rejected }
        lines { line target hostname port outcome reason domainId }
      }
    }`,
    query: { format: "input.format", dry_run: "input.dryRun", skip_invalid: "input.skipInvalid" },
    variables: ({ text, contentType }) => ({ input: { content: text, format: FORMAT_OF[contentType] } }),
    render: ({ importDomains }) => {
      const result = importDomains as Row & { lines: Row[] };
      // A rejected line stopped the import: 422, with every line's verdict so the file can be fixed.
      const blocked = !result.applied && !result.dryRun;
      return {
        status: blocked ? 422 : 200,
        body: {
          applied: result.applied,
          dry_run: result.dryRun,
          format: lower(result.format),
          summary: result.counts,
          lines: result.lines.map(importLineJson),
        },
      };
    },
  },
  {
    method: "GET",
    path: "/domains/export",
    summary: "Every domain as CSV or JSON, a file the import reads back",
    responses: { 200: { "text/csv": "string", "application/json": "DomainExport" } },
    document: "query ($format: DomainExportFormat) { exportDomains(format: $format) }",
    query: { format: "format" },
    render: ({ exportDomains }, { query }) => {
      const format = query.get("format")?.toLowerCase() === "json" ? "json" : "csv";
      return {
        status: 200,
        body: null,
        text: exportDomains as string,
        headers: {
          "content-type": MEDIA_TYPE[format],
          "content-disposition": `attachment; filename="certpulse-domains.${format}"`,
        },
      };
    },
  },
];
