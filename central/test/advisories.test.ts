import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadContracts } from '../src/contracts.js';
import { mergeAdvisories, osvRecords, toPolicyAdvisories } from '../src/policy/advisories.js';

// OSV records as osv.dev publishes them -> the policy's dependencies.advisories (the import
// command's pure part): what is kept passes the policy schema; what cannot be kept whole is
// skipped with the reason, never cut.

const contracts = loadContracts();
const osv = {
  schema_version: '1.6.0',
  id: 'GHSA-wrdn-test-0001',
  modified: '2026-11-29T00:00:00Z',
  summary: 'acme-ml before 2.0 runs code from a model file',
  aliases: ['CVE-2026-99999', 'not an id'],
  details: 'Long text',
  references: [{ type: 'WEB', url: 'https://example.org' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'acme-ml', purl: 'pkg:pypi/acme-ml' },
      ranges: [
        { type: 'GIT', repo: 'https://git.example/acme', events: [{ introduced: '0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }
      ],
      versions: ['1.0', '1.1'],
      database_specific: { source: 'x' }
    },
    { package: { ecosystem: 'npm', name: 'acme-ml' }, versions: ['1.0'] }
  ]
};

describe('advisories import (pure)', () => {
  it('keeps the fields Warden reads, and the result is a valid policy', () => {
    const { records, skipped } = toPolicyAdvisories(osvRecords({ vulns: [osv] }));
    assert.deepEqual(skipped, []);
    assert.deepEqual(records, [
      {
        id: 'GHSA-wrdn-test-0001',
        summary: 'acme-ml before 2.0 runs code from a model file',
        aliases: ['CVE-2026-99999'],
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'acme-ml' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }]
          }
        ]
      }
    ]);
    const doc = mergeAdvisories({ schema_version: 1, revision: 1 }, records);
    assert.deepEqual(contracts.policyProblems(doc), []);
  });

  it('skips what it cannot carry whole, naming the record and the reason', () => {
    const manyVersions = {
      id: 'PYSEC-2026-1',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'acme' },
          versions: Array.from({ length: 17 }, (_, i) => `1.${i}`)
        }
      ]
    };
    const npmOnly = { id: 'GHSA-npm-only-0001', affected: [osv.affected[1]] };
    const { records, skipped } = toPolicyAdvisories([manyVersions, npmOnly, { id: 'lower-1' }]);
    assert.deepEqual(records, []);
    assert.match(skipped[0], /^PYSEC-2026-1: acme: 17 listed versions/);
    assert.equal(skipped[1], 'GHSA-npm-only-0001: no PyPI package');
    assert.equal(skipped[2], 'lower-1: no usable id');
  });

  it('merges by id: a re-import replaces, a new id is appended, the rest is kept', () => {
    const [rec] = toPolicyAdvisories([osv]).records;
    const other = { ...rec, id: 'MAL-2026-1' };
    const doc = {
      schema_version: 1,
      revision: 3,
      dependencies: { deny_packages: ['x'], advisories: [{ ...rec, summary: 'old' }, other] }
    };
    const merged = mergeAdvisories(doc, [rec, { ...rec, id: 'MAL-2026-2' }]);
    const deps = merged.dependencies as { deny_packages: string[]; advisories: (typeof rec)[] };
    assert.deepEqual(deps.deny_packages, ['x']);
    assert.deepEqual(
      deps.advisories.map(a => [a.id, a.summary]),
      [
        ['GHSA-wrdn-test-0001', rec.summary],
        ['MAL-2026-1', rec.summary],
        ['MAL-2026-2', rec.summary]
      ]
    );
    assert.equal((doc.dependencies.advisories[0] as { summary: string }).summary, 'old');
  });

  it('refuses a file that is not OSV', () => {
    assert.throws(() => osvRecords({ hello: 1 }), /not OSV JSON/);
  });
});
