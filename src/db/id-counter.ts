// The small integer ids beside the UUIDs (Domain.number, ApiKey.number, User.number), for clients
// that expect numbers. Each comes from a counter row incremented in the transaction that stores the
// row it numbers, so a rolled-back insert returns its number and two instances never hand out the
// same one. (SQLite autoincrements only a primary key, and the ids stay UUIDs.)
import type { Db } from "./client.js";

type Tx = Pick<Db, "idCounter">;

/** Each counter's name: users are numbered across the instance, keys and domains per user. */
export const counters = {
  user: () => "user",
  apiKey: (userId: string) => `apikey:${userId}`,
  domain: (userId: string) => `domain:${userId}`,
};

/** Hands out `count` consecutive numbers of the counter; returns the first. Call within a transaction. */
export async function takeNumbers(tx: Tx, name: string, count = 1): Promise<number> {
  const { value } = await tx.idCounter.upsert({
    where: { name },
    create: { name, value: count },
    update: { value: { increment: count } },
    select: { value: true },
  });
  return value - count + 1;
}
