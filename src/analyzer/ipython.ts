/**
 * IPython syntax masking. Lezer parses Python only, so `%magic`, `!shell`, `x = !cmd` and
 * `obj?` are replaced by same-length Python (`0` and spaces) before parsing: every offset in
 * the masked text is the offset in the original cell, so findings need no mapping back.
 * The shell parts are handed to the shell rules with their offsets.
 */

import { shellWords } from '../deps/words';
import type { IPythonAliases } from './ipythonaliases';

/** A piece of shell (or `%env`) text taken out of a cell; `offset` is where `text` starts.
 * `stdin`: a script magic's body fed to a program that is not a shell (`%%script perl`).
 * `unreadable`: a line Warden cannot read (`text` says why: an alias defined by code).
 * `extent`: set when `text` is not the cell's own (an alias's expansion): findings belong on
 * that range of the cell.
 * `expansions`: how many times IPython's `var_expand` (`$name`, `{expr}`) runs on `text`
 * before the shell gets it: once for a `!` line and a `%%system`/`%%sx`/`%%!` body (`system`,
 * `getoutput`), twice for a line magic's arguments (the magic's call, then `system`); unset
 * for a script magic's body, which the program reads as written.
 * `start`: a process started with a known argv (`argv`), `text` what was written for it: a
 * script magic's head (`%%script pip install x`, IPython's own options taken out), whose stdin
 * is the body, decided on its own (`stdin: 'decided'`); `%run -m pip install x`, the module
 * run as `python -m` runs it. */
export interface ShellText {
  kind: 'shell' | 'env' | 'stdin' | 'unreadable' | 'start';
  text: string;
  offset: number;
  argv?: string[];
  stdin?: 'decided';
  extent?: { from: number; to: number };
  expansions?: 1 | 2;
}

/** The Python IPython builds from an autocall escape line (`;f a b` is `f("a b")`, `,f a b`
 * `f("a", "b")`, `/f a b` `f(a, b)`): `text` is that Python, `from`/`to` the line. */
export interface EscapedCall {
  text: string;
  from: number;
  to: number;
}

export interface MaskedCell {
  python: string;
  shell: ShellText[];
  /** Escaped lines, blanked in `python`: the analyzer reads each call in the cell's scope. */
  escaped?: EscapedCall[];
}

/** Cell magics whose body is a shell script: IPython's `OSMagics.sx` is a line-and-cell magic
 * registered as `sx`, `system` and (cell only) `!`; its cell form runs the body through
 * `getoutput` (one `var_expand`). Its head takes only `--out NAME` (the variable the output
 * goes to), which runs nothing, so the head is not read. */
const SHELL_CELL_MAGICS = new Set(['system', 'sx', '!']);
/** IPython's named script magics: `%%NAME ARGS` is `%%script NAME ARGS`. */
const SCRIPT_CELL_MAGICS = new Set([
  'script',
  'sh',
  'bash',
  'zsh',
  'perl',
  'ruby',
  'python',
  'python2',
  'python3'
]);
/** Shells a script magic's body is read for (as the kernel's reader names them). */
const SCRIPT_SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);
/** Programs that run another (`%%script env bash`): followed to the shell or Python. */
const WRAPPER_PROGRAMS = new Set(['env', 'busybox', 'sudo', 'nohup', 'nice', 'exec', 'command', 'time', 'stdbuf', 'timeout', 'setsid', 'doas']); // prettier-ignore
/** Programs whose stdin is read as Python: the child interpreter carries its own guard. */
const PYTHON_PROGRAM =
  /^(?:python(?:\d+(?:\.\d+)?)?[dmu]?|pypy\d*(?:\.\d+)?|ipython\d*)$/;
/** `%%script`'s own options (argparse: long only, unique prefixes accepted, anywhere). */
const SCRIPT_OPTIONS = ['--out', '--err', '--bg', '--proc', '--no-raise-error'];
const SCRIPT_VALUED = new Set(['--out', '--err', '--proc']);
/** Cell magics whose body is ordinary Python run in the kernel. */
const PYTHON_CELL_MAGICS = new Set([
  'time',
  'timeit',
  'capture',
  'prun',
  'debug',
  'memit',
  'mprun',
  'pypy'
]);
/** Of those, the ones that run their body as a new cell (IPython's `transform_cell` or
 * `run_cell`): it may start with another cell magic (`%%capture⏎%%bash`). */
