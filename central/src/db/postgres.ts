import pg from 'pg';
import type { Database, Row } from './database.js';

function wrap(client: pg.Pool | pg.PoolClient, release?: () => Promise<void>): Database {
  const db: Database = {
    dialect: 'postgres',
    async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
      const res = await client.query(sql, params as unknown[]);
      return res.rows as T[];
    },
    async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
      if (!('totalCount' in client)) return fn(db); // already inside one
      const conn = await (client as pg.Pool).connect();
      try {
        await conn.query('BEGIN');
        const out = await fn(wrap(conn));
        await conn.query('COMMIT');
        return out;
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        conn.release();
      }
    },
    async close() {
      if (release) await release();
    },
  };
  return db;
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.WARDEN_PG_POOL ?? 10) });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return wrap(pool, () => pool.end());
}
