/**
 * Red team 46b R46b-7: `%%sx` and `%%!` run their body in a shell as `%%system` does
 * (IPython's OSMagics.sx is a line_cell_magic; `bang = cell_magic('!')(sx)`), also through an
 * `%alias_magic -c` alias. The kernel refuses `pip install torcj` there
 * (tests/deps/test_redteam46b_sx_cell.py); warden-scan reads these bodies as shell
 * (src/analyzer/ipython.ts SHELL_CELL_MAGICS).
 */
import * as path from 'node:path';
import {
  scanRuleIds,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

const CELLS: Record<string, string[]> = {
  sx: ['%%sx\npip install torcj\n'],
  'sx-out': ['%%sx --out o\npip install torcj\n'],
  bang: ['%%!\npip install torcj\n'],
  alias: ['%alias_magic -c q sx', '%%q\npip install torcj\n']
};

function rules(cells: string[]): string[] {
  const notebook = path.join(scratchDir('rt46b-nb-'), 'cells.ipynb');
  writeNotebook(notebook, cells);
  // every rule, unsorted; the scan's stderr is not this proof's concern
  return scanRuleIds([notebook]).ruleIds;
}

describe('R46b-7: %%sx and %%! bodies are shell scripts', () => {
  it('control: the %%system body is read', () => {
    expect(rules(['%%system\npip install torcj\n'])).toContain(
      'install-imitation-name'
    );
  });
  for (const [key, cells] of Object.entries(CELLS)) {
    it(key, () => {
      expect(rules(cells)).toContain('install-imitation-name');
    });
  }
});
