import { analyzeCell, type Finding } from '../analyzer';
import type { Action } from '../contracts';
import { decideJson } from '../servergate/engine';
import {
  blockedExplanation,
  decideCell,
  ignoreRefusal,
  justificationProblem
} from './decision';

function finding(ruleId: string, from: number, fix = false): Finding {
  return {
    ruleId,
    severity: 'high',
    message: `${ruleId}: why and what instead`,
    from,
    to: from + 4,
    line: from + 1,
    column: 1,
    endLine: from + 1,
    endColumn: 5,
    fix: fix
      ? { from, to: from + 4, insert: 'safe', title: 'Use the safe call' }
      : undefined
  };
}

const byRule = (actions: Record<string, Action>) => (ruleId: string) => ({
  action: actions[ruleId],
  severity: ruleId === 'b' ? ('critical' as const) : ('low' as const)
});

describe('decideCell', () => {
  it('takes the strictest action over the findings', () => {
    const d = decideCell(
      [finding('a', 0), finding('b', 10), finding('c', 20)],
      byRule({ a: 'warn', b: 'block', c: 'confirm' })
    );
    expect(d.action).toBe('block');
    expect(d.findings.map(f => [f.finding.ruleId, f.action])).toEqual([
      ['b', 'block'],
      ['c', 'confirm'],
      ['a', 'warn']
    ]);
  });

  it('drops findings whose rule is off; nothing left decides off', () => {
    const d = decideCell([finding('a', 0)], byRule({ a: 'off' }));
    expect(d).toEqual({ action: 'off', findings: [] });
    expect(decideCell([], byRule({}))).toEqual({ action: 'off', findings: [] });
  });

  it('orders equal actions by position in the cell and carries the decided severity', () => {
    const d = decideCell(
      [finding('a', 30), finding('b', 5)],
      byRule({ a: 'warn', b: 'warn' })
    );
    expect(d.findings.map(f => [f.finding.from, f.severity])).toEqual([
      [5, 'critical'],
      [30, 'low']
    ]);
  });
});

describe('blockedExplanation', () => {
  it('names every finding with its line, rule and action, and the quick fix', () => {
    const d = decideCell(
      [finding('a', 2, true), finding('b', 0)],
      byRule({ a: 'warn', b: 'block' })
    );
    const lines = blockedExplanation(d);
    expect(lines[0]).toMatch(
      /blocked this cell: it was not sent to the kernel/
    );
    expect(lines).toContain('Line 1: b: why and what instead [b, block]');
    expect(lines).toContain('Line 3: a: why and what instead [a, warn]');
    expect(lines).toContain(
      '  Quick fix available in the editor: Use the safe call'
    );
    expect(lines[lines.length - 1]).toMatch(/policy view/);
  });
});

describe('justificationProblem', () => {
  it('accepts anything when the policy asks for no reason', () => {
    expect(justificationProblem('')).toBeNull();
    expect(
      justificationProblem('', { require_justification: false })
    ).toBeNull();
  });

  it('counts trimmed characters against the minimum', () => {
    const policy = { require_justification: true, min_justification_length: 5 };
    expect(justificationProblem('  abcd  ', policy)).toMatch(/at least 5/);
    expect(justificationProblem(' abcde ', policy)).toBeNull();
  });

  it('asks for at least one character even with a minimum of 0', () => {
    const policy = { require_justification: true, min_justification_length: 0 };
    expect(justificationProblem('   ', policy)).toMatch(/at least 1/);
    expect(justificationProblem('x', policy)).toBeNull();
  });
});

describe('ignores at the gate', () => {
  const LOAD = 'import pickle\nobj = pickle.load(open("m.pkl", "rb"))';
  const warnAll = () => ({
    action: 'warn' as const,
    severity: 'high' as const
  });

  it('lifts a finding an ignore comment on its line names, as the policy allows', () => {
    const code = `${LOAD}  # warden: ignore[pickle-load] made by cell 1`;
    const d = decideCell(analyzeCell(code).findings, warnAll, undefined);
    expect(d.action).toBe('off');
    expect(d.ignored?.map(f => f.finding.ruleId)).toEqual(['pickle-load']);
  });

  it('never lifts a finding for a notebook-wide ignore: the server gate cannot see one', () => {
    const findings = analyzeCell(LOAD, undefined, {
      notebookIgnores: new Map([['pickle-load', 'fixtures']])
    }).findings;
    // The analyzer still marks it (the editor and reports show it silenced)...
    expect(findings.find(f => f.ruleId === 'pickle-load')?.ignored).toEqual({
      scope: 'notebook',
      reason: 'fixtures'
    });
    // ...but neither gate lets it change what runs, so they cannot disagree.
    const browser = decideCell(findings, warnAll, {
      allowed_actions: ['warn']
    });
    expect(browser.action).toBe('warn');
    expect(browser.ignored).toBeUndefined();
    const server = JSON.parse(
      decideJson(
        JSON.stringify({
          code: LOAD,
          scope: [],
          policy: { rules: { 'pickle-load': { action: 'warn' } } },
          notebookIgnores: [['pickle-load', 'fixtures']]
        })
      )
    );
    expect(server.action).toBe(browser.action);
    expect(server.ignored).toEqual([]);
  });

  it('says why an ignore does not lift a finding', () => {
    const f = finding('pickle-load', 0);
    expect(ignoreRefusal(f, 'warn', undefined)).toBe('nothing ignores it');
    const line = { ...f, ignored: { scope: 'line' as const, reason: 'ok' } };
    expect(ignoreRefusal(line, 'warn', undefined)).toBeNull();
    expect(ignoreRefusal(line, 'confirm', undefined)).toMatch(
      /policy does not let an ignore lift a 'confirm' rule/
    );
    expect(
      ignoreRefusal(line, 'confirm', { allowed_actions: ['warn', 'confirm'] })
    ).toBeNull();
    const nb = { ...f, ignored: { scope: 'notebook' as const, reason: 'ok' } };
    expect(ignoreRefusal(nb, 'warn', undefined)).toMatch(
      /notebook-wide ignore does not change what runs.*# warden: ignore\[pickle-load\]/
    );
  });
});
