/**
 * Environment values that carry a command (red team 25 R25-3). A port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/command_values.py`: keep the two alike.
 *
 * Programs run commands named in variables Warden has no table for: every JVM reads
 * `JAVA_TOOL_OPTIONS` (`-XX:OnOutOfMemoryError=CMD` runs CMD with `/bin/sh -c`), npm reads
 * every `npm_config_*` (`npm_config_call=CMD npm exec`). No list of such variables is
 * complete, so a value the line assigns (`X=... cmd`) is read for what a shell would start
 * from it, whatever its name: one that may be command text (a blank, a `;`, a pipe) and names
 * an installer anywhere, or in command position (the first word of each command, what follows
 * an option's `=`) a shell, a wrapper, a code interpreter or a program that runs its input
 * as commands, is refused; so is one that sets PATH or moves (`cd`) before a relative program
 * (`unplaceable`). Pythons are left out (a Python the start runs is guarded). A shell's own
 * code variable (`BASH_FUNC_*`, `BASH_ENV`, `SHELLOPTS`) is refused whatever its value: any
 * program may start bash with it (red team 26 R26-2: npm's `script-shell=bash`).
 *
 * Red team 26 R26-1: a value's parameters are read as the environment it is expanded in holds
 * them (`$C $D install`, C=uv and D=pip). The static side knows only the line's assignments:
 * a parameter the line does not set is the kernel's, which it cannot see, and a value that
 * may be command text naming one is refused as an expansion it cannot resolve here (the
 * kernel reads the value it holds). The kernel also asks PATH whether a name is a program
 * there (`R`, `expect` where none is installed name nothing), the file system whether a path
 * is one, where a link leads and what a pattern matches; the static side has none of them
 * and decides by name (`program`), leaving a pattern in command position undecided. A value
 * set in the kernel (`%env`, `os.environ`) is the kernel's to refuse when it is set.
 */
import {
  commandTokens,
  dequoted,
  hasPattern,
  mayBeCommandText,
  optionValues,
  quoted,
  unplaceable
} from './handedtext';
import { isInterpreter } from './interpreters';
import { shellSets } from './shellvalues';
import { INSTALLER_PIECE, PYTHON, STARTERS } from './starters';

