import type { Finding } from '../analyzer';
import { summarize } from './summary';

function finding(ruleId: string, line: number): Finding {
  return {
    ruleId,
    severity: 'medium',
    message: ruleId,
    from: 0,
    to: 1,
    line,
    column: 1,
    endLine: line,
    endColumn: 2
  };
}

describe('findings summary', () => {
  const findings = new Map([
    ['a', [finding('torch-load-unsafe', 2)]],
    ['b', [finding('pickle-load', 1), finding('yaml-unsafe-load', 3)]]
  ]);

  it('groups by cell in notebook order and counts what the policy decides', () => {
    const summary = summarize(['b', 'x', 'a'], findings, id =>
      id === 'pickle-load'
        ? { action: 'block', severity: 'critical' }
        : { action: 'warn', severity: 'medium' }
    );
    expect(summary.cells.map(c => [c.cellId, c.cellIndex])).toEqual([
      ['b', 0],
      ['a', 2]
    ]);
    expect(summary.total).toBe(3);
    expect(summary.counts.critical).toBe(1);
    expect(summary.counts.medium).toBe(2);
    expect(summary.worst).toBe('critical');
  });

  it('leaves out rules the policy switched off', () => {
    const summary = summarize(['a', 'b'], findings, () => ({
      action: 'off',
      severity: 'high'
    }));
    expect(summary).toMatchObject({ total: 0, worst: null, cells: [] });
  });
});
