import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { call, DIALECTS, makeEvent, startCentral, type Central } from './helpers.js';

// The wire contract of API.md, against a real server on SQLite and on PostgreSQL.

function decodeEnvelope(env: any, keys: any[]) {
  const key = keys.find(k => k.key_id === env.key_id);
  assert.ok(key, 'key id is listed by /api/v1/keys');
  const payload = Buffer.from(env.payload, 'base64url');
  const ok = verify(
    null,
    payload,
    createPublicKey(key.public_key_pem),
    Buffer.from(env.signature, 'base64url')
  );
  return { ok, doc: JSON.parse(payload.toString('utf8')), payload };
}

for (const dialect of DIALECTS) {
  describe(`central API on ${dialect}`, () => {
    let c: Central;
    before(async () => {
      c = await startCentral(dialect, {
        'max-batch': '50',
        'body-limit': '65536',
        'inflated-limit': '262144'
      });
    });
    after(async () => c?.close());

    describe('authentication', () => {
      it('answers 401 + JSON to a missing, malformed, unknown or revoked credential', async () => {
        for (const h of [
          {},
          { authorization: 'Basic abc' },
          { authorization: 'Bearer wdl_nope' },
          { authorization: 'Bearer' }
        ]) {
          const r = await call(
            c,
            'GET',
            '/api/v1/policy',
            undefined,
            undefined,
            h as Record<string, string>
          );
          assert.equal(r.status, 401);
          assert.equal(r.json.error, 'unauthorized');
          assert.equal(typeof r.json.message, 'string');
          assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        }
        const issued = await call(c, 'POST', '/api/v1/admin/tokens', c.admin, {
          kind: 'lab',
          name: 'doomed'
        });
        assert.equal(issued.status, 201);
        assert.match(issued.json.token, /^wdl_[A-Za-z0-9_-]{43}$/);
        assert.equal(
          (await call(c, 'GET', '/api/v1/whoami', issued.json.token)).json.lab,
          'doomed'
        );
        assert.equal(
          (await call(c, 'DELETE', `/api/v1/admin/tokens/${issued.json.id}`, c.admin)).status,
          204
        );
        assert.equal((await call(c, 'GET', '/api/v1/whoami', issued.json.token)).status, 401);
      });

      it('stores only the sha256 of a token', async () => {
        const rows = await c.app.db.query<{ token_hash: string }>('SELECT token_hash FROM tokens');
        assert.ok(rows.length >= 2);
        for (const r of rows) {
          assert.match(r.token_hash, /^[0-9a-f]{64}$/);
          assert.notEqual(r.token_hash, c.lab);
        }
        const listed = await call(c, 'GET', '/api/v1/admin/tokens', c.admin);
        assert.ok(!listed.text.includes(c.lab) && !listed.text.includes('token_hash'));
      });

      it('forbids a lab token on admin routes and an admin on lab routes (403)', async () => {
        for (const [m, p] of [
          ['GET', '/api/v1/admin/events'],
          ['GET', '/api/v1/admin/policies'],
          ['POST', '/api/v1/admin/tokens'],
          ['POST', '/api/v1/auth/session']
        ]) {
          const r = await call(
            c,
            m,
            p,
            c.lab,
            m === 'POST' ? { kind: 'lab', name: 'x' } : undefined
          );
          assert.equal(r.status, 403, `${m} ${p}`);
          assert.equal(r.json.error, 'forbidden');
        }
        const r = await call(c, 'POST', '/api/v1/events', c.admin, { events: [makeEvent()] });
        assert.equal(r.status, 403);
      });

      it('stamps identity from the credential, never from the body', async () => {
        const ev = makeEvent({ evidence: { user: 'mallory', lab: 'other' } });
        const r = await call(c, 'POST', '/api/v1/events', c.lab, {
          events: [ev],
          lab: 'other',
          user: 'mallory'
        });
        assert.equal(r.status, 200);
        const q = await call(c, 'GET', `/api/v1/admin/events?lab=lab-a&limit=500`, c.admin);
        const stored = q.json.events.find((e: any) => e.event_id === ev.event_id);
        assert.equal(stored.lab, 'lab-a');
        assert.equal(stored.user, 'alice');
        const whoami = await call(c, 'GET', '/api/v1/whoami', c.lab);
        assert.deepEqual(whoami.json, {
          lab: 'lab-a',
          user: 'alice',
          groups: ['ds'],
          role: 'lab',
          via: 'lab-token'
        });
      });

      it('exchanges an admin token for a dashboard session that can be ended', async () => {
        const s = await call(c, 'POST', '/api/v1/auth/session', c.admin);
        assert.equal(s.status, 201);
        assert.match(s.json.session_token, /^wds_/);
        assert.ok(Date.parse(s.json.expires_at) > Date.now());
        assert.equal(
          (await call(c, 'GET', '/api/v1/admin/labs', s.json.session_token)).status,
          200
        );
        assert.equal(
          (await call(c, 'DELETE', '/api/v1/auth/session', s.json.session_token)).status,
          204
        );
        assert.equal(
          (await call(c, 'GET', '/api/v1/admin/labs', s.json.session_token)).status,
          401
        );
        const { TokenStore } = await import('../src/auth/tokens.js');
        const expired = await new TokenStore(c.app.db).issue({
          kind: 'session',
          name: 'old',
          createdBy: 'test',
          ttlMs: 1
        });
        await new Promise(r => setTimeout(r, 5));
        assert.equal(
          (await call(c, 'GET', '/api/v1/admin/labs', expired.token)).status,
          401,
          'expired session'
        );
      });
    });

    describe('policy', () => {
      it('serves a signed empty policy, then the admin policy at a higher revision', async () => {
        const keys = (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys;
        assert.equal(keys[0].alg, 'Ed25519');
        assert.equal(Buffer.from(keys[0].public_key, 'base64url').length, 32);
        const first = await call(c, 'GET', '/api/v1/policy', c.lab);
        assert.equal(first.status, 200);
        assert.equal(first.json.alg, 'Ed25519');
        const a = decodeEnvelope(first.json, keys);
        assert.ok(a.ok, 'signature verifies');
        const created = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'fleet',
          document: {
            default_action: 'warn',
            rules: { 'torch-load-unsafe': { action: 'block' } },
            scope: {}
          },
          comment: 'first'
        });
        assert.equal(created.status, 201, created.text);
        const second = await call(c, 'GET', '/api/v1/policy', c.lab);
        const b = decodeEnvelope(second.json, keys);
        assert.ok(b.ok);
        assert.ok(b.doc.revision > a.doc.revision);
        assert.equal(b.doc.rules['torch-load-unsafe'].action, 'block');
        assert.equal(b.doc.schema_version, 1);
        assert.ok(
          Date.parse(b.doc.expires_at) > Date.now() && Date.parse(b.doc.issued_at) <= Date.now()
        );
        assert.deepEqual(
          c.app.contracts.policyProblems(b.doc),
          [],
          'served document matches policy.schema.json'
        );
      });

      it('signs with a rotated key: new key id and ETag, old key still listed', async () => {
        const before = await call(c, 'GET', '/api/v1/policy', c.lab);
        const oldKey = before.json.key_id;
        const newKey = c.app.keyring.rotate();
        const after = await call(c, 'GET', '/api/v1/policy', c.lab, undefined, {
          'if-none-match': before.headers.get('etag')!
        });
        assert.equal(after.status, 200, 'a new key means a new ETag');
        assert.equal(after.json.key_id, newKey);
        const keys = (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys;
        assert.ok(decodeEnvelope(after.json, keys).ok);
        assert.deepEqual(
          keys.map((k: any) => [k.key_id, k.active]).sort(),
          [
            [newKey, true],
            [oldKey, false]
          ].sort()
        );
      });

      it('a tampered payload does not verify', async () => {
        const r = await call(c, 'GET', '/api/v1/policy', c.lab);
        const keys = (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys;
        const doc = JSON.parse(Buffer.from(r.json.payload, 'base64url').toString());
        doc.default_action = 'off';
        const forged = {
          ...r.json,
          payload: Buffer.from(JSON.stringify(doc)).toString('base64url')
        };
        assert.equal(decodeEnvelope(forged, keys).ok, false);
      });

      it('answers 304 to a matching If-None-Match with a strong ETag, 200 otherwise', async () => {
        const r = await call(c, 'GET', '/api/v1/policy', c.lab);
        const etag = r.headers.get('etag')!;
        assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
        const again = await call(c, 'GET', '/api/v1/policy', c.lab, undefined, {
          'if-none-match': etag
        });
        assert.equal(again.status, 304);
        assert.equal(again.text, '');
        assert.equal(again.headers.get('etag'), etag);
        assert.equal(
          (await call(c, 'GET', '/api/v1/policy', c.lab, undefined, { 'if-none-match': '"stale"' }))
            .status,
          200
        );
      });

      it('chooses the most specific scope: user > group > lab > everyone', async () => {
        const keys = (await call(c, 'GET', '/api/v1/keys', c.lab)).json.keys;
        const docOf = async (tok: string) =>
          decodeEnvelope((await call(c, 'GET', '/api/v1/policy', tok)).json, keys).doc;
        await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'lab-a-only',
          document: { description: 'lab', scope: { labs: ['lab-a'] } }
        });
        assert.equal((await docOf(c.lab)).description, 'lab');
        await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'ds-group',
          document: { description: 'group', scope: { groups: ['ds'] } }
        });
        assert.equal((await docOf(c.lab)).description, 'group');
        await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'alice',
          document: { description: 'user', scope: { users: ['alice'] } }
        });
        const mine = await docOf(c.lab);
        assert.equal(mine.description, 'user');
        assert.deepEqual(mine.scope, { users: ['alice'] });
        const other = (
          await call(c, 'POST', '/api/v1/admin/tokens', c.admin, {
            kind: 'lab',
            name: 'lab-b',
            user: 'bob'
          })
        ).json.token;
        const theirs = await docOf(other);
        assert.equal(theirs.description, undefined, 'bob gets the fleet policy');
        assert.equal(theirs.rules['torch-load-unsafe'].action, 'block');
        // Deleting the matching policy still moves the revision forward.
        const before = mine.revision;
        assert.equal(
          (await call(c, 'DELETE', '/api/v1/admin/policies/alice', c.admin)).status,
          204
        );
        const after = await docOf(c.lab);
        assert.equal(after.description, 'group');
        assert.ok(after.revision > before, 'revision never goes backwards');
        for (const n of ['lab-a-only', 'ds-group']) {
          await call(c, 'DELETE', `/api/v1/admin/policies/${n}`, c.admin);
        }
      });

      it('long polls until the policy changes, and times out with 304', async () => {
        const r = await call(c, 'GET', '/api/v1/policy', c.lab);
        const etag = r.headers.get('etag')!;
        c.app.config.longPollStepMs = 100;
        const t0 = Date.now();
        const idle = await call(c, 'GET', '/api/v1/policy?wait=1', c.lab, undefined, {
          'if-none-match': etag
        });
        assert.equal(idle.status, 304);
        assert.ok(Date.now() - t0 >= 900, 'held for the wait time');
        const pending = call(c, 'GET', '/api/v1/policy?wait=20', c.lab, undefined, {
          'if-none-match': etag
        });
        await new Promise(res => setTimeout(res, 300));
        const upd = await call(c, 'PUT', '/api/v1/admin/policies/fleet', c.admin, {
          document: { default_action: 'confirm', scope: {} }
        });
        assert.equal(upd.status, 200, upd.text);
        const changed = await pending;
        assert.equal(changed.status, 200);
        assert.notEqual(changed.headers.get('etag'), etag);
        assert.ok(Date.now() - t0 < 15_000);
        for (const bad of ['61', '-1', 'x', '1.5']) {
          assert.equal((await call(c, 'GET', `/api/v1/policy?wait=${bad}`, c.lab)).status, 400);
        }
      });

      it('validates policies, keeps history and audit, refuses stale updates', async () => {
        const bad = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'bad',
          document: { default_action: 'explode' }
        });
        assert.equal(bad.status, 400);
        assert.match(bad.json.message, /default_action/);
        assert.equal(
          (
            await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
              name: 'Bad Name',
              document: {}
            })
          ).status,
          400
        );
        assert.equal(
          (
            await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
              name: 'fleet',
              document: {}
            })
          ).status,
          409
        );
        assert.equal(
          (await call(c, 'PUT', '/api/v1/admin/policies/nope', c.admin, { document: {} })).status,
          404
        );
        const v = await call(c, 'POST', '/api/v1/admin/policies/validate', c.admin, {
          document: { rules: { 'no-such-rule': { action: 'warn' } }, pickle: { mode: 'bogus' } }
        });
        assert.equal(v.json.valid, false);
        assert.ok(v.json.errors.some((e: any) => e.code === 'schema' && e.path === '/pickle/mode'));
        // Only a schema-valid document is checked further (schema/vectors/README.md).
        const unknown = await call(c, 'POST', '/api/v1/admin/policies/validate', c.admin, {
          document: { rules: { 'no-such-rule': { action: 'warn' } } }
        });
        assert.deepEqual(
          [unknown.json.valid, unknown.json.errors.map((e: any) => [e.code, e.path])],
          [false, [['unknown_rule', '/rules/no-such-rule']]]
        );
        // Labs refuse a policy naming a rule the catalog does not know: so does central.
        const typo = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
          name: 'typo',
          document: { rules: { 'torch-load-unsafe-typo': { action: 'off' } } }
        });
        assert.equal(typo.status, 400);
        assert.match(typo.json.message, /not in the catalog/);
        const draft = await call(c, 'POST', '/api/v1/admin/policies/decisions', c.admin, {
          document: {
            default_action: 'confirm',
            rules: { 'pickle-load': { action: 'off' }, 'shelve-open': { severity: 'low' } }
          }
        });
        assert.equal(draft.status, 200);
        const by = new Map(draft.json.decisions.map((d: any) => [d.rule_id, d]));
        assert.equal(by.size, c.app.contracts.rules.size);
        assert.deepEqual(by.get('pickle-load'), {
          rule_id: 'pickle-load',
          action: 'off',
          severity: 'high',
          decided_by: 'rule'
        });
        assert.deepEqual(by.get('shelve-open'), {
          rule_id: 'shelve-open',
          action: 'confirm',
          severity: 'low',
          decided_by: 'default_action'
        });
        assert.equal((by.get('pickle-blocked-global') as any).action, 'block', 'never lowered');
        const broken = await call(c, 'POST', '/api/v1/admin/policies/decisions', c.admin, {
          document: { default_action: 'maybe' }
        });
        assert.deepEqual([broken.json.valid, broken.json.decisions], [false, []]);
        const catalog = (await call(c, 'GET', '/api/v1/admin/catalog', c.admin)).json;
        assert.equal(catalog.rules.length, c.app.contracts.rules.size);
        assert.equal(catalog.default_policy.revision, undefined);
        assert.deepEqual(
          (
            await call(c, 'POST', '/api/v1/admin/policies/validate', c.admin, {
              document: catalog.default_policy
            })
          ).json,
          { valid: true, errors: [], warnings: [] },
          'the default policy to start from is one central accepts'
        );
        const cur = (await call(c, 'GET', '/api/v1/admin/policies', c.admin)).json.policies.find(
          (p: any) => p.name === 'fleet'
        );
        const stale = await call(c, 'PUT', '/api/v1/admin/policies/fleet', c.admin, {
          document: { default_action: 'block' },
          base_revision: cur.revision - 1
        });
        assert.equal(stale.status, 409);
        const ok = await call(c, 'PUT', '/api/v1/admin/policies/fleet', c.admin, {
          document: { default_action: 'block' },
          base_revision: cur.revision,
          comment: 'tighten'
        });
        assert.equal(ok.status, 200);
        const hist = (await call(c, 'GET', '/api/v1/admin/policies/fleet/revisions', c.admin)).json
          .revisions;
        assert.ok(hist.length >= 3);
        assert.equal(hist[0].document.default_action, 'block');
        assert.equal(hist[0].comment, 'tighten');
        assert.equal(hist[0].created_by, 'admin-token:ops'.replace('-token', ''));
        assert.ok(hist[0].revision > hist[1].revision);
        const audit = (await call(c, 'GET', '/api/v1/admin/audit?limit=50', c.admin)).json.entries;
        const upd = audit.find(
          (e: any) => e.action === 'policy.update' && e.detail.comment === 'tighten'
        );
        assert.ok(upd, 'update is audited');
        assert.equal(upd.actor, 'admin:ops');
        assert.equal(upd.target, 'fleet');
        assert.ok(audit.some((e: any) => e.action === 'policy.delete' && e.target === 'alice'));
        assert.ok(audit.some((e: any) => e.action === 'token.revoke'));
      });
    });

    describe('events', () => {
      it('answers accepted/duplicate/rejected per event, idempotent on event_id', async () => {
        const a = makeEvent();
        const b = makeEvent({
          severity: 'critical',
          kind: 'runtime',
          rule_id: 'pickle-blocked-global',
          action: 'blocked'
        });
        const bad = { ...makeEvent(), severity: 'apocalyptic' };
        const r = await call(c, 'POST', '/api/v1/events', c.lab, {
          events: [a, b, a, bad, 'nonsense', { event_id: 7 }]
        });
        assert.equal(r.status, 200);
        assert.deepEqual(
          r.json.results.map((x: any) => [x.event_id, x.status]),
          [
            [a.event_id, 'accepted'],
            [b.event_id, 'accepted'],
            [a.event_id, 'duplicate'],
            [bad.event_id, 'rejected'],
            [null, 'rejected'],
            [null, 'rejected']
          ]
        );
        assert.match(r.json.results[3].reason, /severity/);
        const again = await call(c, 'POST', '/api/v1/events', c.lab, { events: [b, a] });
        assert.deepEqual(
          again.json.results.map((x: any) => x.status),
          ['duplicate', 'duplicate']
        );
        const rows = await c.app.db.query('SELECT COUNT(*) AS n FROM events WHERE event_id = $1', [
          a.event_id
        ]);
        assert.equal(Number(rows[0].n), 1, 'stored exactly once');
      });

      it('accepts gzip bodies and refuses broken gzip with 400', async () => {
        const ev = makeEvent();
        const body = gzipSync(Buffer.from(JSON.stringify({ events: [ev] })));
        const r = await call(c, 'POST', '/api/v1/events', c.lab, body, {
          'content-encoding': 'gzip'
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.results[0].status, 'accepted');
        const broken = await call(
          c,
          'POST',
          '/api/v1/events',
          c.lab,
          Buffer.from('not gzip at all'),
          { 'content-encoding': 'gzip' }
        );
        assert.equal(broken.status, 400);
        assert.equal(broken.json.error, 'bad_request');
        const br = await call(c, 'POST', '/api/v1/events', c.lab, JSON.stringify({ events: [] }), {
          'content-encoding': 'br'
        });
        assert.equal(br.status, 415);
      });

      it('answers 413 to bodies over the limit (sent or gunzipped), large batches', async () => {
        const big = JSON.stringify({
          events: [makeEvent({ message: 'x'.repeat(1900) })],
          pad: 'y'.repeat(70_000)
        });
        const r = await call(c, 'POST', '/api/v1/events', c.lab, big);
        assert.equal(r.status, 413);
        assert.equal(r.json.error, 'payload_too_large');
        // A gzip bomb: small on the wire, over the inflated limit.
        const bomb = gzipSync(
          Buffer.from(JSON.stringify({ events: [], pad: ' '.repeat(400_000) }))
        );
        assert.ok(bomb.length < 65536);
        const rb = await call(c, 'POST', '/api/v1/events', c.lab, bomb, {
          'content-encoding': 'gzip'
        });
        assert.equal(rb.status, 413);
        const many = await call(c, 'POST', '/api/v1/events', c.lab, {
          events: Array.from({ length: 51 }, () => makeEvent())
        });
        assert.equal(many.status, 413);
        assert.match(many.json.message, /50 events/);
      });

      it('refuses malformed bodies with 400 and stores nothing', async () => {
        const before = Number((await c.app.db.query('SELECT COUNT(*) AS n FROM events'))[0].n);
        for (const body of ['{not json', '[]', '{"events": {}}', '"str"', 'null', '{}']) {
          const r = await call(c, 'POST', '/api/v1/events', c.lab, body);
          assert.equal(r.status, 400, body);
          assert.equal(r.json.error, 'bad_request');
          assert.ok(!/at .*\.js:\d+/.test(r.text), 'no stack trace');
        }
        const wrongType = await call(c, 'POST', '/api/v1/events', c.lab, 'events=1', {
          'content-type': 'application/x-www-form-urlencoded'
        });
        assert.equal(wrongType.status, 415);
        const after = Number((await c.app.db.query('SELECT COUNT(*) AS n FROM events'))[0].n);
        assert.equal(after, before);
      });

      it('queries events with filters and cursor paging, and counts them over time', async () => {
        const evs = Array.from({ length: 7 }, (_, i) =>
          makeEvent({
            rule_id: 'kernel-runs-as-root',
            kind: 'sandbox',
            severity: i % 2 ? 'low' : 'medium',
            time: new Date(Date.UTC(2026, 0, 2, 3, i)).toISOString()
          })
        );
        await call(c, 'POST', '/api/v1/events', c.lab, { events: evs });
        const seen: string[] = [];
        let cursor = '';
        for (let page = 0; page < 5; page++) {
          const r = await call(
            c,
            'GET',
            '/api/v1/admin/events?rule=kernel-runs-as-root&kind=sandbox&limit=3' +
              (cursor ? `&cursor=${cursor}` : ''),
            c.admin
          );
          assert.equal(r.status, 200);
          seen.push(...r.json.events.map((e: any) => e.event_id));
          if (!r.json.next_cursor) {
            break;
          }
          cursor = r.json.next_cursor;
        }
        assert.deepEqual(
          seen,
          evs.map(e => e.event_id).reverse(),
          'newest first, every event once'
        );
        const low = await call(
          c,
          'GET',
          '/api/v1/admin/events?rule=kernel-runs-as-root&severity=low',
          c.admin
        );
        assert.equal(low.json.events.length, 3);
        const ranged = await call(
          c,
          'GET',
          '/api/v1/admin/events?rule=kernel-runs-as-root&since=2026-01-02T03:02:00Z' +
            '&until=2026-01-02T03:04:00Z&user=alice&lab=lab-a',
          c.admin
        );
        assert.equal(ranged.json.events.length, 2);
        assert.equal(
          (await call(c, 'GET', '/api/v1/admin/events?user=nobody', c.admin)).json.events.length,
          0
        );
        const minSev = await call(
          c,
          'GET',
          '/api/v1/admin/events?rule=kernel-runs-as-root&min_severity=medium',
          c.admin
        );
        assert.equal(minSev.json.events.length, 4);
        for (const q of [
          'severity=huge',
          'kind=x',
          'since=yesterday',
          'limit=0',
          'limit=501',
          'cursor=abc'
        ]) {
          const r = await call(c, 'GET', `/api/v1/admin/events?${q}`, c.admin);
          assert.equal(r.status, 400, q);
        }
        const stats = await call(
          c,
          'GET',
          '/api/v1/admin/events/stats?rule=kernel-runs-as-root&bucket=minute',
          c.admin
        );
        assert.equal(stats.json.series.length, 7);
        assert.equal(stats.json.totals.by_severity.low, 3);
        assert.equal(stats.json.totals.by_lab['lab-a'], 7);
        const hourly = await call(
          c,
          'GET',
          '/api/v1/admin/events/stats?rule=kernel-runs-as-root&bucket=hour',
          c.admin
        );
        assert.deepEqual(
          hourly.json.series.map((p: any) => [p.t, p.severity, p.count]).sort(),
          [
            ['2026-01-02T03:00:00.000Z', 'low', 3],
            ['2026-01-02T03:00:00.000Z', 'medium', 4]
          ],
          'events of one hour fall in one bucket'
        );
        assert.equal(
          (await call(c, 'GET', '/api/v1/admin/events/stats?bucket=week', c.admin)).status,
          400
        );
      });
    });

    describe('status and inventories', () => {
      it('records lab status for the inventory and refuses malformed status', async () => {
        const r = await call(c, 'POST', '/api/v1/status', c.lab, {
          policy_revision: 4,
          queue_depth: 12,
          dropped: { queue_full: 3 },
          warden_version: '0.1.0',
          extra: 1
        });
        assert.equal(r.status, 204);
        const labs = (await call(c, 'GET', '/api/v1/admin/labs', c.admin)).json.labs;
        const me = labs.find((l: any) => l.lab === 'lab-a');
        assert.equal(me.policy_revision, 4);
        assert.equal(me.queue_depth, 12);
        assert.deepEqual(me.dropped, { queue_full: 3 });
        assert.equal(me.warden_version, '0.1.0');
        assert.ok(me.event_count > 0);
        assert.ok(Date.now() - Date.parse(me.last_seen) < 60_000);
        for (const body of [
          [],
          { queue_depth: -1 },
          { policy_revision: 'x' },
          { dropped: { 'Bad Reason': 1 } },
          { dropped: { ok: -2 } },
          { warden_version: 5 }
        ]) {
          const b = await call(c, 'POST', '/api/v1/status', c.lab, body);
          assert.equal(b.status, 400, JSON.stringify(body));
        }
      });

      it('keeps the latest kernel guard coverage per lab, unguarded labs first', async () => {
        const kernels = {
          total: 3,
          guarded: 1,
          truncated: false,
          unguarded: [
            { kernel: '1a2b3c4d', reason: 'no_report', since: null, mode: null },
            {
              kernel: '9f8e7d6c',
              reason: 'guard_errors',
              since: '2026-11-30T08:00:00+00:00',
              mode: 'enforce',
              policy_revision: 4
            }
          ]
        };
        const other = (
          await call(c, 'POST', '/api/v1/admin/tokens', c.admin, { kind: 'lab', name: 'aaa-lab' })
        ).json.token;
        // A lab whose name sorts first, fully guarded: still listed after lab-a.
        const guarded = { total: 1, guarded: 1, unguarded: [] };
        assert.equal(
          (await call(c, 'POST', '/api/v1/status', other, { kernels: guarded })).status,
          204
        );
        assert.equal((await call(c, 'POST', '/api/v1/status', c.lab, { kernels })).status, 204);
        let labs = (await call(c, 'GET', '/api/v1/admin/labs', c.admin)).json.labs;
        assert.equal(labs[0].lab, 'lab-a');
        assert.equal(labs[0].unguarded_kernels, 2);
        assert.deepEqual(labs[0].kernels, kernels);
        const aaa = labs.find((l: any) => l.lab === 'aaa-lab');
        assert.deepEqual([aaa.unguarded_kernels, aaa.kernels], [0, guarded]);
        // The latest report wins; one without `kernels` makes coverage unknown, not "guarded".
        await call(c, 'POST', '/api/v1/status', c.lab, { kernels: guarded });
        labs = (await call(c, 'GET', '/api/v1/admin/labs', c.admin)).json.labs;
        assert.equal(labs.find((l: any) => l.lab === 'lab-a').unguarded_kernels, 0);
        await call(c, 'POST', '/api/v1/status', c.lab, { queue_depth: 0 });
        labs = (await call(c, 'GET', '/api/v1/admin/labs', c.admin)).json.labs;
        const me = labs.find((l: any) => l.lab === 'lab-a');
        assert.deepEqual([me.unguarded_kernels, me.kernels], [null, null]);
        const row = (over: object) => ({ kernel: 'k', reason: 'no_report', ...over });
        for (const bad of [
          { total: 1, guarded: 2, unguarded: [] },
          { total: 1, guarded: 0, unguarded: [row({}), row({})] },
          { total: 1, guarded: 0, unguarded: [row({ reason: 'forgot' })] },
          { total: 1, guarded: 0, unguarded: [row({ kernel: 'x'.repeat(17) })] },
          { total: 1, guarded: 0, unguarded: [row({ path: '/home/alice/secret' })] },
          { total: 1, guarded: 0, unguarded: [row({ mode: 'm'.repeat(21) })] },
          { total: 60, guarded: 0, unguarded: Array.from({ length: 51 }, () => row({})) },
          { total: 1, unguarded: [] }
        ]) {
          const b = await call(c, 'POST', '/api/v1/status', c.lab, { kernels: bad });
          assert.equal(b.status, 400, JSON.stringify(bad));
        }
      });

      it('builds the Shadow ML inventory from event evidence', async () => {
        const sha = 'ab'.repeat(32);
        await call(c, 'POST', '/api/v1/events', c.lab, {
          events: [
            makeEvent({
              kind: 'runtime',
              rule_id: 'pickle-blocked-global',
              evidence: { sha256: sha, model_path: 'models/evil.pt', format: 'torch-zip' }
            }),
            makeEvent({ evidence: { hub: 'huggingface.co', repo_id: 'org/model' } }),
            makeEvent({
              evidence: { url: 'https://huggingface.co/other/model', model_id: 'other/model' }
            }),
            makeEvent({ evidence: { index_url: 'https://pypi.internal/simple', package: 'torch' } })
          ]
        });
        const inv = (await call(c, 'GET', '/api/v1/admin/shadow-ml', c.admin)).json;
        const m = inv.models.find((x: any) => x.sha256 === sha);
        assert.deepEqual(m.paths, ['models/evil.pt']);
        assert.deepEqual(m.users, ['lab-a/alice']);
        assert.deepEqual(m.labs, ['lab-a']);
        const hub = inv.hubs.find((h: any) => h.host === 'huggingface.co');
        assert.deepEqual(hub.repos, ['org/model', 'other/model']);
        assert.equal(hub.count, 2);
        assert.deepEqual(
          inv.package_indexes.find((p: any) => p.url === 'https://pypi.internal/simple').packages,
          ['torch']
        );
      });
    });

    it('answers unknown routes with a JSON 404', async () => {
      const r = await call(c, 'GET', '/api/v1/nope', c.admin);
      assert.equal(r.status, 404);
      assert.equal(r.json.error, 'not_found');
    });
  });
}

