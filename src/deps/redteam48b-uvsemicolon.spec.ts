/**
 * Red team 48b R48b-7 (HIGH), static twin: uv takes `./x;y` as the folder `x;y` (a marker
 * starts only at a `;` after white space); warden-scan reads the folder `./x` (the path cut
 * at the first `;`), so a project in `x;y` whose build needs torcj is reported clean. The
 * kernel proof: tests/deps/test_redteam48b_uv_semicolon_path.py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const EVIL =
  '[build-system]\nrequires = ["torcj"]\nbuild-backend = "x"\n' +
  '[project]\nname = "semi"\nversion = "0.1"\n';
const CLEAN =
  '[build-system]\nrequires = []\n[project]\nname = "clean"\nversion = "0.1"\n';

function rules(cell: string): string[] {
  const dir = scratchDir('rt48b-uvsemi-');
  for (const [folder, text] of [
    ['x;y', EVIL],
    ['x', CLEAN],
    ['plain', EVIL]
  ]) {
    fs.mkdirSync(path.join(dir, folder));
    fs.writeFileSync(path.join(dir, folder, 'pyproject.toml'), text);
  }
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, [cell]);
  return installRules([notebook], dir);
}

describe('red team 48b: a ; in a uv path requirement', () => {
  it('control: the project by a plain path is flagged', () => {
    expect(rules('!uv pip install ./plain')).toContain(
      'install-imitation-name'
    );
  });

  it('R48b-7: ./x;y is the folder uv builds', () => {
    expect(rules("!uv pip install './x;y'")).toContain(
      'install-imitation-name'
    );
  });
});
