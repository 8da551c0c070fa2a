import type { FastifyBaseLogger } from 'fastify';
import { type Database, num } from '../db/database.js';
import { rowToEvent } from '../events/store.js';
import type { SinkTarget } from './sinks.js';

// Drains the outbox: claims due rows with a lease (so replicas do not double-send), sends
// them in batches, deletes what was delivered or is final, reschedules what may be retried.

export interface ForwarderStats {
  delivered: number;
  dropped: number;
  retried: number;
  partial: number;
}

export class Forwarder {
  readonly stats: Record<string, ForwarderStats> = {};
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly sinks: SinkTarget[],
    private readonly log: FastifyBaseLogger,
    private readonly opts = { intervalMs: 500, batch: 100, leaseMs: 30_000, maxAttempts: 20 }
  ) {
    for (const s of sinks) {
      this.stats[s.name] = { delivered: 0, dropped: 0, retried: 0, partial: 0 };
    }
  }

  start() {
    if (!this.sinks.length || this.timer) {
      return;
    }
    const tick = async () => {
      try {
        await this.drainOnce();
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'forwarder pass failed');
      }
      if (this.timer) {
        this.timer = setTimeout(tick, this.opts.intervalMs);
      }
    };
    this.timer = setTimeout(tick, this.opts.intervalMs);
  }

  stop() {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = undefined;
  }

  /** One pass over every sink; returns how many outbox rows were settled. */
  async drainOnce(): Promise<number> {
    if (this.running) {
      return 0;
    }
    this.running = true;
    let settled = 0;
    try {
      for (const sink of this.sinks) {
        settled += await this.drainSink(sink);
      }
    } finally {
      this.running = false;
    }
    return settled;
  }

  private async drainSink(sink: SinkTarget): Promise<number> {
    const now = Date.now();
    // One statement claims due rows with a lease. On PostgreSQL, rows another replica is
    // claiming are skipped (FOR UPDATE SKIP LOCKED), and the lease condition is re-checked on
    // the row after any wait, so a row is claimed by one replica at a time fleet-wide; SQLite
    // serialises writers anyway.
    const lock = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const claimed = await this.db.query(
      `UPDATE outbox SET lease_until_ms = $1 WHERE lease_until_ms <= $2 AND id IN (
         SELECT id FROM outbox WHERE sink = $3 AND next_attempt_ms <= $2 AND lease_until_ms <= $2
         ORDER BY id LIMIT $4 ${lock})
       RETURNING id, event_pk, attempts`,
      [now + this.opts.leaseMs, now, sink.name, this.opts.batch]
    );
    if (!claimed.length) {
      return 0;
    }
    const pks = claimed.map(r => num(r.event_pk));
    const rows = await this.db.query(
      `SELECT * FROM events WHERE id IN (${pks.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY id`,
      pks
    );
    const events = rows.map(rowToEvent);
    if (!events.length) {
      // Their events were removed by retention: nothing left to send.
      await this.db.query(
        `DELETE FROM outbox WHERE id IN (${claimed.map((_, i) => `$${i + 1}`).join(', ')})`,
        claimed.map(r => num(r.id))
      );
      return claimed.length;
    }
    const attempt = Math.max(...claimed.map(r => num(r.attempts)));
    const outcome = await sink.send(events, attempt);
    const claimedIds = claimed.map(r => num(r.id));
    const idMarks = (offset: number) => claimedIds.map((_, i) => `$${i + offset}`).join(', ');
    const st = this.stats[sink.name];
    if (outcome.kind === 'retry' && attempt + 1 < this.opts.maxAttempts) {
      st.retried += claimedIds.length;
      await this.db.query(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $1, lease_until_ms = 0,
          last_error = $2 WHERE id IN (${idMarks(3)})`,
        [Date.now() + outcome.afterMs, outcome.note.slice(0, 500), ...claimedIds]
      );
      this.log.warn(
        {
          sink: sink.name,
          events: claimedIds.length,
          retry_in_ms: outcome.afterMs,
          reason: outcome.note
        },
        'forwarding deferred'
      );
      return 0;
    }
    if (outcome.kind === 'done') {
      st.delivered += events.length;
      if (outcome.note) {
        st.partial += 1;
        this.log.warn(
          { sink: sink.name, reason: outcome.note },
          'forwarding partially accepted (not retried)'
        );
      }
    } else {
      st.dropped += claimedIds.length;
      this.log.error(
        { sink: sink.name, events: claimedIds.length, reason: outcome.note },
        'forwarding dropped events'
      );
    }
    await this.db.query(`DELETE FROM outbox WHERE id IN (${idMarks(1)})`, claimedIds);
    return claimedIds.length;
  }
}
