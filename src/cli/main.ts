#!/usr/bin/env node
// The certpulse command: commander parses, each command has its own help with examples, and
// `--version` reads package.json. Output for people goes to stderr; a created key or user id is
// alone on stdout's last line, for scripts. Each command loads only what it runs (dynamic imports):
// `check` and `--help` need neither the database client nor the GraphQL server, whose loading is
// most of a start-up.
import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../config.js";
import { packageVersion } from "../db/package-root.js";
import { createLogger } from "../lib/logger.js";
import { domainCommands } from "./domain-commands.js";
import { examples } from "./help.js";
import { keyCommands } from "./key-commands.js";
import { withServices } from "./with-services.js";

const positiveInt = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("expected a whole number above 0");
  return Number(value);
};

async function serve() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const { buildApp } = await import("../app/app.js");
  const app = await buildApp(config, log);
  // Handlers first: a signal arriving while the server starts drains it too, rather than killing it.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "draining and shutting down");
    app.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  let url: string;
  try {
    url = await app.start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    await app.stop().catch(() => {});
    throw new Error(
      `port ${config.PORT} on ${config.HOST} is already in use; set PORT to a free one (PORT=${config.PORT + 1} certpulse serve)`,
    );
  }
  log.info(`GraphQL at ${url}/graphql, REST at ${url}/api/v1`);
}

export function program(): Command {
  const cli = new Command("certpulse")
    .description("Self-hosted monitor for TLS certificates and domain registrations")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help (every command has its own: certpulse help check)")
    .showHelpAfterError("(certpulse --help lists the commands; certpulse help COMMAND shows one)")
    .addHelpText(
      "after",
      examples(
        "certpulse serve",
        "certpulse check example.com",
        "certpulse users create --email ops@example.com",
        "certpulse keys create --email ops@example.com --label deploy --permissions read,write",
        "certpulse domains import hosts.txt --email ops@example.com",
      ),
    );

  cli
    .command("serve")
    .description("run the server: GraphQL at /graphql, REST at /api/v1, /metrics, checks on schedule")
    .addHelpText(
      "after",
      `${examples("certpulse serve", "PORT=8080 DATABASE_URL=file:/var/lib/certpulse/db.sqlite certpulse serve")}
Configuration comes from the environment (README: Configuration). SIGTERM or SIGINT drains and stops.`,
    )
    .action(serve);

  cli
    .command("migrate")
    .description("apply pending database migrations and exit")
    .addHelpText("after", examples("DATABASE_URL=postgresql://certpulse@db/certpulse certpulse migrate"))
    .action(async () => {
      const { migrate } = await import("../db/migrate.js");
      const applied = await migrate(loadConfig().DATABASE_URL);
      console.error(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date");
    });

  cli
    .command("check")
    .description("probe one server now, without a database: certificate, grade, registration")
    .argument("<host[:port]>", "the server to check (port 443 unless given)")
    .option("--json", "print the report as JSON")
    .option("--address <ip>", "connect to this address instead of resolving the host (SNI stays the host)")
    .option("--ssl-only", "skip the registration lookup")
    .option(
      "--starttls <protocol>",
      "speak this preamble first: smtp, submission, imap, pop3, ftp, xmpp, ldap, postgres, mysql, or tls for none (default: the port's, e.g. 25 smtp)",
    )
    .addHelpText(
      "after",
      `${examples(
        "certpulse check example.com",
        "certpulse check mail.example.com:465 --ssl-only",
        "certpulse check mail.example.com:25 --ssl-only        # STARTTLS, as port 25 speaks it",
        "certpulse check db.example.com:6432 --starttls postgres --ssl-only",
        "CERTPULSE_ALLOW_PRIVATE_TARGETS=true certpulse check internal.example.com:8443 --address 10.0.0.5 --json",
      )}
Exit status: 0 all good, 1 a problem (untrusted, mismatched, expired, unregistered), 2 the probe failed.`,
    )
    .action(
      async (
        target: string,
        options: { json?: boolean; address?: string; sslOnly?: boolean; starttls?: string },
      ) => {
        const { checkCommand } = await import("./check-command.js");
        process.exitCode = await checkCommand(loadConfig(), target, {
          json: options.json,
          address: options.address,
          "ssl-only": options.sslOnly,
          starttls: options.starttls,
        });
      },
    );

  cli
    .command("csr")
    .description("read a certificate signing request before a reissue: names, key, signature, problems")
    .argument("<file>", "the PEM CSR, or - for standard input")
    .option("--json", "print what it read as JSON")
    .addHelpText(
      "after",
      `${examples("certpulse csr www.example.com.csr", "openssl req -new -key www.key -subj /CN=www.example.com | certpulse csr -")}
Exit status: 0 nothing wrong, 1 problems found (weak key, SHA-1, no subjectAltName, a broken signature), 2 not a CSR.`,
    )
    .action(async (file: string, options: { json?: boolean }) => {
      const { csrCommand } = await import("./csr-command.js");
      process.exitCode = await csrCommand(file, options);
    });

  const users = cli.command("users").description("manage users");
  users
    .command("create")
    .description("create a user; prints its id on stdout")
    .requiredOption("--email <email>", "the user's email address (unique)")
    .option("--name <name>", "a display name")
    .option("--monitor-limit <n>", "how many domains the user may monitor", positiveInt)
    .addHelpText(
      "after",
      examples("certpulse users create --email ops@example.com --name Ops --monitor-limit 500"),
    )
    .action(async (options: { email: string; name?: string; monitorLimit?: number }) => {
      const user = await withServices((s) =>
        s.users.create({ email: options.email, name: options.name, monitorLimit: options.monitorLimit }),
      );
      console.error(`Created user ${user.email}`);
      console.log(user.id);
    });

  keyCommands(cli);
  domainCommands(cli);
  return cli;
}

program()
  .parseAsync(process.argv)
  .catch((error: Error) => {
    console.error(`certpulse: ${error.message}`);
    process.exit(1);
  });
