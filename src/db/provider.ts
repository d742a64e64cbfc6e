// Which database a DATABASE_URL names. SQLite is the embedded default.
export type Provider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/certpulse.db";

export function providerOf(url: string): Provider {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${url.split(":")[0]}:)`);
}

/** The SQLite file path of a file: URL, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  return url.slice("file:".length).split("?")[0] ?? "";
}
