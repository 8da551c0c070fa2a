/**
 * Red team 45c R45c-6 (MED, static MISS): warden-scan's reading of a pyproject.toml manifest
 * passes over uv settings the kernel decides (and that the static side itself decides when a
 * notebook cell runs `!uv pip install -r pyproject.toml`): an index in `[tool.uv.pip]`
 * (`index-url`, `extra-index-url`, `find-links`, which uv applies to every `uv pip`
 * command run in the project), `[tool.uv] allow-insecure-host`, `extra-build-dependencies`
 * and `dependency-metadata` requirements. The kernel refuses `uv pip install -r
 * pyproject.toml` for each (tests/deps/test_redteam45c_pyproject_uv.py); the manifest scan
 * calls the file clean.
 *
 * Root cause: `readPyproject` (src/deps/manifests.ts:169-210) reads `[tool.uv]` by hand
 * (four requirement lists, index-url, extra-index-url, find-links, index, sources) instead
 * of with `uvSettings` (src/deps/projectfiles.ts:428), which the cell scan uses and which
 * reads `[pip]`, insecure hosts, build requirements, dependency metadata and refuses keys it
 * does not know. Fix: one reader of a uv settings table for both paths.
 *
 * Fixed in fix51static: src/deps/uvsettings.ts is that one reader, called by readPyproject.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const ruleIds = (dir: string, args: string[]): string[] =>
  installRules(args, dir);

const PROJECT =
  "[project]\nname = 'demo'\nversion = '1.0'\ndependencies = ['requests']\n";

function folder(text: string): string {
  const dir = scratchDir('rt45c-pyp-');
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), PROJECT + text);
  writeNotebook(path.join(dir, 'setup.ipynb'), [
    '!uv pip install -r pyproject.toml'
  ]);
  return dir;
}

const UV_PIP_INDEX =
  "[tool.uv.pip]\nindex-url = 'https://evil.example/simple'\n";
const CASES = [
  UV_PIP_INDEX,
  "[tool.uv.pip]\nextra-index-url = ['https://evil.example/simple']\n",
  "[tool.uv.pip]\nfind-links = ['https://evil.example/wheels/']\n",
  "[tool.uv]\nallow-insecure-host = ['evil.example']\n",
  "[tool.uv.extra-build-dependencies]\nrequests = ['torcj']\n",
  "[[tool.uv.dependency-metadata]]\nname = 'requests'\nversion = '2.32.3'\nrequires-dist = ['torcj']\n"
];

describe('red team 45c R45c-6: pyproject.toml uv settings in the manifest scan', () => {
  it('control: [tool.uv] index-url is flagged; the cell scan flags [tool.uv.pip]', () => {
    const dir = folder(
      "[tool.uv]\nindex-url = 'https://evil.example/simple'\n"
    );
    expect(ruleIds(dir, ['pyproject.toml'])).toContain(
      'install-index-not-allowed'
    );
    expect(ruleIds(folder(UV_PIP_INDEX), ['setup.ipynb'])).toContain(
      'install-index-not-allowed'
    );
  });

  it.each(CASES)('the manifest scan flags %s', text => {
    expect(ruleIds(folder(text), ['pyproject.toml'])).not.toEqual([]);
  });

  it('a key the uv reader does not know is refused once', () => {
    const dir = folder('[tool.uv]\nbogus-key = 1\n');
    expect(ruleIds(dir, ['pyproject.toml'])).toEqual(['install-unreadable']);
    // `uv sync` reads the same table as the project and as the folder's uv config
    const cell = path.join(dir, 'setup.ipynb');
    const nb = JSON.parse(fs.readFileSync(cell, 'utf8'));
    nb.cells[0].source = '!uv sync';
    fs.writeFileSync(cell, JSON.stringify(nb));
    expect(ruleIds(dir, ['setup.ipynb'])).toEqual(['install-unreadable']);
  });
});
