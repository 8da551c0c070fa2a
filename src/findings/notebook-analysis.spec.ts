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
