/**
 * The relevance filter is invisible: analyzeCell with the filter (the default) and with
 * `exhaustive: true` (every statement parsed) give the same findings and the same scope, on
 * the corpus, on generated notebooks that exercise name resolution across and within cells,
 * and on fuzzed cells Lezer parses without error. WARDEN_FUZZ_N sets the number of fuzzed
 * cells (default 500) and of generated notebooks (four times as many), WARDEN_FUZZ_SEED the
 * seed (failures print their input; the seed replays them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { analyzeCell, analyzeNotebook, type CellAnalysis } from './analyzer';
import { EMPTY_SCOPE, type AnalyzerScope } from './scope';
import type { Finding } from './types';
import {
  corpusSeeds,
  FUZZ_SEED as SEED,
  fuzzCell,
  fuzzCount,
  pick,
  prng
} from '../testing/fuzz-inputs';

const N = fuzzCount(500);
const NOTEBOOKS = N * 4;

/** A scope's bindings in a canonical order. */
function bindings(scope: AnalyzerScope): Array<[string, string | null]> {
  return [...scope.bindings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const filtered = (code: string, scope: AnalyzerScope) =>
  analyzeCell(code, scope);
const exhaustive = (code: string, scope: AnalyzerScope) =>
  analyzeCell(code, scope, { exhaustive: true });

function hasError(tree: Tree): boolean {
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) {
      return true;
    }
  } while (cursor.next());
  return false;
}

/** What differs between the two analyses of one cell, or null when nothing does. */
function difference(
  code: string,
  a: CellAnalysis,
  b: CellAnalysis
): { code: string; filtered: unknown; exhaustive: unknown } | null {
  const sameFindings =
    JSON.stringify(a.findings) === JSON.stringify(b.findings);
  const sameScope =
    JSON.stringify(bindings(a.scopeAfter)) ===
    JSON.stringify(bindings(b.scopeAfter));
  if (sameFindings && sameScope) {
    return null;
  }
  const brief = (r: CellAnalysis) => ({
    findings: r.findings.map(
      f => `${f.ruleId}@${f.line}:${f.column}-${f.endLine}:${f.endColumn}`
    ),
    scope: sameScope ? '(same)' : bindings(r.scopeAfter)
  });
  return { code, filtered: brief(a), exhaustive: brief(b) };
}

/* ------------------------------------------------------------------------------------------ */
/* Corpus                                                                                       */
/* ------------------------------------------------------------------------------------------ */

const CORPUS = path.join(__dirname, 'corpus');
const CORPUS_FILES = fs
  .readdirSync(CORPUS)
  .filter(f => f.endsWith('.py'))
  .sort();

