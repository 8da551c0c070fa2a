import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Row } from './types.js';

// better-sqlite3 is synchronous; one connection per process serialises everything,
// which is what SQLite wants anyway (WAL lets readers of other processes proceed).

const PLACEHOLDER = /\$(\d+)/g;

export function openSqlite(path: string): Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  const conn = new BetterSqlite3(path);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  const cache = new Map<string, { stmt: BetterSqlite3.Statement; order: number[] }>();

  function prepare(sql: string) {
    let hit = cache.get(sql);
    if (!hit) {
      const order: number[] = [];
      const rewritten = sql.replace(PLACEHOLDER, (_m, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      hit = { stmt: conn.prepare(rewritten), order };
      cache.set(sql, hit);
    }
    return hit;
  }

  function bind(v: unknown): unknown {
    if (typeof v === 'boolean') {
      return v ? 1 : 0;
    }
    if (v === undefined) {
      return null;
    }
    return v;
  }

  // Transactions queue behind each other so two requests never share one BEGIN.
  let tail: Promise<unknown> = Promise.resolve();
  const db: Database = {
    dialect: 'sqlite',
    async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
      const { stmt, order } = prepare(sql);
      const args = order.map(i => bind(params[i]));
      if (stmt.reader) {
        return stmt.all(...args) as T[];
      }
      stmt.run(...args);
      return [];
    },
    async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
      // The callback may await, but with one synchronous connection no other query can
      // interleave unless the callback itself awaits foreign I/O, which ours never do.
      const run = async () => {
        conn.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(inner);
          conn.exec('COMMIT');
          return out;
        } catch (e) {
          conn.exec('ROLLBACK');
          throw e;
        }
      };
      const p = tail.then(run, run);
      tail = p.catch(() => undefined);
      return p;
    },
    async close() {
      conn.close();
    }
  };
  // Handed to a transaction's callback: nested transaction() calls join the open one.
  const inner: Database = {
    dialect: 'sqlite',
    query: db.query,
    transaction: fn => fn(inner),
    close: async () => undefined
  };
  return db;
}