const WRAPPING_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun']);
/** Line magics that run their arguments in a shell. */
const SHELL_LINE_MAGICS = new Set(['sx', 'system']);
/** Line magics that are package managers: their text, magic name included, is a command. */
const PACKAGE_LINE_MAGICS = new Set([
  'pip',
  'conda',
  'mamba',
  'micromamba',
  'uv'
]);
/** Of those, the ones IPython's `PackagingMagics._run_command` runs: it splits the line with
 * `shlex.split` and joins the words with spaces, unquoted, so a quoted `&&` is an operator. */
const CONDA_LINE_MAGICS = new Set(['conda', 'mamba', 'micromamba']);
/** `CONDA_COMMANDS_REQUIRING_YES`: IPython adds `--yes` in a kernel (stdin disabled). */
const CONDA_NEEDS_YES = new Set([
  'install',
  'remove',
  'uninstall',
  'update',
  'upgrade'
]);
const ENV_LINE_MAGICS = new Set(['env', 'set_env']);
/** Line magics whose argument (after options) is a Python statement. */
const PYTHON_LINE_MAGICS = new Set([
  'time',
  'timeit',
  'prun',
  'memit',
  'debug'
]);

const MAGIC_NAME = /%([A-Za-z_][A-Za-z0-9_]*)/y;
const ASSIGN_MAGIC =
  /[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*(?=[!%])/y;
const HELP_LINE =
  /^(?:\?{1,2}[\w.*]+(?:\(\))?\?{0,2}|[\w.*]+(?:\(\))?\?{1,2})$/;
/** Options of %time / %timeit / %prun before the statement, e.g. `-n 10 -r 3`, `-n1`,
 * `-s cumulative` (prun's -s, -l, -T, -D take a word). */
const MAGIC_OPTIONS =
  /(?:\s*-(?:[sTDl]\s*[^\s!%-]\S*|[A-Za-z]+\w*(?:\s+\d+)?))*\s*/y;

interface Edit {
  from: number;
  to: number;
  /** 'stmt' -> '0' then spaces (a valid expression statement); 'blank' -> spaces. */
  kind: 'stmt' | 'blank' | 'semi';
}

/** Quick test: text without these characters (or an automagic line) has no IPython syntax. */
const IPYTHON_CHARS =
  /[%!?]|^[ \t]*(?:[;,/]|(?:pip|conda|mamba|micromamba|uv|run|sx|system|sc)[ \t])/m;

/**
 * IPython's automagic runs `pip install x` without the `%` (the line is not valid Python, so
 * nothing else can mean it): the package-manager line magics written bare (`%uv` is one
 * since IPython 9: `uv pip install x` runs it).
 */
const AUTOMAGIC_PACKAGE_LINE =
  /(?:(?:pip|conda|mamba|micromamba)[ \t]+(?:install|download|wheel|create|update)|uv[ \t]+(?:pip|add|sync|tool|run|venv|lock|export|init))\b/y;

/** Automagic shell line magics (`sx pip install x`): a name, a blank, and no assignment
 * (IPython's AssignmentChecker runs before its AutoMagicChecker). */
const AUTOMAGIC_SHELL_LINE = /(sx|system|sc)[ \t]+(?![ \t]*[=,]|$)/y;

/** Automagic `%run` with a `-m` among its options (`run -em pip install x`): not Python. */
const AUTOMAGIC_RUN_MODULE = /run[ \t]+(?=-)(?=(?:[^\n]*[ \t])?-[A-Za-z]*m)/y;

/**
 * Mask one cell. `aliases`: the notebook's IPython alias table (cells read in order), updated
 * by this cell's `%alias`/`%unalias`/`%rehashx` and alias-defining code; each use of an
 * alias becomes the shell line IPython runs. Without it, alias uses are not read.
 */
export function maskIPython(
  code: string,
  aliases?: IPythonAliases
): MaskedCell {
  aliases?.readPython(code);
  if (
    !IPYTHON_CHARS.test(code) &&
    !(aliases && startsWithAlias(code, aliases))
  ) {
    return { python: code, shell: [] };
  }
  const edits: Edit[] = [];
  const shell: ShellText[] = [];
  const escaped: EscapedCall[] = [];
  let start = 0;

  for (;;) {
    const first = firstCodeLine(code, start);
    if (first < 0 || !code.startsWith('%%', first)) {
      break;
    }
    const lineEnd = endOfLine(code, first);
    // a cell alias made by `%alias_magic` runs its target with its fixed parameters first
    const head = cellMagicHead(code.slice(first + 2, lineEnd).trim(), aliases);
    const name = /^\S*/.exec(head)![0];
    const bodyStart = Math.min(lineEnd + 1, code.length);
    if (!PYTHON_CELL_MAGICS.has(name)) {
      // Shell scripts and foreign languages (%%html, %%writefile, ...) are not Python.
      const argv = SHELL_CELL_MAGICS.has(name) ? null : scriptArgv(name, head);
      const kind = SHELL_CELL_MAGICS.has(name)
        ? 'shell'
        : argv === undefined
          ? 'shell' // IPython's own split may still accept it: read the body
          : argv === null
            ? null
            : scriptReader(argv);
      if (kind !== null) {
        shell.push({
          kind,
          text: code.slice(bodyStart),
          offset: bodyStart,
          ...(SHELL_CELL_MAGICS.has(name) ? { expansions: 1 as const } : {})
        });
      }
      if (argv && argv.length > 0) {
        // the program IPython starts is a start of its own, whatever its stdin is (red team
        // 45c R45c-8: `%%script pip install x`, `%%bash -c '...'`); the body is decided
        // above, as the kernel's `decide_script_magic` decides it
        shell.push({
          kind: 'start',
          text: code.slice(first, lineEnd),
          offset: first,
          argv,
          stdin: 'decided'
        });
      }
      return { python: blankOut(code, 0, code.length), shell };
    }
    edits.push({ from: first, to: lineEnd, kind: 'blank' });
    start = bodyStart;
    if (!WRAPPING_CELL_MAGICS.has(name)) {
      break;
    }
  }

  scanLines(code, start, edits, shell, aliases, escaped);
  return { python: applyEdits(code, edits), shell, escaped };
}

const LINE_HEAD = /^[ \t]*([A-Za-z_]\w*)(.*)/gm;

/** Whether a line of `code` may be an automagic use of an alias (`inst2 torcj`). */
function startsWithAlias(code: string, aliases: IPythonAliases): boolean {
  for (const m of code.matchAll(LINE_HEAD)) {
    if (aliases.automagic(m[1], m[2])) {
      return true;
    }
  }
  return false;
}

/** Offset of the first non-blank character from `start` (IPython reads `%%` only there), or
 * -1. */
function firstCodeLine(code: string, start = 0): number {
  const m = /\S/.exec(code.slice(start));
  return m ? start + m.index : -1;
}

/** The head of a cell magic, its name first: an `%alias_magic` cell alias's name replaced by
 * its target and fixed parameters (`MagicAlias.__call__`), followed until a name repeats
 * (red team 47c R47c-5): IPython has no depth limit, its `MagicAlias` refuses only a call of
 * itself, so a cycle runs nothing (its head is left on an alias name no reader knows), and any
 * chain without one ends in finitely many steps (one per alias defined). */
function cellMagicHead(head: string, aliases?: IPythonAliases): string {
  const seen = new Set<string>();
  for (;;) {
    const name = /^\S*/.exec(head)![0];
    const alias = aliases?.magicAlias(name, 'cell');
    if (alias === undefined || seen.has(name)) {
      return head;
    }
    seen.add(name);
    const rest = head.slice(name.length).replace(/^ /, '');
    head = `${alias.target} ${alias.params === '' ? rest : `${alias.params} ${rest}`}`;
  }
}

/**
 * The argv IPython's `%%script` starts for a script magic's head: it parses its line with
 * argparse (its own options anywhere, the rest is the program's argv) and writes the body to
 * the program's stdin. null: no script magic; undefined: a head Warden cannot split.
 */
function scriptArgv(name: string, head: string): string[] | null | undefined {
  if (!SCRIPT_CELL_MAGICS.has(name)) {
    return null;
  }
  let words: string[];
  try {
    words = shellWords(head).slice(1);
  } catch {
    return undefined;
  }
  if (name !== 'script') {
    words.unshift(name);
  }
  const argv: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const [option] = words[i].split('=', 1);
    const known = words[i].startsWith('--')
      ? SCRIPT_OPTIONS.filter(o => o.startsWith(option))
      : [];
    if (known.length === 1 || SCRIPT_OPTIONS.includes(option)) {
      const full = SCRIPT_OPTIONS.includes(option) ? option : known[0];
      i += SCRIPT_VALUED.has(full) && !words[i].includes('=') ? 1 : 0;
      continue;
    }
    argv.push(words[i]);
  }
  return argv;
}

