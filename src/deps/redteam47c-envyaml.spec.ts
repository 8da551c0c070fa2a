/**
 * Red team 47c R47c-6 (HIGH for the static side: false clean). An environment.yml whose
 * line breaks are NEL (U+0085), LS (U+2028) or PS (U+2029): conda's loader (ruamel.yaml,
 * as PyYAML) breaks lines there and reads `dependencies: [pip, {pip: [torcj]}]`; js-yaml
 * (YAML 1.2, `readEnvironment` src/deps/manifests.ts:409-430) breaks only at CR/LF, reads a
 * single `name` scalar and no dependency, so both the manifest scan and a notebook's
 * `conda env create -f e.yml` are clean. The kernel (`str.splitlines`) refuses
 * (tests/deps/test_redteam47c_environment_yaml.py). Fix: refuse (install-unreadable) an
 * environment file holding U+0085/U+2028/U+2029, or read them as line breaks before js-yaml.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const LINES = 'name: x\ndependencies:\n  - pip\n  - pip:\n    - torcj\n';

function folder(text: string): string {
  const dir = scratchDir('rt47c-envyaml-');
  fs.writeFileSync(path.join(dir, 'environment.yml'), text);
  writeNotebook(path.join(dir, 'setup.ipynb'), [
    '!conda env create -f environment.yml'
  ]);
  return dir;
}

describe('red team 47c R47c-6: YAML line breaks js-yaml does not break at', () => {
  it('control: LF line breaks are read', () => {
    const dir = folder(LINES);
    expect(installRules([path.join(dir, 'setup.ipynb')])).toContain(
      'install-imitation-name'
    );
  });

  it.each([
    ['NEL', '\x85'],
    ['LS', '\u2028'],
    ['PS', '\u2029']
  ])('%s: the notebook install is not clean', (_, brk) => {
    const dir = folder(LINES.replace(/\n/g, brk));
    expect(installRules([path.join(dir, 'setup.ipynb')])).not.toEqual([]);
  });

  it.each([
    ['NEL', '\x85'],
    ['LS', '\u2028']
  ])('%s: the environment.yml manifest is not clean', (_, brk) => {
    const dir = folder(LINES.replace(/\n/g, brk));
    expect(installRules([path.join(dir, 'environment.yml')])).not.toEqual([]);
  });
});
