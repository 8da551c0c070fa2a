import type { Finding } from '../analyzer';
import { RULES } from '../contracts';
import { EditorState } from '@codemirror/state';
import type { TransactionSpec } from '@codemirror/state';

import { analyzeCell } from '../analyzer';
import {
  hoverContent,
  IGNORE_ACTION,
  toDiagnostic,
  tooltipOrder
} from './diagnostics';

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
    expect(d.actions?.map(a => a.name)).toEqual([
      'Add weights_only=True',
      IGNORE_ACTION
    ]);
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
    expect(d.actions?.map(a => a.name)).toEqual([IGNORE_ACTION]);
    const gone = toDiagnostic(FINDING, warn, 5)!;
    expect([gone.from, gone.to]).toEqual([5, 5]);
  });

  it('has no quick fix when the finding has none', () => {
    const { fix, ...plain } = FINDING;
    expect(fix).toBeDefined();
    // Nor an ignore: by default an ignore cannot lift a block, so none is offered.
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

describe('ignores in the editor', () => {
  const LOAD = 'import pickle\nobj = pickle.load(open("m.pkl", "rb"))';
  const warn = { action: 'warn', severity: 'high' } as const;
  const loadFinding = (code: string, notebook?: Map<string, string>) =>
    analyzeCell(code, undefined, { notebookIgnores: notebook }).findings.find(
      f => f.ruleId === 'pickle-load'
    )!;

  it('the ignore quick fix writes the comment at the end of the line, cursor on the reason', () => {
    // The view's part the action uses (jest runs without a DOM): state, dispatch, focus.
    const view = {
      state: EditorState.create({ doc: LOAD }),
      dispatch(spec: TransactionSpec) {
        this.state = this.state.update(spec).state;
      },
      focus: () => undefined
    };
    const d = toDiagnostic(loadFinding(LOAD), warn, LOAD.length)!;
    const ignore = d.actions!.find(a => a.name === IGNORE_ACTION)!;
    ignore.apply(view as any, d.from, d.to);
    const text = view.state.doc.toString();
    expect(text).toBe(`${LOAD}  # warden: ignore[pickle-load] `);
    expect(view.state.selection.main.head).toBe(text.length);
    // Without a reason it is not an ignore yet; with one, the finding is silenced.
    expect(loadFinding(text).ignored).toBeUndefined();
    expect(loadFinding(`${text}made in cell 1`).ignored).toEqual({
      scope: 'line',
      reason: 'made in cell 1'
    });
  });

  it('dims a silenced finding and its hover names the comment that silences it', () => {
    const code = `${LOAD}  # warden: ignore[pickle-load] made in cell 1`;
    const d = toDiagnostic(loadFinding(code), warn, code.length)!;
    expect(d.severity).toBe('hint');
    expect(d.markClass).toBe('jp-WardenDiagnostic jp-WardenDiagnostic-ignored');
    expect(d.actions).toBeUndefined(); // already ignored: no second comment offered
    const content = hoverContent(loadFinding(code), warn);
    expect(content.verb).toBe('Ignored');
    expect(content.ignore).toEqual({
      honoured: true,
      text:
        'Silenced by the comment `# warden: ignore[pickle-load] made in cell 1` on line 2. ' +
        'Running it is recorded as allowed by this ignore.'
    });
    expect(d.message).toContain(content.ignore!.text);
  });

  it('keeps the underline and says why when the policy does not honour the ignore', () => {
    const code = `${LOAD}  # warden: ignore[pickle-load] made in cell 1`;
    const confirm = { action: 'confirm', severity: 'high' } as const;
    const d = toDiagnostic(loadFinding(code), confirm, code.length)!;
    expect(d.severity).toBe('warning');
    expect(d.markClass).toBe('jp-WardenDiagnostic jp-WardenDiagnostic-confirm');
    expect(hoverContent(loadFinding(code), confirm).ignore).toEqual({
      honoured: false,
      text: expect.stringMatching(
        /^Not silenced by the comment .*: your admin's policy does not let an ignore lift a 'confirm' rule\.$/
      )
    });
    // An admin who lists 'confirm' makes the same comment silence it.
    const allowed = toDiagnostic(loadFinding(code), confirm, code.length, {
      allowed_actions: ['warn', 'confirm']
    })!;
    expect(allowed.severity).toBe('hint');
  });

  it('marks a notebook-wide ignore without silencing it: it never changes what runs', () => {
    const f = loadFinding(LOAD, new Map([['pickle-load', 'fixtures']]));
    const d = toDiagnostic(f, warn, LOAD.length)!;
    expect(d.severity).toBe('warning');
    expect(hoverContent(f, warn).ignore?.text).toMatch(
      /^Not silenced by the notebook's ignore \(metadata.warden.ignore: fixtures\): a notebook-wide ignore does not change what runs/
    );
  });
});