describe('relevance filter on the corpus', () => {
  it.each(CORPUS_FILES)('%s as one cell: same findings and scope', file => {
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    const a = filtered(text, EMPTY_SCOPE);
    const b = exhaustive(text, EMPTY_SCOPE);
    expect(a.findings).toEqual(b.findings);
    expect(bindings(a.scopeAfter)).toEqual(bindings(b.scopeAfter));
    expect(a.complete).toBe(b.complete);
    // The same again after the whole corpus file ran.
    const c = filtered(text, b.scopeAfter);
    const d = exhaustive(text, b.scopeAfter);
    expect(c.findings).toEqual(d.findings);
    expect(bindings(c.scopeAfter)).toEqual(bindings(d.scopeAfter));
    // As a plain .py file, when that is valid Python to Lezer (IPython lines are not).
    if (hasError(parser.parse(text))) {
      return;
    }
    const e = analyzeCell(text, EMPTY_SCOPE, { ipython: false });
    const f = analyzeCell(text, EMPTY_SCOPE, {
      ipython: false,
      exhaustive: true
    });
    expect(e.findings).toEqual(f.findings);
    expect(bindings(e.scopeAfter)).toEqual(bindings(f.scopeAfter));
  });

  it.each(CORPUS_FILES)(
    '%s as a notebook (cells at # %%%%): same findings and scopes',
    file => {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const cells = text.split(/^# %%.*$/m);
      let scopeA = EMPTY_SCOPE;
      let scopeB = EMPTY_SCOPE;
      for (const cell of cells) {
        const a = filtered(cell, scopeA);
        const b = exhaustive(cell, scopeB);
        expect(a.findings).toEqual(b.findings);
        expect(bindings(a.scopeAfter)).toEqual(bindings(b.scopeAfter));
        scopeA = a.scopeAfter;
        scopeB = b.scopeAfter;
      }
    }
  );
});

/* ------------------------------------------------------------------------------------------ */
/* Generated notebooks                                                                          */
/* ------------------------------------------------------------------------------------------ */

/** Statements that bind names to modules and functions the rules care about. */
const IMPORTS = [
  'import pickle',
  'import pickle as p',
  'from pickle import loads as L',
  'from pickle import *',
  'import torch.hub as th',
  'from torch import load',
  'import torch',
  'import numpy as np',
  'import yaml',
  'import os',
  'import sys',
  'import importlib',
  'import joblib',
  'import dill as pickle',
  'import pickle, torch as T',
  'from torch import hub',
  'from os import environ',
  'from yaml import load as yload, SafeLoader',
  'from transformers import AutoModel',
  'from pickle import (\n    loads as L,\n    load,\n)',
  'import torch  # noqa\n\n# weights below',
  'import numpy as np; import pickle as p',
  'if True:\n    import pickle as p',
  'try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle'
];

/** Statements that re-bind, shadow or unbind those names. */
const REBINDINGS = [
  'np = pickle',
  'torch = None',
  'import torch',
  'loads = print',
  'f = torch.load',
  'g = f',
  'k = g',
  'def f(pickle): return pickle.loads(b)',
  'def f(x):\n    return x',
  'for np in range(3): pass',
  'del torch',
  'del p',
  'with open(p) as pickle: pass',
  '(h := torch.load)',
  'h = p.loads',
  'S = yaml.SafeLoader',
  'S = MyLoader',
  'env = os.environ',
  'env = {}',
  'p = 3',
  'L = None',
  'th = torch.hub',
  'a, c = torch.load, pickle.loads',
  'x1 = y1 = pickle.loads',
  'pickle = MySafe()',
  'class torch:\n    load = staticmethod(print)',
  'try:\n    pass\nexcept Exception as torch:\n    pass',
  'def rebind():\n    global np\n    np = pickle',
  'L2 = lambda q: torch.load(q)',
  'x.torch = 1',
  'self_pickle = pickle'
];

/** Calls and assignments the rules may flag, depending on what the names mean. */
const USES = [
  'p.loads(b)',
  'L(b)',
  'loads(b)',
  'load(x)',
  'f(x)',
  'g(x)',
  'h(x)',
  'k(x)',
  'a(x)',
  'c(x)',
  'y1(b)',
  'L2(x)',
  "th.load('r/m')",
  "hub.load('r/m')",
  'np.load(x, allow_pickle=True)',
  'torch.load(x)',
  'T.load(x)',
  'pickle.loads(b)',
  'yaml.load(s, Loader=S)',
  'yload(s, Loader=SafeLoader)',
  'yload(s)',
  "getattr(torch, 'load')(p)",
  "__import__('pickle').loads(b)",
  "importlib.import_module('pickle').loads(b)",
  "sys.modules['pickle'].loads(b)",
  "os.environ['PIP_INDEX_URL'] = 'http://x'",
  "env['PIP_INDEX_URL'] = 'http://x'",
  "environ['PIP_INDEX_URL'] = 'http://x'",
  "os.environ.update(PIP_INDEX_URL='http://x')",
  "AutoModel.from_pretrained('a/b', trust_remote_code=True)",
  'model = Auto.from_pretrained(name)',
  'exec("import pickle; pickle.loads(b)")',
  'joblib.load(path)',
  'state = torch.load(\n    x,\n    map_location="cpu",\n)',
  'data = pickle.loads(  # from the cache\n    b)',
  'y = torch.load(x) + \\\n    1',
  'def run(torch, x):\n    return torch.load(x)',
  'def run(q=pickle):\n    return q.loads(b)',
  'def run(x, *, L, **kw):\n    return L(x)',
  'def run(a, b=",torch"):\n    return torch.load(b)',
  "def run(a, b='f, L'):\n    return L(b) + f(a)",
  'def run(key=lambda torch, x: x):\n    return torch.load(key)',
  'async def run(f, /, g):\n    return await f(x) + g(x)',
  '@torch.no_grad()\ndef run(model, torch) -> dict:\n    return torch.load(model)',
  'def run(\n    h,\n    k=k,\n):\n    return h(x), k(x)',
  'def run(x: torch.load("a")):\n    return L(x)',
  'def run(p):\n    def inner():\n        nonlocal p\n        return p.loads(b)\n    return inner()',
  'def use():\n    return torch.load(x)',
  '@torch.no_grad()\ndef infer(m):\n    return p.loads(b)',
  'class Restorer:\n    def __call__(self, q):\n        return L(q)',
  'models = [torch.load(q) for q in files]',
  'if ok:\n    torch.load(x)\nelse:\n    pickle.loads(b)',
  'msg = f"{pickle.loads(b)}"',
  'msg = f"{p.loads(b)!r:>10}"',
  'torch.load(x, weights_only=True)',
  '%time state = torch.load(x)',
  'kw = dict(trust_remote_code=True)'
];

/** Statements that cannot matter (most of a real notebook). */
const NEUTRAL = [
  'model = Net()',
  'x = np.array_split(a, 3)',
  'torch.relu(x)',
  'y = [i * i for i in range(10)]',
  'class Net:\n    def forward(self, x):\n        return x\n',
  'def train(m):\n    for e in range(3):\n        m.step()\n',
  '# torch.load(p) would be unsafe here',
  '# import pickle; model = Auto.from_pretrained(name)',
  'def train_step(m):\n    return m\n\n# from_pretrained(...) and import come later',
  'def train_step(model, loader, f):\n    return [model(b) for b in loader] + [f(x)]',
  's = "pickle.loads(b) is unsafe"',
  'doc = """\nimport pickle\npickle.loads(b)\n"""',
  'if x:\n    z = 1\nelse:\n    z = 2',
  'try:\n    z = 1\nexcept Exception:\n    pass\nfinally:\n    z = 0',
  '@decorator\ndef helper():\n    pass',
  'total = (1 +\n         2)',
  'print(x.shape)',
  'loss.backward()',
  'opt = make_optimizer(model, lr=1e-3)',
  'x = f"{x!r:>10}"',
  'items = {"a": 1, "b": [2, 3]}',
  '',
  '\n',
  'while False:\n    pass',
  'with ctx() as q:\n    q.run()',
  '!pip install numpy'
];

function statementFor(rand: () => number): string {
  const r = rand();
  return pick(
    rand,
    r < 0.2 ? IMPORTS : r < 0.45 ? REBINDINGS : r < 0.75 ? USES : NEUTRAL
  );
}

function randomNotebook(rand: () => number): string[] {
  const cells: string[] = [];
  const n = 3 + Math.floor(rand() * 6);
  for (let c = 0; c < n; c++) {
    const lines: string[] = [];
    const k = 1 + Math.floor(rand() * 10);
    for (let i = 0; i < k; i++) {
      lines.push(statementFor(rand));
    }
    cells.push(lines.join(rand() < 0.1 ? '\r\n' : '\n'));
  }
  return cells;
}

/** Characters Lezer was asked to parse, per mode (counted while `counting` is set). */
const parsedChars = { filtered: 0, exhaustive: 0 };
let counting: keyof typeof parsedChars | null = null;

/** Run `run` with parser.parse counting what it parses under `counting`. */
function withParseCounter<T>(run: () => T): T {
  const original = parser.parse.bind(parser);
  const spy = jest.spyOn(parser, 'parse').mockImplementation((...args) => {
    if (counting !== null) {
      parsedChars[counting] += args[0].length;
    }
    return original(...args);
  });
  try {
    return run();
  } finally {
    spy.mockRestore();
    counting = null;
  }
}

/**
 * Run a notebook in both modes, each carrying its own scope: the first difference, if any,
 * and the number of findings.
 */
function compareNotebook(cells: string[]): {
  diff: unknown;
  findings: number;
} {
  let scopeA = EMPTY_SCOPE;
  let scopeB = EMPTY_SCOPE;
  let findings = 0;
  for (let i = 0; i < cells.length; i++) {
    counting = 'filtered';
    const a = filtered(cells[i], scopeA);
    counting = 'exhaustive';
    const b = exhaustive(cells[i], scopeB);
    counting = null;
    const diff = difference(cells[i], a, b);
    if (diff !== null) {
      return {
        diff: { cell: i, cells, scopeBefore: bindings(scopeB), ...diff },
        findings
      };
    }
    findings += b.findings.length;
    scopeA = a.scopeAfter;
    scopeB = b.scopeAfter;
  }
  return { diff: null, findings };
}

describe('relevance filter on generated notebooks', () => {
  it(`gives the same findings and scopes cell by cell on ${NOTEBOOKS} notebooks`, () => {
    const rand = prng(SEED);
    const failures: unknown[] = [];
    let cells = 0;
    let findings = 0;
    const start = performance.now();
    parsedChars.filtered = parsedChars.exhaustive = 0;
    withParseCounter(() => {
      for (let i = 0; i < NOTEBOOKS; i++) {
        const notebook = randomNotebook(rand);
        cells += notebook.length;
        const result = compareNotebook(notebook);
        findings += result.findings;
        if (result.diff !== null) {
          failures.push(result.diff);
        }
      }
    });
    console.log(
      `relevance/notebooks: ${NOTEBOOKS} notebooks, ${cells} cells (seed ${SEED}), ` +
        `${failures.length} with a difference, ${findings} findings; the filtered runs ` +
        `parsed ${parsedChars.filtered} characters, the exhaustive runs ` +
        `${parsedChars.exhaustive}; ${(performance.now() - start).toFixed(0)} ms`
    );
    expect(failures.slice(0, 3)).toEqual([]);
    // The filter does skip statements here (neutral ones, uses of unbound names).
    expect(parsedChars.filtered).toBeLessThan(parsedChars.exhaustive);
  }, 120000);
});

/* ------------------------------------------------------------------------------------------ */
/* Fuzzed cells (generators copied from fuzz.spec.ts)                                           */
/* ------------------------------------------------------------------------------------------ */

/** A scope where many names mean something: aliases, functions, a safe loader, env. */
const RICH_SCOPE = analyzeCell(
  [
    'import pickle as p',
    'from pickle import loads as L',
    'import torch.hub as th',
    'from torch import load',
    'f = load',
    'S = yaml.SafeLoader',
    'env = os.environ',
    'np = pickle',
    'torch = None'
  ].join('\n'),
  EMPTY_SCOPE,
  { exhaustive: true }
).scopeAfter;

describe('relevance filter on fuzzed cells', () => {
  it(`gives the same findings on ${N} fuzzed cells that Lezer parses without error`, () => {
    const rand = prng(SEED + 1);
    const seeds = corpusSeeds();
    const failures: unknown[] = [];
    let errorFree = 0;
    let withErrors = 0;
    // On broken code: cells where the filtered run found something the exhaustive one did
    // not, and the other way round.
    let onlyFiltered = 0;
    let onlyExhaustive = 0;
    let scopesDiffer = 0;
    const start = performance.now();
    for (let i = 0; i < N; i++) {
      const input = fuzzCell(rand, seeds, 0.15);
      const valid = !hasError(parser.parse(input));
      for (const scope of [EMPTY_SCOPE, RICH_SCOPE]) {
        const a = filtered(input, scope);
        const b = exhaustive(input, scope);
        if (valid) {
          const diff = difference(input, a, b);
          if (diff !== null) {
            failures.push({ scopeBefore: bindings(scope), ...diff });
          }
          continue;
        }
        const key = (f: Finding) => JSON.stringify(f);
        const inB = new Set(b.findings.map(key));
        const inA = new Set(a.findings.map(key));
        if (a.findings.some(f => !inB.has(key(f)))) {
          onlyFiltered++;
        }
        if (b.findings.some(f => !inA.has(key(f)))) {
          onlyExhaustive++;
        }
        if (
          JSON.stringify(bindings(a.scopeAfter)) !==
          JSON.stringify(bindings(b.scopeAfter))
        ) {
          scopesDiffer++;
        }
      }
      if (valid) {
        errorFree++;
      } else {
        withErrors++;
      }
    }
    console.log(
      `relevance/fuzz: ${N} inputs (seed ${SEED}), each with an empty and a rich scope: ` +
        `${errorFree} error-free (${failures.length} analyses with a difference), ` +
        `${withErrors} with syntax errors: ${onlyFiltered} analyses with a finding only the ` +
        `filtered run has, ${onlyExhaustive} with a finding only the exhaustive run has, ` +
        `${scopesDiffer} with different scopes; ${(performance.now() - start).toFixed(0)} ms`
    );
    expect(failures.slice(0, 3)).toEqual([]);
  }, 120000);
});

/* ------------------------------------------------------------------------------------------ */
/* Hand-written cases                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** The texts Lezer is asked to parse while `run` runs. */
function parsedTexts(run: () => void): string[] {
  const spy = jest.spyOn(parser, 'parse');
  try {
    run();
    return spy.mock.calls.map(call => call[0] as string);
  } finally {
    spy.mockRestore();
  }
}

const NEUTRAL_LINES = Array.from(
  { length: 200 },
  (_, i) =>
    [
      `x${i} = model(batch[${i}])`,
      `loss = crit(x${i}, y)  # not torch.load(p) at step ${i}`,
      `for e in range(${i}):\n    opt.step()`,
      `torch.relu(x${i})`,
      `s${i} = "step #${i}"`
    ][i % 5]
);

describe('relevance filter, by hand', () => {
  it('skips 200 neutral statements and finds the one call among them, at the same place', () => {
    const code = [
      ...NEUTRAL_LINES.slice(0, 120),
      'data = pickle.loads(blob)',
      ...NEUTRAL_LINES.slice(120)
    ].join('\n');
    let a: CellAnalysis | undefined;
    let b: CellAnalysis | undefined;
    const texts = parsedTexts(() => {
      a = filtered(code, EMPTY_SCOPE);
    });
    const all = parsedTexts(() => {
      b = exhaustive(code, EMPTY_SCOPE);
    });
    // The filtered run parsed only the statement that matters; the exhaustive one, everything.
    expect(texts).toEqual(['data = pickle.loads(blob)\n']);
    expect(all).toEqual([code]);
    const line = code.split('\n').indexOf('data = pickle.loads(blob)') + 1;
    for (const r of [a!, b!]) {
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]).toMatchObject({
        ruleId: 'pickle-load',
        line,
        column: 8,
        endLine: line,
        endColumn: 26
      });
      expect(code.slice(r.findings[0].from, r.findings[0].to)).toBe(
        'pickle.loads(blob)'
      );
    }
    expect(a!.findings).toEqual(b!.findings);
  });

  it('keeps fixes at their offsets in the cell', () => {
    const code = [
      ...NEUTRAL_LINES.slice(0, 50),
      'w = torch.load(p)',
      ...NEUTRAL_LINES.slice(50, 90)
    ].join('\n');
    const a = filtered(code, EMPTY_SCOPE);
    const b = exhaustive(code, EMPTY_SCOPE);
    expect(a.findings).toEqual(b.findings);
    expect(a.findings).toHaveLength(1);
    const fix = a.findings[0].fix!;
    const fixed = code.slice(0, fix.from) + fix.insert + code.slice(fix.to);
    expect(fixed).toContain('w = torch.load(p, weights_only=True)\n');
  });

  it('parses nothing when nothing can matter', () => {
    const code = NEUTRAL_LINES.join('\n');
    const texts = parsedTexts(() => {
      expect(filtered(code, EMPTY_SCOPE).findings).toEqual([]);
    });
    expect(texts).toEqual([]);
    expect(exhaustive(code, EMPTY_SCOPE).findings).toEqual([]);
  });

  it('follows an alias from an earlier cell into a skipped-looking statement', () => {
    const first = filtered(
      'from pickle import loads as L\nimport torch.hub as th',
      EMPTY_SCOPE
    );
    const code = [
      ...NEUTRAL_LINES.slice(0, 100),
      'obj = L(blob)',
      "th.load('r/m')"
    ].join('\n');
    const a = filtered(code, first.scopeAfter);
    const b = exhaustive(code, first.scopeAfter);
    const lines = code.split('\n').length;
    expect(a.findings.map(f => [f.ruleId, f.line, f.column])).toEqual([
      ['pickle-load', lines - 1, 7],
      ['torch-hub-load', lines, 1]
    ]);
    expect(a.findings).toEqual(b.findings);
  });

  it('looks again at statements using a name the cell re-binds, through a chain', () => {
    const code = [
      ...NEUTRAL_LINES.slice(0, 20),
      'f = torch.load',
      ...NEUTRAL_LINES.slice(20, 40),
      'g = f',
      ...NEUTRAL_LINES.slice(40, 60),
      'k = g',
      'm = k',
      'm(p)',
      'k(p)',
      'torch = None',
      'torch.load(p)'
    ].join('\n');
    const a = filtered(code, EMPTY_SCOPE);
    const b = exhaustive(code, EMPTY_SCOPE);
    expect(a.findings.map(f => f.ruleId)).toEqual([
      'torch-load-unsafe',
      'torch-load-unsafe'
    ]);
    expect(a.findings).toEqual(b.findings);
    expect(bindings(a.scopeAfter)).toEqual(bindings(b.scopeAfter));
  });

  it('judges the statements after a plain import with what it binds: one round', () => {
    const cell =
      'import pickle as pkl\n' +
      NEUTRAL_LINES.slice(0, 20).join('\n') +
      '\nfrom torch import load\nx = pkl.loads(b)\nload(p)\n';
    const texts = parsedTexts(() => {
      expect(filtered(cell, EMPTY_SCOPE).findings.map(f => f.ruleId)).toEqual([
        'pickle-load',
        'torch-load-unsafe'
      ]);
    });
    // Each run of consecutive selected statements once, nothing else.
    expect(texts).toEqual([
      'import pickle as pkl\n',
      'from torch import load\nx = pkl.loads(b)\nload(p)\n'
    ]);
    expect(compareNotebook([cell]).diff).toBeNull();
  });

  /**
   * An alias the filter can read without a parse (what the pass would bind for it) selects
   * its uses in the first round: the cell is parsed as one run, in one pass, where the pass
   * alone would find each use a round later.
   */
  it.each([
    ['a chain of aliases', 'import torch as t\nf = t.load\ng = f\ng(p)\n'],
    ['a walrus', 'import torch as t\nx = (ld := t.load)\nld(p)\n'],
    [
      'getattr',
      'import pickle as pkl\nloader = getattr(pkl, "load")\nloader(fh)\n'
    ],
    [
      'import_module',
      'import importlib\nmod = importlib.import_module("torch.serialization")\nmod.load(p)\n'
    ],
    ['__import__', 'm = __import__("pickle")\nm.loads(b)\n'],
    ['a star import', 'from pickle import *\nloads(b)\n'],
    [
      'a dict of keyword arguments',
      'from transformers import pipeline\nkw = {\n    "trust_remote_code": True,\n}\n' +
        'pipe = pipeline("text-generation", model=m, **kw)\n'
    ]
  ])('finds the uses of %s in the first round', (_, cell) => {
    const code = cell + NEUTRAL_LINES.slice(0, 20).join('\n');
    let a: CellAnalysis | undefined;
    const texts = parsedTexts(() => {
      a = filtered(code, EMPTY_SCOPE);
    });
    expect(a!.findings.length).toBeGreaterThan(0);
    expect(a!.findings).toEqual(exhaustive(code, EMPTY_SCOPE).findings);
    // One run, from the first statement that matters to the use (an import that binds
    // what the name already meant before the cell is not parsed).
    expect(texts).toHaveLength(1);
    expect(cell.endsWith(texts[0])).toBe(true);
  });

  it('costs a parse, never a finding, when an alias it read is bound otherwise', () => {
    const code = [
      'import torch as t',
      'f = t.load',
      'f = None',
      ...NEUTRAL_LINES.slice(0, 20),
      'f(p)',
      'h = t.relu',
      'h(x)'
    ].join('\n');
    let a: CellAnalysis | undefined;
    const texts = parsedTexts(() => {
      a = filtered(code, EMPTY_SCOPE);
    });
    expect(a!.findings).toEqual([]);
    expect(exhaustive(code, EMPTY_SCOPE).findings).toEqual([]);
    // f(p) is looked at (f may be torch.load); h(x) is not (torch.relu can match nothing).
    expect(texts.join('')).toContain('f(p)');
    expect(texts.join('')).not.toContain('h(x)');
  });

  it('parses a statement once however many rounds the cell takes', () => {
    // f, then g: each link of the alias chain is found in a round of its own.
    const code = [
      ...NEUTRAL_LINES.slice(0, 20),
      'f = torch.load',
      ...NEUTRAL_LINES.slice(20, 40),
      'g = f',
      ...NEUTRAL_LINES.slice(40, 60),
      'g(p)'
    ].join('\n');
    const texts = parsedTexts(() => {
      expect(filtered(code, EMPTY_SCOPE).findings.map(f => f.ruleId)).toEqual([
        'torch-load-unsafe'
      ]);
    });
    expect(texts).toEqual(['f = torch.load\n', 'g = f\n', 'g(p)']);
    expect(compareNotebook([code]).diff).toBeNull();
  });

  it('looks again only where a changed name is used after the change', () => {
    // `loader` and `torch` mean something new after the cell's own assignments, and the
    // neutral statements that use them come before: they are not parsed.
    const early = [
      'for xb in loader:\n    opt.step()',
      'y = torch.relu(x)',
      'def train(model, loader):\n    return [model(b) for b in loader]'
    ];
    const code = [
      ...early,
      'import pickle as pkl',
      'loader = getattr(pkl, "load")',
      'torch = None',
      'obj = loader(fh)'
    ].join('\n');
    let a: CellAnalysis | undefined;
    const texts = parsedTexts(() => {
      a = filtered(code, EMPTY_SCOPE);
    });
    expect(a!.findings.map(f => f.ruleId)).toEqual(['pickle-load']);
    expect(texts.join('')).toBe(code.slice(code.indexOf('import pickle')));
    expect(compareNotebook([code]).diff).toBeNull();
    // After the change the same statements are looked at again, and parsed.
    const late = [
      'import pickle as pkl',
      'loader = getattr(pkl, "load")',
      ...early,
      'obj = loader(fh)'
    ].join('\n');
    const lateTexts = parsedTexts(() => {
      expect(filtered(late, EMPTY_SCOPE).findings.map(f => f.ruleId)).toEqual([
        'pickle-load'
      ]);
    });
    expect(lateTexts.join('')).toContain('for xb in loader:');
    expect(compareNotebook([late]).diff).toBeNull();
  });

  it('reads no trigger word in a comment, however it is placed', () => {
    // Blank and comment lines after a statement belong to it: the comment is train's.
    const code = [
      'def train(m, batches):\n    for b in batches:\n        m.step(b)\n',
      '# The model card says: model = AutoModel.from_pretrained(...)',
      '# import later: trust_remote_code=True',
      ...NEUTRAL_LINES.slice(0, 10),
      'x = 1  # torch.load(p) was here'
    ].join('\n');
    const texts = parsedTexts(() => {
      expect(filtered(code, EMPTY_SCOPE).findings).toEqual([]);
    });
    expect(texts).toEqual([]);
    // The same words in code and in strings (f-string fields are code) still count.
    const live = 'msg = f"{AutoModel.from_pretrained(name)}"\n# ok\n';
    let found: CellAnalysis | undefined;
    const liveTexts = parsedTexts(() => {
      found = filtered(live, EMPTY_SCOPE);
    });
    expect(liveTexts).toEqual([live]);
    expect(found!.findings).toEqual(exhaustive(live, EMPTY_SCOPE).findings);
  });

  it('does not parse a function for its parameters named like a followed name', () => {
    const code = [
      'import torch',
      'loader = torch.load',
      'model = loader(p)',
      'def train(model, loader, epochs=3):\n    for b in loader:\n        model(b)\n',
      '@torch.no_grad()\ndef evaluate(model, *, loader):\n    return [model(b) for b in loader]\n',
      // a default value is the module's name (evaluated outside): parsed
      'def restore(path, loader=loader):\n    return loader(path)\n',
      // a name in a string is no parameter: `loader` in the body is the module's
      'def resume(path, sep=", loader"):\n    return loader(path)\n'
    ].join('\n');
    let a: CellAnalysis | undefined;
    const texts = parsedTexts(() => {
      a = filtered(code, EMPTY_SCOPE);
    });
    const parsed = texts.join('');
    expect(parsed).not.toContain('def train');
    expect(parsed).not.toContain('def evaluate');
    expect(parsed).toContain('def restore');
    expect(parsed).toContain('def resume');
    expect(a!.findings.map(f => [f.ruleId, f.line])).toEqual([
      ['torch-load-unsafe', 3],
      ['torch-load-unsafe', 16]
    ]);
    expect(a!.findings).toEqual(exhaustive(code, EMPTY_SCOPE).findings);
    expect(compareNotebook([code]).diff).toBeNull();
  });

  it('does not trust a re-import after an assignment changed the name in between', () => {
    // The filter sees the second `import torch` as no change (it assumed torch after the
    // first); the pass sees `torch = None` between them: the cell is looked at again.
    const cells = [
      'torch = None',
      'import torch\ntorch = None\nimport torch\nk = 1',
      'torch.load(p)'
    ];
    expect(compareNotebook(cells).diff).toBeNull();
    const perCell = analyzeNotebook(cells).map(fs => fs.map(f => f.ruleId));
    expect(perCell).toEqual([[], [], ['torch-load-unsafe']]);
  });

  it('sees a shadowing statement that names the module, and the import after it', () => {
    const cells = [
      'import pickle as p\n' + NEUTRAL_LINES.slice(0, 30).join('\n'),
      NEUTRAL_LINES.slice(30, 60).join('\n') + '\np = 3\np.loads(b)',
      'import pickle as p\n' +
        NEUTRAL_LINES.slice(60, 90).join('\n') +
        '\np.loads(b)'
    ];
    expect(compareNotebook(cells).diff).toBeNull();
    const perCell = analyzeNotebook(cells).map(fs => fs.map(f => f.ruleId));
    expect(perCell).toEqual([[], [], ['pickle-load']]);
  });

  /**
   * Lezer reads an empty line (or a comment at column 0) right after a backslash
   * continuation as a blank line it skips, and goes on with the statement
   * (`x = pickle.loads(b)` below; CPython calls this a syntax error). Lezer's tree has no
   * error node, so both modes must agree; the statement scan ends the statement at the
   * empty line instead, and the piece after it (`(b)`, `.loads(b)`) is skipped.
   */
  it.each([
    'x = pickle.loads \\\n\n(b)\n',
    'x = pickle\\\n\n.loads(b)\n',
    'x = torch.load\\\n\n(p)\n'
  ])('agrees on a continuation Lezer carries over a blank line: %j', code => {
    expect(hasError(parser.parse(code))).toBe(false);
    expect(filtered(code, EMPTY_SCOPE).findings).toEqual(
      exhaustive(code, EMPTY_SCOPE).findings
    );
  });
});
