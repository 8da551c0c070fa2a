import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { LATEST_VERSION, migrate } from '../src/db/migrations.js';
import { Keyring } from '../src/policy/keyring.js';
import { call, freshDbTarget, makeEvent, startCentral, until, type Central } from './helpers.js';

// Two replicas (two app instances, each its own pool, listener and timers) on one real
// PostgreSQL database and one key folder: each promise of docs/central.md as a test.

describe('two replicas on one PostgreSQL', () => {
  let a: Central;
  let b: Central;
  let db: { target: string; drop: () => Promise<void> };
  let keyDir: string;
  let hook: Server;
  const received: string[] = [];

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        for (const e of JSON.parse(body).events) {
          received.push(e.event_id);
        }
        res.end('{}');
      });
    });
    await new Promise<void>(r => hook.listen(0, '127.0.0.1', () => r()));
    const webhook = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
    db = await freshDbTarget('postgres');
    keyDir = mkdtempSync(join(tmpdir(), 'warden-shared-keys-'));
    const flags = {
      'webhook-url': webhook,
      'webhook-min-severity': 'info',
      'rate-limit': '100000'
    };
    const tweak = (cfg: { forwardIntervalMs: number }) => {
      cfg.forwardIntervalMs = 50;
    };
    // Started together, on an empty database: both migrate at once.
    [a, b] = await Promise.all([
      startCentral('postgres', flags, tweak, { dbTarget: db.target, keyDir }),
      startCentral('postgres', flags, tweak, { dbTarget: db.target, keyDir })
    ]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    rmSync(keyDir, { recursive: true, force: true });
    hook?.close();
  });

  it('migrates once when replicas start together, and again safely while they serve', async () => {
    const rows = await a.app.db.query('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map(r => Number(r.version)),
      Array.from({ length: LATEST_VERSION }, (_, i) => i + 1)
    );
    // More replicas starting while these two take traffic: nothing to apply, nothing broken.
    const extra = await Promise.all([1, 2, 3].map(() => openDatabase(db.target)));
    const traffic = Promise.all(
      Array.from({ length: 10 }, () =>
        call(a, 'POST', '/api/v1/events', a.lab, { events: [makeEvent()] })
      )
    );
    const applied = await Promise.all(extra.map(d => migrate(d)));
    assert.deepEqual(applied, [0, 0, 0]);
    for (const r of await traffic) {
      assert.equal(r.status, 200);
    }
    await Promise.all(extra.map(d => d.close()));
  });

  it('serves a policy published through A from B, waking B’s long poll at once', async () => {
    const first = await call(b, 'GET', '/api/v1/policy', b.lab);
    const etag = first.headers.get('etag')!;
    b.app.config.longPollStepMs = 30_000; // only the change notification can wake it in time
    const t0 = Date.now();
    const held = call(b, 'GET', '/api/v1/policy?wait=20', b.lab, undefined, {
      'if-none-match': etag
    });
    await new Promise(r => setTimeout(r, 200)); // let the poll start waiting
    const pub = await call(a, 'POST', '/api/v1/admin/policies', a.admin, {
      name: 'fleet',
      document: { default_action: 'block' }
    });
    assert.equal(pub.status, 201, pub.text);
    const r = await held;
    const waited = Date.now() - t0;
    assert.equal(r.status, 200);
    const doc = JSON.parse(Buffer.from(r.json.payload, 'base64url').toString('utf8'));
    assert.equal(doc.default_action, 'block');
    assert.equal(doc.revision, pub.json.revision);
    assert.ok(waited < 1200 + 200, `woken after ${waited} ms`);
    b.app.config.longPollStepMs = 1000;
  });

  it('stores an event sent to both replicas at once once (accepted + duplicate)', async () => {
    for (let round = 0; round < 10; round++) {
      const evs = Array.from({ length: 20 }, () => makeEvent());
      const [ra, rb] = await Promise.all([
        call(a, 'POST', '/api/v1/events', a.lab, { events: evs }),
        call(b, 'POST', '/api/v1/events', a.lab, { events: evs })
      ]);
      assert.equal(ra.status, 200, ra.text);
      assert.equal(rb.status, 200, rb.text);
      evs.forEach((e, i) => {
        const pair = [ra.json.results[i].status, rb.json.results[i].status].sort();
        assert.deepEqual(pair, ['accepted', 'duplicate'], e.event_id);
      });
      const ids = evs.map(e => e.event_id);
      const n = await a.app.db.query(
        `SELECT COUNT(*) AS n FROM events WHERE event_id IN
          (${ids.map((_, i) => `$${i + 1}`).join(',')})`,
        ids
      );
      assert.equal(Number(n[0].n), 20);
    }
  });

  it('forwards each event to the webhook once fleet-wide', async () => {
    received.length = 0;
    await until(
      async () => Number((await a.app.db.query('SELECT COUNT(*) AS n FROM outbox'))[0].n) === 0,
      20_000,
      'outbox drained'
    );
    received.length = 0;
    const evs = Array.from({ length: 120 }, () => makeEvent());
    await Promise.all([
      call(a, 'POST', '/api/v1/events', a.lab, { events: evs.slice(0, 60) }),
      call(b, 'POST', '/api/v1/events', a.lab, { events: evs.slice(60) })
    ]);
    const want = new Set(evs.map(e => e.event_id));
    await until(() => [...want].every(id => received.includes(id)), 20_000, 'all events forwarded');
    await until(
      async () => Number((await a.app.db.query('SELECT COUNT(*) AS n FROM outbox'))[0].n) === 0,
      20_000,
      'outbox empty'
    );
    const mine = received.filter(id => want.has(id));
    assert.equal(mine.length, 120, `each event once (${mine.length} deliveries)`);
    assert.equal(new Set(mine).size, 120);
    const delivered =
      a.app.forwarder!.stats.webhook.delivered + b.app.forwarder!.stats.webhook.delivered;
    assert.ok(delivered >= 120);
  });

  it('signs with a rotated key on every replica and lists it wherever it may sign', async () => {
    const before = (await call(a, 'GET', '/api/v1/keys', a.lab)).json.keys.find(
      (k: any) => k.active
    ).key_id;
    // As `node dist/main.js key rotate` does, from another process's point of view.
    const newId = new Keyring(keyDir).rotate();
    assert.notEqual(newId, before);
    for (const r of [a, b]) {
      const keys = (await call(r, 'GET', '/api/v1/keys', r.lab)).json.keys;
      assert.ok(
        keys.some((k: any) => k.key_id === newId && k.active),
        'listed at once'
      );
      assert.ok(
        keys.some((k: any) => k.key_id === before),
        'the old key stays listed'
      );
    }
    for (const [signer, lister] of [
      [a, b],
      [b, a]
    ]) {
      await until(
        async () => (await call(signer, 'GET', '/api/v1/policy', signer.lab)).json.key_id === newId,
        3000,
        'new key signs'
      );
      const env = (await call(signer, 'GET', '/api/v1/policy', signer.lab)).json;
      const key = (await call(lister, 'GET', '/api/v1/keys', lister.lab)).json.keys.find(
        (k: any) => k.key_id === env.key_id
      );
      assert.ok(key, 'the other replica lists the signing key');
      const ok = verify(
        null,
        Buffer.from(env.payload, 'base64url'),
        createPublicKey(key.public_key_pem),
        Buffer.from(env.signature, 'base64url')
      );
      assert.ok(ok);
    }
  });
});
