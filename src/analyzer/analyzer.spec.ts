import {
  analyzeCell,
  analyzeNotebook,
  EMPTY_SCOPE,
  optionsFromPolicy,
  staticRule
} from './index';
import type { Finding } from './types';

const ids = (findings: Finding[]) => findings.map(f => f.ruleId);
const applyFix = (code: string, f: Finding) =>
  code.slice(0, f.fix!.from) + f.fix!.insert + code.slice(f.fix!.to);

describe('analyzeCell', () => {
  it('reports exact 1-based ranges and offsets', () => {
    const code = 'import torch\n\nx = torch.load(p)\n';
    const [f] = analyzeCell(code).findings;
    expect(f).toMatchObject({
      ruleId: 'torch-load-unsafe',
      severity: staticRule('torch-load-unsafe').severity,
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 18
    });
    expect(code.slice(f.from, f.to)).toBe('torch.load(p)');
    expect(f.message).toContain(staticRule('torch-load-unsafe').remediation);
  });

  it('spans several lines for a multi-line call', () => {
    const code = 'import pickle\ndata = pickle.loads(\n    blob,\n)\n';
    const [f] = analyzeCell(code).findings;
    expect([f.line, f.column, f.endLine, f.endColumn]).toEqual([2, 8, 4, 2]);
  });

  it.each([
    ['torch.load(p)', 'torch.load(p, weights_only=True)'],
    ['torch.load()', 'torch.load(weights_only=True)'],
    ['torch.load(p,)', 'torch.load(p, weights_only=True)'],
    ['torch.load(p, weights_only=False)', 'torch.load(p, weights_only=True)'],
    ['yaml.load(s)', 'yaml.safe_load(s)'],
    [
      'yaml.load(s, Loader=yaml.FullLoader)',
      'yaml.load(s, Loader=yaml.SafeLoader)'
    ],
    ['yaml.unsafe_load(s)', 'yaml.safe_load(s)'],
    ['yaml.load_all(s)', 'yaml.safe_load_all(s)'],
    ['np.load(p, allow_pickle=True)', 'np.load(p, allow_pickle=False)'],
    [
      'keras.models.load_model(p, safe_mode=False)',
      'keras.models.load_model(p, safe_mode=True)'
    ],
    [
      'AutoModel.from_pretrained(n, revision=r, trust_remote_code=True)',
      'AutoModel.from_pretrained(n, revision=r, trust_remote_code=False)'
    ]
  ])('fixes %s -> %s, and the fixed code is clean', (before, after) => {
    const { findings } = analyzeCell(before);
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toBeDefined();
    expect(applyFix(before, findings[0])).toBe(after);
    expect(analyzeCell(after).findings).toEqual([]);
  });

  it('offers no fix where no safe rewrite exists', () => {
    const [f] = analyzeCell('import pickle\npickle.loads(b)').findings;
    expect(f.fix).toBeUndefined();
    const [g] = analyzeCell('torch.load(p, **kw)').findings;
    expect(g.ruleId).toBe('torch-load-unsafe');
    expect(g.fix).toBeUndefined();
  });

  it('carries imports from one cell to the next through the scope', () => {
    const first = analyzeCell(
      'import pickle as pk\nfrom torch import load as L'
    );
    expect(first.findings).toEqual([]);
    expect(
      ids(analyzeCell('pk.loads(b)\nL(p)', first.scopeAfter).findings)
    ).toEqual(['pickle-load', 'torch-load-unsafe']);
    // Without the earlier cell the alias means nothing.
    expect(analyzeCell('pk.loads(b)\nL(p)', EMPTY_SCOPE).findings).toEqual([]);
    // The scope passed in is not changed by later cells.
    analyzeCell('pk = None', first.scopeAfter);
    expect(ids(analyzeCell('pk.loads(b)', first.scopeAfter).findings)).toEqual([
      'pickle-load'
    ]);
  });

  it('lets a later binding shadow an import, as Python does', () => {
    const cells = [
      'import pickle',
      'def pickle_loads(x): pass\npickle = MySafe()',
      'pickle.loads(b)'
    ];
    expect(analyzeNotebook(cells).map(ids)).toEqual([[], [], []]);
  });

  it('keeps function parameters local', () => {
    const code =
      'import torch\ndef f(torch):\n    return torch.load(p)\ntorch.load(q)';
    const findings = analyzeCell(code).findings;
    expect(findings.map(f => f.line)).toEqual([4]);
  });

  it('still finds complete statements in a half-typed cell', () => {
    const code = 'import pickle\nx = (1 +\ny = [\npickle.loads(b)';
    const ok = analyzeCell(
      'import pickle\ndef f(:\n    pass\npickle.loads(b)\nz = torch.load('
    );
    expect(ids(ok.findings)).toEqual(['pickle-load']);
    expect(() => analyzeCell(code)).not.toThrow();
  });

  it('uses trusted package indexes from the policy', () => {
    const code =
      '%pip install --index-url https://pypi.corp.example/simple pkg';
    expect(ids(analyzeCell(code).findings)).toEqual(['pip-untrusted-index']);
    const options = optionsFromPolicy({
      trusted_sources: {
        package_indexes: ['https://pypi.corp.example/simple/']
      }
    });
    expect(analyzeCell(code, EMPTY_SCOPE, options).findings).toEqual([]);
    expect(
      ids(
        analyzeCell(code.replace('https', 'http'), EMPTY_SCOPE, options)
          .findings
      )
    ).toEqual(['pip-http-index']);
  });

  it('uses trusted model hubs from the policy', () => {
    const code =
      'torch.hub.download_url_to_file("https://models.corp.example/r.pt", "r.pt")';
    expect(ids(analyzeCell(code).findings)).toEqual(['model-untrusted-hub']);
    const options = optionsFromPolicy({
      trusted_sources: { model_hubs: ['models.corp.example'] }
    });
    expect(analyzeCell(code, EMPTY_SCOPE, options).findings).toEqual([]);
  });

  it('reads IPython only in cells, not in .py files', () => {
    const code = '!curl https://x.example/i.sh | sh\n';
    expect(ids(analyzeCell(code).findings)).toEqual([
      'shell-pipe-to-interpreter'
    ]);
    expect(analyzeCell(code, EMPTY_SCOPE, { ipython: false }).findings).toEqual(
      []
    );
  });

  it('reads an IPython alias defined in an earlier cell as the shell line it runs (R13-17)', () => {
    const cells = [
      '%alias get curl -s %s | sh',
      'import os\n%get https://x.example/i.sh',
      'get https://x.example/i.sh'
    ];
    const found = analyzeNotebook(cells);
    expect(found.map(ids)).toEqual([
      [],
      ['shell-pipe-to-interpreter'],
      ['shell-pipe-to-interpreter']
    ]);
    expect(cells[1].slice(found[1][0].from, found[1][0].to)).toBe(
      '%get https://x.example/i.sh'
    );
    // a cell read alone (the editor's inline check) has no notebook alias table
    expect(analyzeCell(cells[1]).findings).toEqual([]);
  });

  it('points shell findings at the exact text in the cell', () => {
    const code = 'import os\n!pip install --trusted-host pypi.internal pkg';
    const [f] = analyzeCell(code).findings;
    expect(code.slice(f.from, f.to)).toBe('--trusted-host pypi.internal');
    expect([f.line, f.column]).toEqual([2, 14]);
  });
});

describe('analyzeNotebook', () => {
  it('returns one list per cell, in order', () => {
    const result = analyzeNotebook(['import joblib', '', 'm = joblib.load(p)']);
    expect(result.map(ids)).toEqual([[], [], ['joblib-load']]);
    expect(result[2][0].line).toBe(1);
  });
});
