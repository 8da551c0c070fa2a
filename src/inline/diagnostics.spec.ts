import type { Finding } from '../analyzer';
import { toDiagnostic } from './diagnostics';

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

describe('toDiagnostic', () => {
  it('shows nothing for a rule that is off', () => {
    expect(toDiagnostic(FINDING, 'off', 100)).toBeNull();
  });

  it.each([
    ['warn', 'warning', 'Warning'],
    ['confirm', 'warning', 'Needs confirmation'],
    ['block', 'error', 'Blocked by policy']
  ] as const)('%s: a %s saying "%s"', (action, severity, verb) => {
    const d = toDiagnostic(FINDING, action, 100)!;
    expect(d).toMatchObject({
      from: 10,
      to: 25,
      severity,
      source: 'Jupyter Warden · torch-load-unsafe',
      message: `${verb}: torch.load without weights_only=True.`,
      markClass: `jp-WardenDiagnostic jp-WardenDiagnostic-${action}`
    });
  });

  it('offers the quick fix, which applies the finding’s edit', () => {
    const d = toDiagnostic(FINDING, 'warn', 100)!;
    expect(d.actions?.map(a => a.name)).toEqual(['Add weights_only=True']);
    const dispatched: unknown[] = [];
    const view = { dispatch: (spec: unknown) => dispatched.push(spec) };
    d.actions![0].apply(view as any, d.from, d.to);
    expect(dispatched).toEqual([
      { changes: { from: 24, to: 24, insert: ', weights_only=True' } }
    ]);
  });

  it('clamps the range to a document that shrank, and drops a fix beyond it', () => {
    const d = toDiagnostic(FINDING, 'warn', 20)!;
    expect([d.from, d.to]).toEqual([10, 20]);
    expect(d.actions).toBeUndefined();
    const gone = toDiagnostic(FINDING, 'warn', 5)!;
    expect([gone.from, gone.to]).toEqual([5, 5]);
  });

  it('has no quick fix when the finding has none', () => {
    const { fix, ...plain } = FINDING;
    expect(fix).toBeDefined();
    expect(toDiagnostic(plain, 'block', 100)!.actions).toBeUndefined();
  });
});
