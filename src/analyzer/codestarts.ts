/**
 * Processes that Python code starts with literal text (red team 47c R47c-4): `os.system('pip
 * install x')`, `subprocess.run(['pip', 'install', 'x'])`, `get_ipython().system('...')` (what
 * IPython itself builds from `!pip install x`), `get_ipython().run_line_magic('pip', '...')`.
 * The call rules (callrules.ts) take the literal out once, as a `CodeStart`; `startTexts`
 * turns each into the shell texts the IPython reader would hand over for the same start, so
 * the static shell rules (analyzer.ts) and the install reading (src/deps/scan.ts) read one
 * extraction, as they read a `!` line.
 */
import { maskIPython, type ShellText } from './ipython';
import type { IPythonAliases } from './ipythonaliases';

/**
 * One literal start found in Python code, `from`/`to` the range its findings go on.
 * `shell`: a command line a shell runs (`expansions`: IPython's `var_expand` runs on it first,
 * as `system` and `getoutput` do); `ipython`: IPython syntax a call runs (`%pip install x`
 * for `run_line_magic('pip', 'install x')`), read by the IPython reader; `unreadable`: a
 * start Warden cannot read (`text` says why).
 */
export interface CodeStart {
  kind: 'shell' | 'ipython' | 'unreadable';
  text: string;
  from: number;
  to: number;
  expansions?: 1;
}

/** A parameter no line sets: a word of an argv list that is not a constant (`pkg` in
 * `['pip', 'install', pkg]`) is read as the shell reads `$WARDEN_IPYTHON_EXPRESSION`:
 * unreadable where it may decide an install (src/deps/ipythonexpansion.ts uses the same). */
const UNKNOWN_WORD = '"$WARDEN_IPYTHON_EXPRESSION"';

/** Words a shell reads as they are written. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * The command line an argv list stands for: constant words quoted for the shell, others
 * unknown. A program that is not a constant is Python (`[sys.executable, '-m', 'pip', ...]`,
 * the common case).
 */
export function argvLine(words: ReadonlyArray<string | null>): string {
  return words
    .map((w, i) =>
      w === null ? (i === 0 ? 'python' : UNKNOWN_WORD) : shellQuote(w)
    )
    .join(' ');
}

/** A word as the shell reads it back: plain, or single-quoted. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell texts of the cell's code starts, each placed on its call. An `ipython` start is
 * masked as a cell of its own with the notebook's alias table (an `%alias_magic` alias run by
 * `run_line_magic` runs its target).
 */
export function startTexts(
  starts: readonly CodeStart[],
  aliases?: IPythonAliases
): ShellText[] {
  return starts.flatMap((s): ShellText[] => {
    const extent = { from: s.from, to: s.to };
    if (s.kind !== 'ipython') {
      return [
        {
          kind: s.kind,
          text: s.text,
          offset: s.from,
          extent,
          ...(s.expansions ? { expansions: s.expansions } : {})
        }
      ];
    }
    return maskIPython(s.text, aliases).shell.map(part => ({
      ...part,
      offset: s.from,
      extent
    }));
  });
}