/**
 * How a script magic's body is read: a shell's body (through `env`, `busybox`, `sudo`...) is a
 * shell script; a bare Python (`%%python3`) decides it with its own guard (null); any other
 * program, or a Python with options or wrappers (which may drop the guard), is `stdin`:
 * refused if it names an installer, as the kernel decides (scripts/script-magic-heads.py pins
 * the two together).
 */
function scriptReader(argv: string[]): 'shell' | 'stdin' | null {
  const names = argv.map(w => w.split('/').pop() ?? '');
  if (PYTHON_PROGRAM.test(names[0] ?? '')) {
    return names.length === 1 ? null : 'stdin';
  }
  if (!WRAPPER_PROGRAMS.has(names[0] ?? '')) {
    return SCRIPT_SHELLS.has(names[0] ?? '') ? 'shell' : 'stdin';
  }
  const run = names.find(n => SCRIPT_SHELLS.has(n) || PYTHON_PROGRAM.test(n));
  return run !== undefined && PYTHON_PROGRAM.test(run) ? 'stdin' : 'shell';
}

/**
 * The Python IPython's `EscapedCommand` builds from an autocall escape (`content`: the line
 * after the escape character, continued lines joined): `_tr_quote2` (`;`), `_tr_quote` (`,`)
 * and `_tr_paren` (`/`), formatted as they format it (the words go in unescaped, so the
 * result is parsed as Python as IPython parses it).
 */
