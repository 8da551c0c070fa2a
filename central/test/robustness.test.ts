import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { call, makeEvent, startCentral, type Central } from './helpers.js';

// Untrusted input: seeded random mutations of event batches and status bodies must get a JSON
// answer (never a 500, never a stack trace) and must not disturb valid events.

function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const WEIRD: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  'x'.repeat(3000),
  '',
  [],
  {},
  [1, [2]],
  { $ref: '#' },
  '\u0000',
  '💥',
  '2026-13-45T99:99:99Z',
  { __proto__: { polluted: 1 } }
];

function mutate(ev: Record<string, unknown>, rnd: () => number): unknown {
  const keys = [...Object.keys(ev), 'extra', '__proto__', 'constructor'];
  const out: Record<string, unknown> = structuredClone(ev);
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const k = keys[Math.floor(rnd() * keys.length)];
    const r = rnd();
    if (r < 0.3) {
      delete out[k];
    } else {
      out[k] = WEIRD[Math.floor(rnd() * WEIRD.length)];
    }
  }
  return rnd() < 0.05 ? WEIRD[Math.floor(rnd() * WEIRD.length)] : out;
}

describe('robustness', () => {
  let c: Central;
  before(async () => {
    c = await startCentral('sqlite', { 'rate-limit': '100000' });
  });
  after(async () => c?.close());

  it('answers every mutated event batch per event and stores exactly the valid ones', async () => {
    const rnd = prng(20261125);
    let accepted = 0;
    for (let round = 0; round < 60; round++) {
      const events: unknown[] = [];
      const valid = new Set<number>();
      for (let i = 0; i < 10; i++) {
        if (rnd() < 0.4) {
          valid.add(i);
          events.push(makeEvent());
        } else {
          events.push(mutate(makeEvent(), rnd));
        }
      }
      const raw = JSON.stringify({ events });
      const r =
        rnd() < 0.5
          ? await call(c, 'POST', '/api/v1/events', c.lab, gzipSync(raw), {
              'content-encoding': 'gzip'
            })
          : await call(c, 'POST', '/api/v1/events', c.lab, raw);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.results.length, 10);
      r.json.results.forEach((res: any, i: number) => {
        assert.ok(['accepted', 'rejected'].includes(res.status), JSON.stringify(res));
        if (valid.has(i)) {
          assert.equal(res.status, 'accepted', 'a bad neighbour does not affect a valid event');
        }
        if (res.status === 'rejected') {
          assert.equal(typeof res.reason, 'string');
        }
        if (res.status === 'accepted') {
          accepted++;
        }
      });
    }
    const n = Number((await c.app.db.query('SELECT COUNT(*) AS n FROM events'))[0].n);
    assert.equal(n, accepted, 'exactly the accepted events are stored');
  });

  it('never answers 500 to random bodies, encodings and types', async () => {
    const rnd = prng(7);
    const bodies = [
      () =>
        Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256))),
      () => JSON.stringify(WEIRD[Math.floor(rnd() * WEIRD.length)]),
      () => '{"events":' + '['.repeat(5000)
    ];
    for (let i = 0; i < 80; i++) {
      const body = bodies[i % bodies.length]();
      const path = [
        '/api/v1/events',
        '/api/v1/status',
        '/api/v1/admin/policies',
        '/api/v1/admin/policies/validate',
        '/api/v1/admin/tokens'
      ][i % 5];
      const token = path.includes('admin') ? c.admin : c.lab;
      const headers: Record<string, string> = {};
      if (rnd() < 0.3) {
        headers['content-encoding'] = 'gzip';
      }
      if (rnd() < 0.2) {
        headers['content-type'] = 'text/plain';
      }
      const r = await call(c, 'POST', path, token, body, headers);
      assert.ok(r.status < 500, `${path} answered ${r.status}: ${r.text.slice(0, 200)}`);
      if (r.status >= 400) {
        assert.equal(typeof r.json?.error, 'string', r.text.slice(0, 200));
        assert.ok(!/node_modules|at .+:\d+:\d+/.test(r.text), 'no stack trace');
      }
    }
    const prototypePolluted = ({} as Record<string, unknown>).polluted;
    assert.equal(prototypePolluted, undefined);
  });
});

describe('database outage', () => {
  it('answers 503 with Retry-After when PostgreSQL is gone, not 500', async () => {
    const c = await startCentral('postgres');
    try {
      assert.equal((await call(c, 'GET', '/api/v1/admin/events', c.admin)).status, 200);
      const name = new URL(c.dbTarget).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.WARDEN_TEST_PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
      const r = await call(c, 'GET', '/api/v1/admin/events', c.admin);
      assert.equal(r.status, 503, r.text);
      assert.equal(r.json.error, 'unavailable');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      const ev = await call(c, 'POST', '/api/v1/events', c.lab, { events: [makeEvent()] });
      assert.equal(ev.status, 503, 'a lab keeps its events and retries');
    } finally {
      await c.close().catch(() => undefined);
    }
  });
});

describe('JupyterHub look-up flood', () => {
  it('caps Hub look-ups in flight so made-up tokens cannot flood the Hub', async () => {
    const { createServer } = await import('node:http');
    const { HubClient } = await import('../src/auth/hub.js');
    let concurrent = 0;
    let peak = 0;
    const hub = createServer((_req, res) => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      setTimeout(() => {
        concurrent--;
        res.writeHead(403).end('{}');
      }, 300);
    });
    await new Promise<void>(r => hub.listen(0, '127.0.0.1', () => r()));
    try {
      const client = new HubClient(
        `http://127.0.0.1:${(hub.address() as { port: number }).port}`,
        60_000,
        5_000,
        8
      );
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => client.check(`made-up-${i}`))
      );
      const refused = results.filter(r => r.status === 'rejected').length;
      const answered = results.filter(r => r.status === 'fulfilled' && r.value === null).length;
      assert.equal(answered, 8);
      assert.equal(refused, 32);
      assert.ok(peak <= 8, `at most 8 look-ups reached the Hub at once (saw ${peak})`);
    } finally {
      hub.close();
    }
  });
});

describe('shutdown', () => {
  it('ends long polls with 304 instead of waiting them out', async () => {
    const c = await startCentral('sqlite');
    const first = await call(c, 'GET', '/api/v1/policy', c.lab);
    const pending = call(c, 'GET', '/api/v1/policy?wait=60', c.lab, undefined, {
      'if-none-match': first.headers.get('etag')!
    });
    await new Promise(r => setTimeout(r, 300));
    const t0 = Date.now();
    const closing = c.close();
    const r = await pending;
    await closing;
    assert.equal(r.status, 304);
    assert.ok(Date.now() - t0 < 5000, `closed in ${Date.now() - t0} ms`);
  });
});
