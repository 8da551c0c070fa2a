import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPolicyAdvisories } from '../src/policy/advisories.js';
import { isPep440 } from '../src/policy/advisory-versions.js';
import { call, startCentral, type Central } from './helpers.js';

// A policy whose advisory bound is not a version the kernels can read is refused when it is
// saved (400, the field named), over real HTTP: every lab would otherwise refuse every install.

const advisory = (events: Array<Record<string, string>>, versions?: string[]) => ({
  id: 'GHSA-wrdn-bnds-0001',
  summary: 'acme-ml runs code from a model file',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'acme-ml' },
      ...(versions ? { versions } : { ranges: [{ type: 'ECOSYSTEM', events }] })
    }
  ]
});
const policy = (record: unknown) => ({ dependencies: { advisories: [record] } });

describe('advisory versions in a policy (central, real HTTP on SQLite)', () => {
  let c: Central;
  before(async () => {
    c = await startCentral('sqlite');
  });
  after(async () => c.close());

  it('refuses a range bound that is not a PEP 440 version, naming the field', async () => {
    // passes the schema's pattern (letters, digits, . ! + _ -), not PEP 440
    const bad = policy(advisory([{ introduced: '0' }, { fixed: 'two-point-oh' }]));
    const saved = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
      name: 'bounds',
      document: bad
    });
    assert.equal(saved.status, 400);
    const field = '/dependencies/advisories/0/affected/0/ranges/0/events/1/fixed';
    assert.ok(
      saved.json.message.includes(
        `${field}: advisory GHSA-wrdn-bnds-0001: the fixed bound "two-point-oh" is not a PEP 440`
      ),
      saved.json.message
    );
    const listed = await call(c, 'GET', '/api/v1/admin/policies', c.admin);
    assert.ok(!listed.json.policies.some((p: { name: string }) => p.name === 'bounds'));

    const checked = await call(c, 'POST', '/api/v1/admin/policies/validate', c.admin, {
      document: policy(advisory([{ introduced: '1.0' }], undefined))
    });
    assert.deepEqual(checked.json, { valid: true, errors: [], warnings: [] });
    const listedBad = await call(c, 'POST', '/api/v1/admin/policies/validate', c.admin, {
      document: policy(advisory([], ['1.0', 'latest']))
    });
    assert.equal(listedBad.json.valid, false);
    assert.deepEqual(
      listedBad.json.errors.map((e: { code: string; path: string }) => [e.code, e.path]),
      [['advisory_version', '/dependencies/advisories/0/affected/0/versions/1']]
    );
  });

  it('accepts readable bounds, and the import skips what central would refuse', async () => {
    const good = policy(advisory([{ introduced: '0' }, { fixed: '2.0.post1' }]));
    const saved = await call(c, 'POST', '/api/v1/admin/policies', c.admin, {
      name: 'bounds-ok',
      document: good
    });
    assert.equal(saved.status, 201, saved.text);
    const { records, skipped } = toPolicyAdvisories([
      advisory([{ introduced: '0' }, { fixed: 'v2-final-final' }])
    ]);
    assert.deepEqual(records, []);
    assert.match(skipped[0], /^GHSA-wrdn-bnds-0001: acme-ml: an event Warden cannot read/);
  });

  it('reads versions as PEP 440 does (the kernel and warden-scan grammar)', () => {
    const readable = ['0', '1.0', '2.6.0rc1', '1!2.0', '1.0.post1', '1.0.dev3', '1.0+local.7'];
    for (const v of [...readable, 'v1.2', '1.0-beta-2']) {
      assert.ok(isPep440(v), v);
    }
    for (const v of ['latest', 'two-point-oh', '1.0-foo', 'abc', '1..2', '']) {
      assert.ok(!isPep440(v), v);
    }
  }); // prettier-ignore
});
