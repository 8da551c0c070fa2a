import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, DIALECTS, makeEvent, startCentral, type Central } from './helpers.js';

// What the dashboard's events views ask for: repeated posture findings rolled up (with paging),
// the action filter, and counts by action and kind over time.

for (const dialect of DIALECTS) {
  describe(`events views on ${dialect}`, () => {
    let c: Central;
    const fp = 'aa'.repeat(8);
    before(async () => {
      c = await startCentral(dialect);
      const at = (min: number) => new Date(Date.UTC(2026, 10, 25, 10, min)).toISOString();
      const posture = (min: number) =>
        makeEvent({
          kind: 'sandbox',
          rule_id: 'kernel-runs-as-root',
          action: 'warned',
          fingerprint: fp,
          time: at(min)
        });
      const events = [
        ...[1, 3, 5, 7, 9].map(posture),
        makeEvent({ time: at(2) }),
        makeEvent({ time: at(4), action: 'blocked', kind: 'runtime', rule_id: 'pickle-load' }),
        makeEvent({ time: at(6), kind: 'server', rule_id: 'server-no-auth', fingerprint: fp })
      ];
      const r = await call(c, 'POST', '/api/v1/events', c.lab, { events });
      assert.ok(r.json.results.every((x: any) => x.status === 'accepted'));
    });
    after(async () => c?.close());

    it('rolls up repeated posture findings into their newest row, across pages', async () => {
      const all = (await call(c, 'GET', '/api/v1/admin/events?limit=100', c.admin)).json.events;
      assert.equal(all.length, 8);
      const rolled = (await call(c, 'GET', '/api/v1/admin/events?rollup=1', c.admin)).json.events;
      assert.deepEqual(
        rolled.map((e: any) => [e.kind, e.repeats ?? null]),
        [
          ['sandbox', 5],
          ['server', 1],
          ['runtime', null],
          ['static', null]
        ]
      );
      assert.equal(rolled[0].first_time, '2026-11-25T10:01:00.000Z');
      assert.equal(rolled[0].time, '2026-11-25T10:09:00.000Z');
      // Paging walks the rolled-up list: 4 rows in pages of 3.
      const p1 = (await call(c, 'GET', '/api/v1/admin/events?rollup=1&limit=3', c.admin)).json;
      const p2 = (
        await call(
          c,
          'GET',
          `/api/v1/admin/events?rollup=1&limit=3&cursor=${p1.next_cursor}`,
          c.admin
        )
      ).json;
      assert.deepEqual(
        [...p1.events, ...p2.events].map((e: any) => e.event_id),
        rolled.map((e: any) => e.event_id)
      );
      assert.equal(p2.next_cursor, null);
      // Filters apply to the groups too: before 10:06 the newest sandbox row is 10:05, of 3.
      const early = (
        await call(
          c,
          'GET',
          '/api/v1/admin/events?rollup=1&kind=sandbox&until=2026-11-25T10:06:00Z',
          c.admin
        )
      ).json.events;
      assert.deepEqual(
        early.map((e: any) => [e.time, e.repeats]),
        [['2026-11-25T10:05:00.000Z', 3]]
      );
      assert.equal((await call(c, 'GET', '/api/v1/admin/events?rollup=yes', c.admin)).status, 400);
    });

    it('filters by action and counts by action and kind', async () => {
      const blocked = (await call(c, 'GET', '/api/v1/admin/events?action=blocked', c.admin)).json
        .events;
      assert.deepEqual(
        blocked.map((e: any) => e.rule_id),
        ['pickle-load']
      );
      assert.equal(
        (await call(c, 'GET', '/api/v1/admin/events?action=denied', c.admin)).status,
        400
      );
      const stats = (await call(c, 'GET', '/api/v1/admin/events/stats?bucket=minute', c.admin))
        .json;
      assert.deepEqual(stats.totals.by_action, { warned: 7, blocked: 1 });
      assert.deepEqual(stats.totals.by_kind, { sandbox: 5, static: 1, runtime: 1, server: 1 });
      const point = stats.series.find((p: any) => p.action === 'blocked');
      assert.deepEqual(
        [point.t, point.kind, point.count],
        ['2026-11-25T10:04:00.000Z', 'runtime', 1]
      );
    });
  });
}
