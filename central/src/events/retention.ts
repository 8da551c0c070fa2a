import { type Database, num } from '../db/database.js';

// Bounded storage: events older than the retention age (by arrival, which a lab cannot set)
// are deleted, then the oldest events until the total is under the size cap. Deletions
// update the per-lab totals (lab_usage) that quotas read. Runs on every replica; on
// PostgreSQL one replica at a time (advisory lock), the others skip that round.

export interface RetentionLimits {
  maxAgeMs: number;
  maxBytes: number;
}

const CHUNK = 2000;
const LOCK = 727275;

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Events deleted by this replica since start. */
  deleted = 0;

  constructor(
    private readonly db: Database,
    private readonly limits: RetentionLimits,
    private readonly onError: (e: Error) => void = () => undefined
  ) {}

  start(intervalMs: number) {
    if (this.timer || intervalMs <= 0) {
      return;
    }
    this.timer = setInterval(
      () => void this.enforce().catch(e => this.onError(e as Error)),
      intervalMs
    );
    this.timer.unref();
  }

  async stop() {
    if (this.timer) {
      clearInterval(this.timer);
    }
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns how many events it deleted. */
  enforce(now = Date.now()): Promise<number> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(now: number): Promise<number> {
    return this.db.transaction(async tx => {
      if (tx.dialect === 'postgres') {
        const got = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
          LOCK
        ]);
        if (!got[0]?.ok) {
          return 0;
        }
      }
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
          // Oldest first, in chunks sized to what is over (at least one event).
          const rows = await tx.query('SELECT id, size_bytes FROM events ORDER BY id LIMIT $1', [
            CHUNK
          ]);
          if (!rows.length) {
            break;
          }
          let over = total - this.limits.maxBytes;
          let last = 0;
          for (const r of rows) {
            last = num(r.id);
            over -= num(r.size_bytes);
            if (over <= 0) {
              break;
            }
          }
          const n = await this.deleteChunk(tx, 'WHERE id <= $1', [last]);
          deleted += n;
          if (n === 0) {
            break;
          }
        }
      }
      this.deleted += deleted;
      return deleted;
    });
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
