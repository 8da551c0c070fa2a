import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { buildApp, type BuildOptions } from '../src/app.js';
import { TokenStore } from '../src/auth/tokens.js';
import { loadConfig, type Config } from '../src/config.js';
import type { FastifyInstance } from 'fastify';

// Starts a real central service on 127.0.0.1 over a fresh SQLite file or a fresh PostgreSQL
// database (on the server started by scripts/with-postgres.sh).

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export interface Central {
  url: string;
  admin: string;
  lab: string;
  app: FastifyInstance;
  dbTarget: string;
  close(): Promise<void>;
}

export async function freshDbTarget(
  dialect: Dialect
): Promise<{ target: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'warden-central-'));
    return {
      target: join(dir, 'warden.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true })
    };
  }
  const base = process.env.WARDEN_TEST_PG_URL;
  if (!base) {
    throw new Error(
      'WARDEN_TEST_PG_URL is not set: ' +
        'run the tests through scripts/with-postgres.sh (npm test does)'
    );
  }
  const name = 'warden_t_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = '/' + name;
  return {
    target: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  };
}

export async function startCentral(
  dialect: Dialect,
  flags: Record<string, string> = {},
  tweak: (c: Config) => void = () => undefined,
  opts: BuildOptions & { dbTarget?: string; keyDir?: string } = {}
): Promise<Central> {
  // A given database or key folder (replica tests) belongs to the caller, who removes it.
  const fresh = opts.dbTarget ? undefined : await freshDbTarget(dialect);
  const target = opts.dbTarget ?? fresh!.target;
  const keyDir = opts.keyDir ?? mkdtempSync(join(tmpdir(), 'warden-keys-'));
  const config = loadConfig(
    { db: target, 'key-dir': keyDir, port: '0', 'log-level': 'fatal', ...flags },
    {}
  );
  tweak(config);
  const app = await buildApp(config, opts);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokens = new TokenStore(app.db);
  const admin = (await tokens.issue({ kind: 'admin', name: 'ops', createdBy: 'test' })).token;
  const lab = (
    await tokens.issue({
      kind: 'lab',
      name: 'lab-a',
      user: 'alice',
      groups: ['ds'],
      createdBy: 'test'
    })
  ).token;
  return {
    url,
    admin,
    lab,
    app,
    dbTarget: target,
    async close() {
      await app.close();
      await fresh?.drop();
      if (!opts.keyDir) {
        rmSync(keyDir, { recursive: true, force: true });
      }
    }
  };
}

/** A second lab's token on `c` (the first is `c.lab`). */
export async function issueLab(c: Central, name = 'lab-b', user = 'bob'): Promise<string> {
  return (await new TokenStore(c.app.db).issue({ kind: 'lab', name, user, createdBy: 'test' }))
    .token;
}

export function bearer(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

export async function call(
  c: Central,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {}
) {
  const h: Record<string, string> = { ...headers };
  if (token) {
    h.authorization = `Bearer ${token}`;
  }
  let payload: string | Buffer | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(c.url + path, {
    method,
    headers: h,
    body: payload as BodyInit | undefined
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

let seq = 0;
export function makeEvent(over: Record<string, unknown> = {}) {
  seq++;
  return {
    event_id: `ev-${Date.now().toString(36)}-${seq}-${randomBytes(3).toString('hex')}`,
    time: new Date(Date.UTC(2026, 10, 25, 10, 0, seq % 60)).toISOString(),
    kind: 'static',
    rule_id: 'torch-load-unsafe',
    severity: 'high',
    action: 'warned',
    fingerprint: randomBytes(8).toString('hex'),
    location: { path: 'work/train.ipynb', cell_id: 'c1', line: 3 },
    evidence: { call: 'torch.load' },
    ...over
  };
}

/** One request with the path sent exactly as given (fetch would normalise it). */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const req = httpRequest(
      { host: u.hostname, port: u.port, method, path, headers: h, agent: false },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8')
          })
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Waits until `cond` holds, failing after `ms`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'condition'
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 25));
  }
}