// the words of a value, split where a shell or an option list splits them
const PIECES = /[^\s;&|()<>`'"=,{}:\0]+/g;
// a shell's expansions in a value a program runs as shell text: a command substitution runs
// its own text, and its output is no name Warden knows; a parameter is another variable's
// value (`$C $D install`)
const SUBSTITUTION = /\$\(|`/;
// what stands in a value's text for what Warden cannot know where the value runs: a command
// substitution's output, a parameter the shell sets itself (no value holds a NUL)
const UNKNOWN = '\0';
// bash's own expansions a value may hold (red team 29b R29b-4/5): $'...' (ANSI-C quoting),
// $"..." (the locale's) and $[...] (arithmetic), whose text is not what runs; a brace
// expansion ({u..u}v, {a,b}), which makes its words (the kernel's command_values)
const BASH_DOLLAR = /\$(?=['"[])/g;
const BRACES = /\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}/;
const PARAMETER = /\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([0-9@*#?$!-]))/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_IFS = ' \t\n';
// parameters npm sets for the `sh -c` that runs a value, whatever the line sets (the kernel's
// `command_values._PROGRAM_SET`): red team 27 R27-3 (npm_*, INIT_CWD, NODE, EDITOR,
// NODE_OPTIONS: @npmcli/config's set-envs.js) and red team 28c R28c-4 (COLOR, '0' or '1':
// npm's lib/npm.js; NODE_ENV, 'production' when dev installs are omitted: @npmcli/config's
// definitions.js; NODE_PATH, npm rebuild; `npm exec -c env` diffed with its parent's)
const PROGRAM_SET = new Set([
  'INIT_CWD',
  'NODE',
  'EDITOR',
  'NODE_OPTIONS',
  'NODE_PATH',
  'COLOR',
  'NODE_ENV'
]);
// @npmcli/run-script's setPATH merges PATH and every `path`/`Path` (`/^path$/i`) and sets
// each to the merge (R28c-4): a case variant of PATH the line sets makes PATH npm's
const PATH_NAME = /^path$/i;

/** Whether npm sets `name` for the shell that runs a value (`lookup`: the line's variables). */
function programSets(
  name: string,
  lookup: (name: string) => string | undefined
): boolean {
  if (PROGRAM_SET.has(name) || name.startsWith('npm_')) {
    return true;
  }
  return PATH_NAME.test(name) && anyPathVariant(lookup);
}

/** Whether the line sets a case variant of PATH other than PATH itself (16 spellings). */
function anyPathVariant(lookup: (name: string) => string | undefined): boolean {
  for (let bits = 0; bits < 16; bits++) {
    const name = [...'path']
      .map((c, i) => (bits & (1 << i) ? c.toUpperCase() : c))
      .join('');
    if (name !== 'PATH' && lookup(name) !== undefined) {
      return true;
    }
  }
  return false;
}
// programs that run their input or arguments as commands of their own
const RUNS_INPUT = new Set(['xargs', 'eval', 'env', 'busybox']);
// shells Warden does not read as shells (it refuses what it cannot read in them) that still
// run a value's command
const OTHER_SHELLS = new Set(['fish', 'tcsh', 'csh']);
// names only a shell knows (no program file PATH could find: the kernel's PATH look-up finds
// nothing for them)
const BUILTINS_ONLY = new Set(['exec', 'command', 'builtin', 'coproc', 'eval']);

/**
 * The variables that make a shell run code of its choosing besides `BASH_FUNC_*` (the one
 * list on the static side: `shellCodeVariable` and `refusedValue` read it; the kernel's
 * `commands._SHELL_CODE` and `command_values._SHELL_CODE_NAMES`).
 */
const SHELL_CODE = new Set(['BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'GLOBIGNORE']);
const INTERACTIVE_CODE = new Set(['ENV', 'PROMPT_COMMAND']);
/**
 * What makes pyenv (the `pyenv` program, and every shim: a bash script that runs `pyenv exec`)
 * source bash files of the value's choosing before the program it picks: its hook path
 * (PYENV_HOOK_PATH's folders, then $PYENV_ROOT/pyenv.d and $PYENV_ROOT/plugins/NAME/etc/pyenv.d),
 * red team 31 R31-4 (the kernel's `commands._PYENV_CODE`, `pyenv_code`). The kernel also lets
 * the launcher's own values through; the static side sees none.
 */
const PYENV_CODE = new Set(['PYENV_HOOK_PATH', 'PYENV_ROOT']);
// pyenv's default root, as a line writes it
const PYENV_DEFAULT_ROOT = /^(~|\$HOME|\$\{HOME\})\/\.pyenv\/?$/;

function pyenvCode(name: string, value: string): boolean {
  if (value === '') {
    return false;
  }
  return name !== 'PYENV_ROOT' || !PYENV_DEFAULT_ROOT.test(value);
}

/**
 * The first variable of `env` that makes a shell run code of its choosing ('' when none): an
 * exported bash function (`BASH_FUNC_pip%%`, run instead of any program of that name), the
 * file bash sources before `-c` (`BASH_ENV`), the one sh reads when interactive (`ENV`), the
 * options bash imports (`SHELLOPTS=xtrace`, `BASHOPTS`) and what they run (`PS4='$(cmd)'`),
 * `GLOBIGNORE`, and what an interactive shell runs (`PROMPT_COMMAND`).
 * Red team 11 R11-13 (commands.shell_code_variable).
 */
export function shellCodeVariable(
  env: Readonly<Record<string, string>>,
  interactive = true
): string {
  for (const [name, value] of Object.entries(env)) {
    if (
      name.startsWith('BASH_FUNC_') ||
      (SHELL_CODE.has(name) && value !== '') ||
      (name === 'PS4' && /[$`]/.test(value)) ||
      (INTERACTIVE_CODE.has(name) && value !== '' && interactive) ||
      (PYENV_CODE.has(name) && pyenvCode(name, value))
    ) {
      return name;
    }
  }
  return '';
}

/**
 * What `value` starts read as shell text, in words for the message ('' when nothing Warden
 * refuses); `lookup`: the value of a variable its parameters name where the line sets it
 * (undefined: the kernel's, which the static side does not see).
 */
export function runsCommand(
  value: string,
  lookup: (name: string) => string | undefined = () => undefined
): string {
  if (!value.includes('$')) {
    return read(value);
  }
  let operator = false;
  const unknown: string[] = [];
  const shellSet: string[] = [];
  if (/\$['"[]/.test(value)) {
    shellSet.push("bash's $'...', $\"...\" or $[...]");
  }
  const marked = value.replace(BASH_DOLLAR, UNKNOWN);
  const expanded = marked.replace(
    PARAMETER,
    (_m, braced?: string, plain?: string, special?: string) => {
      const name = (braced ?? plain ?? special) as string;
      if (shellSets(name) || programSets(name, lookup)) {
        // red team 28a R28a-4: `$#`, `$?`, `$1`, RANDOM, IFS are the shell's (npm's `sh -c`
        // sets `$#` to 0: `./$#` ran a link ./0), unknown in command position; `sh -c` alone
        // has $0 = sh, and IFS is a blank whatever the environment holds; R28c-4: what npm
        // sets (`./$COLOR` ran a link ./0 with COLOR=1 on the line)
        shellSet.push('$' + name);
        const held =
          name === '0' ? 'sh' : name === 'IFS' ? DEFAULT_IFS : lookup(name);
        return UNKNOWN + (held ?? '');
      }
      if (!NAME.test(name)) {
        operator = true; // `${X:-uv}`
        return '';
      }
      const found = lookup(name);
      if (found === undefined) {
        unknown.push(name);
      }
      return found ?? '';
    }
  );
  const texts = quoted(value) ? [value, dequoted(value)] : [value];
  // red team 27 R27-4: a one-word `${SCRATCH:-/tmp}/data` runs what a word alone runs
  if (operator && texts.some(commandText)) {
    return 'uses a shell expansion Warden cannot resolve (a ${...} with an operator)';
  }
  if (unknown.length > 0 && texts.some(commandText)) {
    return `uses a shell expansion Warden cannot resolve here ($${unknown[0]}, which the line does not set, is the kernel's)`;
  }
  return read(expanded, false, shellSet);
}

/**
 * What `value` runs read as shell text ('' when nothing Warden refuses): an installer named
 * anywhere in it; in command position a shell, a wrapper or a code interpreter by its name,
 * a parameter the shell sets or a command substitution's output; what a command substitution
 * runs; a PATH or a cd it sets. `command`: it is a command whatever its words (a
 * substitution's text); `unknown`: what its UNKNOWN marks stand for, for the message.
 */
function read(value: string, command = false, unknown: string[] = []): string {
  const texts = quoted(value) ? [value, dequoted(value)] : [value];
  if (!command && !texts.some(commandText)) {
    return ''; // one word: a path, a number, a name; a program named alone runs bare
  }
  for (const whole of texts) {
    const pieces = substitutions(whole);
    for (const [body, inner] of pieces) {
      const found = inner ? read(body, true, unknown) : '';
      if (found) {
        return found;
      }
    }
    // the static side sees no files: a substitution that runs anything may print a name
    const outer = pieces
      .map(([body, inner]) => (inner ? (body.trim() ? UNKNOWN : '') : body))
      .join('');
    const sources =
      pieces.length > 1 && outer.includes(UNKNOWN)
        ? [...unknown, "a command substitution's output"]
        : unknown;
    for (const piece of outer.match(PIECES) ?? []) {
      const name = lastPart(piece);
      if (INSTALLER_PIECE.test(name) && program(piece)) {
        return `runs ${name}`;
      }
    }
    const found = inCommandPosition(outer, sources) || unplaceable(outer);
    if (found) {
      return found;
    }
  }
  return '';
}

/**
 * Whether `text` may be a command with words of its own (a blank or a break). A backtick
 * alone is none (red team 27 R27-4: a password `Xk9$(pQ2`, a one-word value runs what a
 * program named alone runs).
 */
function commandText(text: string): boolean {
  return mayBeCommandText(text.replace(/`/g, ''));
}

/**
 * `text` cut at its command substitutions (`$(...)`, a backtick pair; one left open runs to
 * the end): [piece, whether it is a substitution's text], in order (the kernel's
 * `command_values._substitutions`).
 */
function substitutions(text: string): [string, boolean][] {
  if (!SUBSTITUTION.test(text)) {
    return [[text, false]];
  }
  const pieces: [string, boolean][] = [];
  let i = 0;
  let start = 0;
  while (i < text.length) {
    let j: number;
    if (text.startsWith('$(', i)) {
      let depth = 1;
      j = i + 2;
      while (j < text.length && depth) {
        depth += text[j] === '(' ? 1 : text[j] === ')' ? -1 : 0;
        j += 1;
      }
      pieces.push([text.slice(start, i), false]);
      pieces.push([text.slice(i + 2, depth === 0 ? j - 1 : j), true]);
    } else if (text[i] === '`') {
      j = text.indexOf('`', i + 1);
      j = j < 0 ? text.length : j;
      pieces.push([text.slice(start, i), false]);
      pieces.push([text.slice(i + 1, j), true]);
      j += 1;
    } else {
      i += 1;
      continue;
    }
    i = start = j;
  }
  pieces.push([text.slice(start), false]);
  return pieces;
}

/**
 * A shell, wrapper or interpreter in command position (red team 26 R26-4: a note naming
 * `env` or `dash` elsewhere is no command). The kernel also reads a link there as the
 * program it leads to and a pattern by the files it matches now; the static side sees no
 * files and leaves a pattern undecided (jq's `.[]` must pass).
 */
function inCommandPosition(text: string, unknown: string[]): string {
  for (const token of commandTokens(text, false)) {
    if (BRACES.test(token)) {
      return `runs what bash's brace expansion ${token} makes, which Warden does not read`;
    }
  }
  for (const token of [...commandTokens(text), ...optionValues(text)]) {
    if (token.includes(UNKNOWN)) {
      const source = [...new Set(unknown)].join(', ');
      return (
        `uses a shell expansion Warden cannot know in command position (${source}: the ` +
        'shell or the program that runs the value sets it, or a command prints it, where it runs)'
      );
    }
    if (hasPattern(token)) {
      continue;
    }
    const name = lastPart(token);
    if (startsCommands(name) && program(token)) {
      return `runs ${name}`;
    }
  }
  return '';
}

function startsCommands(name: string): boolean {
  if (PYTHON.test(name)) {
    return false; // a Python it starts is guarded
  }
  return (
    INSTALLER_PIECE.test(name) ||
    STARTERS.has(name) ||
    OTHER_SHELLS.has(name) ||
    RUNS_INPUT.has(name) ||
    isInterpreter(name)
  );
}

/**
 * Whether a piece of a value may name a program: a bare name (the kernel asks PATH, the
 * static side takes it for one, but a shell's builtin, which no PATH holds), or a path to a
 * file in a bin folder (`/bin/bash`, `/opt/conda/bin/conda`). The kernel asks the file system
 * whether a path is an executable file; the static side cannot, and a folder named like a
 * program (`/tmp/conda` in `CONDA_PKGS_DIRS=/opt/conda/pkgs,/tmp/conda`) is no program.
 */
function program(piece: string): boolean {
  if (!piece.includes('/')) {
    return !BUILTINS_ONLY.has(piece);
  }
  return /(^|\/)s?bin\/[^/]+$/.test(piece);
}

function lastPart(piece: string): string {
  return piece.slice(piece.lastIndexOf('/') + 1);
}

/**
 * Why the line setting `name` to `value` is refused ('' when it is not); `lookup`: the
 * line's other assignments. A shell's own code is refused whatever its value (red team 26
 * R26-2).
 */
export function refusedValue(
  name: string,
  value: string,
  lookup: (name: string) => string | undefined = () => undefined,
  shellCode = true
): string {
  if (
    shellCode &&
    (name.startsWith('BASH_FUNC_') ||
      SHELL_CODE.has(name) ||
      PYENV_CODE.has(name) ||
      name === 'PS4') &&
    shellCodeVariable({ [name]: value }, false)
  ) {
    if (PYENV_CODE.has(name)) {
      return (
        `the environment variable ${name}, set by the notebook, names folders of bash ` +
        'hooks that pyenv (every pyenv shim: python3, pip...) sources before the program ' +
        `it runs, which Warden does not read: remove it (os.environ.pop('${name}') before ` +
        'it)'
      );
    }
    return (
      `the environment variable ${name}, set by the notebook, is shell code (an exported ` +
      'bash function, BASH_ENV, SHELLOPTS), which runs code Warden does not read in any ' +
      `bash a program starts: remove it (os.environ.pop('${name}') before it)`
    );
  }
  const what = runsCommand(value, lookup);
  return what
    ? `the environment variable ${name}, set by the notebook, holds a command that ${what} ` +
        "(a program may run its value as shell text: JAVA_TOOL_OPTIONS' -XX:OnOutOfMemoryError, " +
        'npm_config_call), which Warden does not read: run the command as its own, or unset ' +
        name
    : '';
}

/** Why a start given `env` (the line's assignments) is refused: its first value that carries
 * a command, its parameters read in `env`; '' when none does. `shellCode`: a shell's own code
 * variable counts (not for a guarded Python's start, whose own gate reads it: the kernel's
 * `refused_env`). */
export function refusedEnv(
  env: Readonly<Record<string, string>>,
  shellCode = true
): string {
  const lookup = (name: string) =>
    Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
  for (const [name, value] of Object.entries(env)) {
    const why = refusedValue(name, value, lookup, shellCode);
    if (why) {
      return why;
    }
  }
  return '';
}