function escapedCall(escape: string, content: string): string {
  const space = content.indexOf(' ');
  const name = space < 0 ? content : content.slice(0, space);
  const args = space < 0 ? '' : content.slice(space + 1);
  const words = args.split(/\s+/).filter(w => w !== '');
  if (escape === ';') {
    return `${name}("${args}")`;
  }
  return escape === ','
    ? `${name}("${words.join('", "')}")`
    : `${name}(${words.join(', ')})`;
}

function endOfLine(code: string, pos: number): number {
  const nl = code.indexOf('\n', pos);
  return nl < 0 ? code.length : nl;
}

/**
 * Walk the cell line by line, tracking brackets, strings and backslash continuations, so that
 * only lines that start a Python statement are read as IPython syntax (a `!` inside a
 * multi-line string stays text).
 */
function scanLines(
  code: string,
  start: number,
  edits: Edit[],
  shell: ShellText[],
  aliases?: IPythonAliases,
  escaped?: EscapedCall[]
): void {
  let depth = 0;
  let triple: string | null = null;
  let continued = false;
  let lineStart = start;
  while (lineStart <= code.length) {
    const lineEnd = endOfLine(code, lineStart);
    let scanFrom = lineStart;
    if (depth === 0 && triple === null && !continued) {
      const end = continuedEnd(code, lineEnd);
      const handled = maskStatementLine(
        code,
        lineStart,
        end,
        edits,
        shell,
        aliases,
        escaped
      );
      if (handled === true) {
        lineStart = end + 1;
        continue;
      }
      if (typeof handled === 'number') {
        scanFrom = handled;
      }
    }
    continued = false;
    // Scan the rest of the line for strings, comments and brackets.
    let p = scanFrom;
    while (p < lineEnd) {
      if (triple !== null) {
        const close = findTripleEnd(code, p, lineEnd, triple);
        if (close < 0) {
          p = lineEnd;
          break;
        }
        triple = null;
        p = close;
        continue;
      }
      const c = code[p];
      if (c === '#') {
        break;
      } else if (c === '"' || c === "'") {
        if (code.startsWith(c + c + c, p)) {
          triple = c + c + c;
          p += 3;
        } else {
          p = skipShortString(code, p + 1, lineEnd, c);
        }
        continue;
      } else if (c === '(' || c === '[' || c === '{') {
        depth++;
      } else if (c === ')' || c === ']' || c === '}') {
        depth = depth > 0 ? depth - 1 : 0;
      } else if (c === '\\' && isLineEndAfter(code, p + 1, lineEnd)) {
        continued = true;
      }
      p++;
    }
    lineStart = lineEnd + 1;
  }
}

/**
 * Where a line continued with backslash-newlines ends, as IPython's
 * `find_end_of_continued_line` finds it for `!cmd`, `%magic`, `x = !cmd`: each line that ends
 * with `\` right before its newline takes the next line in (not after `\r\n`).
 */
