// The CLI's commands that read or change stored data open the same services the server runs, over
// DATABASE_URL (migrated first), and close them when done. With REDIS_URL set, what they publish
// (a revoked key) reaches running servers at once, as a revocation through the API does.
import type { AppServices } from "../app/services.js";
import { loadConfig } from "../config.js";
import { createLogger } from "../lib/logger.js";

export async function withServices<T>(run: (services: AppServices) => Promise<T>): Promise<T> {
  const [{ createServices }, { createDb }, { migrate }, { createEventBus }] = await Promise.all([
    import("../app/services.js"),
    import("../db/client.js"),
    import("../db/migrate.js"),
    import("../events/event-bus.js"),
  ]);
  const config = loadConfig();
  const log = createLogger("silent");
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  const events = await createEventBus(config.REDIS_URL, log);
  // Checks are the server's: a domain added here is picked up by its scheduler, not probed by this process.
  const services = createServices(db, { ...config, CERTPULSE_SCHEDULER_ENABLED: false }, { log, events });
  try {
    return await run(services);
  } finally {
    await services.close();
    await events.close();
    await db.$disconnect();
  }
}

/** Rows as aligned columns under a header, for people; `--json` is there for scripts. */
export function table(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? "-" : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
