import {
  evidenceText,
  groupBySeverity,
  IPostureReport,
  worstOf
} from './report';

const report: IPostureReport = {
  kind: 'sandbox',
  checks: [
    { rule_id: 'a', status: 'pass', severity: 'high', evidence: {} },
    { rule_id: 'b', status: 'fail', severity: 'high', evidence: { euid: 0 } },
    { rule_id: 'c', status: 'fail', severity: 'medium', evidence: {} },
    { rule_id: 'd', status: 'unknown', severity: 'critical', evidence: {} }
  ]
};

describe('posture report', () => {
  it('groups by severity, most severe first, failures first', () => {
    const groups = groupBySeverity(report);
    expect(groups.map(g => g.severity)).toEqual(['critical', 'high', 'medium']);
    expect(groups[1].checks.map(c => c.rule_id)).toEqual(['b', 'a']);
  });

  it('takes the worst failing severity, ignoring unknown and passing checks', () => {
    expect(worstOf([report, null])).toBe('high');
    expect(worstOf([{ kind: 'server', checks: [] }])).toBeNull();
  });

  it('prints evidence as names and values', () => {
    expect(evidenceText({ euid: 0, caps: ['SYS_ADMIN', 'BPF'] })).toBe(
      'euid=0, caps=SYS_ADMIN,BPF'
    );
  });
});
