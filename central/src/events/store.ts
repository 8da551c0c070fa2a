import { SEVERITIES, severityRank } from '../contracts.js';
import { type Database, num, queryOne } from '../db/database.js';
import type { ValidEvent } from './ingest.js';

// Stored events: idempotent insert on (lab, event_id), filtered queries, counts over time.

/** Findings about the set-up, raised again at every start: rolled up in the events list. */
export const POSTURE_KINDS = ['sandbox', 'server'];

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
  action?: string;
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
  if (f.action) {
    add('action = ?', f.action);
  }
  if (f.since !== undefined) {
    add('time_ms >= ?', f.since);
  }
  if (f.until !== undefined) {
    add('time_ms < ?', f.until);
  }
  return clauses.length ? 'WHERE ' + clauses.join(' AND ') : '';
}

/** Per-lab storage limits; 0 means no limit. */
export interface Quota {
  events: number;
  bytes: number;
}

export class QuotaExceeded extends Error {
  constructor(readonly used: { events: number; bytes: number }) {
    super('over quota');
  }
}

/**
 * Fixed cost of one stored row beyond its text: row header, integer columns and the entries
 * of the time, received and primary-key indexes (measured on PostgreSQL 15 and SQLite).
 */
export const ROW_OVERHEAD_BYTES = 160;

/**
 * Bytes one event really costs in the database, as quotas and size retention count it: the
 * stored body, the text columns copied out of it, those that are indexed twice (lab and
 * event_id in the unique index, rule_id and user_name in theirs), and a fixed row overhead.
 */
