// certpulse domains import | export | list | add: a user's domains from the shell, through the same
// services (and so the same rules, limits and spread first checks) as the API.
import { readFileSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { DOMAIN_FILE_FORMATS, type DomainFileFormat, parseTarget } from "../domains/domain-file.js";
import { DOMAIN_STATUSES, type DomainStatus, domainStatus } from "../domains/domain-status.js";
import { DEFAULT_ALERT_DAYS } from "../domains/expiry-policy.js";
import { daysUntil } from "../lib/days.js";
import { emailOption, examples } from "./help.js";
import { table, withServices } from "./with-services.js";

const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const days = (value: string) => list(value).map(Number);

async function readInput(file: string): Promise<string> {
  if (file !== "-") return readFileSync(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (logs, pipes, CI). */
async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: "Importing [{bar}] {percentage}% | {value}/{total} lines",
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

interface ImportOptions {
  email: string;
  format?: DomainFileFormat;
  dryRun?: boolean;
  skipInvalid?: boolean;
  json?: boolean;
}

/** Rejected lines printed for a person; --json has them all. */
const SHOWN_REJECTS = 20;

async function importCommand(file: string, options: ImportOptions) {
  const content = await readInput(file);
  const bar = await progressBar();
  const result = await withServices(async (s) => {
    const user = await s.users.byEmail(options.email);
    return s.domainImport
      .import(
        user.id,
        { content, format: options.format, dryRun: options.dryRun, skipInvalid: options.skipInvalid },
        { onProgress: bar.update },
      )
      .finally(() => bar.stop());
  });
  if (options.json) console.log(JSON.stringify(result, null, 2));
  const rejectedLines = result.lines.filter((line) => line.outcome === "rejected");
  for (const line of rejectedLines.slice(0, SHOWN_REJECTS)) {
    console.error(`line ${line.line}: ${line.target}: ${line.reason}`);
  }
  if (rejectedLines.length > SHOWN_REJECTS) {
    console.error(
      `… and ${rejectedLines.length - SHOWN_REJECTS} more rejected lines (--json lists every line)`,
    );
  }
  const { created, updated, unchanged, rejected } = result.counts;
  const verb = result.applied ? "Imported" : result.dryRun ? "Dry run, nothing written" : "Nothing imported";
  console.error(
    `${verb}: ${created} created, ${updated} updated, ${unchanged} unchanged, ${rejected} rejected`,
  );
  if (!result.applied && !result.dryRun) {
    console.error("Fix the lines above, or pass --skip-invalid to import the others.");
  }
  if (rejected > 0 && !result.applied) process.exitCode = 1;
}

export function domainCommands(cli: Command) {
  const domains = cli.command("domains").description("add, list, import and export a user's domains");

  domains
    .command("import")
    .description("add or update many domains from a CSV, JSON or plain-list file (- reads stdin)")
    .argument("<file>", "the file, or - for stdin")
    .addOption(emailOption("the user whose domains these are"))
    .addOption(
      new Option("--format <format>", "the file's format (default: guessed)").choices(DOMAIN_FILE_FORMATS),
    )
    .option("--dry-run", "judge every line, write nothing")
    .option("--skip-invalid", "import the good lines even when some are rejected")
    .option("--json", "print every line's result as JSON on stdout")
    .addHelpText(
      "after",
      `${examples(
        "certpulse domains import hosts.txt --email ops@example.com",
        "certpulse domains import domains.csv --email ops@example.com --dry-run",
        "certpulse domains export --email old@example.com | certpulse domains import - --email new@example.com",
      )}
A plain list has one target a line: host, host:port or https://host:port/path (# starts a comment).
CSV has a header with hostname (or host, domain, url) and optional port, address, tags, notes,
alert_days, is_active; tags and alert_days separate their values with ";". A bad line stops the
whole import (exit status 1) unless --skip-invalid. New domains' first checks are spread out.`,
    )
    .action(importCommand);

  domains
    .command("export")
    .description("write every domain of a user as CSV or JSON, a file import reads back")
    .addOption(emailOption("the user whose domains these are"))
    .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"))
    .option("-o, --output <file>", "write to this file instead of stdout")
    .addHelpText(
      "after",
      examples(
        "certpulse domains export --email ops@example.com > domains.csv",
        "certpulse domains export --email ops@example.com --format json -o domains.json",
      ),
    )
    .action(async (options: { email: string; format: "csv" | "json"; output?: string }) => {
      const file = await withServices(async (s) =>
        s.domainImport.export((await s.users.byEmail(options.email)).id, options.format),
      );
      if (options.output) writeFileSync(options.output, file);
      else process.stdout.write(file);
    });

  domains
    .command("list")
    .description("list a user's domains with their status, grade and days left")
    .addOption(emailOption("the user whose domains these are"))
    .addOption(new Option("--status <status>", "only domains in this status").choices(DOMAIN_STATUSES))
    .option("--search <text>", "only hostnames containing this")
    .option("--json", "print the domains as JSON")
    .addHelpText(
      "after",
      examples(
        "certpulse domains list --email ops@example.com",
        "certpulse domains list --email ops@example.com --status critical --json",
      ),
    )
    .action(async (options: { email: string; status?: string; search?: string; json?: boolean }) => {
      const rows = await withServices(async (s) => {
        const user = await s.users.byEmail(options.email);
        const all = [];
        for (let page = 1; ; page++) {
          const filter = { status: options.status as DomainStatus | undefined, search: options.search };
          const found = await s.domains.list(user.id, {
            ...filter,
            page,
            perPage: 100,
            sort: "hostname",
            order: "asc",
          });
          all.push(...found.data);
          if (page * 100 >= found.total) return all;
        }
      });
      const now = new Date();
      const view = rows.map((d) => ({
        id: d.id,
        hostname: d.hostname,
        port: d.port,
        status: domainStatus(d, now),
        ssl_grade: d.sslGrade,
        ssl_days_remaining: daysUntil(d.sslValidTo, now),
        whois_days_remaining: daysUntil(d.whoisExpiresAt, now),
        tags: d.tags as string[],
      }));
      if (options.json) return console.log(JSON.stringify(view, null, 2));
      if (view.length === 0) return console.error("No domains");
      console.log(
        table(
          ["HOST", "STATUS", "GRADE", "SSL DAYS", "WHOIS DAYS", "TAGS"],
          view.map((d) => [
            d.port === 443 ? d.hostname : `${d.hostname}:${d.port}`,
            d.status,
            d.ssl_grade,
            d.ssl_days_remaining,
            d.whois_days_remaining,
            d.tags.join(",") || null,
          ]),
        ),
      );
    });

  domains
    .command("add")
    .description("add one domain; prints its id on stdout")
    .argument("<target>", "host, host:port or https://host:port/path")
    .addOption(emailOption("the user whose domains these are"))
    .option("--address <ip>", "connect to this address instead of resolving the host")
    .option("--tags <list>", "comma-separated tags", list)
    .option("--notes <text>", "a note kept with the domain")
    .option(
      "--alert-days <list>",
      `days before expiry that alert, comma-separated (default ${DEFAULT_ALERT_DAYS.join(",")})`,
      days,
    )
    .addHelpText(
      "after",
      examples(
        "certpulse domains add example.com --email ops@example.com",
        "certpulse domains add https://shop.example.com:8443/ --email ops@example.com --tags prod,eu --alert-days 30,7",
      ),
    )
    .action(
      async (
        target: string,
        options: { email: string; address?: string; tags?: string[]; notes?: string; alertDays?: number[] },
      ) => {
        const parsed = parseTarget(target);
        if ("error" in parsed) throw new Error(parsed.error);
        const domain = await withServices(async (s) =>
          s.domains.create((await s.users.byEmail(options.email)).id, {
            ...parsed,
            address: options.address,
            tags: options.tags,
            notes: options.notes,
            alertDays: options.alertDays,
          }),
        );
        console.error(`Added ${domain.hostname}:${domain.port}; its first check is queued`);
        console.log(domain.id);
      },
    );
}
