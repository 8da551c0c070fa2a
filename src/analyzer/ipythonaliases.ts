/**
 * IPython's shell aliases (IPython/core/alias.py, red team 13 R13-17), followed through a
 * notebook in cell order. `%alias NAME CMD` registers NAME as a line magic that runs CMD
 * through the shell (`shell.system`, the same path as `!`); `%NAME ARGS`, `x = %NAME ARGS`
 * and automagic `NAME ARGS` then run CMD with IPython's substitution. The reader turns each
 * use into the shell line IPython runs, so the install rules decide it as they decide `!`.
 *
 *
 * `%alias_magic [-l] [-c] [-p PARAMS] NAME TARGET` (red team 45c R45c-9) makes `%NAME ARGS`
 * (and `%%NAME`) run the magic TARGET with `PARAMS ARGS`: `%alias_magic p pip` then
 * `%p install x` runs `%pip install x`. The table records those in cell order too, and the
 * IPython reader (ipython.ts) reads a use as the target's own line.
 *
 * Where the notebook does not say what an alias runs, the reader fails closed:
 * - `%rehashx` makes every program on PATH an alias of itself (`pip3`, `uv`, `poetry`...):
 *   afterwards `%NAME ARGS` / `NAME ARGS` of any name that is not a magic is the shell line
 *   `NAME ARGS`.
 * - an alias defined by Python code Warden does not read (`alias_manager.define_alias(n, c)`
 *   with computed arguments, `user_aliases`, `%store -r`): afterwards a use of any name that
 *   is not a magic or an alias Warden knows is unreadable.
 */

/** What a line magic (or automagic) use runs: a shell line, an unreadable use (`why`), or
 * nothing (IPython raises before the shell starts: too few arguments, a bad `%` format). */
export type AliasUse =
  | { kind: 'shell'; text: string }
  | { kind: 'unreadable'; why: string }
  | { kind: 'nothing' };

/** IPython 9's and ipykernel's own line magics: `define_alias` refuses these names ("another
 * magic command"), so the magic keeps running, not an alias of that name. */
const LINE_MAGICS: ReadonlySet<string> = new Set(
  (
    'alias alias_magic autoawait autocall automagic autosave bookmark cd clear code_wrap ' +
    'colors conda config connect_info debug dhist dirs doctest_mode ed edit env gui hist ' +
    'history killbgscripts less load load_ext loadpy logoff logon logstart logstate logstop ' +
    'lsmagic macro magic mamba man matplotlib micromamba more notebook page pastebin pdb ' +
    'pdef pdoc pfile pinfo pinfo2 pip popd pprint precision prun psearch psource pushd pwd ' +
    'pycat pylab qtconsole quickref recall rehashx reload_ext rep rerun reset ' +
    'reset_selective run save sc set_env subshell sx system tb time timeit unalias ' +
    'unload_ext uv who who_ls whos xdel xmode store'
  ).split(' ')
);
/** `Alias.blacklist`: names that can never be aliases. */
const NEVER_ALIASED = new Set([
  'cd',
  'popd',
  'pushd',
  'dhist',
  'alias',
  'unalias'
]);
/** IPython's default aliases on Linux (`default_aliases()`): `%ls; pip install x` runs pip. */
const DEFAULT_ALIASES: ReadonlyArray<[string, string]> = [
  ['mkdir', 'mkdir'],
  ['rmdir', 'rmdir'],
  ['mv', 'mv'],
  ['rm', 'rm'],
  ['cp', 'cp'],
  ['cat', 'cat'],
  ['ls', 'ls -F --color'],
  ['ll', 'ls -F -o --color'],
  ['lf', 'ls -F -o --color %l | grep ^-'],
  ['lk', 'ls -F -o --color %l | grep ^l'],
  ['ldir', 'ls -F -o --color %l | grep /$'],
  ['lx', 'ls -F -o --color %l | grep ^-..x']
];
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else ' +
    'except finally for from global if import in is lambda nonlocal not or pass raise ' +
    'return try while with yield print exec'
  ).split(' ')
);
/** Python that defines aliases: a literal `define_alias('n', 'c')` or
 * `run_line_magic('alias', 'n c')` is read; a literal call of any other magic defines none;
 * anything else that reaches the alias table is taken as defining aliases Warden cannot read. */
