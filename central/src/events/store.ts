import { SEVERITIES, severityRank } from '../contracts.js';
import { type Database, num } from '../db/database.js';
import type { ValidEvent } from './ingest.js';

// Stored events: idempotent insert on (lab, event_id), filtered queries, counts over time.

export interface StoredEvent extends Record<string, unknown> {
  id: number;
  lab: string;
  user: string | null;
  received_at: string;
}

export interface EventFilter {
  user?: string;
  lab?: string;
  rule?: string;
  severity?: string;
  min_severity?: string;
  kind?: string;
  since?: number;
  until?: number;
}

export interface Sink {
  name: string;
  minSeverityRank: number;
}

export function rowToEvent(r: Record<string, unknown>): StoredEvent {
  return {
    ...JSON.parse(String(r.body)),
    id: num(r.id),
    lab: String(r.lab),
    user: (r.user_name as string) ?? null,
    received_at: new Date(num(r.received_ms)).toISOString()
  };
}

function where(f: EventFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (f.user) {
    add('user_name = ?', f.user);
  }
  if (f.lab) {
    add('lab = ?', f.lab);
  }
  if (f.rule) {
    add('rule_id = ?', f.rule);
  }
  if (f.severity) {
    add('severity = ?', f.severity);
  }
  if (f.min_severity) {
    add('severity_rank >= ?', severityRank(f.min_severity));
  }
  if (f.kind) {
    add('kind = ?', f.kind);
  }
  if (f.since !== undefined) {
    add('time_ms >= ?', f.since);
  }
  if (f.until !== undefined) {
    add('time_ms < ?', f.until);
  }
  return clauses.length ? 'WHERE ' + clauses.join(' AND ') : '';
}

export class EventStore {
  constructor(
    private readonly db: Database,
    private readonly sinks: Sink[] = []
  ) {}

  /**
   * Stores the valid events for `lab`; returns the event_ids that already existed (duplicates).
   * `userOf` gives each event's user (the lab's word for its own users, or the credential's).
   */
  async insert(
    lab: string,
    events: ValidEvent[],
    userOf: (e: ValidEvent) => string | null
  ): Promise<Set<string>> {
    const now = Date.now();
    const inserted = new Map<string, number>();
    // One lock order for every writer: two replicas inserting overlapping batches wait on
    // each other instead of deadlocking.
    const ordered = [...events].sort((a, b) =>
      a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0
    );
    await this.db.transaction(async tx => {
      let bytes = 0;
      // Multi-row inserts: one statement per chunk keeps round trips (PostgreSQL) and
      // statement overhead (SQLite) low. 200 rows x 13 columns stays under both engines' limits.
      for (let i = 0; i < ordered.length; i += 200) {
        const chunk = ordered.slice(i, i + 200);
        const params: unknown[] = [];
        const values = chunk.map(e => {
          const b = e.body;
          const row = [
            lab,
            e.event_id,
            userOf(e),
            e.time_ms,
            now,
            b.kind,
            b.rule_id,
            b.severity,
            e.severity_rank,
            b.action,
            b.fingerprint,
            e.text,
            e.size
          ];
          const start = params.length;
          params.push(...row);
          return '(' + row.map((_, j) => `$${start + j + 1}`).join(', ') + ')';
        });
        const rows = await tx.query(
          `INSERT INTO events (lab, event_id, user_name, time_ms, received_ms, kind, rule_id,
            severity,
             severity_rank, action, fingerprint, body, size_bytes)
           VALUES ${values.join(', ')} ON CONFLICT (lab, event_id) DO NOTHING RETURNING id,
             event_id, size_bytes`,
          params
        );
        for (const r of rows) {
          inserted.set(String(r.event_id), num(r.id));
          bytes += num(r.size_bytes);
        }
      }
      if (inserted.size) {
        await tx.query(
          `INSERT INTO lab_usage (lab, events, bytes) VALUES ($1, $2, $3) ON CONFLICT (lab)
           DO UPDATE SET events = lab_usage.events + excluded.events, bytes = lab_usage.bytes +
             excluded.bytes`,
          [lab, inserted.size, bytes]
        );
      }
      // Forwarding is an outbox in the same transaction: an accepted event is forwarded even
      // if this replica dies right after answering.
      for (const sink of this.sinks) {
        for (const e of events) {
          const pk = inserted.get(e.event_id);
          if (pk !== undefined && e.severity_rank >= sink.minSeverityRank) {
            await tx.query(
              'INSERT INTO outbox (sink, event_pk, next_attempt_ms) VALUES ($1, $2, $3)',
              [sink.name, pk, now]
            );
          }
        }
      }
    });
    return new Set(events.filter(e => !inserted.has(e.event_id)).map(e => e.event_id));
  }

