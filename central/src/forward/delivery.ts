// Pure: how to react to a forwarding attempt's answer.

export type Outcome =
  | { kind: 'done'; note?: string }
  | { kind: 'retry'; afterMs: number; note: string }
  | { kind: 'drop'; note: string };

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  v: string | null | undefined,
  now = Date.now()
): number | undefined {
  if (!v) {
    return undefined;
  }
  if (/^\d+$/.test(v.trim())) {
    return Number(v.trim()) * 1000;
  }
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(
  attempt: number,
  baseMs = 1000,
  capMs = 5 * 60_000,
  rand = Math.random
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.floor(exp / 2 + (rand() * exp) / 2);
}

// OTLP/HTTP: only 429, 502, 503, 504 are retryable; everything else is final.
const RETRYABLE = new Set([429, 502, 503, 504]);

export function classifyResponse(
  status: number,
  retryAfter: string | null,
  attempt: number
): Outcome {
  if (status >= 200 && status < 300) {
    return { kind: 'done' };
  }
  if (RETRYABLE.has(status)) {
    const ra = parseRetryAfter(retryAfter);
    return {
      kind: 'retry',
      afterMs: Math.max(ra ?? 0, ra === undefined ? backoffMs(attempt) : 0),
      note: `HTTP ${status}`
    };
  }
  return { kind: 'drop', note: `HTTP ${status} is not retryable` };
}

export function classifyNetworkError(err: unknown, attempt: number): Outcome {
  return {
    kind: 'retry',
    afterMs: backoffMs(attempt),
    note: `network: ${(err as Error)?.message ?? String(err)}`
  };
}
