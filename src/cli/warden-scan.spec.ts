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
    expect(JSON.parse(r.stdout).findings).toHaveLength(3);
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
    expect(nbResult.locations[0].physicalLocation.region).toEqual({
      startLine: 3,
      startColumn: 8,
      endLine: 3,
      endColumn: 22
    });
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
