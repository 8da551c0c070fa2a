/**
 * Red team 45c R45c-9 (MED, static MISS): `%alias_magic NAME pip` (also `conda`, `uv`,
 * `system`, `sx`, `script`; `-p PARAMS` fixes the arguments) makes `%NAME ...` run that magic:
 * `%alias_magic p pip` then `%p install torcj`, or `%alias_magic -p "install torcj" p pip`
 * then `%p`. The kernel refuses the start IPython makes
 * (tests/deps/test_redteam45c_alias_magic.py, a real IPython shell); warden-scan's alias
 * table (src/analyzer/ipythonaliases.ts) follows `%alias` only, so `%p` is an unknown line
 * magic and the cell is clean.
 *
 * Fix: record `%alias_magic [-l|-c] [-p PARAMS] NAME TARGET` in the notebook's alias table
 * (cell order, as `%alias`), so `%NAME args` reads as `%TARGET PARAMS args`; an alias whose
 * target Warden cannot tell (set by code) is unreadable where it may run a shell or installer
 * magic.
 *
 * Fixed in fix51static: `IPythonAliases` records `%alias_magic` aliases and ipython.ts reads
 * a use as its target's own line (schema/vectors/notebook-installs.json pins both sides).
 */
import { notebookRules } from '../testing/scan-fixture';

function aliasRules(sources: string[]): string[] {
  return notebookRules('rt45c-alias-', sources);
}

describe('red team 45c R45c-9: %alias_magic', () => {
  it('control: an %alias to pip is followed', () => {
    expect(aliasRules(['%alias inst pip install %s', '%inst torcj'])).toContain(
      'install-imitation-name'
    );
  });

  it.each([
    [['%alias_magic p pip', '%p install torcj']],
    [['%alias_magic -p "install torcj" p pip', '%p']],
    [['%alias_magic s system', '%s pip install torcj']]
  ])('%j is not clean', cells => {
    expect(aliasRules(cells)).not.toEqual([]);
  });

  it.each([
    // argparse's forms: long options, a unique prefix, `=`, joined short flags
    [['%alias_magic --line --params=install p pip', '%p torcj']],
    [['%alias_magic --pa "install torcj" p %pip', '%p']],
    [['%alias_magic -lp install p pip', '%p torcj']],
    // an alias of an alias, a conda target (its line rebuilt as IPython builds it)
    [['%alias_magic p pip', '%alias_magic q p', '%q install torcj']],
    [['%alias_magic c conda', '%c install "numpy && pip install torcj"']],
    // a cell alias of %%script: the head's program is read
    [['%alias_magic s script', '%%s pip install torcj\n# body\n']],
    // an alias name shadows a magic of the same name
    [['%alias_magic time pip', '%time install torcj']]
  ])('reads %j as IPython runs it', cells => {
    expect(aliasRules(cells)).toContain('install-imitation-name');
  });

  it('an alias made where Warden cannot read it is unreadable, not clean', () => {
    expect(
      aliasRules(['%alias_magic --bogus p pip', '%p install torcj'])
    ).toEqual(['install-unreadable']);
    expect(
      aliasRules([
        "get_ipython().magics_manager.register_alias(n, 'pip')",
        '%p install torcj'
      ])
    ).toEqual(['install-unreadable']);
  });

  it('a line-only alias is no cell alias; a cell-only alias no line alias', () => {
    expect(
      aliasRules(['%alias_magic -c s script', '%s pip install torcj'])
    ).toEqual([]);
    expect(
      aliasRules(['%alias_magic -l s script', '%%s pip install torcj\nx\n'])
    ).toEqual([]);
  });
});
