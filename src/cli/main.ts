#!/usr/bin/env node
// certpulse serve | migrate | check HOST[:PORT] [--json] [--address IP] [--ssl-only] |
//           users create --email E [--name N] |
//           keys create --email E --label L --permissions read,write [--expires-at ISO]
// Output for people goes to stderr; a created key is alone on stdout's last line, for scripts.
// Each command loads only what it runs (dynamic imports): `check` and `--help` need neither the
// database client nor the GraphQL server, whose loading is most of a start-up.
import { parseArgs } from "node:util";
import type { AppServices } from "../app/services.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../lib/logger.js";

const USAGE = `Usage:
  certpulse serve
  certpulse migrate
  certpulse check HOST[:PORT] [--json] [--address IP] [--ssl-only]
  certpulse users create --email EMAIL [--name NAME] [--monitor-limit N]
  certpulse keys create --email EMAIL --label LABEL [--permissions read,write] [--expires-at ISO-8601]`;

async function serve() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const { buildApp } = await import("../app/app.js");
  const app = await buildApp(config, log);
  const url = await app.start();
  log.info(`GraphQL at ${url}/graphql, REST at ${url}/api/v1`);
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
}

async function withServices<T>(run: (services: AppServices) => Promise<T>): Promise<T> {
  const [{ createServices }, { createDb }, { migrate }] = await Promise.all([
    import("../app/services.js"),
    import("../db/client.js"),
    import("../db/migrate.js"),
  ]);
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  const services = createServices(db, config);
  try {
    return await run(services);
  } finally {
    await services.close();
    await db.$disconnect();
  }
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      label: { type: "string" },
      permissions: { type: "string" },
      "expires-at": { type: "string" },
      "monitor-limit": { type: "string" },
      json: { type: "boolean" },
      address: { type: "string" },
      "ssl-only": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals.join(" ");
  if (values.help || command === "") return console.error(USAGE);
  if (command === "serve") return serve();
  if (positionals[0] === "check" && positionals.length === 2) {
    const { checkCommand } = await import("./check-command.js");
    process.exitCode = await checkCommand(loadConfig(), positionals[1] as string, values);
    return;
  }
  if (command === "migrate") {
    const { migrate } = await import("../db/migrate.js");
    const applied = await migrate(loadConfig().DATABASE_URL);
    return console.error(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date");
  }
  if (command === "users create") {
    const limit = values["monitor-limit"];
    const user = await withServices((s) =>
      s.users.create({
        email: values.email ?? "",
        name: values.name,
        monitorLimit: limit === undefined ? undefined : Number(limit),
      }),
    );
    console.error(`Created user ${user.email}`);
    return console.log(user.id);
  }
  if (command === "keys create") {
    const expiresAt = values["expires-at"];
    const { apiKey, key } = await withServices(async (s) => {
      const user = await s.users.byEmail(values.email ?? "");
      return s.apiKeys.createFor(user.id, {
        label: values.label ?? "",
        permissions: (values.permissions ?? "read").split(",").map((p) => p.trim()) as ("read" | "write")[],
        expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt),
      });
    });
    console.error(
      `Created key "${apiKey.label}" (${apiKey.prefix}…) with ${(apiKey.permissions as string[]).join(", ")}`,
    );
    console.error("Store it now: it is not shown again.");
    return console.log(key);
  }
  throw new Error(`Unknown command: ${command}\n${USAGE}`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`certpulse: ${error.message}`);
  process.exit(1);
});
