// The baseline for GET /domains: a bare node:http handler over better-sqlite3 that authenticates the
// key by hash, reads one page and one count, and answers the same JSON as the REST adapter. It is the
// least work that answer can cost; CertPulse's routes are measured against it.
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { hashKey } from "../src/access/api-key-format.js";
import { domainStatus } from "../src/domains/domain-status.js";
import { daysUntil } from "../src/lib/days.js";

const file = process.argv[2];
if (!file) throw new Error("usage: bare-server.ts SQLITE_FILE");
const db = new Database(file, { readonly: true });
const keyStmt = db.prepare('SELECT "userId", "revokedAt", "expiresAt" FROM "ApiKey" WHERE "keyHash" = ?');
const pageStmt = db.prepare(
  'SELECT * FROM "Domain" WHERE "userId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ? OFFSET ?',
);
const countStmt = db.prepare('SELECT COUNT(*) AS total FROM "Domain" WHERE "userId" = ?');

type Row = Record<string, string | number | null>;
const date = (value: unknown) => (typeof value === "string" ? new Date(value) : null);
const iso = (value: unknown) => date(value)?.toISOString() ?? null;

function item(row: Row, now: Date) {
  const status = domainStatus(
    {
      hasError: row.hasError === 1,
      expiresAt: date(row.expiresAt),
      criticalAt: date(row.criticalAt),
      warningAt: date(row.warningAt),
      sslCheckedAt: date(row.sslCheckedAt),
      whoisCheckedAt: date(row.whoisCheckedAt),
    },
    now,
  );
  return {
    id: row.id,
    hostname: row.hostname,
    port: row.port,
    is_active: row.isActive === 1,
    ssl_grade: row.sslGrade,
    ssl_days_remaining: daysUntil(date(row.sslValidTo), now),
    whois_days_remaining: daysUntil(date(row.whoisExpiresAt), now),
    tags: JSON.parse(String(row.tags)),
    created_at: iso(row.createdAt),
    status,
  };
}

const server = createServer((req, res) => {
  const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  const owner = key ? (keyStmt.get(hashKey(key)) as Row | undefined) : undefined;
  if (!owner || owner.revokedAt !== null) {
    res.writeHead(401, { "content-type": "application/json" });
    return res.end('{"error":"Invalid API key"}');
  }
  const perPage = 20;
  const page = 1;
  const now = new Date();
  const rows = pageStmt.all(owner.userId, perPage, (page - 1) * perPage) as Row[];
  const { total } = countStmt.get(owner.userId) as { total: number };
  const body = {
    data: rows.map((row) => item(row, now)),
    pagination: { page, per_page: perPage, total, total_pages: Math.ceil(total / perPage) },
  };
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
