import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, DIALECTS, issueLab, startCentral, type Central } from './helpers.js';

// The fleet registry's merge of several labs' reports (issue 19): worst wins whichever lab
// reports first, and an admin's mark overrides every report. Real HTTP, SQLite and PostgreSQL.

const sha = (c: string) => c.repeat(64);

function report(over: Record<string, unknown> = {}) {
  return { sha256: sha('a'), size: 1234, name: 'model.pt', kind: 'torch', ...over };
}

/** The decisions payload (its signature is checked in artifacts.test.ts). */
function payloadOf(env: any) {
  return JSON.parse(Buffer.from(env.payload, 'base64url').toString('utf8'));
}

for (const dialect of DIALECTS) {
  describe(`artifact verdict merge on ${dialect}`, () => {
    let c: Central;
    let labB: string;
    before(async () => {
      c = await startCentral(dialect);
      labB = await issueLab(c);
    });
    after(async () => c?.close());

    it('merges signatures and names worst-wins whichever lab reports first', async () => {
      const send = (token: string, sha256: string, status: string, name: string) =>
        call(c, 'POST', '/api/v1/artifacts/reports', token, {
          reports: [report({ sha256, name, signature: { status, signer: `${status}-key` } })]
        });
      const look = async (sha256: string) =>
        (await call(c, 'POST', '/api/v1/artifacts/lookup', c.lab, { sha256: [sha256] })).json
          .artifacts[sha256];
      const D = sha('d');
      const E = sha('e');
      // Either order: lab A says valid, lab B says invalid; invalid stays.
      assert.equal((await send(c.lab, D, 'valid', 'first.pt')).status, 202);
      assert.equal((await send(labB, D, 'invalid', 'second.pt')).status, 202);
      assert.equal((await send(labB, E, 'invalid', 'first.pt')).status, 202);
      assert.equal((await send(c.lab, E, 'valid', 'second.pt')).status, 202);
      for (const s of [D, E]) {
        const v = await look(s);
        assert.deepEqual(v.signature, { status: 'invalid', signer: 'invalid-key' }, s);
      }
      // unsigned beats valid, invalid beats unsigned; a later "valid" downgrades nothing.
      const F = sha('f');
      await send(c.lab, F, 'valid', 'f.pt');
      await send(labB, F, 'unsigned', 'f.pt');
      assert.equal((await look(F)).signature.status, 'unsigned');
      await send(c.lab, F, 'valid', 'f.pt');
      assert.equal((await look(F)).signature.status, 'unsigned');
      // The display name is the first reporter's: a later lab cannot rename the row.
      const listed = await call(c, 'GET', `/api/v1/admin/artifacts?sha256=${D}`, c.admin);
      assert.equal(listed.json.artifacts[0].name, 'first.pt');
      const listedE = await call(c, 'GET', `/api/v1/admin/artifacts?sha256=${E}`, c.admin);
      assert.equal(listedE.json.artifacts[0].name, 'first.pt');
      // An admin's mark overrides every report: a lab's later "safe" leaves the ban.
      const ban = await call(c, 'PUT', `/api/v1/admin/artifacts/${D}/decision`, c.admin, {
        decision: 'banned',
        note: ''
      });
      assert.equal(ban.status, 200);
      await call(c, 'POST', '/api/v1/artifacts/reports', labB, {
        reports: [report({ sha256: D, scan: { verdict: 'safe', scanner_version: '1' } })]
      });
      assert.equal((await look(D)).fleet_decision, 'banned');
      const doc = payloadOf((await call(c, 'GET', '/api/v1/artifacts/decisions', labB)).json);
      assert.ok(doc.artifacts.some((a: any) => a.sha256 === D && a.decision === 'banned'));
      await call(c, 'PUT', `/api/v1/admin/artifacts/${D}/decision`, c.admin, {
        decision: null,
        note: ''
      });
    });
  });
}
