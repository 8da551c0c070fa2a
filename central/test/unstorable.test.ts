import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, DIALECTS, makeEvent, startCentral, type Central } from './helpers.js';

// Red-team finding 8: U+0000 (which PostgreSQL TEXT refuses) and lone surrogates are a 400
// on every route, or a per-event rejection in a batch; never a database 500.

const NUL = '\u0000';

for (const dialect of DIALECTS) {
  describe(`strings the database cannot store, on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect, { 'rate-limit': '10000' });
    });
    after(async () => c?.close());

    it('a NUL in users refuses the batch with 400', async () => {
      const r = await call(c, 'POST', '/api/v1/events', c.lab, {
        events: [makeEvent()],
        users: [`bob${NUL}`]
      });
      assert.equal(r.status, 400, r.text);
    });

    it('a NUL inside one event rejects that event and stores the others', async () => {
      const good = makeEvent();
      const bad = makeEvent({ evidence: { call: `torch.load${NUL}` } });
      const r = await call(c, 'POST', '/api/v1/events', c.lab, { events: [bad, good] });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.results[0].status, 'rejected');
      assert.match(r.json.results[0].reason, /U\+0000/);
      assert.equal(r.json.results[1].status, 'accepted');
      const listed = await call(c, 'GET', '/api/v1/admin/events?limit=100', c.admin);
      const ids = listed.json.events.map((e: { event_id: string }) => e.event_id);
      assert.ok(ids.includes(good.event_id));
      assert.ok(!ids.includes(bad.event_id));
    });

    it('a NUL in status, token, policy and query fields is a 400', async () => {
      const cases: [string, string, string, unknown][] = [
        ['POST', '/api/v1/status', c.lab, { warden_version: `1.0${NUL}` }],
        ['POST', '/api/v1/admin/tokens', c.admin, { name: 'x', user: `bob${NUL}` }],
        [
          'POST',
          '/api/v1/admin/policies',
          c.admin,
          { name: 'nul', document: { default_action: 'warn' }, comment: `c${NUL}` }
        ],
        ['GET', '/api/v1/admin/events?user=%00', c.admin, undefined],
        ['GET', '/api/v1/admin/events?rule=a%00b', c.admin, undefined],
        ['GET', '/api/v1/admin/shadow-ml?lab=%00', c.admin, undefined]
      ];
      for (const [method, path, token, body] of cases) {
        const r = await call(c, method, path, token, body);
        assert.equal(r.status, 400, `${method} ${path}: ${r.status} ${r.text}`);
        assert.equal(r.json.error, 'bad_request');
      }
      const tokens = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json.tokens;
      assert.ok(!tokens.some((t: { user: string | null }) => t.user?.includes(NUL)));
    });
  });
}
