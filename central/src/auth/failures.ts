// Per-address count of failed credentials (unknown, revoked, refused by the Hub) in a fixed
// one-minute window. An address over the limit gets 429 before any look-up that costs a
// database query or a Hub call; a credential already cached still works (it costs nothing).

export class FailureLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  blockedFor(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.max) {
      return 0;
    }
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  fail(key: string, now = Date.now()): void {
    const w = this.windows.get(key);
    if (w && now - w.start < this.windowMs) {
      w.count++;
      return;
    }
    this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) {
      // Oldest windows first (Map keeps insertion order); they are the likeliest expired.
      this.windows.delete(this.windows.keys().next().value!);
    }
    this.windows.set(key, { start: now, count: 1 });
  }
}
