/**
 * Red team 45c R45c-7 (MED, static MISS): IPython's `%conda` / `%mamba` / `%micromamba`
 * (and their automagic forms) do not hand their line to the shell as written:
 * `PackagingMagics._run_command` splits it with `shlex.split` and joins the words back with
 * spaces, unquoted (`" ".join([cmd, command] + extra_args + args)`), so a quoted or escaped
 * `&&`, `;` or `|` becomes a shell operator: `%conda install "numpy && pip install torcj"`
 * runs `conda install --yes --prefix P numpy && pip install torcj`. The kernel decides the
 * line IPython builds and refuses it (tests/deps/test_redteam45c_conda_magic.py);
 * warden-scan reads the magic's text as a shell line (src/analyzer/ipython.ts:72-79,
 * PACKAGE_LINE_MAGICS: "their text, magic name included, is a command"), where the quotes
 * keep `pip install torcj` inside one conda word, and calls the cell clean.
 *
 * Fix: for the conda-like magics, build the line as IPython does (shlex words of the
 * argument, the subcommand, IPython's `--yes`/`--prefix`, the rest joined unquoted) and read
 * that; `%pip` and `%uv` pass their line through whole and are right as they are.
 *
 * Fixed in fix51static: ipython.ts builds the conda-like magics' line as `_run_command` does.
 */
import { notebookRules } from '../testing/scan-fixture';

function cellRules(source: string): string[] {
  return notebookRules('rt45c-magic-', [source]);
}

describe('red team 45c R45c-7: the conda magics re-split their line', () => {
  it('control: the line IPython runs is flagged when written out', () => {
    expect(
      cellRules('!conda install --yes numpy && pip install torcj')
    ).toContain('install-imitation-name');
  });

  it.each([
    '%conda install "numpy && pip install torcj"',
    '%mamba install numpy\\ ;pip\\ install\\ torcj',
    "%conda 'install;pip' install torcj",
    'conda install "numpy && pip install torcj"'
  ])('%s is not clean', source => {
    expect(cellRules(source)).not.toEqual([]);
  });
});
