// Keys verified recently, so most requests cost no key lookup. An entry lives a few seconds at most;
// a revocation, on this instance or any other (the anyKeyRevoked event), drops it at once, and
// expiry is judged on every use from the cached expiresAt. Bounded: the oldest entries go first.

/** What a verified key stands for (the keys service's Auth); only its id matters here. */
interface Identity {
  keyId: string;
}

export class KeyCache<Auth extends Identity> {
  /** By key hash, in insertion order (a Map), so the oldest is the first to evict. */
  private readonly entries = new Map<string, { auth: Auth; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyHash: string, now: Date): Auth | null {
    const entry = this.entries.get(keyHash);
    if (!entry) return null;
    if (entry.until <= now.getTime()) {
      this.entries.delete(keyHash);
      return null;
    }
    return entry.auth;
  }

  set(keyHash: string, auth: Auth, now: Date): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(keyHash);
    this.entries.set(keyHash, { auth, until: now.getTime() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(keyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.auth.keyId === keyId) this.entries.delete(hash);
  }
}
