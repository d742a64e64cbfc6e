// Bulk import and export of domains: the importDomains mutation and the exportDomains query.
import { DOMAIN_FILE_FORMATS } from "../../domains/domain-file.js";
import {
  IMPORT_OUTCOMES,
  type ImportLineResult,
  type ImportResult,
} from "../../domains/domain-import.service.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";

const DomainFileFormat = builder.enumType("DomainFileFormat", {
  description: "CSV with a header row, JSON (an array of domains), or a plain list of targets, one per line",
  values: upperValues(DOMAIN_FILE_FORMATS),
});
const ExportFormat = builder.enumType("DomainExportFormat", {
  values: upperValues(["csv", "json"] as const),
});
const ImportOutcome = builder.enumType("ImportOutcome", { values: upperValues(IMPORT_OUTCOMES) });

const ImportLine = builder.objectRef<ImportLineResult>("DomainImportLine").implement({
  fields: (t) => ({
    line: t.exposeInt("line", { description: "The line's number in the file (CSV: the header is line 1)" }),
    target: t.exposeString("target", { description: "The target as the line wrote it" }),
    hostname: t.exposeString("hostname", { nullable: true }),
    port: t.exposeInt("port", { nullable: true }),
    outcome: t.field({ type: ImportOutcome, resolve: (line) => line.outcome }),
    reason: t.exposeString("reason", { nullable: true, description: "Why the line was rejected" }),
    domainId: t.exposeID("domainId", {
      nullable: true,
      description:
        "The domain created, updated or left unchanged; null when rejected or in a dry run's creates",
    }),
  }),
});

const ImportCounts = builder.objectRef<ImportResult["counts"]>("DomainImportCounts").implement({
  fields: (t) => ({
    created: t.exposeInt("created"),
    updated: t.exposeInt("updated"),
    unchanged: t.exposeInt("unchanged"),
    rejected: t.exposeInt("rejected"),
  }),
});

const DomainImport = builder.objectRef<ImportResult>("DomainImport").implement({
  fields: (t) => ({
    format: t.field({ type: DomainFileFormat, resolve: (result) => result.format }),
    dryRun: t.exposeBoolean("dryRun"),
    applied: t.exposeBoolean("applied", {
      description:
        "Whether anything was written: false for a dry run, and when a line was rejected without skipInvalid",
    }),
    counts: t.field({ type: ImportCounts, resolve: (result) => result.counts }),
    lines: t.field({
      type: [ImportLine],
      args: {
        outcome: t.arg({ type: [ImportOutcome], required: false, description: "Only these outcomes" }),
      },
      resolve: (result, { outcome }) =>
        outcome ? result.lines.filter((line) => outcome.includes(line.outcome)) : result.lines,
    }),
  }),
});

const ImportDomainsInput = builder.inputType("ImportDomainsInput", {
  fields: (t) => ({
    content: t.string({ description: "The file: at most 10,000 domains" }),
    format: t.field({
      type: DomainFileFormat,
      required: false,
      description: "Guessed from the content when absent",
    }),
    dryRun: t.boolean({
      required: false,
      defaultValue: false,
      description: "Judge every line, write nothing",
    }),
    skipInvalid: t.boolean({
      required: false,
      defaultValue: false,
      description: "Import the good lines even when some are rejected (else nothing is written)",
    }),
  }),
});

builder.mutationFields((t) => ({
  importDomains: t.withAuth({ write: true }).field({
    type: DomainImport,
    description:
      "Adds or updates many domains at once (matched by hostname and port); new domains' first checks are spread out",
    args: { input: t.arg({ type: ImportDomainsInput }) },
    resolve: (_root, { input }, { services, auth }) => services.domainImport.import(auth.userId, input),
  }),
}));

builder.queryFields((t) => ({
  exportDomains: t.withAuth({ read: true }).string({
    description: "Every domain as a file importDomains reads back",
    args: { format: t.arg({ type: ExportFormat, required: false, defaultValue: "csv" }) },
    resolve: (_root, { format }, { services, auth }) =>
      services.domainImport.export(auth.userId, format ?? "csv"),
  }),
}));
