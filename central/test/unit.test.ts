import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventFilter, parseLimit } from '../src/admin/filters.js';
import { backoffMs, classifyResponse, parseRetryAfter } from '../src/forward/delivery.js';
import { parseStatus } from '../src/inventory/labs.js';
import { etagMatches, issueWindow, servedDocument } from '../src/policy/envelope.js';
import { scopeMatches, selectPolicy } from '../src/policy/selection.js';
import { loadConfig } from '../src/config.js';

// Pure logic, no server.

describe('policy selection', () => {
  const who = { lab: 'lab-a', user: 'alice', groups: ['ds'] };
  it('needs every non-empty scope list to name the caller', () => {
    assert.ok(scopeMatches({}, who));
    assert.ok(scopeMatches({ labs: ['lab-a'], groups: ['ds'] }, who));
    assert.ok(!scopeMatches({ labs: ['lab-a'], groups: ['ops'] }, who));
    assert.ok(!scopeMatches({ users: ['bob'] }, who));
    assert.ok(!scopeMatches({ labs: ['x'] }, { lab: null, user: null, groups: [] }));
  });
  it('prefers the most specific match, then the newest', () => {
    const p = (name: string, scope: object, revision: number) => ({
      name,
      document: { scope },
      revision
    });
    assert.equal(
      selectPolicy([p('all', {}, 9), p('lab', { labs: ['lab-a'] }, 1)], who)!.name,
      'lab'
    );
    assert.equal(
      selectPolicy([p('g', { groups: ['ds'] }, 1), p('lab', { labs: ['lab-a'] }, 5)], who)!.name,
      'g'
    );
    assert.equal(selectPolicy([p('old', {}, 1), p('new', {}, 2)], who)!.name, 'new');
    assert.equal(selectPolicy([p('other', { users: ['bob'] }, 1)], who), undefined);
  });
});

describe('policy envelope', () => {
  it('re-issues within fixed windows and never hands out an expired policy', () => {
    const ttl = 7 * 86400_000;
    const now = Date.UTC(2026, 10, 25, 12, 34);
    const w = issueWindow(now, ttl);
    assert.ok(w.issuedAt <= now && now - w.issuedAt < ttl / 2);
    assert.equal(w.expiresAt - w.issuedAt, ttl);
    assert.deepEqual(issueWindow(now + 1000, ttl), w, 'same window, same bytes, same ETag');
  });
  it('puts the service-owned fields first and ignores ones the admin sent', () => {
    const d = servedDocument(
      {
        revision: 1,
        issued_at: 'x',
        schema_version: 9,
        default_action: 'warn',
        scope: { labs: ['a'] }
      },
      7,
      0,
      1000,
      'lab-a'
    );
    assert.deepEqual(Object.keys(d).slice(0, 6), [
      'schema_version',
      'revision',
      'issued_at',
      'expires_at',
      'audience',
      'scope'
    ]);
    assert.equal(d.audience, 'lab-a');
    assert.equal(d.revision, 7);
    assert.equal(d.schema_version, 1);
    assert.equal(d.default_action, 'warn');
  });
  it('matches If-None-Match lists, weak tags and *', () => {
    assert.ok(etagMatches('"a", "b"', '"b"'));
    assert.ok(etagMatches('W/"b"', '"b"'));
    assert.ok(etagMatches('*', '"b"'));
    assert.ok(!etagMatches(undefined, '"b"'));
    assert.ok(!etagMatches('"bb"', '"b"'));
  });
});

describe('forwarding decisions', () => {
  it('retries only 429/502/503/504, honouring Retry-After', () => {
    for (const s of [429, 502, 503, 504]) {
      assert.equal(classifyResponse(s, null, 0).kind, 'retry');
    }
    for (const s of [400, 401, 403, 404, 413, 500]) {
      assert.equal(classifyResponse(s, '5', 0).kind, 'drop');
    }
    assert.equal(classifyResponse(200, null, 0).kind, 'done');
    const r = classifyResponse(503, '30', 0);
    assert.equal(r.kind === 'retry' && r.afterMs, 30_000);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    const now = Date.parse('2026-11-25T10:00:00Z');
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
  it('backs off exponentially with jitter, capped', () => {
    assert.equal(
      backoffMs(0, 1000, 60_000, () => 0),
      500
    );
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 1),
      8000
    );
    assert.equal(
      backoffMs(30, 1000, 60_000, () => 1),
      60_000
    );
  });
});

describe('input checks', () => {
  it('status bodies', () => {
    assert.deepEqual(parseStatus({ policy_revision: 1, dropped: { a: 1 } }), {
      status: { policy_revision: 1, dropped: { a: 1 } }
    });
    assert.ok('error' in parseStatus({ queue_depth: 1.5 }));
    assert.ok('error' in parseStatus(null));
  });
  it('event filters and limits', () => {
    assert.deepEqual(parseEventFilter({ since: '1000', severity: 'high' }), {
      severity: 'high',
      since: 1000,
      until: undefined
    });
    assert.throws(() => parseEventFilter({ kind: 'nope' }), /kind/);
    assert.throws(() => parseLimit('abc', 1, 10), /limit/);
  });
  it('configuration refuses unknown options and bad severities', () => {
    assert.throws(() => loadConfig({ prot: '1' }, {}), /unknown option --prot/);
    assert.throws(
      () => loadConfig({ 'otlp-url': 'http://x', 'otlp-min-severity': 'urgent' }, {}),
      /otlp-min-severity/
    );
    const c = loadConfig({}, { WARDEN_DB: '/tmp/x/w.db', WARDEN_PORT: '9000' });
    assert.equal(c.port, 9000);
    assert.equal(c.keyDir, '/tmp/x/keys');
  });
});
