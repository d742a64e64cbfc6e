// Users are created by the operator (CLI); API callers act as the user their key belongs to.
import { z } from "zod";
import type { Db } from "../db/client.js";
import type { User } from "../db/generated/sqlite/client.js";
import { counters, takeNumbers } from "../db/id-counter.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import { conflict, notFound } from "../lib/errors.js";
import { parseInput } from "../lib/validate.js";

const createSchema = z.object({
  email: z.email("email must be a valid email address").transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1).max(200).optional(),
  monitorLimit: z.number().int().min(0).optional(),
});

export class UsersService {
  constructor(private readonly db: Db) {}

  async create(input: z.input<typeof createSchema>): Promise<User> {
    const data = parseInput(createSchema, input);
    try {
      return await this.db.$transaction(async (tx) =>
        tx.user.create({ data: { ...data, number: await takeNumbers(tx, counters.user()) } }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict("A user with this email already exists");
      throw error;
    }
  }

  async byEmail(email: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { email: email.toLowerCase() } });
    if (!user) throw notFound(`No user with email ${email}`);
    return user;
  }

  /** What an account holds against its limit: the monitors it may have, has, and may still add. */
  /** `keyId`: the key asking, whose number the account reports beside the user's. */
  async account(
    id: string,
    keyId: string,
  ): Promise<{
    number: number;
    apiKeyNumber: number;
    email: string;
    name: string | null;
    monitorLimit: number;
    used: number;
    available: number;
  }> {
    const user = await this.db.user.findUnique({
      where: { id },
      select: {
        number: true,
        email: true,
        name: true,
        monitorLimit: true,
        apiKeys: { where: { id: keyId }, select: { number: true } },
        _count: { select: { domains: true } },
      },
    });
    if (!user) throw notFound("User not found");
    const used = user._count.domains;
    return {
      // Every row is numbered when stored (and the migration numbered those before it).
      number: user.number ?? 0,
      apiKeyNumber: user.apiKeys[0]?.number ?? 0,
      email: user.email,
      name: user.name,
      monitorLimit: user.monitorLimit,
      used,
      available: Math.max(0, user.monitorLimit - used),
    };
  }

  async byId(id: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw notFound("User not found");
    return user;
  }
}
