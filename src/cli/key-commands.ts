// certpulse keys create | list | revoke: a user's API keys from the shell.
import type { Command } from "commander";
import { emailOption, examples } from "./help.js";
import { table, withServices } from "./with-services.js";

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function keyCommands(cli: Command) {
  const keys = cli.command("keys").description("create, list and revoke API keys");
  keys
    .command("create")
    .description("create an API key for a user; prints the key on stdout (shown once)")
    .addOption(emailOption("the user the key belongs to"))
    .requiredOption("--label <label>", "what the key is for, to tell keys apart")
    .option("--permissions <list>", "read, write or read,write", "read")
    .option("--expires-at <iso-8601>", "when the key stops working (default: never)")
    .addHelpText(
      "after",
      examples(
        "certpulse keys create --email ops@example.com --label grafana",
        "certpulse keys create --email ops@example.com --label deploy --permissions read,write --expires-at 2027-06-30T00:00:00Z",
      ),
    )
    .action(async (options: { email: string; label: string; permissions: string; expiresAt?: string }) => {
      const expiresAt = options.expiresAt === undefined ? undefined : new Date(options.expiresAt);
      if (expiresAt && Number.isNaN(expiresAt.getTime())) {
        throw new Error(
          `--expires-at "${options.expiresAt}" is not a date; write it as 2027-06-30T00:00:00Z`,
        );
      }
      const { apiKey, key } = await withServices(async (s) => {
        const user = await s.users.byEmail(options.email);
        return s.apiKeys.createFor(user.id, {
          label: options.label,
          permissions: options.permissions.split(",").map((p) => p.trim()) as ("read" | "write")[],
          expiresAt,
        });
      });
      console.error(
        `Created key "${apiKey.label}" (${apiKey.prefix}…) with ${(apiKey.permissions as string[]).join(", ")}`,
      );
      console.error("Store it now: it is not shown again.");
      console.log(key);
    });

  keys
    .command("list")
    .description("list a user's API keys: id, prefix, label, permissions, last use, expiry, revocation")
    .addOption(emailOption("the user whose keys to list"))
    .option("--json", "print the keys as JSON")
    .addHelpText("after", examples("certpulse keys list --email ops@example.com"))
    .action(async (options: { email: string; json?: boolean }) => {
      const view = await withServices(async (s) => {
        const user = await s.users.byEmail(options.email);
        return (await s.apiKeys.list(user.id)).map((k) => ({
          id: k.id,
          prefix: k.prefix,
          label: k.label,
          permissions: k.permissions as string[],
          created_at: iso(k.createdAt),
          last_used_at: iso(s.apiKeys.lastUsedAt(k)),
          expires_at: iso(k.expiresAt),
          revoked_at: iso(k.revokedAt),
        }));
      });
      if (options.json) return console.log(JSON.stringify(view, null, 2));
      if (view.length === 0) return console.error("No keys");
      console.log(
        table(
          ["ID", "PREFIX", "LABEL", "PERMISSIONS", "LAST USED", "EXPIRES", "REVOKED"],
          view.map((k) => [
            k.id,
            k.prefix,
            k.label,
            k.permissions.join(","),
            k.last_used_at,
            k.expires_at,
            k.revoked_at,
          ]),
        ),
      );
    });

  keys
    .command("revoke")
    .description("revoke an API key by its id (keys list shows it); it stops working at once")
    .argument("<id>", "the key's id")
    .addOption(emailOption("the user the key belongs to"))
    .addHelpText(
      "after",
      `${examples("certpulse keys revoke 3f0c2a9e-5b1d-4c37-9a8e-2d6f1b7c4e10 --email ops@example.com")}
Running servers stop accepting the key at once when they share REDIS_URL with this command;
without Redis, within CERTPULSE_KEY_CACHE_MS (10 s by default).`,
    )
    .action(async (id: string, options: { email: string }) => {
      const key = await withServices(async (s) =>
        s.apiKeys.revoke((await s.users.byEmail(options.email)).id, id),
      );
      console.error(`Revoked key "${key.label}" (${key.prefix}…) at ${key.revokedAt?.toISOString()}`);
    });
}
