import {
  adminSummary,
  badgeState,
  evidenceText,
  failingKey,
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

describe('sandbox badge', () => {
  it('waits, then shows the score; no alarm when nothing fails', () => {
    expect(badgeState(undefined, null, '', null).level).toBe('pending');
    expect(badgeState(90, null, '', null)).toMatchObject({
      text: 'Sandbox 90/100',
      level: 'ok'
    });
  });

  it("raises the alarm once, saying it is the admin's job", () => {
    const failing = failingKey([report]);
    expect(failing).toBe('sandbox:b,sandbox:c');
    const alarm = badgeState(38, 'critical', failing, null);
    expect(alarm.level).toBe('alarm');
    expect(alarm.text).toBe('Sandbox 38/100 · critical · admin');
    expect(alarm.title).toMatch(/your admin.s job/);
  });

  it('stays compact after the user noted it, until the failing checks change', () => {
    const failing = failingKey([report]);
    expect(badgeState(38, 'critical', failing, failing)).toMatchObject({
      text: 'Sandbox 38',
      level: 'noted'
    });
    const worse = failingKey([
      {
        ...report,
        checks: [
          ...report.checks,
          { rule_id: 'e', status: 'fail', severity: 'critical', evidence: {} }
        ]
      }
    ]);
    expect(badgeState(30, 'critical', worse, failing).level).toBe('alarm');
  });

  it('summarises failing checks for the admin as text', () => {
    const text = adminSummary([
      { name: 'Kernel: Python 3', report: { ...report, score: 38 } },
      { name: 'Jupyter server', report: null }
    ]);
    expect(text).toContain('Kernel: Python 3 (score 38/100)');
    expect(text).toContain('- [high] b (b)');
    expect(text).toContain('  seen: euid=0');
    expect(text).not.toContain('(a)');
    expect(text).not.toContain('Jupyter server');
  });
});
