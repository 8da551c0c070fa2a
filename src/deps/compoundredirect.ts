/**
 * Which simple commands a compound command's redirections apply to (red team 55b R55b-5): the
 * shell opens a redirection written after a compound command's closing word (`{ ...; }
 * 2>r.txt`, `( ... ) 2>r.txt`, `if ...; fi`, `while/until/for/select ... done`, `case ...
 * esac`, a function body, applied at each call) once, before any command inside runs. The
 * kernel's `installs/compound_redirect.py` (its docstring says why); `shellInvocations` gives
 * each command inside the compound's redirections as its own (`ownRedirectionProblem`). A line
 * whose reading does not come out even (`even()`: red team 56d) gives every closing word's
 * redirections to the commands before it; a quoted word (`'}'`) comes marked (`QUOTED`).
 */

/** The word that closes each opening word. */
const CLOSING: Readonly<Record<string, string>> = {
  '{': '}',
  '(': ')',
  if: 'fi',
  case: 'esac',
  while: 'done',
  until: 'done',
  for: 'done',
  select: 'done'
};
const CLOSERS: ReadonlySet<string> = new Set(['}', 'fi', 'done', 'esac']);
/** reserved words after which the next word is still in a command's first place */
const PREFIXES: ReadonlySet<string> = new Set(
  '{ then do else elif if while until ! time'.split(' ')
);

/** A closing word that matches no opening one: where its redirection applies is not known. */
export const UNMATCHED = -1;

/** Put before a word written quoted (`'}'`, `\}`, `"fi"`): a command name, no reserved word. */
export const QUOTED = '\ue008';

/** A simple command's words without the reserved words in front (`{`, `function NAME`...). */
export function afterPrefixes(words: string[]): string[] {
  let i = 0;
  while (
    i < words.length &&
    (PREFIXES.has(words[i]) || words[i] === 'function')
  ) {
    i += words[i] === 'function' ? 2 : 1; // `function NAME {`
    if (words[i - 1] === 'time') {
      while (words[i] === '-p' || words[i] === '--') {
        i += 1; // bash's `time -p`: the keyword's own option (R57a-8: `time -p { ...; }`)
      }
    }
  }
  return words.slice(i);
}

/** Whether a word after `words` is in a command's first place (not after for/select/case). */
export function commandPosition(words: string[]): boolean {
  return afterPrefixes(words).length === 0;
}

/** The compound commands open at a point of the line, as [opening word, first command]. */
export class Compounds {
  private open: Array<[string, number]> = [];
  private pattern = false; // a case arm's pattern comes next (after `in`, after `;;`)
  private closed = false; // the command's last word closed a compound (`{ a; { b; } }`)
  private uneven = false; // a closing word closed nothing, or what it does not match

  private top(): string {
    return this.open.length > 0 ? this.open[this.open.length - 1][0] : '';
  }

  /** Reads `word` about to be added to command `index` (its words so far `current`;
   * `started`: a redirection came before them): the first command of the compound a closing
   * word closes (UNMATCHED: none), else null. */
  word(
    word: string,
    index: number,
    current: string[],
    started = false
  ): number | null {
    const head = afterPrefixes(current);
    if (this.top() === '=(') {
      return null; // an array's values (`arr=( { )`): no commands, no reserved words
    }
    if (this.top() === 'case' && (head[0] === 'case' || this.pattern)) {
      if (head[0] === 'case' && head.length === 2 && word === 'in') {
        this.pattern = true;
      } else if (
        word === 'esac' &&
        (head.length === 0 || (head[0] === 'case' && head.length === 3))
      ) {
        this.pattern = false; // `;; esac`, or `case W in esac`: a case of no arms
        return this.close('esac');
      }
      return null; // the case's word, or an arm's pattern: no command
    }
    if (this.closed && CLOSERS.has(current[current.length - 1] ?? '')) {
      // right after a closing word the shell reads a closing word again (`} }`, `fi }`)
      const closes = CLOSERS.has(word) ? this.close(word) : null;
      this.closed = closes !== null;
      return closes;
    }
    if (!commandPosition(current) || (started && current.length === 0)) {
      return null;
    }
    if (Object.prototype.hasOwnProperty.call(CLOSING, word)) {
      this.open.push([word, index]);
      return null;
    }
    if (CLOSERS.has(word)) {
      this.closed = true;
      return this.close(word);
    }
    return null;
  }

  /** Reads an operator between commands: `;;` (`;&`, `;;&` given as `;;`) ends a case arm. */
  operator(op: string): void {
    if (op === ';;' && this.top() === 'case') {
      this.pattern = true;
    }
    this.closed = false;
  }

  /** Reads a `(` after `current`: a subshell in a command's first place, a case pattern's
   * own, or a parenthesis its `)` closes (`arr=(a b)`, `$(...)`), no compound. */
  openParen(index: number, current: string[]): void {
    if (this.top() === 'case' && this.pattern) {
      return;
    }
    this.open.push([commandPosition(current) ? '(' : '=(', index]);
  }

  /** Reads a `)`: the first command of the subshell it closes, null for the end of a case
   * pattern or of a parenthesis that is no subshell, UNMATCHED when it closes nothing. */
  closeParen(): number | null {
    if (this.top() === 'case') {
      this.pattern = false;
      return null;
    }
    if (this.top() === '=(') {
      this.open.pop();
      return null;
    }
    return this.close(')');
  }

  /** Whether the reading came out even: every closing word closed what it matches and
   * nothing is left open (red team 56d's general rule, read at the line's end). */
  even(): boolean {
    return !this.uneven && this.open.length === 0 && !this.pattern;
  }

  private close(word: string): number {
    if (this.open.length > 0 && CLOSING[this.top()] === word) {
      return this.open.pop()![1];
    }
    this.uneven = true;
    return UNMATCHED;
  }
}

/** The indexes of `raw` from `start` to `end` that stand outside its quotes and escapes (a
 * `\\`-escaped character and a '...' or "..." span are the word's text, never shell syntax):
 * the one quote-aware scan of a word, for `wordParens` here and the split after a `)` in
 * commands.ts, so the two never read a quote differently. */
export function* unquoted(
  raw: string,
  start = 0,
  end = raw.length
): Generator<number> {
  let quote = '';
  for (let i = start; i < end; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) {
        quote = '';
      } else if (c === '\\' && quote === '"') {
        i++;
      }
    } else if (c === '\\') {
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else {
      yield i;
    }
  }
}

/** The parentheses of a word outside its quotes and escapes, in order: its leading `(`s (a
 * subshell's, written against its first word: `(uv`), then the others (`x)`, `$(date)`). */
export function wordParens(raw: string): { leading: number; rest: string[] } {
  let leading = 0;
  while (raw[leading] === '(') {
    leading++;
  }
  const rest: string[] = [];
  for (const i of unquoted(raw, leading)) {
    if (raw[i] === '(' || raw[i] === ')') {
      rest.push(raw[i]);
    }
  }
  return { leading, rest };
}
