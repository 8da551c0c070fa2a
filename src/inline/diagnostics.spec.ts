import type { Finding } from '../analyzer';
import { RULES } from '../contracts';
import { hoverContent, toDiagnostic, tooltipOrder } from './diagnostics';

const FINDING: Finding = {
  ruleId: 'torch-load-unsafe',
  severity: 'medium',
  message: 'torch.load without weights_only=True.',
  from: 10,
  to: 25,
  line: 2,
  column: 3,
  endLine: 2,
  endColumn: 18,
  fix: {
    from: 24,
    to: 24,
    insert: ', weights_only=True',
    title: 'Add weights_only=True'
  }
};
const RULE = RULES.get('torch-load-unsafe')!;

describe('toDiagnostic', () => {
  it('shows nothing for a rule that is off', () => {
    expect(
      toDiagnostic(FINDING, { action: 'off', severity: 'high' }, 100)
    ).toBeNull();
  });

  it.each([
    ['warn', 'warning', 'Warning'],
    ['confirm', 'warning', 'Needs confirmation'],
    ['block', 'error', 'Blocked by policy']
  ] as const)('%s: a %s saying "%s"', (action, severity, verb) => {
    const d = toDiagnostic(FINDING, { action, severity: 'medium' }, 100)!;
    expect(d).toMatchObject({
      from: 10,
      to: 25,
      severity,
      source: 'Jupyter Warden · torch-load-unsafe',
      markClass: `jp-WardenDiagnostic jp-WardenDiagnostic-${action}`
    });
    // The plain message (lint panel, screen readers) says what, why and what to do.
    expect(d.message).toBe(
      `${verb}: ${RULE.title}. ${RULE.explanation} What to do: ${RULE.remediation}`
    );
    expect(typeof d.renderMessage).toBe('function');
  });

  it('offers the quick fix, which applies the finding’s edit', () => {
    const d = toDiagnostic(
      FINDING,
      { action: 'warn', severity: 'medium' },
      100
    )!;
    expect(d.actions?.map(a => a.name)).toEqual(['Add weights_only=True']);
    const dispatched: unknown[] = [];
    const view = { dispatch: (spec: unknown) => dispatched.push(spec) };
    d.actions![0].apply(view as any, d.from, d.to);
    expect(dispatched).toEqual([
      { changes: { from: 24, to: 24, insert: ', weights_only=True' } }
    ]);
  });

  it('clamps the range to a document that shrank, and drops a fix beyond it', () => {
    const warn = { action: 'warn', severity: 'medium' } as const;
    const d = toDiagnostic(FINDING, warn, 20)!;
    expect([d.from, d.to]).toEqual([10, 20]);
    expect(d.actions).toBeUndefined();
    const gone = toDiagnostic(FINDING, warn, 5)!;
    expect([gone.from, gone.to]).toEqual([5, 5]);
  });

  it('has no quick fix when the finding has none', () => {
    const { fix, ...plain } = FINDING;
    expect(fix).toBeDefined();
    expect(
      toDiagnostic(plain, { action: 'block', severity: 'high' }, 100)!.actions
    ).toBeUndefined();
  });
});

describe('hover content', () => {
  it('splits title, explanation and what to do, from the catalog', () => {
    expect(
      hoverContent(FINDING, { action: 'confirm', severity: 'high' })
    ).toEqual({
      ruleId: 'torch-load-unsafe',
      action: 'confirm',
      severity: 'high',
      verb: 'Needs confirmation',
      title: RULE.title,
      explanation: RULE.explanation,
      remediation: RULE.remediation,
      quickFix: 'Add weights_only=True'
    });
  });

  it("falls back to the finding's own message for a rule the catalog lacks", () => {
    const content = hoverContent(
      { ...FINDING, ruleId: 'not-in-catalog', fix: undefined },
      { action: 'warn', severity: 'low' }
    );
    expect(content).toMatchObject({
      title: 'not-in-catalog',
      explanation: FINDING.message,
      remediation: ''
    });
    expect(content.quickFix).toBeUndefined();
  });
});

describe('tooltip order', () => {
  it('puts the most severe diagnostic first, then the strictest action', () => {
    const make = (ruleId: string, action: any, severity: any) =>
      toDiagnostic({ ...FINDING, ruleId }, { action, severity }, 100)!;
    const low = make('a', 'block', 'low');
    const critical = make('b', 'warn', 'critical');
    const highWarn = make('c', 'warn', 'high');
    const highBlock = make('d', 'block', 'high');
    const foreign = {
      from: 0,
      to: 1,
      severity: 'error',
      message: 'lsp'
    } as any;
    expect(
      tooltipOrder([low, foreign, highWarn, critical, highBlock]).map(
        d => d.source ?? d.message
      )
    ).toEqual([
      'Jupyter Warden · b',
      'Jupyter Warden · d',
      'Jupyter Warden · c',
      'Jupyter Warden · a',
      'lsp'
    ]);
  });
});
