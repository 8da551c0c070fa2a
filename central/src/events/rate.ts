// Events per minute per credential: a token bucket (burst = one minute's worth) so a lab
// sending few large batches and one sending many small ones are held to the same number of
// events. Counted per replica, like the request rate limit.

export interface RateAnswer {
  ok: boolean;
  /** When refused: seconds until the batch would fit. */
  retryAfterSeconds: number;
}

export class EventRate {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now
  ) {}

  /** Takes `n` events from `key`'s bucket, all or nothing. */
  take(key: string, n: number): RateAnswer {
    if (this.perMinute <= 0) {
      return { ok: true, retryAfterSeconds: 0 };
    }
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
    if (this.buckets.size > 100_000) {
      this.buckets.clear();
    }
    this.buckets.set(key, b);
    // A batch larger than the burst waits for a full bucket, then passes.
    const need = Math.min(n, this.perMinute);
    if (b.tokens >= need) {
      b.tokens -= need;
      return { ok: true, retryAfterSeconds: 0 };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((need - b.tokens) / perMs / 1000))
    };
  }
}
