// Keeps API keys' last_used_at current without a database write per request: uses are remembered in
// memory and written in one batch every flush interval (and at shutdown). Readers merge the pending
// value, so this instance always reports the newest use.
import type { Db } from "../db/client.js";

export class KeyUsage {
  private readonly pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly flushMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(() => {}), this.flushMs);
    this.timer.unref();
  }

  touch(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
  }

  lastUsed(keyId: string, stored: Date | null): Date | null {
    const pending = this.pending.get(keyId);
    return pending && (!stored || pending > stored) ? pending : stored;
  }

  async flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    await Promise.all(
      batch.map(([id, at]) =>
        this.db.apiKey.updateMany({
          where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] },
          data: { lastUsedAt: at },
        }),
      ),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
