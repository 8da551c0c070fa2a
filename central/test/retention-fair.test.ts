import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenStore } from '../src/auth/tokens.js';
import { call, DIALECTS, makeEvent, startCentral } from './helpers.js';

// Red-team finding 7: size retention evicts first from the labs over their share of the cap,
// so a lab's flood (within its own quota) cannot evict another lab's evidence.

for (const dialect of DIALECTS) {
  describe(`fair size retention on ${dialect}`, () => {
    it("a lab's flood evicts its own oldest events, not another lab's", async () => {
      const c = await startCentral(dialect, { 'event-rate': '100000' }, cfg => {
        cfg.retentionMaxBytes = 60_000;
        cfg.retentionIntervalMs = 3_600_000; // passes run below, not on a timer
      });
      try {
        const labB = (
          await new TokenStore(c.app.db).issue({ kind: 'lab', name: 'lab-b', createdBy: 'test' })
        ).token;
        const evidence = makeEvent({ severity: 'critical', message: 'b'.repeat(500) });
        assert.equal(
          (await call(c, 'POST', '/api/v1/events', labB, { events: [evidence] })).status,
          200
        );
        for (let i = 0; i < 5; i++) {
          const flood = Array.from({ length: 20 }, () => makeEvent({ message: 'a'.repeat(900) }));
          assert.equal(
            (await call(c, 'POST', '/api/v1/events', c.lab, { events: flood })).status,
            200
          );
        }
        assert.ok((await c.app.retention.enforce()) > 0, 'the pass deleted something');
        const [total] = await c.app.db.query('SELECT COALESCE(SUM(bytes), 0) AS b FROM lab_usage');
        assert.ok(Number(total.b) <= 60_000, `total ${total.b} under the cap`);
        const kept = await c.app.db.query('SELECT lab FROM events WHERE event_id = $1', [
          evidence.event_id
        ]);
        assert.equal(kept.length, 1, "lab-b's earlier critical event is kept");
        const aLeft = await c.app.events.usage('lab-a');
        assert.ok(aLeft.events > 0 && aLeft.events < 100, `lab-a keeps ${aLeft.events}`);
      } finally {
        await c.close();
      }
    });
  });
}
