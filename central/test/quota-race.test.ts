import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, DIALECTS, makeEvent, startCentral } from './helpers.js';

// Red-team findings 4 and 5: the quota check and the insert are one transaction on the lab's
// locked usage row, so concurrent batches cannot pass it together; and what quotas count is
// what the database really stores (users, copied columns, indexes, a per-row overhead).

for (const dialect of DIALECTS) {
  describe(`quotas on ${dialect}`, () => {
    it('concurrent batches of one lab cannot store more than its quota', async () => {
      const c = await startCentral(dialect, {
        'lab-quota-events': '100',
        'rate-limit': '10000',
        'event-rate': '100000'
      });
      try {
        const batches = Array.from({ length: 6 }, () =>
          call(c, 'POST', '/api/v1/events', c.lab, {
            events: Array.from({ length: 60 }, () => makeEvent())
          })
        );
        const answers = await Promise.all(batches);
        const ok = answers.filter(a => a.status === 200).length;
        assert.ok(
          answers.every(a => a.status === 200 || a.status === 429),
          answers.map(a => a.status).join()
        );
        assert.equal(ok, 1, 'only one batch of 60 fits a quota of 100');
        const usage = await c.app.events.usage('lab-a');
        const [row] = await c.app.db.query('SELECT COUNT(*) AS n FROM events');
        assert.equal(Number(row.n), 60);
        assert.equal(usage.events, 60);
      } finally {
        await c.close();
      }
    });

    it('counts the users, columns and row overhead a lab really stores', async () => {
      const c = await startCentral(dialect, { 'rate-limit': '10000', 'event-rate': '100000' });
      try {
        const n = 500;
        const events = Array.from({ length: n }, () => makeEvent());
        const users = events.map((_, i) => `u${i}`.padEnd(200, 'x'));
        const before = await realSize(c.app.db, dialect);
        const r = await call(c, 'POST', '/api/v1/events', c.lab, { events, users });
        assert.equal(r.status, 200);
        const counted = (await c.app.events.usage('lab-a')).bytes;
        const bodies = events.reduce((s, e) => s + Buffer.byteLength(JSON.stringify(e)), 0);
        assert.ok(counted >= bodies + n * 2 * 200, `users are counted (${counted} vs ${bodies})`);
        if (dialect === 'postgres') {
          // The database's own growth (table + indexes) is within 2x of what the quota counts.
          const grew = (await realSize(c.app.db, dialect)) - before;
          const ratio = grew / counted;
          assert.ok(ratio > 0.5 && ratio < 2, `real ${grew} B, counted ${counted} B (${ratio})`);
        }
      } finally {
        await c.close();
      }
    });
  });
}

async function realSize(
  db: { query: (sql: string) => Promise<Record<string, unknown>[]> },
  dialect: string
) {
  if (dialect !== 'postgres') {
    return 0;
  }
  const [r] = await db.query("SELECT pg_total_relation_size('events') AS b");
  return Number(r.b);
}
