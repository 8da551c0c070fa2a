import { analyzeCell, analyzeNotebook } from './analyzer';
import { ignoreComments, ignoreHonoured, notebookIgnores } from './ignore';

describe('ignore comments', () => {
  it('marks the named rule on the commented line, with its reason', () => {
    const code = [
      'import pickle, torch',
      'a = pickle.loads(b)  # warden: ignore[pickle-load] bytes this test wrote',
      'c = pickle.loads(d)',
      'e = torch.load(p)  # warden: ignore[pickle-load] wrong rule named'
    ].join('\n');
    const found = analyzeCell(code).findings;
    expect(
      found.map(f => [f.line, f.ruleId, f.ignored?.reason ?? null])
    ).toEqual([
      [2, 'pickle-load', 'bytes this test wrote'],
      [3, 'pickle-load', null],
      [4, 'torch-load-unsafe', null]
    ]);
    expect(found[0].ignored?.scope).toBe('line');
  });

  it('applies to a call spanning lines when the comment is on its last line', () => {
    const code =
      'import torch\nsd = torch.load(\n    p,\n)  # warden: ignore[torch-load-unsafe] our own checkpoint\n';
    expect(analyzeCell(code).findings[0].ignored).toEqual({
      scope: 'line',
      reason: 'our own checkpoint'
    });
  });

  it('needs a reason and rule ids', () => {
    expect(ignoreComments('x  # warden: ignore[pickle-load]').size).toBe(0);
    expect(ignoreComments('x  # warden: ignore[] because').size).toBe(0);
    expect(ignoreComments('x  # warden: ignore because').size).toBe(0);
    expect([
      ...ignoreComments('\n\nx  # Warden: Ignore[a, b-c]  why not ').entries()
    ]).toEqual([
      [
        3,
        new Map([
          ['a', 'why not'],
          ['b-c', 'why not']
        ])
      ]
    ]);
  });

  it('reads notebook-wide ignores from metadata.warden.ignore', () => {
    const ignores = notebookIgnores({
      warden: {
        ignore: [
          { rule: 'pickle-load', reason: 'fixtures written by cell 1' },
          { rule: 'joblib-load' },
          'junk'
        ]
      }
    });
    expect([...ignores]).toEqual([
      ['pickle-load', 'fixtures written by cell 1']
    ]);
    const [first, second] = analyzeNotebook(
      ['import pickle\npickle.loads(b)', 'import joblib\njoblib.load(p)'],
      { notebookIgnores: ignores }
    );
    expect(first[0].ignored).toEqual({
      scope: 'notebook',
      reason: 'fixtures written by cell 1'
    });
    expect(second[0].ignored).toBeUndefined();
  });

  it('is honoured for warn by default, for confirm and block only when the policy lists them', () => {
    expect(ignoreHonoured('warn', undefined)).toBe(true);
    expect(ignoreHonoured('confirm', undefined)).toBe(false);
    expect(
      ignoreHonoured('confirm', { allowed_actions: ['warn', 'confirm'] })
    ).toBe(true);
    expect(ignoreHonoured('block', undefined)).toBe(false);
    expect(ignoreHonoured('block', { allowed_actions: ['block'] })).toBe(true);
    expect(ignoreHonoured('warn', { allowed_actions: [] })).toBe(false);
    expect(ignoreHonoured('off', { allowed_actions: ['warn'] })).toBe(false);
  });
});