function continuedEnd(code: string, lineEnd: number): number {
  let end = lineEnd;
  while (end < code.length && code[end - 1] === '\\') {
    end = endOfLine(code, end + 1);
  }
  return end;
}

/**
 * The text IPython runs for `code[from, end)` (red team 7 R7-5, L-2): a single line as
 * written; continued lines joined as `assemble_continued_line` joins them (each continued
 * part without its trailing `\` and newline, the parts joined with a space, the last one
 * stripped on the right; a `\` ending the cell's last line stays). Offsets after a joint are
 * one character early per joint.
 */
function assembled(code: string, from: number, end: number): string {
  const text = code.slice(from, end);
  if (continuedEnd(code, endOfLine(code, from)) === endOfLine(code, from)) {
    return text;
  }
  const parts = text.split('\n');
  if (
    end === code.length &&
    code.endsWith('\n') &&
    parts[parts.length - 1] === ''
  ) {
    parts.pop(); // IPython has no line after the cell's final newline
  }
  const last = parts.pop()!.replace(/\s+$/, '');
  return [...parts.map(p => p.replace(/\s+$/, '').slice(0, -1)), last].join(
    ' '
  );
}

function isLineEndAfter(code: string, p: number, lineEnd: number): boolean {
  return p >= lineEnd || (p + 1 === lineEnd && code[p] === '\r');
}

function findTripleEnd(
  code: string,
  p: number,
  lineEnd: number,
  triple: string
): number {
  while (p < lineEnd) {
    if (code[p] === '\\') {
      p += 2;
    } else if (code.startsWith(triple, p)) {
      return p + 3;
    } else {
      p++;
    }
  }
  return -1;
}

function skipShortString(
  code: string,
  p: number,
  lineEnd: number,
  quote: string
): number {
  while (p < lineEnd) {
    const c = code[p];
    if (c === '\\') {
      p += 2;
    } else if (c === quote) {
      return p + 1;
    } else {
      p++;
    }
  }
  return lineEnd;
}

/**
 * Mask one statement-starting line if it is IPython syntax. Returns true when the whole line
 * was handled, a number when Python continues at that offset (`%time f(x)`), else false.
 */
