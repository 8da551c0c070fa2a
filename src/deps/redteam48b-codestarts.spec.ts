/**
 * Red team 48b (HIGH for the static side: false clean). Each cell below starts
 * `pip install torcj` (an imitation of torch) in the kernel, which the kernel guard refuses
 * in a real IPython shell (tests/deps/test_redteam48b_code_starts.py); warden-scan reports
 * the notebook clean today.
 *
 * R48b-1: a Python string literal's escapes are decoded wrong (src/analyzer/syntax.ts:227
 * `decodeString`: `\xHH`, `\ooo`, `\uXXXX`, `\UXXXXXXXX` read as the letters after the
 * backslash), so `os.system('pip install \x74orcj')` is read as `pip install x74orcj`; an
 * f-string with no replacement field (`f'pip install torcj'`, a constant) is no start at all.
 * R48b-2: an argv list given with `shell=True` is a shell line (its first item) for
 * Python; callrules.ts:518 `shellCommand` quotes it as one program word.
 * R48b-3: `executable=` names the program that runs (the list's first item is only its
 * argv[0]); `shellCommand` reads the list's first item as the program.
 * R48b-4: `python -m pip.__pip-runner__ install X` (pip's own runner: it runs pip with the
 * words) is passed as an unread module (src/deps/commands.ts:2756 `refuseUnread`); the kernel
 * refuses a module of an installer's package it does not read (`_installer_module`).
 * R48b-5: `os.spawnlp`/`os.posix_spawnp`/`os.execvp` with literal words start a process as
 * `subprocess` does; the call rules read none of them (callrules.ts:706).
 */
import { notebookRules } from '../testing/scan-fixture';

const rules = (cell: string) => notebookRules('rt48b-codestarts-', [cell]);

describe('red team 48b: literal starts in Python code read wrong', () => {
  it.each([
    "import os\nos.system('pip install torcj')",
    "import subprocess\nsubprocess.run(['pip', 'install', 'torcj'])"
  ])('control: %s is flagged', cell => {
    expect(rules(cell)).toContain('install-imitation-name');
  });

  it.each([
    "import os\nos.system('pip install \\x74orcj')",
    "import subprocess\nsubprocess.run(['pip', 'install', 'torc\\152'])",
    "get_ipython().system('pip install \\u0074orcj')",
    "import os\nos.system(f'pip install torcj')"
  ])('R48b-1: escapes: %s is not clean', cell => {
    expect(rules(cell)).not.toEqual([]);
  });

  it('R48b-2: an argv list with shell=True is not clean', () => {
    expect(
      rules(
        "import subprocess\nsubprocess.run(['pip install torcj'], shell=True)"
      )
    ).not.toEqual([]);
  });

  it('R48b-3: executable= is the program that runs', () => {
    expect(
      rules(
        "import subprocess\nsubprocess.run(['x', 'install', 'torcj'], executable='pip')"
      )
    ).not.toEqual([]);
  });

  it.each([
    '!python -m pip.__pip-runner__ install torcj',
    '%run -m pip.__pip-runner__ install torcj',
    "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'pip.__pip-runner__', 'install', 'torcj'])"
  ])('R48b-4: pip runner module: %s is not clean', cell => {
    expect(rules(cell)).not.toEqual([]);
  });

  it.each([
    "import os\nos.spawnlp(os.P_WAIT, 'pip', 'pip', 'install', 'torcj')",
    "import os\nos.posix_spawnp('pip', ['pip', 'install', 'torcj'], {})"
  ])('R48b-5: os spawn: %s is not clean', cell => {
    expect(rules(cell)).not.toEqual([]);
  });
});
