import pg from 'pg';
import type { Database, Row } from './types.js';

function wrap(
  client: pg.Pool | pg.PoolClient,
  release?: () => Promise<void>,
  url?: string
): Database {
  const db: Database = {
    dialect: 'postgres',
    async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
      const res = await client.query(sql, params as unknown[]);
      return res.rows as T[];
    },
    async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
      if (!('totalCount' in client)) {
        return fn(db);
      } // already inside one
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
      if (release) {
        await release();
      }
    }
  };
  if (url) {
    db.listen = (channel, onNotify, onLost) => listen(url, channel, onNotify, onLost);
  }
  return db;
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.WARDEN_PG_POOL ?? 10)
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return wrap(pool, () => pool.end(), url);
}

/** A dedicated connection for LISTEN: pooled connections would drop the subscription. */
async function listen(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onLost: () => void
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
    throw new Error(`bad channel name ${channel}`);
  }
  const client = new pg.Client({ connectionString: url });
  let stopping = false;
  const lost = () => {
    if (!stopping) {
      onLost();
    }
  };
  client.on('error', lost);
  client.on('end', lost);
  client.on('notification', m => {
    if (m.channel === channel) {
      onNotify(m.payload ?? '');
    }
  });
  await client.connect();
  await client.query(`LISTEN ${channel}`);
  return async () => {
    stopping = true;
    await client.end().catch(() => undefined);
  };
}
