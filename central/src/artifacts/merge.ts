// Pure: how the registry folds a lab's report into what the fleet knows of a file.

/** A scan result as stored: the one the lookup answers with. */
export interface StoredScan {
  verdict: string;
  scanner_version: string;
}

// Worse verdicts win; `error` says nothing about the file, so it never replaces a verdict.
const RANK: Record<string, number> = { error: 0, safe: 1, suspicious: 2, dangerous: 3 };

/**
 * True when `incoming` should replace `stored`. A later report of the same or a worse verdict
 * replaces (so the answer names the latest scanner that found it); a better one never does,
 * so one lab (or a stolen lab token) cannot turn a file another lab found dangerous into a
 * "safe" one. An error only fills an empty slot or replaces an earlier error.
 */
export function scanReplaces(stored: StoredScan | null, incoming: StoredScan): boolean {
  if (!stored) {
    return true;
  }
  return (RANK[incoming.verdict] ?? 0) >= (RANK[stored.verdict] ?? 0);
}

// Signature statuses, worst first wins the same way: a file one lab found wrongly signed stays
// so whatever later labs say (a valid signature reported elsewhere does not clear it).
const SIG_RANK: Record<string, number> = { valid: 0, unsigned: 1, untrusted: 2, invalid: 3 };

/** True when a reported signature status should replace the stored one (worst wins). */
export function signatureReplaces(stored: string | null, incoming: string): boolean {
  if (stored === null) {
    return true;
  }
  return (SIG_RANK[incoming] ?? SIG_RANK.invalid) >= (SIG_RANK[stored] ?? SIG_RANK.invalid);
}

/** Epoch ms of a report's time, never later than `now` (a lab's clock may run ahead). */
export function reportedTime(iso: string | undefined, now: number): number {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? Math.min(t, now) : now;
}
