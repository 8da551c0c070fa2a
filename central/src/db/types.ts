// The one interface the repositories use, implemented by SQLite and PostgreSQL.
// SQL is written once with $1..$n placeholders; the SQLite driver rewrites them.
// The drivers import only this file, so db/ has no import cycle.

export type Row = Record<string, unknown>;
export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly dialect: Dialect;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn inside one transaction; everything fn does through `tx` commits or rolls back. */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: calls onNotify for every NOTIFY on `channel` (from any replica) and
   * onLost when the listening connection drops. Returns a function that stops listening.
   */
  listen?(
    channel: string,
    onNotify: (payload: string) => void,
    onLost: () => void
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
