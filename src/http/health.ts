// Liveness (/healthz: the process answers) and readiness (/readyz: the database answers too).
import { type Db, databaseAnswers } from "../db/client.js";

export async function health(path: string, db: Db): Promise<{ status: number; body: object } | null> {
  if (path === "/healthz") return { status: 200, body: { status: "ok" } };
  if (path !== "/readyz") return null;
  return (await databaseAnswers(db))
    ? { status: 200, body: { status: "ok", database: "ok" } }
    : { status: 503, body: { status: "unavailable", database: "unreachable" } };
}
