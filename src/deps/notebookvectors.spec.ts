/**
 * The shared notebook-install vectors (schema/vectors/notebook-installs.json) through
 * warden-scan: the cells written as one notebook (its `files` beside it) and scanned as the
 * CLI scans it. tests/deps/test_notebook_install_vectors.py runs the same cells in a real
 * IPython shell with the kernel guard installed, so the static side and the kernel decide
 * IPython's own readings of a cell (the line `%conda` builds, a `%%script` head's start, an
 * `%alias_magic` alias) alike.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import vectors from '../../schema/vectors/notebook-installs.json';
import { runScan } from '../cli/scan';
import { RULES } from '../contracts';

interface NotebookVector {
  name: string;
  cells: string[];
  files?: Record<string, string>;
  expect: { refused: boolean; rules: string[] };
}

function scan(vector: NotebookVector): { ruleId: string }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-vectors-'));
  for (const [name, text] of Object.entries(vector.files ?? {})) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const cells = vector.cells.map(source => ({
    cell_type: 'code',
    metadata: {},
    source,
    outputs: [],
    execution_count: null
  }));
  const notebook = path.join(dir, 'cells.ipynb');
  fs.writeFileSync(
    notebook,
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells })
  );
  const out: string[] = [];
  const err: string[] = [];
  runScan(['--format', 'json', '--min-severity', 'info', notebook], {
    stdout: t => out.push(t),
    stderr: t => err.push(t)
  });
  expect(err.join('')).toBe('');
  return (JSON.parse(out.join('')).findings as { ruleId: string }[]).filter(f =>
    f.ruleId.startsWith('install-')
  );
}

describe('schema/vectors/notebook-installs.json', () => {
  const all = vectors.vectors as NotebookVector[];

  it('has unique names', () => {
    expect(new Set(all.map(v => v.name)).size).toBe(all.length);
  });

  it.each(all.map(v => [v.name, v] as const))('%s', (_name, vector) => {
    const found = scan(vector);
    const rules = new Set(found.map(f => f.ruleId));
    for (const rule of vector.expect.rules) {
      expect(rules).toContain(rule);
    }
    // under the built-in policy, a refusal is a finding whose rule blocks or asks
    const refused = found.some(f =>
      ['block', 'confirm'].includes(RULES.get(f.ruleId)?.action ?? '')
    );
    expect(refused).toBe(vector.expect.refused);
  });
});
