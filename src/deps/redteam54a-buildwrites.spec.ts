/**
 * Red team 54a R54a-1, R54a-2 and R54a-3, static twins: an install that builds a local project (its
 * setup.py runs and may write any file) and `conda config` (writes ~/.condarc) count as plain
 * installs in `mayWrite`/`plainInstall` (src/deps/commands.ts), so a later install on the line
 * is read with its files as they were before the line. The control: a plain writer (`echo >`)
 * makes the later install unreadable. Kernel proofs: tests/deps/test_redteam54a_*.py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

function rules(cell: string): string[] {
  const dir = scratchDir('rt54a-build-');
  fs.mkdirSync(path.join(dir, 'proj'));
  fs.writeFileSync(
    path.join(dir, 'proj', 'setup.py'),
    "open('../r.txt', 'w').write('torcj\\n')\nfrom setuptools import setup\nsetup(name='p')\n"
  );
  fs.writeFileSync(path.join(dir, 'r.txt'), 'numpy\n');
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, [cell]);
  return installRules([notebook], dir);
}

describe('red team 54a: writers that count as plain installs', () => {
  it('control: a plain writer before the install makes it unreadable', () => {
    expect(rules('!echo torcj > r.txt && uv pip install -r r.txt')).toContain(
      'install-unreadable'
    );
  });

  it('R54a-1: a build of a local project before the install is a writer', () => {
    expect(
      rules(
        '!pip install --no-build-isolation ./proj && uv pip install -r r.txt'
      )
    ).toContain('install-unreadable');
  });

  it('R54a-2: conda config before a conda install is a writer', () => {
    expect(
      rules(
        '!conda config --add channels http://127.0.0.1:9/ch && conda install -y numpy'
      )
    ).toContain('install-unreadable');
  });
});

function redirected(cell: string): string[] {
  const dir = scratchDir('rt54a-redirect-');
  fs.writeFileSync(path.join(dir, 'r.txt'), '--no-index\n--find-links w\n');
  fs.mkdirSync(path.join(dir, 'w'));
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, [cell]);
  return installRules([notebook], dir);
}

describe("red team 54a R54a-3: an install's own redirection empties a file it reads", () => {
  const line =
    '!uv pip install --index-url http://127.0.0.1:9/simple -r r.txt numpy';

  it('control: the plain index on the line is flagged', () => {
    expect(
      redirected('!uv pip install --index-url http://127.0.0.1:9/simple numpy')
    ).not.toEqual([]);
  });

  it('control: read with r.txt (--no-index), the line is clean', () => {
    expect(redirected(line)).toEqual([]);
  });

  it('R54a-3: 2>r.txt empties r.txt before uv reads it', () => {
    expect(redirected(`${line} 2>r.txt`)).not.toEqual([]);
  });
});