  /** Newest first; the cursor is the last row's (time_ms, id). */
  async query(
    f: EventFilter,
    limit: number,
    cursor?: string
  ): Promise<{ events: StoredEvent[]; next_cursor: string | null }> {
    const params: unknown[] = [];
    let w = where(f, params);
    if (cursor) {
      const [t, id] = cursor.split('.').map(Number);
      params.push(t, t, id);
      const [t1, t2, i1] = [params.length - 2, params.length - 1, params.length];
      const c = `(time_ms < $${t1} OR (time_ms = $${t2} AND id < $${i1}))`;
      w = w ? `${w} AND ${c}` : `WHERE ${c}`;
    }
    params.push(limit);
    const rows = await this.db.query(
      `SELECT * FROM events ${w} ORDER BY time_ms DESC, id DESC LIMIT $${params.length}`,
      params
    );
    const events = rows.map(rowToEvent);
    const last = rows[rows.length - 1];
    return {
      events,
      next_cursor: rows.length === limit ? `${num(last.time_ms)}.${num(last.id)}` : null
    };
  }

  /** Every matching event, oldest first, in pages (for exports and inventories). */
  async *scan(f: EventFilter, page = 1000): AsyncGenerator<StoredEvent> {
    let after = 0;
    for (;;) {
      const params: unknown[] = [];
      let w = where(f, params);
      params.push(after);
      w = w ? `${w} AND id > $${params.length}` : `WHERE id > $${params.length}`;
      params.push(page);
      const rows = await this.db.query(
        `SELECT * FROM events ${w} ORDER BY id LIMIT $${params.length}`,
        params
      );
      for (const r of rows) {
        yield rowToEvent(r);
      }
      if (rows.length < page) {
        return;
      }
      after = num(rows[rows.length - 1].id);
    }
  }

  async stats(f: EventFilter, bucketMs: number) {
    const params: unknown[] = [];
    const w = where(f, params);
    // Inlined as an integer literal: a bound JS number is a REAL in SQLite, which would turn
    // the bucket arithmetic into float division.
    if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
      throw new Error('bucket must be a positive integer');
    }
    const b = String(bucketMs);
    const rows = await this.db.query(
      `SELECT (time_ms / ${b}) * ${b} AS t, rule_id, severity, lab, COUNT(*) AS n FROM events ${w}
       GROUP BY 1, 2, 3, 4 ORDER BY 1`,
      params
    );
    const series = rows.map(r => ({
      t: new Date(num(r.t)).toISOString(),
      rule_id: String(r.rule_id),
      severity: String(r.severity),
      lab: String(r.lab),
      count: num(r.n)
    }));
    const totals = {
      by_rule: {} as Record<string, number>,
      by_severity: {} as Record<string, number>,
      by_lab: {} as Record<string, number>
    };
    for (const s of series) {
      totals.by_rule[s.rule_id] = (totals.by_rule[s.rule_id] ?? 0) + s.count;
      totals.by_severity[s.severity] = (totals.by_severity[s.severity] ?? 0) + s.count;
      totals.by_lab[s.lab] = (totals.by_lab[s.lab] ?? 0) + s.count;
    }
    return { series, totals };
  }

  /** What a lab has stored now (kept up to date by insert and retention). */
  async usage(lab: string): Promise<{ events: number; bytes: number }> {
    const rows = await this.db.query('SELECT events, bytes FROM lab_usage WHERE lab = $1', [lab]);
    return { events: num(rows[0]?.events), bytes: num(rows[0]?.bytes) };
  }

  async countsByLab(): Promise<Map<string, number>> {
    const rows = await this.db.query('SELECT lab, COUNT(*) AS n FROM events GROUP BY lab');
    return new Map(rows.map(r => [String(r.lab), num(r.n)]));
  }
}

export { SEVERITIES };
