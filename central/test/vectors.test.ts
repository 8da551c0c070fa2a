import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadContracts } from '../src/contracts.js';
import { ruleDecision, UnknownRule } from '../src/policy/decision.js';

// The shared contract vectors (schema/vectors/, format in its README.md): the same files jest
// and pytest run, so central's policyProblems and ruleDecision cannot drift from the frontend
// and the lab.

const contracts = loadContracts();
const load = (name: string) =>
  JSON.parse(readFileSync(join(contracts.schemaDir, 'vectors', name), 'utf8'));

describe('schema/vectors/policy-validity.json', () => {
  const file = load('policy-validity.json');
  const now = new Date(file.now);

  it('holds valid and invalid documents', () => {
    const valid = file.vectors.filter((v: any) => v.expect.valid).length;
    assert.ok(valid >= 5 && file.vectors.length - valid >= 20);
  });

  for (const v of file.vectors) {
    it(v.name, () => {
      const problems = contracts.policyProblems(v.policy, now);
      if (v.expect.valid) {
        assert.deepEqual(problems, []);
        return;
      }
      const codes = [...new Set(problems.map(p => p.code))].sort();
      const want = [...new Set(v.expect.reasons.map((r: any) => r.code))].sort();
      assert.deepEqual(codes, want);
      for (const reason of v.expect.reasons) {
        if (reason.path !== undefined) {
          const paths = problems.filter(p => p.code === reason.code).map(p => p.path);
          assert.ok(paths.includes(reason.path), `${reason.path} not in ${paths.join(', ')}`);
        }
      }
    });
  }
});

describe('schema/vectors/rule-decision.json, the policy alone (no user settings)', () => {
  const file = load('rule-decision.json');
  const now = new Date(file.now);
  // A user's own stricter settings are applied in their lab, never at central.
  const central = file.vectors.filter((v: any) => Object.keys(v.user ?? {}).length === 0);

  it('leaves out only the vectors about user settings', () => {
    assert.ok(central.length >= 20, `${central.length} vectors`);
    assert.ok(central.every((v: any) => v.expect.rejected !== 'user'));
  });

  for (const v of central) {
    it(v.name, () => {
      const usable = contracts.policyProblems(v.policy, now).length === 0;
      if (v.expect.rejected === 'policy') {
        assert.equal(usable, false);
        return;
      }
      assert.equal(usable, true);
      if (v.expect.rejected === 'rule') {
        assert.throws(() => ruleDecision(v.policy, v.rule, contracts.rules), UnknownRule);
        return;
      }
      const { action, severity } = ruleDecision(v.policy, v.rule, contracts.rules);
      assert.deepEqual({ action, severity }, v.expect);
    });
  }
});
