import { type Database, num } from '../db/database.js';
import { LockedPeriodicPass } from '../db/periodic-pass.js';

// Bounded storage: events older than the retention age (by arrival, which a lab cannot set)
// are deleted, then, while the total is over the size cap, the oldest events of the lab that
// stores the most (fair: labs within their share of the cap keep theirs). Deletions
// update the per-lab totals (lab_usage) that quotas read. Runs on every replica; on
// PostgreSQL one replica at a time (advisory lock), the others skip that round.

export interface RetentionLimits {
  maxAgeMs: number;
  maxBytes: number;
}

const CHUNK = 2000;
const LOCK = 727275;

export class Retention extends LockedPeriodicPass {
  /** Events deleted by this replica since start. */
  deleted = 0;

  constructor(
    db: Database,
    private readonly limits: RetentionLimits,
    onError: (e: Error) => void = () => undefined
  ) {
    super(db, LOCK, onError);
  }

  protected enabled(): boolean {
    return true; // the size cap and the age are checked in the pass (either may be off)
  }

  protected async pass(tx: Database, now: number): Promise<number> {
    let deleted = 0;
    if (this.limits.maxAgeMs > 0) {
      const cutoff = now - this.limits.maxAgeMs;
      for (;;) {
        const n = await this.deleteChunk(tx, 'WHERE received_ms < $1', [cutoff]);
        deleted += n;
        if (n < CHUNK) {
          break;
        }
      }
    }
    if (this.limits.maxBytes > 0) {
      for (;;) {
        const total = num(
          (await tx.query('SELECT COALESCE(SUM(bytes), 0) AS b FROM lab_usage'))[0]?.b
        );
        if (total <= this.limits.maxBytes) {
          break;
        }
        // Fair: the lab storing the most goes first (it is over its share whenever the
        // total is over the cap), its oldest events, down to the share or what is over.
        // A lab within its share never loses evidence to another lab's flood.
        const labs = await tx.query(
          'SELECT lab, bytes FROM lab_usage WHERE bytes > 0 ORDER BY bytes DESC, lab LIMIT 1'
        );
        const counted = await tx.query('SELECT COUNT(*) AS n FROM lab_usage WHERE bytes > 0');
        if (!labs.length) {
          break;
        }
        const lab = String(labs[0].lab);
        const share = this.limits.maxBytes / Math.max(1, num(counted[0]?.n));
        const rows = await tx.query(
          'SELECT id, size_bytes FROM events WHERE lab = $1 ORDER BY id LIMIT $2',
          [lab, CHUNK]
        );
        if (!rows.length) {
          break;
        }
        let over = Math.min(total - this.limits.maxBytes, num(labs[0].bytes) - share);
        let last = 0;
        for (const r of rows) {
          last = num(r.id);
          over -= num(r.size_bytes);
          if (over <= 0) {
            break;
          }
        }
        const n = await this.deleteChunk(tx, 'WHERE lab = $1 AND id <= $2', [lab, last]);
        deleted += n;
        if (n === 0) {
          break;
        }
      }
    }
    this.deleted += deleted;
    return deleted;
  }

  /** Deletes up to CHUNK matching events (oldest first) and their outbox rows. */
  private async deleteChunk(tx: Database, where: string, params: unknown[]): Promise<number> {
    const gone = await tx.query(
      `DELETE FROM events WHERE id IN (SELECT id FROM events ${where} ORDER BY id LIMIT ${CHUNK})
       RETURNING id, lab, size_bytes`,
      params
    );
    if (!gone.length) {
      return 0;
    }
    const byLab = new Map<string, { events: number; bytes: number }>();
    for (const r of gone) {
      const u = byLab.get(String(r.lab)) ?? { events: 0, bytes: 0 };
      u.events += 1;
      u.bytes += num(r.size_bytes);
      byLab.set(String(r.lab), u);
    }
    for (const [lab, u] of byLab) {
      await tx.query(
        'UPDATE lab_usage SET events = events - $1, bytes = bytes - $2 WHERE lab = $3',
        [u.events, u.bytes, lab]
      );
    }
    const ids = gone.map(r => num(r.id));
    await tx.query(
      `DELETE FROM outbox WHERE event_pk IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
      ids
    );
    return gone.length;
  }
}
