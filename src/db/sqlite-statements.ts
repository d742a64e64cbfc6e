// Prepared statements reused across queries on SQLite.
//
// Prisma's better-sqlite3 adapter prepares every statement afresh (its performIO calls
// `client.prepare(sql).bind(args)` per query). Preparing is a fifth of the driver's time on the
// hottest requests, and the query compiler emits the same few hundred SQL texts over and over.
// better-sqlite3 statements are reusable but `bind()` is once-only, so the cache hands out a thin
// view that binds per call. Written here because the adapter has no hook for it; it relies only on
// the adapter calling prepare → bind → reader / run / columns / raw().all, which the tests cover.
import type Database from "better-sqlite3";

type Statement = Database.Statement<unknown[]>;
type Columns = Database.ColumnDefinition[];

/** Most distinct SQL texts kept; the query compiler's are a few hundred, raw ones fewer. */
const LIMIT = 500;

/** A statement, and its result columns once asked (they change only with the schema). */
interface Cached {
  statement: Statement;
  columns?: Columns;
}

class BoundStatement {
  constructor(
    private readonly cached: Cached,
    private readonly args: unknown[] = [],
  ) {}
  private get statement() {
    return this.cached.statement;
  }
  get reader() {
    return this.statement.reader;
  }
  bind(args: unknown[]) {
    return new BoundStatement(this.cached, args);
  }
  run() {
    return this.statement.run(this.args);
  }
  columns() {
    this.cached.columns ??= this.statement.columns();
    return this.cached.columns;
  }
  raw() {
    const statement = this.statement;
    const args = this.args;
    return { all: () => statement.raw(true).all(args) };
  }
}

/** Makes `db.prepare` return cached statements (least recently used dropped past LIMIT). */
export function reuseStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const cache = new Map<string, Cached>();
  (db as { prepare: unknown }).prepare = (sql: string) => {
    let cached = cache.get(sql);
    if (cached) cache.delete(sql);
    else {
      cached = { statement: prepare(sql) };
      if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, cached);
    return new BoundStatement(cached);
  };
}
