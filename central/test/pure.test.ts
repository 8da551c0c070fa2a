import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { decide } from '../src/auth/access.js';
import { loadContracts, newAjv } from '../src/contracts.js';
import { EventRate } from '../src/events/rate.js';
import { jsonDepth, wellFormed } from '../src/http/json.js';
import { policyDocumentSchema, POLICY_DOCUMENT_ID } from '../src/http/route-schemas.js';
import type { Identity } from '../src/identity.js';

// Pure pieces of the access, input and storage bounds, and the layout rule for src/.

const id = (over: Partial<Identity>): Identity => ({
  key: 'k',
  role: 'lab',
  via: 'lab-token',
  lab: 'lab-a',
  user: null,
  groups: [],
  actor: 'lab:lab-a',
  ...over
});

describe('access decisions', () => {
  const lab = id({});
  const hubUser = id({ via: 'hub', lab: 'hub/alice' });
  const admin = id({ role: 'admin', via: 'admin-token', lab: null });
  const session = id({ role: 'admin', via: 'session', lab: null });
  it('requires a credential for everything but public', () => {
    for (const a of ['any', 'lab', 'admin', 'session'] as const) {
      assert.deepEqual(decide(a, undefined), {
        ok: false,
        status: 401,
        message: 'a credential is required'
      });
    }
    assert.ok(decide('public', undefined).ok);
  });
  it('gives each role exactly its routes', () => {
    const table: [string, Identity, boolean[]][] = [
      // any, lab, admin, session
      ['lab token', lab, [true, true, false, false]],
      ['hub user', hubUser, [true, true, false, false]],
      ['admin token', admin, [true, false, true, false]],
      ['session', session, [true, false, true, true]]
    ];
    for (const [name, who, want] of table) {
      const got = (['any', 'lab', 'admin', 'session'] as const).map(a => decide(a, who).ok);
      assert.deepEqual(got, want, name);
    }
    assert.equal((decide('admin', lab) as { status: number }).status, 403);
  });
});

describe('input bounds', () => {
  it('measures JSON depth outside strings and stops early', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
    assert.equal(jsonDepth('{"a":"[[[[[[[[\\"[[["}'), 1, 'brackets in strings do not count');
    assert.equal(jsonDepth('['.repeat(1000), 64), 65);
    assert.equal(jsonDepth('"x"'), 0);
  });
  it('finds lone surrogates in keys and values at any depth', () => {
    assert.ok(wellFormed({ a: ['ok', { b: '💥' }] }));
    assert.ok(!wellFormed({ a: [{ b: '\ud800' }] }));
    assert.ok(!wellFormed({ ['\udc00']: 1 }));
  });
  it('checks an admin policy document against policy.schema.json minus the service fields', () => {
    const contracts = loadContracts();
    const ajv = newAjv();
    ajv.addSchema(policyDocumentSchema(contracts.schemas.policy));
    const check = ajv.getSchema(POLICY_DOCUMENT_ID)!;
    assert.ok(check({ default_action: 'warn' }), 'schema_version and revision are ours to set');
    assert.ok(!check({ default_action: 'explode' }));
    assert.ok(!check({ nonsense: 1 }), 'unknown top-level fields are refused, as in the schema');
    assert.ok(check({ audience: 'lab-a' }), 'audience is a known (ignored) field');
  });
});

describe('event rate', () => {
  it('holds a credential to N events per minute, all or nothing per batch', () => {
    let now = 0;
    const rate = new EventRate(60, () => now);
    assert.ok(rate.take('a', 50).ok);
    const refused = rate.take('a', 20);
    assert.equal(refused.ok, false);
    assert.equal(refused.retryAfterSeconds, 10, '10 events short at one per second');
    assert.ok(rate.take('b', 60).ok, 'another credential has its own bucket');
    now += 10_000;
    assert.ok(rate.take('a', 20).ok);
    assert.ok(new EventRate(0).take('a', 1e6).ok, '0 turns it off');
  });
});

describe('source layout', () => {
  it('has no import cycle in src/ (static or dynamic imports)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    // dist-test/test -> the TypeScript sources
    const src = resolve(here, '../../src');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) {
          walk(p);
        } else if (p.endsWith('.ts')) {
          files.push(p);
        }
      }
    };
    walk(src);
    const edges = new Map<string, string[]>();
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const deps = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)\.js'/g)].map(m =>
        resolve(dirname(f), m[1] + '.ts')
      );
      edges.set(f, deps);
    }
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') {
        return;
      }
      assert.notEqual(state.get(f), 'open', `import cycle: ${[...path, f].join(' -> ')}`);
      state.set(f, 'open');
      for (const d of edges.get(f) ?? []) {
        visit(d, [...path, f]);
      }
      state.set(f, 'done');
    };
    for (const f of files) {
      visit(f, []);
    }
    assert.ok(files.length > 30);
  });
});
