import { type Database, num } from './db/database.js';

// Who changed what, when: every admin write lands here, in the same transaction as the change.

export interface AuditEntry {
  id: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export async function recordAudit(
  db: Database,
  actor: string,
  action: string,
  target: string,
  detail: Record<string, unknown> = {}
) {
  await db.query(
    'INSERT INTO audit (time_ms, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)',
    [Date.now(), actor, action, target, JSON.stringify(detail)]
  );
}

export async function listAudit(
  db: Database,
  limit: number,
  before?: number
): Promise<{ entries: AuditEntry[]; next_before: number | null }> {
  const rows = before
    ? await db.query('SELECT * FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2', [before, limit])
    : await db.query('SELECT * FROM audit ORDER BY id DESC LIMIT $1', [limit]);
  const entries = rows.map(r => ({
    id: num(r.id),
    time: new Date(num(r.time_ms)).toISOString(),
    actor: String(r.actor),
    action: String(r.action),
    target: String(r.target),
    detail: JSON.parse(String(r.detail))
  }));
  return { entries, next_before: entries.length === limit ? entries[entries.length - 1].id : null };
}