const LITERAL_DEFINE =
  /\b(?:soft_)?define_alias\s*\(\s*(['"])([^'"\\\n]*)\1\s*,\s*(['"])([^'"\\\n]*)\3\s*\)/g;
const TABLE_MAGICS = ['alias', 'alias_magic', 'unalias', 'rehashx', 'store'];
const LITERAL_MAGIC =
  /\b(?:run_line_magic|magic)\s*\(\s*(['"])(alias|alias_magic|unalias|rehashx|store)\1\s*(?:,\s*(['"])([^'"\\\n]*)\3\s*)?\)/g;
const OTHER_MAGIC = /\b(?:run_line_magic|magic)\s*\(\s*(['"])(\w+)\1/g;
const ALIAS_CODE =
  /\b(?:define_alias|soft_define_alias|user_aliases|default_aliases|register_function|register_magic_function|register_alias|rehashx|run_line_magic)\b|\.magic\s*\(/;

/** The number of `%s` IPython counts (`str.count`, non-overlapping). */
function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Python's `str.split(None, maxsplit)`. */
function pySplit(text: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let rest = text.replace(/^\s+/, '');
  while (rest !== '' && parts.length < maxsplit) {
    const gap = /\s+/.exec(rest);
    if (!gap) {
      break;
    }
    parts.push(rest.slice(0, gap.index));
    rest = rest.slice(gap.index + gap[0].length);
  }
  if (rest !== '') {
    parts.push(rest);
  }
  return parts;
}

/** `fmt % tuple(args)` for the `%s`/`%%` an alias may hold; null where Python raises (any
 * other conversion takes an argument `nargs` did not count, or is malformed). */
function pyFormat(fmt: string, args: string[]): string | null {
  let out = '';
  let next = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') {
      out += fmt[i];
    } else if (fmt[i + 1] === '%') {
      out += '%';
      i++;
    } else if (fmt[i + 1] === 's' && next < args.length) {
      out += args[next++];
      i++;
    } else {
      return null;
    }
  }
  return next === args.length ? out : null;
}

/** An `%alias_magic` alias: the magic it runs and the parameters put before the use's own. */
export interface MagicAlias {
  target: string;
  params: string;
}

/** IPython's `arg_split(line)` as `parse_argstring` calls it (shlex, not POSIX: a word that
 * starts with a quote ends at its closing quote, quotes kept; no escapes); null where shlex
 * raises (no closing quotation). */
function nonPosixWords(line: string): string[] | null {
  const words: string[] = [];
  const word = /\s*(?:(["'])|(\S+))/y;
  for (let m = word.exec(line); m && m[0].trim() !== ''; m = word.exec(line)) {
    if (m[2] !== undefined) {
      words.push(m[2]);
      continue;
    }
    const close = line.indexOf(m[1], word.lastIndex);
    if (close < 0) {
      return null;
    }
    words.push(line.slice(word.lastIndex - 1, close + 1));
    word.lastIndex = close + 1;
  }
  return words;
}

/** `%alias_magic`'s arguments as its argparse parser reads them (`-l/--line`, `-c/--cell`,
 * `-p/--params PARAMS`, unique prefixes of the long options, short flags joined, NAME and
 * TARGET); null where argparse would refuse the line (or Warden reads it no further). */
function aliasMagicArgs(line: string): {
  name: string;
  target: string;
  params: string;
  line: boolean;
  cell: boolean;
} | null {
  const words = nonPosixWords(line);
  if (words === null) {
    return null;
  }
  const out = { name: '', target: '', params: '', line: false, cell: false };
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      positional.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--')) {
      const [option, value] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined]; // prettier-ignore
      const known = ['--line', '--cell', '--params'].filter(o =>
        o.startsWith(option)
      );
      if (known.length !== 1 || option.length < 3) {
        return null;
      }
      if (known[0] === '--params') {
        const given = value ?? words[++i];
        if (given === undefined) {
          return null;
        }
        out.params = given;
      } else if (value !== undefined) {
        return null;
      } else {
        out[known[0] === '--line' ? 'line' : 'cell'] = true;
      }
    } else if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        if (w[k] === 'l' || w[k] === 'c') {
          out[w[k] === 'l' ? 'line' : 'cell'] = true;
        } else if (w[k] === 'p') {
          const given = k + 1 < w.length ? w.slice(k + 1) : words[++i];
          if (given === undefined) {
            return null;
          }
          out.params = given;
          break;
        } else {
          return null;
        }
      }
    } else {
      positional.push(w);
    }
  }
  if (positional.length !== 2) {
    return null;
  }
  // the magic's own: escapes stripped from both names, one pair of quotes from PARAMS
  [out.name, out.target] = positional.map(p => p.replace(/^[%!]+/, ''));
  const p = out.params;
  if (/^(".*"|'.*')$/s.test(p) || p === '"' || p === "'") {
    out.params = p.slice(1, -1);
  }
  return out;
}

export class IPythonAliases {
  private readonly table = new Map<string, string>(DEFAULT_ALIASES);
  /** `%alias_magic` aliases, by kind and name. */
  private readonly magicAliases = {
    line: new Map<string, MagicAlias>(),
    cell: new Map<string, MagicAlias>()
  };
  /** `%rehashx` ran: every program on PATH is an alias of itself. */
  private everyProgram = false;
  /** Why unknown names may be aliases of unknown commands ('' while Warden knows them all). */
  private unknownWhy = '';

  /** `define_alias(name, cmd)`: ignored where IPython refuses it (a magic's name, `%s`
   * with `%l`). */
  define(name: string, cmd: string): void {
    if (
      LINE_MAGICS.has(name) ||
      NEVER_ALIASED.has(name) ||
      this.magicAliases.line.has(name)
    ) {
      return;
    }
    if (count(cmd, '%s') - count(cmd, '%%s') > 0 && cmd.includes('%l')) {
      return;
    }
    this.table.set(name, cmd);
  }

  /**
   * A line magic the table reads (`%alias`, `%unalias`, `%rehashx`, `%store`); `args` as
   * IPython passes them (after the name and one space). Returns false for any other magic.
   */
  magic(name: string, args: string): boolean {
    const par = args.trim();
    if (name === 'alias') {
      const [alias, cmd] = pySplit(par, 1);
      if (cmd !== undefined) {
        this.define(alias, cmd);
      }
    } else if (name === 'alias_magic') {
      this.aliasMagic(args);
    } else if (name === 'unalias') {
      this.table.delete(par);
    } else if (name === 'rehashx') {
      this.everyProgram = true;
    } else if (name === 'store') {
      if (/(?:^|\s)-r/.test(par)) {
        this.unknownWhy = '%store -r restored aliases Warden cannot read';
      }
      return true;
    } else {
      return false;
    }
    return true;
  }

  /** `%alias_magic ARGS`: without `-l`/`-c` IPython makes both kinds where the target has
   * them; both are recorded (a cell alias of a magic with no cell form runs nothing). A line
   * Warden does not read makes later unknown names unreadable. */
  private aliasMagic(args: string): void {
    const parsed = aliasMagicArgs(args);
    if (parsed === null) {
      this.unknownWhy = `an %alias_magic line Warden does not read (${args.trim().slice(0, 60)})`;
      return;
    }
    const alias = { target: parsed.target, params: parsed.params };
    const both = !parsed.line && !parsed.cell;
    if (parsed.line || both) {
      this.magicAliases.line.set(parsed.name, alias);
      this.table.delete(parsed.name); // the newest registration is the magic IPython finds
    }
    if (parsed.cell || both) {
      this.magicAliases.cell.set(parsed.name, alias);
    }
  }

  /** The `%alias_magic` alias `name` of `kind`, if the notebook made one. */
  magicAlias(name: string, kind: 'line' | 'cell'): MagicAlias | undefined {
    return this.magicAliases[kind].get(name);
  }

  /** The alias definitions a cell's Python code makes (read before its magic lines: a
   * definition and a use in one cell are both seen). */
  readPython(cell: string): void {
    if (!ALIAS_CODE.test(cell)) {
      return;
    }
    const python = cell.replace(/^[ \t]*[%!].*$/gm, ''); // `%rehashx` is the magic's own
    let rest = python;
    for (const m of python.matchAll(LITERAL_DEFINE)) {
      this.define(m[2], m[4]);
      rest = rest.replace(m[0], '');
    }
    for (const m of python.matchAll(LITERAL_MAGIC)) {
      this.magic(m[2], m[4] ?? '');
      rest = rest.replace(m[0], '');
    }
    for (const m of rest.matchAll(OTHER_MAGIC)) {
      if (!TABLE_MAGICS.includes(m[2])) {
        rest = rest.replace(m[0], '');
      }
    }
    if (ALIAS_CODE.test(rest)) {
      this.unknownWhy =
        'the notebook defines IPython aliases (or magics) in code Warden does not read';
    }
  }

  /** Whether `name` used as a line magic is one this table decides (not a magic's own). */
  has(name: string): boolean {
    if (this.table.has(name)) {
      return true;
    }
    return (
      (this.everyProgram || this.unknownWhy !== '') &&
      !LINE_MAGICS.has(name) &&
      !NEVER_ALIASED.has(name)
    );
  }

  /**
   * Whether an automagic line `name rest` may run an alias (Python names shadow aliases,
   * keywords are never automagic). A name Warden only may not know (after `%rehashx` or
   * unread definitions) counts only with words after it (`pip3 install x`), a line that is
   * not Python: `df`, `f(x)` stay Python.
   */
  automagic(name: string, rest: string): boolean {
    if (KEYWORDS.has(name)) {
      return false;
    }
    return (
      this.table.has(name) ||
      this.magicAliases.line.has(name) ||
      (/^[ \t]+\S/.test(rest) && this.has(name))
    );
  }

  /** What `%name rest` runs (`Alias.__call__`); call only when `has(name)`. */
  use(name: string, rest: string): AliasUse {
    const defined = this.table.get(name);
    if (defined === undefined) {
      return this.unknownWhy !== ''
        ? { kind: 'unreadable', why: `%${name}: ${this.unknownWhy}` }
        : { kind: 'shell', text: `${name} ${rest}` };
    }
    let cmd = defined;
    const nargs = count(cmd, '%s') - count(cmd, '%%s');
    if (cmd.includes('%l')) {
      cmd = cmd.split('%l').join(rest);
      rest = '';
    }
    if (nargs === 0) {
      if (cmd.indexOf('%%s') >= 1) {
        cmd = cmd.split('%%s').join('%s');
      }
      return { kind: 'shell', text: `${cmd} ${rest}` };
    }
    const args = pySplit(rest, nargs);
    const formatted =
      args.length < nargs ? null : pyFormat(cmd, args.slice(0, nargs));
    return formatted === null
      ? { kind: 'nothing' }
      : { kind: 'shell', text: `${formatted} ${args.slice(nargs).join(' ')}` };
  }
}
