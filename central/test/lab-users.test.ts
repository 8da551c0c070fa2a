import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenStore } from '../src/auth/tokens.js';
import { call, DIALECTS, makeEvent, startCentral, type Central } from './helpers.js';

// Red-team finding 6: users relayed by a lab are that lab's users. lab-a posting as "bob"
// does not make events of lab-b's bob: the filter `lab-b/bob` and Shadow-ML keep them apart.

for (const dialect of DIALECTS) {
  describe(`relayed users are scoped to their lab on ${dialect}`, () => {
    let c: Central;
    let labB: string;
    before(async () => {
      c = await startCentral(dialect, { 'rate-limit': '10000' });
      labB = (
        await new TokenStore(c.app.db).issue({ kind: 'lab', name: 'lab-b', createdBy: 'test' })
      ).token;
    });
    after(async () => c?.close());

    it("lab-a's 'bob' is not lab-b's bob", async () => {
      const real = makeEvent({ evidence: { url: 'https://huggingface.co/x/y', model_id: 'x/y' } });
      const forged = makeEvent({
        severity: 'critical',
        evidence: { url: 'https://huggingface.co/x/y', model_id: 'x/y' }
      });
      await call(c, 'POST', '/api/v1/events', labB, { events: [real], users: ['bob'] });
      await call(c, 'POST', '/api/v1/events', c.lab, { events: [forged], users: ['bob'] });
      const ofB = await call(c, 'GET', '/api/v1/admin/events?user=lab-b/bob', c.admin);
      assert.equal(ofB.status, 200);
      assert.deepEqual(
        ofB.json.events.map((e: { event_id: string }) => e.event_id),
        [real.event_id]
      );
      assert.equal(ofB.json.events[0].lab, 'lab-b');
      const ofA = await call(c, 'GET', '/api/v1/admin/events?user=lab-a/bob', c.admin);
      assert.deepEqual(
        ofA.json.events.map((e: { lab: string }) => e.lab),
        ['lab-a']
      );
      const inv = (await call(c, 'GET', '/api/v1/admin/shadow-ml', c.admin)).json;
      const hub = inv.hubs.find((h: { host: string }) => h.host === 'huggingface.co');
      assert.deepEqual(hub.users, ['lab-a/bob', 'lab-b/bob']);
      const conflict = await call(
        c,
        'GET',
        '/api/v1/admin/events?user=lab-b/bob&lab=lab-a',
        c.admin
      );
      assert.equal(conflict.status, 400);
    });
  });
}