export function storedSize(lab: string, e: ValidEvent, user: string | null): number {
  const b = e.body;
  const len = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const indexed = len(lab) + len(e.event_id) + len(b.rule_id) + len(user);
  const copied = len(b.kind) + len(b.severity) + len(b.action) + len(b.fingerprint);
  return e.size + 2 * indexed + copied + ROW_OVERHEAD_BYTES;
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
    userOf: (e: ValidEvent) => string | null,
    quota: Quota = { events: 0, bytes: 0 }
  ): Promise<Set<string>> {
    const now = Date.now();
    const inserted = new Map<string, number>();
    // One lock order for every writer: two replicas inserting overlapping batches wait on
    // each other instead of deadlocking.
    const ordered = [...events].sort((a, b) =>
      a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0
    );
    const sizes = new Map(events.map(e => [e.event_id, storedSize(lab, e, userOf(e))]));
    await this.db.transaction(async tx => {
      if (quota.events > 0 || quota.bytes > 0) {
        await reserve(
          tx,
          lab,
          events.length,
          [...sizes.values()].reduce((a, b) => a + b, 0)
        );
      }
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
            sizes.get(e.event_id)
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

    /**
     * The quota check inside the insert's transaction, on the lab's usage row locked first:
     * concurrent batches of one lab (any replica) queue here, so together they cannot pass
     * the quota. SQLite transactions are already serial (BEGIN IMMEDIATE).
     */
    async function reserve(tx: Database, lab: string, n: number, bytes: number) {
      await tx.query(
        'INSERT INTO lab_usage (lab, events, bytes) VALUES ($1, 0, 0) ON CONFLICT (lab) DO NOTHING',
        [lab]
      );
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const row = await queryOne(tx, `SELECT events, bytes FROM lab_usage WHERE lab = $1${lock}`, [
        lab
      ]);
      const used = { events: num(row?.events ?? 0), bytes: num(row?.bytes ?? 0) };
      if (
        (quota.events > 0 && used.events + n > quota.events) ||
        (quota.bytes > 0 && used.bytes + bytes > quota.bytes)
      ) {
        throw new QuotaExceeded(used);
      }
    }
  }

  /**
   * Newest first; the cursor is the last row's (time_ms, id). With `rollup`, repeated posture
   * findings (kinds sandbox and server: the same rule and fingerprint of the same lab, raised
   * again at every start) are one row, the newest, carrying `repeats` and
   * `first_time` of its group.
   */
  async query(
    f: EventFilter,
    limit: number,
    cursor?: string,
    rollup = false
  ): Promise<{ events: StoredEvent[]; next_cursor: string | null }> {
    const params: unknown[] = [];
    const clauses: string[] = [];
    const w = where(f, params);
    if (w) {
      clauses.push(w.slice('WHERE '.length));
    }
    if (cursor) {
      const [t, id] = cursor.split('.').map(Number);
      params.push(t, t, id);
      const [t1, t2, i1] = [params.length - 2, params.length - 1, params.length];
      clauses.push(`(time_ms < $${t1} OR (time_ms = $${t2} AND id < $${i1}))`);
    }
    if (rollup) {
      const inner = where(f, params);
      const posture = `kind IN (${POSTURE_KINDS.map(k => `'${k}'`).join(', ')})`;
      clauses.push(
        // The newest row of each group stands for it (same order as the list itself).
        `(NOT ${posture} OR id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY ` +
          'lab, kind, rule_id, fingerprint ORDER BY time_ms DESC, id DESC) AS rn FROM events ' +
          `${inner ? `${inner} AND` : 'WHERE'} ${posture}) newest WHERE rn = 1))`
      );
    }
    params.push(limit);
    const rows = await this.db.query(
      `SELECT * FROM events ${clauses.length ? 'WHERE ' + clauses.join(' AND ') : ''}
       ORDER BY time_ms DESC, id DESC LIMIT $${params.length}`,
      params
    );
    const events = rows.map(rowToEvent);
    if (rollup) {
      await this.countRepeats(f, events);
    }
    const last = rows[rows.length - 1];
    return {
      events,
      next_cursor: rows.length === limit ? `${num(last.time_ms)}.${num(last.id)}` : null
    };
  }

  /** Sets `repeats` and `first_time` on the posture rows of a rolled-up page. */
  private async countRepeats(f: EventFilter, events: StoredEvent[]) {
    const posture = events.filter(e => POSTURE_KINDS.includes(String(e.kind)));
    if (!posture.length) {
      return;
    }
    const params: unknown[] = [];
    const w = where(f, params);
    const fps = posture.map(e => {
      params.push(e.fingerprint);
      return `$${params.length}`;
    });
    const rows = await this.db.query(
      `SELECT lab, kind, rule_id, fingerprint, COUNT(*) AS n, MIN(time_ms) AS first FROM events
       ${w ? `${w} AND` : 'WHERE'} kind IN (${POSTURE_KINDS.map(k => `'${k}'`).join(', ')})
       AND fingerprint IN (${fps.join(', ')}) GROUP BY lab, kind, rule_id, fingerprint`,
      params
    );
    const key = (r: Record<string, unknown>) =>
      [r.lab, r.kind, r.rule_id, r.fingerprint].join('\n');
    const groups = new Map(rows.map(r => [key(r), r]));
    for (const e of posture) {
      const g = groups.get(key(e));
      if (g) {
        e.repeats = num(g.n);
        e.first_time = new Date(num(g.first)).toISOString();
      }
    }
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
      `SELECT (time_ms / ${b}) * ${b} AS t, rule_id, severity, lab, action, kind, COUNT(*) AS n
       FROM events ${w} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`,
      params
    );
    const series = rows.map(r => ({
      t: new Date(num(r.t)).toISOString(),
      rule_id: String(r.rule_id),
      severity: String(r.severity),
      lab: String(r.lab),
      action: String(r.action),
      kind: String(r.kind),
      count: num(r.n)
    }));
    const totals = {
      by_rule: {} as Record<string, number>,
      by_severity: {} as Record<string, number>,
      by_lab: {} as Record<string, number>,
      by_action: {} as Record<string, number>,
      by_kind: {} as Record<string, number>
    };
    const add = (m: Record<string, number>, k: string, n: number) => (m[k] = (m[k] ?? 0) + n);
    for (const s of series) {
      add(totals.by_rule, s.rule_id, s.count);
      add(totals.by_severity, s.severity, s.count);
      add(totals.by_lab, s.lab, s.count);
      add(totals.by_action, s.action, s.count);
      add(totals.by_kind, s.kind, s.count);
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
