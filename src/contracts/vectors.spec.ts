/**
 * Runs the shared contract vectors (schema/vectors/, format in its README.md): the same files
 * the Python and central suites run, so no implementation of a policy's meaning can drift.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import vectorsSchema from '../../schema/vectors/vectors.schema.json';
import { decide, IPolicyReply } from '../policy/policy';
import { policyProblems, userSettingsValid } from '../testing/policy-validity';

const VECTORS = path.resolve(__dirname, '../../schema/vectors');

function load(name: string) {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8'));
}

describe('schema/vectors files', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(vectorsSchema);

  it.each(['rule-decision.json', 'policy-validity.json'])(
    '%s has the documented shape and unique names',
    name => {
      const file = load(name);
      expect(validate(file) ? [] : validate.errors).toEqual([]);
      const names = file.vectors.map((v: { name: string }) => v.name);
      expect(new Set(names).size).toBe(names.length);
    }
  );

  it('a malformed vector fails the shape check', () => {
    const bad = {
      description: 'x',
      now: '2026-06-01T00:00:00Z',
      vectors: [
        { name: 'n', policy: {}, rule: 'r', expect: { action: 'deny' } }
      ]
    };
    expect(validate(bad)).toBe(false);
  });
});

function reply(policy: any): IPolicyReply {
  return {
    effective: policy,
    provenance: {},
    source: 'vector',
    revision: policy.revision,
    errors: [],
    sources: []
  };
}

describe('schema/vectors/rule-decision.json', () => {
  const file = load('rule-decision.json');
  const now = new Date(file.now);

  it('has vectors for every case the README lists', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(30);
  });

  it.each<[string, any]>(file.vectors.map((v: any) => [v.name, v]))(
    '%s',
    (_name, v) => {
      const user = v.user ?? {};
      const policyOk = policyProblems(v.policy, now).length === 0;
      const userOk = userSettingsValid(user);
      switch (v.expect.rejected) {
        case 'policy':
          expect(policyOk).toBe(false);
          return;
        case 'user':
          expect(policyOk).toBe(true);
          expect(userOk).toBe(false);
          return;
        case 'rule':
          expect(policyOk && userOk).toBe(true);
          expect(() => decide(reply(v.policy), v.rule, user)).toThrow(
            /Unknown Warden rule id/
          );
          return;
      }
      expect(policyProblems(v.policy, now)).toEqual([]);
      expect(userOk).toBe(true);
      const { action, severity } = decide(reply(v.policy), v.rule, user);
      expect({ action, severity }).toEqual(v.expect);
    }
  );
});

describe('schema/vectors/policy-validity.json', () => {
  const file = load('policy-validity.json');
  const now = new Date(file.now);

  it('has valid and invalid documents', () => {
    const valid = file.vectors.filter((v: any) => v.expect.valid);
    expect(valid.length).toBeGreaterThanOrEqual(5);
    expect(file.vectors.length - valid.length).toBeGreaterThanOrEqual(20);
  });

  it.each<[string, any]>(file.vectors.map((v: any) => [v.name, v]))(
    '%s',
    (_name, v) => {
      const problems = policyProblems(v.policy, now);
      if (v.expect.valid) {
        expect(problems).toEqual([]);
        return;
      }
      // Every expected reason is found, and no other kind of reason.
      const codes = new Set(problems.map(p => p.code));
      expect([...codes].sort()).toEqual(
        [...new Set(v.expect.reasons.map((r: any) => r.code))].sort()
      );
      for (const reason of v.expect.reasons) {
        if (reason.path !== undefined) {
          expect(problems).toContainEqual({
            code: reason.code,
            path: reason.path
          });
        }
      }
    }
  );
});
