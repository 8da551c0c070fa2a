// Opening a database, and small helpers shared by the repositories.

import type { Database, Row } from './types.js';

export type { Database, Dialect, Row } from './types.js';

export async function queryOne<T = Row>(
  db: Database,
  sql: string,
  params?: unknown[]
): Promise<T | undefined> {
  const rows = await db.query<T>(sql, params);
  return rows[0];
}

/** BIGINT columns come back as strings from pg and numbers from SQLite. */
export function num(v: unknown): number {
  if (v === null || v === undefined) {
    return 0;
  }
  return typeof v === 'number' ? v : Number(v);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export async function openDatabase(target: string): Promise<Database> {
  if (isPostgresUrl(target)) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(target);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(target);
}