function maskStatementLine(
  code: string,
  lineStart: number,
  lineEnd: number,
  edits: Edit[],
  shell: ShellText[],
  aliases?: IPythonAliases,
  escaped?: EscapedCall[]
): boolean | number {
  let i = lineStart;
  while (i < lineEnd && (code[i] === ' ' || code[i] === '\t')) {
    i++;
  }
  if (i >= lineEnd) {
    return false;
  }
  const c = code[i];
  if (c === '!') {
    const textStart = code[i + 1] === '!' ? i + 2 : i + 1;
    shell.push({
      kind: 'shell',
      text: assembled(code, textStart, lineEnd),
      offset: textStart,
      expansions: 1
    });
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  if (c === '%') {
    return maskMagic(code, i, lineEnd, edits, shell, aliases, escaped);
  }
  if (c === ';' || c === ',' || c === '/') {
    // an autocall escape: never Python at a statement's start, so IPython's call it is
    escaped?.push({
      text: escapedCall(c, assembled(code, i + 1, lineEnd)),
      from: i,
      to: lineEnd
    });
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  AUTOMAGIC_PACKAGE_LINE.lastIndex = i;
  if (AUTOMAGIC_PACKAGE_LINE.test(code)) {
    pushPackageMagic(assembled(code, i, lineEnd), i, lineEnd, shell);
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  AUTOMAGIC_SHELL_LINE.lastIndex = i;
  const shellMagic = AUTOMAGIC_SHELL_LINE.exec(code);
  if (shellMagic) {
    // automagic `sx pip install x` is `%sx pip install x`; unless the name is a variable of
    // the user's (IPython's `is_shadowed`), which Warden does not know: the line is also
    // left to the Python reading, so either meaning is read
    pushShellMagic(
      shellMagic[1],
      code,
      i + shellMagic[0].length,
      lineEnd,
      shell
    );
    return false;
  }
  AUTOMAGIC_RUN_MODULE.lastIndex = i;
  if (AUTOMAGIC_RUN_MODULE.test(code)) {
    // automagic `run -m pip install x` is `%run -m pip install x`
    pushRunModule(assembled(code, i, lineEnd), i, lineEnd, shell);
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  AUTOMAGIC_ALIAS_LINE.lastIndex = i;
  const automagic = aliases ? AUTOMAGIC_ALIAS_LINE.exec(code) : null;
  const line = automagic ? assembled(code, i, lineEnd) : '';
  // the prefilter passes the words after the name without the space before them
  const rest = automagic ? line.slice(automagic[1].length) : '';
  if (automagic && aliases!.magicAlias(automagic[1], 'line') !== undefined) {
    // automagic `p install x` after `%alias_magic p pip`: IPython runs `%p install x`
    useMagicAlias(
      aliases!,
      `${automagic[1]} ${rest.trim()}`,
      i,
      lineEnd,
      shell
    );
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  if (automagic && aliases!.automagic(automagic[1], rest)) {
    useAlias(aliases!, automagic[1], rest.trim(), i, lineEnd, shell);
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  ASSIGN_MAGIC.lastIndex = i;
  const assign = ASSIGN_MAGIC.exec(code);
  if (assign && i + assign[0].length < lineEnd) {
    const j = i + assign[0].length;
    if (code[j] === '!') {
      shell.push({
        kind: 'shell',
        text: assembled(code, j + 1, lineEnd),
        offset: j + 1,
        expansions: 1
      });
      edits.push({ from: j, to: lineEnd, kind: 'stmt' });
      return true;
    }
    return maskMagic(code, j, lineEnd, edits, shell, aliases, escaped);
  }
  const trimmed = code.slice(i, lineEnd).trimEnd();
  if (
    (trimmed.endsWith('?') || trimmed.startsWith('?')) &&
    HELP_LINE.test(trimmed)
  ) {
    edits.push({ from: i, to: lineEnd, kind: 'stmt' });
    return true;
  }
  return false;
}

function maskMagic(
  code: string,
  i: number,
  lineEnd: number,
  edits: Edit[],
  shell: ShellText[],
  aliases?: IPythonAliases,
  escaped?: EscapedCall[]
): boolean | number {
  MAGIC_NAME.lastIndex = i;
  const m = code[i + 1] === '%' ? null : MAGIC_NAME.exec(code);
  const name = m ? m[1] : '';
  const argsStart = m ? i + m[0].length : lineEnd;
  if (aliases && m && aliases.magicAlias(name, 'line') !== undefined) {
    // `%alias_magic p pip` made `%p` a line magic of its own (it shadows any other `%p`)
    useMagicAlias(aliases, assembled(code, i + 1, lineEnd), i, lineEnd, shell);
  } else if (CONDA_LINE_MAGICS.has(name)) {
    pushPackageMagic(assembled(code, i + 1, lineEnd), i, lineEnd, shell);
  } else if (PACKAGE_LINE_MAGICS.has(name)) {
    shell.push({
      kind: 'shell',
      text: assembled(code, i + 1, lineEnd),
      offset: i + 1,
      expansions: 2
    });
  } else if (SHELL_LINE_MAGICS.has(name) || name === 'sc') {
    pushShellMagic(name, code, argsStart, lineEnd, shell);
  } else if (name === 'run') {
    pushRunModule(assembled(code, i + 1, lineEnd), i, lineEnd, shell);
  } else if (ENV_LINE_MAGICS.has(name)) {
    shell.push({
      kind: 'env',
      text: assembled(code, argsStart, lineEnd),
      offset: argsStart
    });
  } else if (PYTHON_LINE_MAGICS.has(name)) {
    // also after an assignment: `x = %time !pip install x` transforms and runs its statement
    MAGIC_OPTIONS.lastIndex = argsStart;
    const opts = MAGIC_OPTIONS.exec(code);
    const pyStart = Math.min(argsStart + (opts ? opts[0].length : 0), lineEnd);
    if (pyStart - i >= 2) {
      // `%time f(x)` -> `0;    f(x)`: the statement stays at its offset and its indentation.
      edits.push({ from: i, to: pyStart, kind: 'semi' });
      // IPython transforms the statement as a cell line (red team 12 R12-8): `%time !pip
      // install x` runs pip, `%timeit %pip ...` the magic
      const inner = maskStatementLine(
        code,
        pyStart,
        lineEnd,
        edits,
        shell,
        aliases,
        escaped
      );
      return inner === false ? pyStart : inner;
    }
  } else if (aliases && m) {
    // IPython's `_tr_magic`: the name is everything up to the first space (`%inst-x a`)
    const line = assembled(code, i + 1, lineEnd);
    const space = line.indexOf(' ');
    const magic = space < 0 ? line : line.slice(0, space);
    const args = space < 0 ? '' : line.slice(space + 1);
    if (!aliases.magic(magic, args) && aliases.has(magic)) {
      useAlias(aliases, magic, args, i, lineEnd, shell);
    }
  }
  edits.push({ from: i, to: lineEnd, kind: 'stmt' });
  return true;
}

/** The shell line of `%sx ARGS`, `%system ARGS` or `%sc [-lv] var=command` (osm.py: the
 * command after the first `=`), `argsStart` where ARGS start. */
function pushShellMagic(
  name: string,
  code: string,
  argsStart: number,
  lineEnd: number,
  shell: ShellText[]
): void {
  const from = name === 'sc' ? code.indexOf('=', argsStart) + 1 : argsStart;
  if (from > 0 && from <= lineEnd) {
    shell.push({
      kind: 'shell',
      text: assembled(code, from, lineEnd),
      offset: from,
      expansions: 2
    });
  }
}

/**
 * A package manager's line magic (`conda install x`, magic name first) as the shell line
 * IPython runs. `%pip` and `%uv` pass their line whole (`python -m pip LINE`); `%conda`,
 * `%mamba` and `%micromamba` (`_run_command`) split it with `shlex.split` and join the words
 * unquoted, with `--yes` added for the commands that need it (red team 45c R45c-7:
 * `%conda install "numpy && pip install x"` runs pip). IPython's `--prefix sys.prefix` is left
 * out: one folder word of the kernel's machine, which moves no word boundary of the line's
 * own. A line `shlex.split` refuses raises in IPython: nothing runs.
 */
function pushPackageMagic(
  line: string,
  from: number,
  to: number,
  shell: ShellText[]
): void {
  const space = line.indexOf(' ');
  const tool = space < 0 ? line : line.slice(0, space);
  if (!CONDA_LINE_MAGICS.has(tool)) {
    shell.push({ kind: 'shell', text: line, offset: from, expansions: 2 });
    return;
  }
  let words: string[];
  try {
    words = shellWords(space < 0 ? '' : line.slice(space + 1));
  } catch {
    return;
  }
  const command = words[0] ?? '';
  const args = words.length > 1 ? words.slice(1) : [''];
  const yes =
    CONDA_NEEDS_YES.has(command) && !args.some(a => a === '-y' || a === '--y')
      ? ['--yes']
      : [];
  shell.push({
    kind: 'shell',
    text: [tool, command, ...yes, ...args].join(' '),
    offset: from,
    extent: { from, to },
    expansions: 2
  });
}

/** `%run`'s short options (`parse_options(..., 'nidtN:b:pD:l:rs:T:em:G')`, read with
 * `getopt`): the letters that take a value. Any other letter is an error: nothing runs. */
const RUN_FLAGS = new Set('nidtpreG');
const RUN_VALUED = new Set('NbDlsTm');
/** Dotted parts, none empty, not an option: IPython's `find_mod` looks each part up as a file
 * name (`PathFinder`), so a part need not be an identifier (`pip.__pip-runner__`, R48b-4). */
const MODULE_NAME = /^(?!-)[^.\s/]+(?:\.[^.\s/]+)*$/u;

/**
 * `%run [options] -m MODULE ARGS` (`line`: `run ...` as IPython passes it, red team 47c
 * R47c-3) runs MODULE in the kernel as `python -m MODULE ARGS` would: pushed as that start.
 * As IPython does, the line is split with `shlex`, a `--` is put after `-m MODULE` when `-m`
 * is its own word among the leading options and the line has no `--` (IPython issue #3664:
 * the module's own options are not `%run`'s), and the options are read with `getopt` (they
 * end at the first word that is not one). A line IPython refuses (a quote left open, an
 * unknown option) runs nothing; `%run FILE` runs a file Warden does not read.
 */
function pushRunModule(
  line: string,
  from: number,
  to: number,
  shell: ShellText[]
): void {
  const args = line.replace(/^\S*\s?/, '');
  let words: string[];
  try {
    words = shellWords(args);
  } catch {
    return;
  }
  if (args.includes('-m') && !args.includes('--')) {
    for (let k = 0; k < words.length; k++) {
      if (!words[k].startsWith('-') || words[k] === '-') {
        break;
      }
      if (words[k] === '-m') {
        words.splice(k + 2, 0, '--');
        break;
      }
    }
  }
  const modules: string[] = [];
  let k = 0;
  for (; k < words.length; k++) {
    const word = words[k];
    if (word === '--') {
      k++;
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      break;
    }
    for (let c = 1; c < word.length; c++) {
      if (RUN_VALUED.has(word[c])) {
        const value = c + 1 < word.length ? word.slice(c + 1) : words[++k];
        if (value === undefined) {
          return; // getopt: "option -m requires argument"
        }
        if (word[c] === 'm') {
          modules.push(value);
        }
        break;
      }
      if (!RUN_FLAGS.has(word[c])) {
        return; // getopt: "option -x not recognized"
      }
    }
  }
  if (modules.length > 0 && MODULE_NAME.test(modules[0])) {
    shell.push({
      kind: 'start',
      text: line,
      offset: from,
      argv: ['python', '-m', modules[0], ...words.slice(k)],
      extent: { from, to }
    });
  }
}

/**
 * A use of an `%alias_magic` line alias (`line`: `NAME ARGS` as IPython passes it): the
 * target magic run with the alias's fixed parameters before ARGS (`MagicAlias.__call__`),
 * read as that magic's own line would be, its findings placed on the use.
 */
function useMagicAlias(
  aliases: IPythonAliases,
  line: string,
  from: number,
  to: number,
  shell: ShellText[]
): void {
  // followed in a loop, not by recursion: a chain is as long as the notebook makes it
  const seen = new Set<string>();
  for (;;) {
    const space = line.indexOf(' ');
    const name = space < 0 ? line : line.slice(0, space);
    const alias = aliases.magicAlias(name, 'line');
    if (alias === undefined) {
      break;
    }
    if (seen.has(name)) {
      // IPython: "Infinite recursion detected" (an alias calling itself again), nothing
      // runs; a chain without a cycle is followed to its end (red team 47c R47c-5)
      return;
    }
    seen.add(name);
    const args = space < 0 ? '' : line.slice(space + 1);
    line = `${alias.target} ${alias.params === '' ? args : `${alias.params} ${args}`}`;
  }
  const virtual = `%${line}`;
  const found: ShellText[] = [];
  maskMagic(virtual, 0, virtual.length, [], found, aliases);
  shell.push(...found.map(f => ({ ...f, offset: from, extent: { from, to } })));
}

/**
 * An automagic alias line: a name, then the line's end, a space or a shell operator, and no
 * assignment or comparison (IPython's AssignmentChecker runs before AutoMagicChecker:
 * `ls = 3`, `ls == 3` are Python; `ls | x`, `ls; x` run the alias). IPython would also run
 * `ls(x)` as the alias; a call is kept as Python so the Python rules still read
 * `cat(pickle.loads(b))`.
 */
const AUTOMAGIC_ALIAS_LINE =
  /([A-Za-z_]\w*)(?=$|[ \t;|&<>\r\n])(?![ \t]*[=,])/my;

/** The shell line (or unreadable use) of alias `name` called with `args`, placed on the use. */
function useAlias(
  aliases: IPythonAliases,
  name: string,
  args: string,
  from: number,
  to: number,
  shell: ShellText[]
): void {
  const use = aliases.use(name, args);
  if (use.kind === 'nothing') {
    return; // IPython raises before the shell starts
  }
  shell.push({
    kind: use.kind,
    text: use.kind === 'shell' ? use.text : use.why,
    offset: from,
    extent: { from, to },
    expansions: 2 // its arguments: the magic's call, then the alias's `system`
  });
}

function blankOut(code: string, from: number, to: number): string {
  return (
    code.slice(0, from) +
    code.slice(from, to).replace(/[^\n\r]/g, ' ') +
    code.slice(to)
  );
}

function applyEdits(code: string, edits: Edit[]): string {
  if (edits.length === 0) {
    return code;
  }
  const parts: string[] = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(code.slice(pos, e.from));
    const len = e.to - e.from;
    const body = code.slice(e.from, e.to).replace(/[^\n\r]/g, ' ');
    if (e.kind === 'stmt' && len > 0) {
      parts.push('0' + body.slice(1));
    } else if (e.kind === 'semi' && len > 1) {
      parts.push('0;' + body.slice(2));
    } else {
      parts.push(body);
    }
    pos = e.to;
  }
  parts.push(code.slice(pos));
  return parts.join('');
}
