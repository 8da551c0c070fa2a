import type { Finding } from '../analyzer';
import { RULES } from '../contracts';
import type { IWardenEvent } from '../events/event';
import {
  eventOutcome,
  filterRows,
  NO_FILTER,
  runtimeRows,
  sortRows,
  staticRows
} from './rows';
import { summarize } from './summary';

function finding(ruleId: string, line: number, fix = false): Finding {
  return {
    ruleId,
    severity: 'medium',
    message: ruleId,
    from: 0,
    to: 1,
    line,
    column: 2,
    endLine: line,
    endColumn: 3,
    fix: fix
      ? { from: 0, to: 1, insert: 'x', title: 'Add weights_only=True' }
      : undefined
  };
}

function staticEvent(action: string, cancelled = false): IWardenEvent {
  return {
    event_id: 'x',
    time: '2026-11-30T08:00:00.000Z',
    kind: 'static',
    rule_id: 'pickle-load',
    severity: 'high',
    action,
    fingerprint: '0123456789abcdef',
    evidence: { policy_action: 'confirm', cancelled_by_user: cancelled }
  } as IWardenEvent;
}

const summary = summarize(
  ['a', 'b'],
  new Map([
    ['a', [finding('torch-load-unsafe', 2, true)]],
    ['b', [finding('pickle-load', 1)]]
  ]),
  id =>
    id === 'pickle-load'
      ? { action: 'confirm', severity: 'high' }
      : { action: 'warn', severity: 'medium' }
);

describe('static rows', () => {
  it('say rule, cell:line, one-line title and what the policy will do before a run', () => {
    const rows = staticRows(summary, () => undefined);
    expect(
      rows.map(r => [r.ruleId, r.where, r.title, r.outcome, r.policyAction])
    ).toEqual([
      [
        'torch-load-unsafe',
        'cell 1:2',
        RULES.get('torch-load-unsafe')!.title,
        'not run',
        'warn'
      ],
      [
        'pickle-load',
        'cell 2:1',
        RULES.get('pickle-load')!.title,
        'not run',
        'confirm'
      ]
    ]);
    expect(rows[0]).toMatchObject({
      layer: 'static',
      quickFix: 'Add weights_only=True',
      remediation: RULES.get('torch-load-unsafe')!.remediation,
      target: { cellId: 'a', line: 2, column: 2 }
    });
  });

  it("show the outcome of the cell's last run", () => {
    for (const [event, outcome] of [
      [staticEvent('warned'), 'warned'],
      [staticEvent('confirmed'), 'confirmed'],
      [staticEvent('blocked'), 'blocked'],
      [staticEvent('blocked', true), 'cancelled']
    ] as const) {
      const rows = staticRows(summary, (cell, rule, line) =>
        cell === 'b' && rule === 'pickle-load' && line === 1 ? event : undefined
      );
      expect(rows[1].outcome).toBe(outcome);
      expect(rows[1].policyAction).toBeUndefined();
      expect(rows[1].time).toBe('2026-11-30T08:00:00.000Z');
      expect(eventOutcome(event)).toBe(outcome);
    }
  });
});

describe('runtime rows', () => {
  const event = (id: string, over: Partial<IWardenEvent> = {}) =>
    ({
      event_id: id,
      time: '2026-11-30T08:01:12.000Z',
      kind: 'runtime',
      rule_id: 'model-file-dangerous-globals',
      severity: 'critical',
      action: 'blocked',
      fingerprint: '0123456789abcdef',
      message:
        'Jupyter Warden blocked torch.load of weights.pt: calls posix.system.',
      evidence: {
        call: 'torch.load',
        path: '/data/models/weights.pt',
        global: 'posix.system'
      },
      location: { path: 'work/train.ipynb', cell_id: 'c3', kernel_id: 'k' },
      ...over
    }) as IWardenEvent;

  it('name the notebook, cell, loaded file and time, newest first', () => {
    const rows = runtimeRows(
      [event('old'), event('new', { location: { kernel_id: 'k' } })],
      cell => (cell === 'c3' ? { path: 'work/renamed.ipynb', number: 4 } : null)
    );
    expect(rows.map(r => r.key)).toEqual([
      'runtime\u241fnew',
      'runtime\u241fold'
    ]);
    const time = new Date('2026-11-30T08:01:12.000Z').toLocaleTimeString();
    expect(rows[1].where).toBe(
      `renamed.ipynb · cell 4 · file weights.pt · ${time}`
    );
    expect(rows[0].where).toBe(`kernel · file weights.pt · ${time}`);
    expect(rows[1]).toMatchObject({
      layer: 'runtime',
      outcome: 'blocked',
      title: RULES.get('model-file-dangerous-globals')!.title,
      target: { cellId: 'c3', line: 1, column: 1 }
    });
    expect(rows[1].evidence).toEqual([
      'call: torch.load',
      'path: /data/models/weights.pt',
      'global: posix.system'
    ]);
    expect(rows[1].explanation).toContain('posix.system');
  });

  it('jump only to a cell that is open, and say when the cell is gone', () => {
    const [row] = runtimeRows([event('e')], () => null);
    expect(row.target).toBeUndefined();
    expect(row.where).toContain('a deleted cell');
  });
});

describe('filters and order', () => {
  const rows = [
    ...staticRows(summary, () => undefined),
    ...runtimeRows(
      [
        {
          event_id: 'r',
          time: '2026-11-30T08:00:00Z',
          kind: 'runtime',
          rule_id: 'pickle-blocked-global',
          severity: 'critical',
          action: 'blocked',
          fingerprint: '0123456789abcdef'
        } as IWardenEvent
      ],
      () => null
    )
  ];

  it('filter by minimum severity, layer and outcome', () => {
    const ids = (f: Partial<typeof NO_FILTER>) =>
      filterRows(rows, { ...NO_FILTER, ...f }).map(r => r.ruleId);
    expect(ids({})).toHaveLength(3);
    expect(ids({ minSeverity: 'high' })).toEqual([
      'pickle-load',
      'pickle-blocked-global'
    ]);
    expect(ids({ layer: 'runtime' })).toEqual(['pickle-blocked-global']);
    expect(ids({ outcome: 'not run' })).toEqual([
      'torch-load-unsafe',
      'pickle-load'
    ]);
    expect(ids({ layer: 'static', outcome: 'blocked' })).toEqual([]);
  });

  it('sort most severe first, keeping order among equals', () => {
    expect(sortRows(rows).map(r => r.severity)).toEqual([
      'critical',
      'high',
      'medium'
    ]);
  });
});
