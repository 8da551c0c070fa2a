import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { runScan } from './scan';
import { CELL_ADDRESSING } from './sarif';

function scan(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = runScan(args, {
      stdout: t => out.push(t),
      stderr: t => err.push(t)
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(before);
  }
}

function notebook(
  cells: Array<[string, string | string[]]>,
  language = 'python'
): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'k', language },
      language_info: { name: language }
    },
    cells: cells.map(([type, source]) => ({
      cell_type: type,
      metadata: {},
      source
    }))
  });
}

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-scan-'));
  fs.mkdirSync(path.join(dir, 'pkg'));
  fs.writeFileSync(
    path.join(dir, 'pkg', 'train.py'),
    'import torch\n\nstate = torch.load(p)\n'
  );
  fs.writeFileSync(
    path.join(dir, 'pkg', 'clean.py'),
    'import json\njson.loads(s)\n'
  );
  fs.writeFileSync(
    path.join(dir, 'nb.ipynb'),
    notebook([
      ['markdown', '# pickle.loads is bad'],
      [
        'code',
        ['import pickle as pk\n', '!pip install --trusted-host h pkg\n']
      ],
      ['code', 'x = 1\n\ndata = pk.loads(blob)']
    ])
  );
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('warden-scan', () => {
  it('prints JSON exactly in the documented shape, cells 0-based among code cells', () => {
    const r = scan(['--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout);
    expect(
      findings.map((f: Record<string, unknown>) => Object.keys(f))
    ).toEqual(
      findings.map(() => [
        'ruleId',
        'severity',
        'path',
        'cell',
        'line',
        'column',
        'endLine',
        'endColumn',
        'message'
      ])
    );
    expect(
      findings.map((f: Record<string, unknown>) => [
        f.ruleId,
        f.path,
        f.cell,
        f.line,
        f.column
      ])
    ).toEqual([
      ['pip-trusted-host', 'nb.ipynb', 0, 2, 14],
      // the install decision refuses it too (red7 R7-14: TLS checks off for host h)
      ['install-index-not-allowed', 'nb.ipynb', 0, 2, 2],
      ['pickle-load', 'nb.ipynb', 1, 3, 8],
      ['torch-load-unsafe', path.join('pkg', 'train.py'), null, 3, 9]
    ]);
    expect(r.stderr).toBe('');
  });

  it('exits 0 when nothing reaches --min-severity and 1 when something does', () => {
    expect(scan(['--min-severity', 'critical', '.'], dir).code).toBe(0);
    expect(scan(['--min-severity', 'high', '.'], dir).code).toBe(1);
    expect(scan([path.join('pkg', 'clean.py')], dir).code).toBe(0);
    const text = scan(
      ['--min-severity', 'high', 'pkg/train.py', 'nb.ipynb'],
      dir
    );
    expect(text.stdout).toContain('nb.ipynb [cell 1]:3:8: high pickle-load');
    expect(text.stdout).not.toContain('torch-load-unsafe');
  });

  it('exits 2 on usage errors', () => {
    for (const args of [
      [],
      ['--format', 'xml', '.'],
      ['--min-severity', 'urgent', '.'],
      ['--bogus', '.']
    ]) {
      const r = scan(args, dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('usage: warden-scan');
    }
  });

  it('names a malformed notebook or missing file, scans the rest and exits 2', () => {
    fs.writeFileSync(path.join(dir, 'broken.ipynb'), '{"cells": [');
    fs.writeFileSync(path.join(dir, 'nocells.ipynb'), '{"nbformat": 3}');
    const r = scan(['--format', 'json', '.', 'missing.py'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'broken.ipynb: not a valid notebook: invalid JSON'
    );
    expect(r.stderr).toContain(
      'nocells.ipynb: not a valid notebook: no "cells" list'
    );
    expect(r.stderr).toContain('missing.py: no such file or directory');
    expect(JSON.parse(r.stdout).findings).toHaveLength(4);
  });

  it('skips notebooks of other kernel languages', () => {
    fs.writeFileSync(
      path.join(dir, 'r.ipynb'),
      notebook([['code', 'readRDS("x")\npickle.loads(b)']], 'R')
    );
    const { findings } = JSON.parse(
      scan(['--format', 'json', 'r.ipynb'], dir).stdout
    );
    expect(findings).toEqual([]);
  });

  it('reports an IPython alias use on its line, the alias defined in an earlier cell (R13-17)', () => {
    fs.writeFileSync(
      path.join(dir, 'alias.ipynb'),
      notebook([
        ['code', '%alias inst pip install %s\n'],
        ['markdown', 'install'],
        ['code', 'import os\n%inst torcj\n'],
        ['code', '%inst numpy\n'],
        ['code', '!pip install torcj']
      ])
    );
    const { findings } = JSON.parse(
      scan(['--format', 'json', 'alias.ipynb'], dir).stdout
    );
    const installs = findings
      .filter((f: { ruleId: string }) => f.ruleId.startsWith('install-'))
      .map((f: { cell: number; line: number; ruleId: string }) => [
        f.cell,
        f.line,
        f.ruleId
      ]);
    expect(installs).toEqual([
      [1, 2, 'install-imitation-name'],
      [3, 1, 'install-imitation-name']
    ]);
  });

  it('takes trusted indexes from a policy file', () => {
    fs.writeFileSync(
      path.join(dir, 'a.ipynb'),
      notebook([['code', '%pip install -i https://pypi.corp.example/simple x']])
    );
    expect(scan(['a.ipynb'], dir).code).toBe(1);
    fs.writeFileSync(
      path.join(dir, 'policy.json'),
      JSON.stringify({
        schema_version: 1,
        revision: 1,
        trusted_sources: {
          package_indexes: ['https://pypi.corp.example/simple']
        }
      })
    );
    expect(scan(['--policy', 'policy.json', 'a.ipynb'], dir).code).toBe(0);
    expect(scan(['--policy', 'nope.json', 'a.ipynb'], dir).code).toBe(2);
  });

  it('writes SARIF 2.1.0 that validates against the schema and states the cell convention', () => {
    const r = scan(['--format', 'sarif', '.'], dir);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, 'testdata', 'sarif-schema-2.1.0.json'),
        'utf8'
      )
    );
    // The schema's language pattern is not valid with the /u flag; SARIF's own validators run without it.
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      unicodeRegExp: false
    });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const run = log.runs[0];
    expect(run.properties.notebookCellAddressing).toBe(CELL_ADDRESSING);
    const nbResult = run.results.find(
      (x: { ruleId: string }) => x.ruleId === 'pickle-load'
    );
    expect(nbResult.properties.cell).toBe(1);
    expect(nbResult.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'nb.ipynb'
    );
    // The region is in the raw JSON (one line here); the cell's own position is kept.
    expect(nbResult.properties.cellRegion).toEqual({
      startLine: 3,
      startColumn: 8,
      endLine: 3,
      endColumn: 22
    });
    const region = nbResult.locations[0].physicalLocation.region;
    const raw = fs.readFileSync(path.join(dir, 'nb.ipynb'), 'utf8');
    expect(region.startLine).toBe(1);
    expect(raw.slice(region.startColumn - 1, region.endColumn - 1)).toBe(
      'pk.loads(blob)'
    );
    expect(nbResult.locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'nb.ipynb#cell=1'
    );
    expect(run.tool.driver.rules[nbResult.ruleIndex].id).toBe('pickle-load');
    const pyResult = run.results.find(
      (x: { ruleId: string }) => x.ruleId === 'torch-load-unsafe'
    );
    expect(
      pyResult.fixes[0].artifactChanges[0].replacements[0].insertedContent.text
    ).toBe(', weights_only=True');
    // An invalid document is rejected: the validation is real.
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });
});

