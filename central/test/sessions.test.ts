import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, DIALECTS, startCentral, type Central } from './helpers.js';

// Red-team finding 1: a session is bounded by the admin token that opened it. It cannot open
// another session, it ends when its parent token is revoked, and admins see and revoke it.

for (const dialect of DIALECTS) {
  describe(`dashboard sessions on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect, { 'rate-limit': '10000' });
    });
    after(async () => c?.close());

    async function mintAdmin(name: string) {
      const r = await call(c, 'POST', '/api/v1/admin/tokens', c.admin, { kind: 'admin', name });
      assert.equal(r.status, 201);
      return r.json as { id: string; token: string };
    }

    it('a session cannot open another session', async () => {
      const s = await call(c, 'POST', '/api/v1/auth/session', c.admin);
      assert.equal(s.status, 201);
      const again = await call(c, 'POST', '/api/v1/auth/session', s.json.session_token);
      assert.equal(again.status, 403);
      assert.equal(again.json.session_token, undefined);
    });

    it('revoking the admin token ends the sessions it opened, and only those', async () => {
      const a = await mintAdmin('leaked');
      const b = await mintAdmin('other');
      const sa = (await call(c, 'POST', '/api/v1/auth/session', a.token)).json.session_token;
      const sb = (await call(c, 'POST', '/api/v1/auth/session', b.token)).json.session_token;
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', sa)).status, 200);
      assert.equal((await call(c, 'DELETE', `/api/v1/admin/tokens/${a.id}`, c.admin)).status, 204);
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', a.token)).status, 401);
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', sa)).status, 401);
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', sb)).status, 200);
    });

    it('lists sessions with their parent token, and an admin can revoke one', async () => {
      const a = await mintAdmin('dash');
      const s = await call(c, 'POST', '/api/v1/auth/session', a.token);
      const { tokens } = (await call(c, 'GET', '/api/v1/admin/tokens', c.admin)).json;
      const listed = tokens.filter(
        (t: { kind: string; parent_id: string }) => t.kind === 'session' && t.parent_id === a.id
      );
      assert.equal(listed.length, 1);
      assert.equal(listed[0].expires_at, s.json.expires_at);
      const del = await call(c, 'DELETE', `/api/v1/admin/tokens/${listed[0].id}`, c.admin);
      assert.equal(del.status, 204);
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', s.json.session_token)).status, 401);
      assert.equal((await call(c, 'GET', '/api/v1/admin/labs', a.token)).status, 200);
    });

    it('a session lives at most the configured session lifetime', async () => {
      const before = Date.now();
      const s = await call(c, 'POST', '/api/v1/auth/session', c.admin);
      const life = Date.parse(s.json.expires_at) - before;
      assert.ok(life <= c.app.config.sessionTtlMs + 1000, `session lives ${life} ms`);
      assert.ok(life > 0);
    });
  });
}
