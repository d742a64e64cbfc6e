// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers too).
import type { Db } from "../db/client.js";

export async function health(path: string, db: Db): Promise<{ status: number; body: object } | null> {
  if (path === "/healthz") return { status: 200, body: { status: "ok" } };
  if (path !== "/readyz") return null;
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return { status: 200, body: { status: "ok", database: "ok" } };
  } catch {
    return { status: 503, body: { status: "unavailable", database: "unreachable" } };
  }
}