describe('warden-scan on a tutorial notebook (issue 17)', () => {
  const TESTDATA = path.join(__dirname, 'testdata');

  it('puts every SARIF region of a notebook on the raw .ipynb text of the flagged call', () => {
    const r = scan(
      ['--format', 'sarif', '--min-severity', 'info', 'imdb-finetune.ipynb'],
      TESTDATA
    );
    const log = JSON.parse(r.stdout);
    const raw = fs.readFileSync(
      path.join(TESTDATA, 'imdb-finetune.ipynb'),
      'utf8'
    );
    const nb = JSON.parse(raw);
    const codeCells: string[] = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === 'code')
      .map((c: { source: string | string[] }) =>
        Array.isArray(c.source) ? c.source.join('') : c.source
      );
    const lines = raw.split('\n');
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThanOrEqual(7);
    for (const res of results) {
      const region = res.locations[0].physicalLocation.region;
      // The raw text under the region (UTF-16 columns), decoded as JSON string content...
      let under = '';
      for (let l = region.startLine; l <= region.endLine; l++) {
        const line = lines[l - 1];
        const from = l === region.startLine ? region.startColumn - 1 : 0;
        const to = l === region.endLine ? region.endColumn - 1 : line.length;
        under += line.slice(from, to) + (l < region.endLine ? '\n' : '');
      }
      // ...(source lists span JSON lines: drop the `",\n   "` between their strings)
      const decoded = JSON.parse(
        `"${under.replace(/",\s*\n\s*"/g, '')}"`
      ) as string;
      // is exactly the flagged code of the cell, found through the cell region.
      const cell = codeCells[res.properties.cell];
      const cr = res.properties.cellRegion;
      const cellLines = cell.split('\n');
      let flagged = '';
      for (let l = cr.startLine; l <= cr.endLine; l++) {
        const line = cellLines[l - 1];
        const from = l === cr.startLine ? cr.startColumn - 1 : 0;
        const to = l === cr.endLine ? cr.endColumn - 1 : line.length;
        flagged += line.slice(from, to) + (l < cr.endLine ? '\n' : '');
      }
      expect(decoded).toBe(flagged);
      expect(flagged.length).toBeGreaterThan(3);
      expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toBe(
        `imdb-finetune.ipynb#cell=${res.properties.cell}`
      );
    }
    // The ignore comment of the last cell is SARIF's in-source suppression, not a failure.
    const suppressed = results.filter(
      (x: { suppressions?: unknown[] }) => x.suppressions
    );
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions[0]).toMatchObject({
      kind: 'inSource',
      justification: 'constant bytes we wrote above'
    });
    const schema = JSON.parse(
      fs.readFileSync(path.join(TESTDATA, 'sarif-schema-2.1.0.json'), 'utf8')
    );
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      unicodeRegExp: false
    });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  it('reports text columns in code points and honours the ignore comment', () => {
    const r = scan(['--min-severity', 'info', 'imdb-finetune.ipynb'], TESTDATA);
    // `sd = torch.load("ckpt/épreuve.pt", ..., weights_only=False)`: é is one code point.
    expect(r.stdout).toMatch(
      /\[cell 2\]:4:58: critical torch-load-weights-only-false/
    );
    expect(r.stdout).not.toMatch(/\[cell 4\]/);
    expect(r.stdout).toMatch(/1 ignored by a warden: ignore comment/);
    expect(r.code).toBe(1);
  });

  it('does not honour an ignore on a block unless the policy allows it', () => {
    fs.writeFileSync(
      path.join(dir, 'a.py'),
      'import pickle\nx = pickle.loads(b)  # warden: ignore[pickle-load] our fixture\n'
    );
    const block = {
      schema_version: 1,
      revision: 1,
      rules: { 'pickle-load': { action: 'block' } }
    };
    fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify(block));
    expect(scan(['a.py'], dir).code).toBe(0);
    expect(scan(['--policy', 'p.json', 'a.py'], dir).code).toBe(1);
    fs.writeFileSync(
      path.join(dir, 'p.json'),
      JSON.stringify({ ...block, ignore: { allowed_actions: ['block'] } })
    );
    expect(scan(['--policy', 'p.json', 'a.py'], dir).code).toBe(0);
  });

  it('refuses a binary source with a clear error and a non-zero exit', () => {
    fs.writeFileSync(
      path.join(dir, 'bad.py'),
      Buffer.from([0x70, 0, 0xff, 0x01])
    );
    const r = scan(['bad.py'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.py: not text/);
  });

  it('walks folders with include/exclude globs, keeps symlinks inside the root, sums per folder', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-outside-'));
    fs.writeFileSync(
      path.join(outside, 'evil.py'),
      'import pickle\npickle.loads(b)\n'
    );
    fs.symlinkSync(outside, path.join(dir, 'pkg', 'linked'));
    fs.symlinkSync(
      path.join(dir, 'pkg', 'train.py'),
      path.join(dir, 'alias.py')
    );
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.writeFileSync(
      path.join(dir, 'tests', 't.py'),
      'import pickle\npickle.loads(b)\n'
    );
    const all = scan(['--format', 'json', '.'], dir);
    const paths = JSON.parse(all.stdout).findings.map(
      (f: { path: string }) => f.path
    );
    expect(paths.some((p: string) => p.includes('evil'))).toBe(false);
    expect(paths).toContain('alias.py');
    expect(paths).toContain(path.join('tests', 't.py'));
    const some = scan(
      ['--format', 'json', '--exclude', 'tests/**', '--include', '*.py', '.'],
      dir
    );
    const kept = JSON.parse(some.stdout).findings.map(
      (f: { path: string }) => f.path
    );
    expect(kept.some((p: string) => p.startsWith('tests'))).toBe(false);
    expect(kept.some((p: string) => p.endsWith('.ipynb'))).toBe(false);
    const text = scan(['.'], dir);
    expect(text.stdout).toMatch(
      /per folder:\n(?:.*\n)*\s+tests: 1 finding in 1 file/
    );
    expect(text.code).toBe(1);
  });

  it('reports an unpinned repository once per file, with its other loads', () => {
    fs.writeFileSync(
      path.join(dir, 'hub.py'),
      [
        'from transformers import AutoModel, AutoTokenizer',
        'tok = AutoTokenizer.from_pretrained("bert-base-uncased")',
        'model = AutoModel.from_pretrained("bert-base-uncased")',
        'other = AutoModel.from_pretrained("roberta-base")',
        ''
      ].join('\n')
    );
    const r = scan(
      ['--format', 'json', '--min-severity', 'info', 'hub.py'],
      dir
    );
    const found = JSON.parse(r.stdout).findings;
    expect(found).toHaveLength(2);
    expect(found[0].sameRepository).toEqual([[null, 3, 9]]);
    const sarif = JSON.parse(
      scan(['--format', 'sarif', '--min-severity', 'info', 'hub.py'], dir)
        .stdout
    );
    expect(sarif.runs[0].results).toHaveLength(2);
    expect(
      sarif.runs[0].results[0].relatedLocations[0].physicalLocation.region
    ).toEqual({ startLine: 3, startColumn: 9 });
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, 'testdata', 'sarif-schema-2.1.0.json'),
        'utf8'
      )
    );
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
  });
});
