// Per-request batch loaders for what is not a Prisma relation of the row being resolved: every
// resolver of one request shares them, so a page of domains asks once, not once per domain.
import DataLoader from "dataloader";
import type { WhoisCheck } from "../db/generated/sqlite/client.js";
import type { Context } from "./context.js";

interface Loaders {
  latestWhoisCheck: DataLoader<string, WhoisCheck | null>;
}

const perRequest = new WeakMap<Context, Loaders>();

export function loaders(context: Context): Loaders {
  let made = perRequest.get(context);
  if (!made) {
    made = {
      // Keyed by registrable domain: hosts under one registration share its lookups.
      latestWhoisCheck: new DataLoader(async (keys) => {
        const latest = await context.services.whoisChecks.latestOf(keys);
        return keys.map((key) => latest.get(key) ?? null);
      }),
    };
    perRequest.set(context, made);
  }
  return made;
}
