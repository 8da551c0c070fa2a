import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  call,
  DIALECTS,
  makeEvent,
  rawRequest,
  startCentral,
  until,
  type Central
} from './helpers.js';

// Bounded storage and input limits (issue 13, central half), on SQLite and PostgreSQL.

const count = async (c: Central, where = '', params: unknown[] = []) =>
  Number((await c.app.db.query(`SELECT COUNT(*) AS n FROM events ${where}`, params))[0].n);

for (const dialect of DIALECTS) {
  describe(`bounded storage on ${dialect}`, () => {
    it('deletes events past the retention age, periodically, and updates lab totals', async () => {
      const c = await startCentral(dialect, {}, cfg => {
        cfg.retentionMs = 3_600_000;
        cfg.retentionIntervalMs = 100;
      });
      try {
        const evs = Array.from({ length: 6 }, () => makeEvent());
        await call(c, 'POST', '/api/v1/events', c.lab, { events: evs });
        const old = evs.slice(0, 4).map(e => e.event_id);
        // Four arrived two hours ago (arrival time: what a lab cannot set).
        await c.app.db.query(
          `UPDATE events SET received_ms = $1 WHERE event_id IN
            (${old.map((_, i) => `$${i + 2}`).join(', ')})`,
          [Date.now() - 7_200_000, ...old]
        );
        await until(async () => (await count(c)) === 2, 10_000, 'retention by age');
        const left = (await c.app.db.query('SELECT event_id FROM events')).map(r => r.event_id);
        assert.deepEqual(
          left.sort(),
          evs
            .slice(4)
            .map(e => e.event_id)
            .sort()
        );
        assert.equal((await c.app.events.usage('lab-a')).events, 2);
      } finally {
        await c.close();
      }
    });

    it('deletes the oldest events when the total size is over the cap', async () => {
      const c = await startCentral(dialect, {}, cfg => {
        cfg.retentionMaxBytes = 20_000;
        cfg.retentionIntervalMs = 100;
      });
      try {
        // Ids that sort in posting order: a batch is inserted in event_id order.
        const first = Array.from({ length: 20 }, (_, i) =>
          makeEvent({ event_id: `first-${String(i).padStart(2, '0')}`, message: 'a'.repeat(900) })
        );
        await call(c, 'POST', '/api/v1/events', c.lab, { events: first });
        const second = Array.from({ length: 10 }, () => makeEvent({ message: 'b'.repeat(900) }));
        await call(c, 'POST', '/api/v1/events', c.lab, { events: second });
        await until(
          async () => (await c.app.events.usage('lab-a')).bytes <= 20_000,
          10_000,
          'size cap'
        );
        const stored = Number(
          (await c.app.db.query('SELECT COALESCE(SUM(size_bytes), 0) AS b FROM events'))[0].b
        );
        assert.ok(stored <= 20_000 && stored > 15_000, `stored ${stored} bytes`);
        const left = new Set(
          (await c.app.db.query('SELECT event_id FROM events')).map(r => String(r.event_id))
        );
        for (const e of second) {
          assert.ok(left.has(e.event_id), 'the newest events are kept');
        }
        assert.ok(!left.has(first[0].event_id), 'the oldest went first');
      } finally {
        await c.close();
      }
    });

    it('holds a lab to its quota (the 225 MB attack): 429 + Retry-After', async () => {
      const c = await startCentral(dialect, { 'lab-quota-events': '25' }, cfg => {
        cfg.labQuotaBytes = 40_000;
      });
      try {
        const other = (
          await call(c, 'POST', '/api/v1/admin/tokens', c.admin, { kind: 'lab', name: 'lab-b' })
        ).json.token;
        let refused;
        let sent = 0;
        for (let i = 0; i < 20 && !refused; i++) {
          const r = await call(c, 'POST', '/api/v1/events', c.lab, {
            events: Array.from({ length: 5 }, () => makeEvent({ message: 'x'.repeat(1500) }))
          });
          if (r.status === 429) {
            refused = r;
          } else {
            sent += 5;
          }
        }
        assert.ok(refused, 'the flood was refused');
        assert.equal(refused.json.error, 'quota_exceeded');
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
        const usage = await c.app.events.usage('lab-a');
        assert.ok(usage.events <= 25 && usage.bytes <= 40_000, JSON.stringify(usage));
        assert.equal(await count(c, 'WHERE lab = $1', ['lab-a']), sent);
        const b = await call(c, 'POST', '/api/v1/events', other, { events: [makeEvent()] });
        assert.equal(b.json.results[0].status, 'accepted');
      } finally {
        await c.close();
      }
    });

    it('limits events (not requests) per credential with 429 + Retry-After', async () => {
      const c = await startCentral(dialect, { 'event-rate': '30' });
      try {
        const a = await call(c, 'POST', '/api/v1/events', c.lab, {
          events: Array.from({ length: 25 }, () => makeEvent())
        });
        assert.equal(a.status, 200);
        const b = await call(c, 'POST', '/api/v1/events', c.lab, {
          events: Array.from({ length: 20 }, () => makeEvent())
        });
        assert.equal(b.status, 429);
        assert.equal(b.json.error, 'rate_limited');
        assert.ok(Number(b.headers.get('retry-after')) >= 1);
        assert.equal(await count(c), 25, 'nothing of the refused batch is stored');
        const small = await call(c, 'POST', '/api/v1/events', c.lab, { events: [makeEvent()] });
        assert.equal(small.status, 200, 'what is left of the budget still passes');
      } finally {
        await c.close();
      }
    });
  });

  describe(`input limits and relayed users on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect);
    });
    after(async () => c?.close());

    it('rejects an event with a lone surrogate (per event), not a 500', async () => {
      const good = makeEvent();
      const bad = makeEvent();
      const text = JSON.stringify({ events: [good, { ...bad, message: 'MARK' }] }).replace(
        'MARK',
        '\\ud800'
      );
      const r = await rawRequest(
        c.url,
        'POST',
        '/api/v1/events',
        { authorization: `Bearer ${c.lab}` },
        text
      );
      assert.equal(r.status, 200, r.text);
      const results = JSON.parse(r.text).results;
      assert.equal(results[0].status, 'accepted');
      assert.equal(results[1].status, 'rejected');
      assert.match(results[1].reason, /surrogate/);
    });

    it('answers 400 to an overflowing since and to very deep JSON', async () => {
      for (const q of [
        'since=99999999999999999999',
        'until=1e400',
        'since=123456789012345678',
        'cursor=99999999999999999.1'
      ]) {
        const r = await call(c, 'GET', `/api/v1/admin/events?${q}`, c.admin);
        assert.equal(r.status, 400, q);
      }
      const deep = '{"events":[' + '['.repeat(10_000) + ']'.repeat(10_000) + ']}';
      for (const p of ['/api/v1/events', '/api/v1/admin/policies/validate']) {
        const r = await rawRequest(
          c.url,
          'POST',
          p,
          { authorization: `Bearer ${p.includes('admin') ? c.admin : c.lab}` },
          deep
        );
        assert.equal(r.status, 400, `${p}: ${r.text.slice(0, 200)}`);
        assert.match(JSON.parse(r.text).message, /nested deeper/);
      }
    });

    it('stores the user the lab relays per event, never one from the event body', async () => {
      const evs = [makeEvent({ evidence: { user: 'mallory' } }), makeEvent(), makeEvent()];
      const r = await call(c, 'POST', '/api/v1/events', c.lab, {
        events: evs,
        users: ['bob', null, 'carol']
      });
      assert.equal(r.status, 200, r.text);
      const rows = await c.app.db.query('SELECT event_id, user_name FROM events');
      const byId = new Map(rows.map(x => [String(x.event_id), x.user_name]));
      assert.equal(byId.get(evs[0].event_id), 'bob');
      assert.equal(byId.get(evs[1].event_id), 'alice', 'null: the user the token was issued for');
      assert.equal(byId.get(evs[2].event_id), 'carol');
      for (const users of [
        ['x'],
        ['a', 'b', 3, 'd'].slice(0, 1),
        [1, 2, 3],
        ['a'.repeat(201), null, null],
        'bob'
      ]) {
        const bad = await call(c, 'POST', '/api/v1/events', c.lab, { events: evs, users });
        assert.equal(bad.status, 400, JSON.stringify(users).slice(0, 40));
      }
      const lone = JSON.stringify({ events: [makeEvent()], users: ['MARK'] }).replace(
        'MARK',
        '\\udc00'
      );
      const r2 = await rawRequest(
        c.url,
        'POST',
        '/api/v1/events',
        { authorization: `Bearer ${c.lab}` },
        lone
      );
      assert.equal(r2.status, 400);
    });

    it('signs each served policy for the lab that asked (audience)', async () => {
      const b = (
        await call(c, 'POST', '/api/v1/admin/tokens', c.admin, { kind: 'lab', name: 'lab-b' })
      ).json.token;
      const docOf = async (t: string) => {
        const env = (await call(c, 'GET', '/api/v1/policy', t)).json;
        return JSON.parse(Buffer.from(env.payload, 'base64url').toString('utf8'));
      };
      assert.equal((await docOf(c.lab)).audience, 'lab-a');
      assert.equal((await docOf(b)).audience, 'lab-b');
      assert.deepEqual(c.app.contracts.policyProblems(await docOf(b)), []);
      const admin = await call(c, 'GET', '/api/v1/policy', c.admin);
      assert.equal(admin.status, 403, 'a policy is signed for a lab; an admin token names none');
    });
  });
}
