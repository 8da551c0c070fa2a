/**
 * schema/vectors/gate-decision.json through the functions the browser gate uses (analyzeCell
 * with the scope carried from cell to cell, decideCell, the policy's decide) and through the
 * server gate's entry point (decideJson, what the lab server runs in V8). The Python suite runs
 * the same file through the server gate (tests/gate/test_gate_vectors.py).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { analyzeCell, EMPTY_SCOPE, optionsFromPolicy } from '../analyzer';
import type { IPolicyDocument } from '../contracts';
import { decideCell } from '../gate/decision';
import { decide } from '../policy/policy';
import { decideJson } from './engine';

interface IVector {
  name: string;
  policy: IPolicyDocument;
  cells: string[];
  expect: { action: string; rules: string[]; ignored?: string[] }[];
}

const FILE = path.resolve(__dirname, '../../schema/vectors/gate-decision.json');
const VECTORS: IVector[] = JSON.parse(fs.readFileSync(FILE, 'utf8')).vectors;

function browserDecisions(vector: IVector) {
  const reply = {
    effective: vector.policy,
    provenance: {},
    source: 'admin',
    revision: 0,
    errors: [],
    sources: []
  };
  let scope = EMPTY_SCOPE;
  return vector.cells.map(code => {
    const analysis = analyzeCell(code, scope, optionsFromPolicy(vector.policy));
    scope = analysis.scopeAfter;
    const decision = decideCell(
      analysis.findings,
      id => decide(reply, id),
      vector.policy.ignore
    );
    const ignored = [
      ...new Set((decision.ignored ?? []).map(f => f.finding.ruleId))
    ].sort();
    return {
      action: decision.action,
      rules: [...new Set(decision.findings.map(f => f.finding.ruleId))].sort(),
      ...(ignored.length > 0 ? { ignored } : {})
    };
  });
}

function serverDecisions(vector: IVector) {
  let scope: [string, string | null][] = [];
  return vector.cells.map(code => {
    const out = JSON.parse(
      decideJson(JSON.stringify({ code, scope, policy: vector.policy }))
    );
    scope = out.scope;
    const ignored = [
      ...new Set<string>(out.ignored.map((f: { ruleId: string }) => f.ruleId))
    ].sort();
    return {
      action: out.action,
      rules: [
        ...new Set<string>(
          out.findings.map((f: { ruleId: string }) => f.ruleId)
        )
      ].sort(),
      ...(ignored.length > 0 ? { ignored } : {})
    };
  });
}

describe('schema/vectors/gate-decision.json', () => {
  it('has unique names', () => {
    const names = VECTORS.map(v => v.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(VECTORS.map(v => [v.name, v] as const))('%s', (_name, vector) => {
    expect(browserDecisions(vector)).toEqual(vector.expect);
    expect(serverDecisions(vector)).toEqual(vector.expect);
  });
});
