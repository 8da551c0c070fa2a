/**
 * Where a shell line's comments, quotes, substitutions and heredoc bodies are, as sh/bash read
 * them, and the line MASKED so that the word reader (`parsePipelines`) cannot desync from the
 * shell: comments become blanks, the inside of a command/parameter/arithmetic substitution
 * becomes one word piece, a heredoc body that is not balanced shell text becomes blanks. The
 * inside of a command substitution (`$(...)`, backticks) is listed (`MaskedLine.substitutions`):
 * the caller reads it as a command line of its own, and its output stays one unknown word piece
 * of the outer line. The mask keeps the length, so offsets stay true. A port of the kernel's `installs/shell_text.py`:
 * keep the two alike (testdata/shell-lines.json, tests/deps/test_shell_differential.py).
 *
 * Red team 12 (R12-12/13/15/17): a desync ending in a comment or an open quote HID the rest of
 * the line. What is not modelled throws `Uncertain`; the caller refuses the line unless it is
 * provably install-free (`unseen`, `hasHint`: red team 13 R13-1; fail closed).
 */

const BLANKS = ' \t'; // \r is an ordinary word character for sh and bash
const OPERATORS = ';&|()<>\n';
/** What a masked substitution's inside is written as: no reader splits or quotes at it. A
 * command substitution's inside is written all as it (it is read as a line of its own); a
 * parameter or arithmetic expansion's keeps its words for the installer-word searches. */
const PLACEHOLDER = ':';
const MASKED = new Set(' \t\r\n\'"\\`#;&|()<>'.split(''));
const SEPARATORS = [';', '&', '|', '`', '$('];

/**
 * The kernel's first look's one list of installer hints (`fastpath._HINTS`; a kernel test
 * checks the two lists are the same).
 */
export const HINTS = [
  'pip',
  'uv',
  'conda',
  'mamba',
  'poetry',
  'pdm',
  'hatch',
  'pixi',
  'rye',
  'python',
  'runpy'
];

export class Uncertain extends Error {}

/** Whether a word of `text`, as written or with its quotes and backslashes removed (`p''ip`
 * is pip to the shell), holds an installer hint. */
