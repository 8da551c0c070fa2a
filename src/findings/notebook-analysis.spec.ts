import { NotebookAnalysis, type ICellSource } from './notebook-analysis';

const cell = (id: string, source: string): ICellSource => ({
  id,
  source,
  isCode: true
});

describe('NotebookAnalysis', () => {
  it('keeps later cells cached when an edit leaves the names unchanged', () => {
    const analysis = new NotebookAnalysis();
    const later = cell('c', 'import pickle\nx = pickle.loads(b)\n');
    const first = analysis.analyze([
      cell('a', 'import torch\n'),
      cell('b', 'y = 1\n'),
      later
    ]);
    expect(first.get('c')?.map(f => f.ruleId)).toEqual(['pickle-load']);

    // Editing cell a (a comment, a new neutral statement) yields an equal scope: cell c's
    // findings are the very same array, not a re-analysis.
    const second = analysis.analyze([
      cell('a', 'import torch  # the model\nmodel = torch.nn.Linear(2, 2)\n'),
      cell('b', 'y = 1\n'),
      later
    ]);
    expect(second.get('c')).toBe(first.get('c'));
  });

  it('re-analyses later cells when an edit rebinds a name they use', () => {
    const analysis = new NotebookAnalysis();
    const uses = cell('b', 'data = loads(blob)\n');
    const before = analysis.analyze([cell('a', 'x = 1\n'), uses]);
    expect(before.get('b')).toEqual([]);
    const after = analysis.analyze([
      cell('a', 'from pickle import loads\n'),
      uses
    ]);
    expect(after.get('b')?.map(f => f.ruleId)).toEqual(['pickle-load']);
    // And back: the binding is gone, so is the finding.
    const reverted = analysis.analyze([cell('a', 'x = 1\n'), uses]);
    expect(reverted.get('b')).toEqual([]);
  });
});

describe('NotebookAnalysis for the gate (complete)', () => {
  // A busy page: every clock read is 10 ms later, so the 50 ms parse budget runs out early.
  let clock = 0;
  beforeEach(() => {
    clock = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
  });
  afterEach(() => jest.restoreAllMocks());

  const padding = Array.from({ length: 200 }, (_, k) => `x${k} = ${k}\n`).join(
    ''
  );
  const risky = cell('r', `${padding}import pickle\npickle.loads(b'')\n`);

  it('an editor analysis cut short by the budget misses the call (the race)', () => {
    const analysis = new NotebookAnalysis({ parseBudgetMs: 50 });
    expect(analysis.analyze([risky]).get('r')).toEqual([]);
  });

  it('re-analyses a cell cut short, so the gate sees the whole cell', () => {
    const analysis = new NotebookAnalysis({ parseBudgetMs: 50 });
    // The editor's analysis came first and was cut (cached as it is).
    expect(analysis.analyze([risky]).get('r')).toEqual([]);
    expect(
      analysis
        .analyze([risky], 'r', true)
        .get('r')
        ?.map(f => f.ruleId)
    ).toEqual(['pickle-load']);
  });

  it('analyses the earlier cells in full too: their imports decide what a call is', () => {
    const analysis = new NotebookAnalysis({ parseBudgetMs: 50 });
    const imports = cell('i', `${padding}from pickle import loads\n`);
    const uses = cell('u', "loads(b'')\n");
    expect(analysis.analyze([imports, uses]).get('u')).toEqual([]);
    expect(
      analysis
        .analyze([imports, uses], 'u', true)
        .get('u')
        ?.map(f => f.ruleId)
    ).toEqual(['pickle-load']);
  });
});