describe('rate limits', () => {
  let c: Central;
  before(async () => {
    c = await startCentral('sqlite', { 'rate-limit': '5', 'unauth-rate-limit': '3' });
  });
  after(async () => c?.close());

  it('answers 429 + Retry-After per credential, other credentials untouched', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await call(c, 'GET', '/api/v1/whoami', c.lab);
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal(last!.json.error, 'rate_limited');
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
    assert.equal((await call(c, 'GET', '/api/v1/whoami', c.admin)).status, 200);
  });

  it('limits failed credential guesses per address more tightly', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await call(c, 'GET', '/api/v1/policy', `wdl_guess${i}`)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  });
});

describe('JupyterHub tokens', () => {
  let c: Central;
  let hubCalls = 0;
  const hub = createServer((req, res) => {
    hubCalls++;
    const tok = String(req.headers.authorization ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url !== '/hub/api/user') {
      return res.writeHead(404).end('{}');
    }
    if (tok === 'token hub-alice') {
      return res.end(JSON.stringify({ name: 'alice', groups: ['ds'], admin: false }));
    }
    if (tok === 'token hub-root') {
      return res.end(JSON.stringify({ name: 'root', groups: ['warden-admins'], admin: true }));
    }
    res.writeHead(403).end(JSON.stringify({ status: 403, message: 'nope' }));
  });
  before(async () => {
    await new Promise<void>(r => hub.listen(0, '127.0.0.1', () => r()));
    const port = (hub.address() as { port: number }).port;
    c = await startCentral('sqlite', {
      'hub-url': `http://127.0.0.1:${port}`,
      'hub-admin-groups': 'warden-admins',
      'hub-cache-seconds': '30'
    });
  });
  after(async () => {
    await c?.close();
    hub.close();
  });

  it('checks a Hub token at /hub/api/user, caches it, maps groups and admin role', async () => {
    const who = await call(c, 'GET', '/api/v1/whoami', undefined, undefined, {
      authorization: 'token hub-alice'
    });
    assert.equal(who.status, 200);
    assert.deepEqual(who.json, {
      lab: 'hub/alice',
      user: 'alice',
      groups: ['ds'],
      role: 'lab',
      via: 'hub'
    });
    const n = hubCalls;
    await call(c, 'GET', '/api/v1/policy', undefined, undefined, {
      authorization: 'token hub-alice'
    });
    assert.equal(hubCalls, n, 'second call served from cache');
    assert.equal(
      (
        await call(c, 'GET', '/api/v1/admin/labs', undefined, undefined, {
          authorization: 'token hub-alice'
        })
      ).status,
      403
    );
    assert.equal(
      (
        await call(c, 'GET', '/api/v1/admin/labs', undefined, undefined, {
          authorization: 'token hub-root'
        })
      ).status,
      200
    );
    assert.equal(
      (
        await call(c, 'GET', '/api/v1/whoami', undefined, undefined, {
          authorization: 'token hub-wrong'
        })
      ).status,
      401
    );
  });

  it('stores the Hub user for a Hub credential, ignoring relayed users', async () => {
    const ev = makeEvent();
    const r = await call(
      c,
      'POST',
      '/api/v1/events',
      undefined,
      { events: [ev], users: ['mallory'] },
      { authorization: 'token hub-alice' }
    );
    assert.equal(r.status, 200, r.text);
    const rows = await c.app.db.query('SELECT lab, user_name FROM events WHERE event_id = $1', [
      ev.event_id
    ]);
    assert.deepEqual(
      rows.map(x => [x.lab, x.user_name]),
      [['hub/alice', 'alice']]
    );
  });

  it('answers 503 when the Hub is unreachable, 401 to Hub tokens without a Hub', async () => {
    const closed = createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise(r => closed.close(r));
    const down = await startCentral('sqlite', { 'hub-url': `http://127.0.0.1:${port}` });
    try {
      const r = await call(down, 'GET', '/api/v1/whoami', undefined, undefined, {
        authorization: 'token hub-alice'
      });
      assert.equal(r.status, 503);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
    } finally {
      await down.close();
    }
    const none = await startCentral('sqlite');
    try {
      const r = await call(none, 'GET', '/api/v1/whoami', undefined, undefined, {
        authorization: 'token hub-alice'
      });
      assert.equal(r.status, 401);
      assert.match(r.json.message, /no Hub URL/);
    } finally {
      await none.close();
    }
  });
});