export function hasHint(text: string): boolean {
  const unquoted = text.replace(/\\\r?\n|['"\\]/g, '');
  return HINTS.some(hint => text.includes(hint) || unquoted.includes(hint));
}

/** The masked line (same length) and the [start, end) spans of the insides of its outermost
 * command substitutions, in text order. */
export interface MaskedLine {
  text: string;
  substitutions: Array<[number, number]>;
}

/** The masked line; throws Uncertain where the shell's reading is not modelled. */
export function maskShellText(script: string): MaskedLine {
  const scan = new Scan(script);
  scan.commands(0, '');
  return { text: scan.out.join(''), substitutions: scan.substitutions };
}

class Scan {
  readonly out: string[];
  /** (delimiter, strip tabs, delimiter quoted) of the heredocs due at the next newline */
  heredocs: Array<[string, boolean, boolean]> = [];
  substitutions: Array<[number, number]> = [];
  /** inside a command substitution: an inner one is read with its enclosing text */
  nested = 0;

  constructor(readonly text: string) {
    this.out = text.split('');
  }

  blank(start: number, end: number): void {
    for (let k = start; k < end; k++) {
      if (this.out[k] !== '\n') {
        this.out[k] = ' ';
      }
    }
  }

  /** The inside of a substitution: one word piece for the word reader. */
  hide(start: number, end: number): void {
    for (let k = start; k < end; k++) {
      if (MASKED.has(this.out[k])) {
        this.out[k] = PLACEHOLDER;
      }
    }
  }

  /** The inside of a command substitution: listed when outermost, all placeholder for the
   * outer line's word reader. */
  substitution(start: number, end: number): void {
    if (this.nested > 0) {
      this.hide(start, end);
      return;
    }
    this.substitutions.push([start, end]);
    this.out.fill(PLACEHOLDER, start, end);
  }

  /** Command text from `i` up to its closer (`)`, backtick; '' = the end); the index after. */
  commands(i: number, closer: string): number {
    this.nested += closer ? 1 : 0;
    try {
      return this.commandText(i, closer);
    } finally {
      this.nested -= closer ? 1 : 0;
    }
  }

  private commandText(i: number, closer: string): number {
    const text = this.text;
    let startOfWord = true;
    let depth = 0;
    let lineStart = !closer;
    while (i < text.length) {
      const c = text[i];
      if (closer === '`' && c === '`') {
        return i + 1;
      }
      if (c === '\\') {
        if (closer === '`') {
          throw new Uncertain('a backslash inside backticks');
        }
        if (text[i + 1] !== '\n') {
          startOfWord = false;
          lineStart = false;
        }
        i += 2;
        continue;
      }
      if (c === '#' && startOfWord) {
        let end = text.indexOf('\n', i);
        end = end < 0 ? text.length : end;
        if (!lineStart) {
          checkComment(text.slice(i, end));
        }
        this.blank(i, end);
        i = end;
        continue;
      }
      if (BLANKS.includes(c)) {
        startOfWord = true;
        i++;
        continue;
      }
      if (c === '\n') {
        if (this.heredocs.length > 0) {
          if (closer) {
            throw new Uncertain('a heredoc inside a substitution');
          }
          i = this.bodies(i + 1);
        } else {
          i++;
        }
        startOfWord = true;
        lineStart = true;
        continue;
      }
      lineStart = false;
      if (startOfWord && text.startsWith('((', i) && !redirected(text, i)) {
        i = this.arithmeticCommand(i);
        startOfWord = false;
        continue;
      }
      FOR_ARITHMETIC.lastIndex = i;
      const forArithmetic = startOfWord ? FOR_ARITHMETIC.exec(text) : null;
      if (forArithmetic) {
        const k = FOR_ARITHMETIC.lastIndex;
        const end = this.parameter(k, '))', false);
        this.hide(k - 2, end);
        i = end;
        startOfWord = false;
        continue;
      }
      if (c === '(' && redirected(text, i)) {
        // bash's process substitution `<(...)`/`>(...)`: a command line of its own, read as
        // `$(...)` is (R14-36); in sh/dash a syntax error, so reading it costs nothing there
        const end = this.commands(i + 1, ')');
        this.substitution(i + 1, end - 1);
        i = end;
        startOfWord = false;
        continue;
      }
      if (OPERATORS.includes(c)) {
        if (text.startsWith('<<<', i)) {
          i += 3;
          startOfWord = true;
          continue;
        }
        if (c === '(') {
          depth++;
        } else if (c === ')') {
          if (closer === ')' && depth === 0) {
            return i + 1;
          }
          depth = Math.max(depth - 1, 0);
        } else if (text.startsWith('<<', i)) {
          i = this.heredocOperator(i);
          startOfWord = false;
          continue;
        }
        startOfWord = true;
        i++;
        continue;
      }
      if (closer === ')' && startOfWord && text.startsWith('case', i)) {
        throw new Uncertain('a case inside a command substitution');
      }
      startOfWord = false;
      i = this.wordPiece(i, false);
    }
    if (closer) {
      throw new Uncertain('a substitution is not closed');
    }
    this.heredocs = []; // bash: "delimited by end-of-file"; the body is empty
    return i;
  }

  /** One quoted string, expansion or plain character at `i`; the index after it. */
  wordPiece(i: number, inDouble: boolean): number {
    const text = this.text;
    const c = text[i];
    if (c === "'" && !inDouble) {
      const end = text.indexOf("'", i + 1);
      if (end < 0) {
        throw new Uncertain('a quote is not closed');
      }
      return end + 1;
    }
    if (c === '"' && !inDouble) {
      return this.double(i + 1);
    }
    if (c === '`') {
      const end = this.commands(i + 1, '`');
      this.substitution(i + 1, end - 1);
      return end;
    }
    if (c === '$') {
      const next = text[i + 1];
      if (next === "'" && !inDouble) {
        return this.ansiC(i + 2);
      }
      if (text.startsWith('((', i + 1)) {
        const end = this.parameter(i + 3, '))', false);
        this.hide(inDouble ? i + 3 : i + 1, inDouble ? end - 2 : end);
        return end;
      }
      if (next === '(') {
        const end = this.commands(i + 2, ')');
        this.substitution(i + 2, end - 1);
        this.hide(inDouble ? i + 2 : i + 1, inDouble ? end - 1 : end);
        return end;
      }
      if (next === '[' && !inDouble) {
        // bash's old arithmetic `$[1<<E]`; sh reads `$[1`, a heredoc and `]`
        const end = text.indexOf(']', i + 2);
        if (end < 0 || /[ \t;&|()<>\n]/.test(text.slice(i + 2, end))) {
          throw new Uncertain(
            'a bash $[...] arithmetic that sh reads as commands'
          );
        }
        return i + 1;
      }
      if (next === '{') {
        const end = this.parameter(i + 2, '}', inDouble);
        this.hide(i + 2, end - 1);
        return end;
      }
    }
    return i + 1;
  }

  double(i: number): number {
    const text = this.text;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        return i + 1;
      }
      if (c === '\\') {
        i += 2;
        continue;
      }
      i = this.wordPiece(i, true);
    }
    throw new Uncertain('a quote is not closed');
  }

  /** bash's `$'...'`: `\'` does not end it; dash (os.system's sh) reads a plain single-quoted
   * string that does: uncertain. */
  ansiC(i: number): number {
    const text = this.text;
    while (i < text.length) {
      if (text[i] === "'") {
        return i + 1;
      }
      if (text[i] === '\\') {
        if (text[i + 1] === "'") {
          throw new Uncertain(
            "a $'...' string with an escaped quote (bash and dash differ)"
          );
        }
        i += 2;
        continue;
      }
      i++;
    }
    throw new Uncertain('a quote is not closed');
  }

  /** `${...}` (closer `}`) or `$((...))`: no comments, no word breaks. */
  parameter(i: number, closer: string, inDouble: boolean): number {
    const text = this.text;
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (closer === '}' && c === '}') {
        return i + 1;
      }
      if (closer === '))') {
        if (c === '(') {
          depth++;
        } else if (c === ')') {
          if (depth === 0) {
            if (text[i + 1] !== ')') {
              throw new Uncertain('an arithmetic expansion is not closed');
            }
            return i + 2;
          }
          depth--;
        }
      }
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'" && inDouble) {
        throw new Uncertain('a single quote inside a double-quoted ${...}');
      }
      if (c === '\n' && this.heredocs.length > 0) {
        throw new Uncertain('a heredoc inside an expansion');
      }
      if ('\'"`$'.includes(c)) {
        i = this.wordPiece(i, false);
        continue;
      }
      i++;
    }
    throw new Uncertain('an expansion is not closed');
  }

  /** bash's `((x<<E))` is arithmetic; sh reads two subshells, where `<<E` is a heredoc and
   * blanks, `;`, `<`, `>` split commands (red team 13 R13-2): uncertain unless the inside holds
   * none of those. The index after. */
  arithmeticCommand(i: number): number {
    const end = this.parameter(i + 2, '))', false);
    if (/[ \t;&|<>\n]/.test(this.text.slice(i + 2, end - 2))) {
      throw new Uncertain(
        'a bash ((...)) arithmetic that sh reads as commands'
      );
    }
    return end;
  }

  /** `<<E`, `<<-E`, `<< 'E'`: the delimiter (quotes removed) is due at the next newline. */
  heredocOperator(i: number): number {
    const text = this.text;
    i += 2;
    const strip = text[i] === '-';
    i += strip ? 1 : 0;
    while (i < text.length && BLANKS.includes(text[i])) {
      i++;
    }
    const start = i;
    let word = '';
    while (
      i < text.length &&
      !BLANKS.includes(text[i]) &&
      !OPERATORS.includes(text[i])
    ) {
      const c = text[i];
      if (c === "'" || c === '"') {
        const end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw new Uncertain('a quote is not closed');
        }
        const quoted = text.slice(i + 1, end);
        if (/[\\$`]/.test(quoted)) {
          throw new Uncertain('a heredoc delimiter Warden does not read');
        }
        word += quoted;
        i = end + 1;
      } else if (c === '\\') {
        word += text[i + 1] ?? '';
        i += 2;
      } else if (c === '$' || c === '`') {
        throw new Uncertain('a heredoc delimiter Warden does not read');
      } else {
        word += c;
        i++;
      }
    }
    if (i === start) {
      throw new Uncertain('a heredoc without a delimiter');
    }
    // a quoted delimiter's body is data, not expanded
    this.heredocs.push([word, strip, /['"\\]/.test(text.slice(start, i))]);
    return i;
  }

  /** The bodies due at the newline before `i`: data up to the delimiter line. An unquoted
   * delimiter's body is expanded as double-quoted text is (red team 13 R13-11): its command
   * substitutions are listed. What is left stays masked when balanced (a shell fed by it runs
   * it); else it becomes blanks only when provably install-free (`unseen`), else uncertain. */
  bodies(i: number): number {
    const text = this.text;
    const due = this.heredocs;
    this.heredocs = [];
    for (const [delimiter, strip, quoted] of due) {
      const start = i;
      let end = -1;
      while (i < text.length) {
        let nl = text.indexOf('\n', i);
        nl = nl < 0 ? text.length : nl;
        const line = text.slice(i, nl);
        if ((strip ? line.replace(/^\t+/, '') : line) === delimiter) {
          end = i;
          i = Math.min(nl + 1, text.length);
          break;
        }
        i = nl + 1;
      }
      if (end < 0) {
        throw new Uncertain("a heredoc's delimiter line is missing");
      }
      let body = text.slice(start, end);
      if (!quoted) {
        const [flat, runs] = expanded(body);
        body = flat;
        for (const [a, b] of runs) {
          this.substitutions.push([start + a, start + b]);
        }
      }
      let inner: MaskedLine;
      try {
        inner = maskShellText(body);
      } catch (e) {
        if (!(e instanceof Uncertain)) {
          throw e;
        }
        if (unseen(body) || hasHint(body)) {
          throw new Uncertain('a heredoc body that is not plain shell text');
        }
        this.blank(start, end); // its substitutions' spans stay listed
        continue;
      }
      this.out.splice(start, end - start, ...inner.text.split(''));
      for (const [a, b] of inner.substitutions) {
        this.substitutions.push([start + a, start + b]);
      }
    }
    this.substitutions.sort((x, y) => x[0] - y[0]);
    return i;
  }
}

/** An unquoted heredoc body as the shell expands it, read as double-quoted text (only `$`,
 * backtick and backslash are special): the body with each command substitution written as
 * placeholders, and the spans of their insides. */
function expanded(body: string): [string, Array<[number, number]>] {
  const scan = new Scan(body);
  const out = body.split('');
  const runs: Array<[number, number]> = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === '\\') {
      i += 2;
      continue;
    }
    const command =
      body[i] === '`' ||
      (body.startsWith('$(', i) && !body.startsWith('$((', i));
    const end = scan.wordPiece(i, true);
    if (command) {
      runs.push(body[i] === '`' ? [i + 1, end - 1] : [i + 2, end - 1]);
      out.fill(PLACEHOLDER, i, end);
    }
    i = end;
  }
  return [out.join(''), runs];
}

/** bash's arithmetic for loop: sh cannot parse it (its syntax error ends the script there),
 * so the header is read as bash reads it (`for ((i=0;i<3;i++))`, R13-2). */
const FOR_ARITHMETIC = /for[ \t]*\(\(/y;

/** Whether the `(` at `i` opens a process substitution (`<(`, `>(`). */
function redirected(text: string, i: number): boolean {
  return i > 0 && '<>'.includes(text[i - 1]);
}

/** What a line the reader cannot model may hold that names a program Warden cannot see
 * written out (red team 13 R13-1): an expansion or a backslash, a pattern or a brace list, a
 * path or `~`, builtins that run or keep shell text or change where names are found. The
 * kernel's `shell_text.unseen`. */
const UNSEEN_CHARS = /[$`\\*?[{/~]/;
const UNSEEN_WORDS =
  /(?<![\w.-])(alias|trap|eval|exec|source|command|builtin|env|function|enable|hash|sudo|xargs|nohup|setsid|time|sh|bash|dash|zsh|ksh|busybox|PATH|\.)(?![\w.-])|\(\s*\)/;

/** Why `text`, read as words only, may run a program its words do not name ('' when it
 * cannot): what a line (or heredoc body) the reader cannot model must pass to run. */
export function unseen(text: string): string {
  const found = UNSEEN_CHARS.exec(text) ?? UNSEEN_WORDS.exec(text);
  if (!found) {
    return '';
  }
  const what = found[0].trim();
  if (what === '$' || what === '`') {
    return 'an expansion';
  }
  return /^[A-Za-z]+$/.test(what) || what === '.'
    ? 'a word Warden cannot resolve'
    : `a '${what}'`;
}

/** Belt and braces: a comment after code on its line that holds a command separator followed
 * by an installer hint is where an unmodelled desync would hide commands. */
function checkComment(comment: string): void {
  for (const sep of SEPARATORS) {
    const k = comment.indexOf(sep);
    if (k >= 0 && hasHint(comment.slice(k))) {
      throw new Uncertain(
        'a comment after a command holds a command separator and an installer'
      );
    }
  }
}
