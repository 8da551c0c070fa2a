/**
 * Red team 47c R47c-3 / R47c-4 (HIGH for the static side: false clean). Each cell below
 * starts `pip install torcj` (an imitation of torch) in the kernel, which the kernel guard
 * refuses in a real IPython shell (tests/deps/test_redteam47c_python_starts.py); warden-scan
 * reports the notebook clean.
 *
 * R47c-3: `%run -m pip install torcj` (`%run -e -m pip`, `%run -m uv pip install`): the
 * IPython reader's `maskMagic` (src/analyzer/ipython.ts:548) knows no `%run`; read
 * `%run [opts] -m MOD ARGS` as the start `python -m MOD ARGS`.
 *
 * R47c-4: a literal start in Python code (`get_ipython().system('...')`, its `;` autocall
 * escape, `get_ipython().run_line_magic('pip', ...)`, `os.system('...')`,
 * `subprocess.run([...])`): the analyzer extracts the literal (callrules.ts:511
 * `shellCommand`) for static-layer shell rules only; src/deps/scan.ts:181 decides installs
 * from the IPython reader's shell texts alone.
 */
import { notebookRules } from '../testing/scan-fixture';

const rules = (cell: string) => notebookRules('rt47c-cellstarts-', [cell]);

describe('red team 47c: installs a cell starts outside the IPython reader', () => {
  it('control: !pip install torcj is flagged', () => {
    expect(rules('!pip install torcj')).toContain('install-imitation-name');
  });

  it.each([
    '%run -m pip install torcj',
    '%run -e -m pip install torcj',
    '%run -m uv pip install torcj'
  ])('R47c-3: %s is not clean', cell => {
    expect(rules(cell)).not.toEqual([]);
  });

  it.each([
    "get_ipython().system('pip install torcj')",
    ';get_ipython().system pip install torcj',
    "get_ipython().run_line_magic('pip', 'install torcj')",
    "import os\nos.system('pip install torcj')",
    "import subprocess\nsubprocess.run(['pip', 'install', 'torcj'])"
  ])('R47c-4: %s is not clean', cell => {
    expect(rules(cell)).not.toEqual([]);
  });
});
