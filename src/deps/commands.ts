/**
 * Which installs a command asks for (a port of the kernel's `installs/commands.py` and
 * `gate.read_requests`): a shell string (a notebook's `!cmd`, `%pip ...`, `sh -c` strings),
 * split by the analyzer's own shell reader (`parsePipelines`), or an argv list. Installers are
 * found through `VAR=value` assignments, `env`/`sudo`/`nohup`/... wrappers, `sh -c`,
 * `python -m pip`, full paths and versioned names (`pip3.11`).
 *
 * A command whose meaning depends on an expansion Warden cannot see (`$VAR`, `$(...)`,
 * backticks, `{a,b}` braces) when it could run an installer is unreadable: refused (fail
 * closed), as is a program Warden does not read that names an installer among its words
 * (`setsid`, `flock`, `find -exec`). Along a shell line, `cd` and assignments carry to later
 * commands, and an install after (or alongside) a command that may write files it reads is
 * refused (`Invocation.problem`). Commands with no installer in them give nothing.
 */
import * as path from 'node:path';
import { parsePipelines } from '../analyzer/shell';
import {
  addImplicitSources,
  condaRequest,
  installerWritesFiles,
  installerWritesNothing,
  pipRequest,
  uvRequest,
  uvRunCommand,
  uvInterpreterRequest,
  uvPythonProblem,
  uvRunEnvFiles,
  uvSubcommand,
  uvToolCommand,
  type CommandContext
} from './installers';
import { Compounds, QUOTED, unquoted, wordParens } from './compoundredirect';
import { IPiece, afterOwn } from './substredirect';
import { readEnvFiles } from './dotenv';
import { EnvSplitUnread, envSplit } from './envsplit';
import { isCodeVariable, isInterpreter, refusedCode } from './interpreters';
import {
  inspects,
  pycachePrefix,
  stdlibLocation,
  unknownXOption
} from './startup';
import {
  commandsOnDescriptor,
  inputWord,
  launches as tableLaunches,
  longOption,
  readRunner,
  runnerVariable,
  splitBundle,
  tabled
} from './shellrunners';
import { FRONT_ENDS, frontEndRequest, pixiExec } from './frontends';
import {
  dynamicCode,
  importBeyondStdlib,
  importsBeyondStart,
  importVariable,
  leadingImports,
  literalStarts,
  mayWrite as codeMayWrite,
  runModuleProblem
} from './guardless';
import * as shellValues from './shellvalues';
import {
  isOn,
  parseShellStart,
  UnknownOption,
  type ShellStart
} from './shelloptions';
import {
  linePlaces,
  namesAssigned,
  unwrapBuiltin,
  type Place
} from './lineflow';
import { addLocalProjects } from './localprojects';
import * as assignmentScope from './assignmentscope';
import { pipxAppCommands } from './pipxcli';
import { readEnvironmentInto } from './projectfiles';
import { refusedAssignments, refusedOperand } from './programfolders';
import { newRequest, type InstallRequest } from './request';
import { IPYTHON_FIELD } from './ipythonexpansion';
import { ownRedirectionProblem, readProblem } from './ownredirect';
import {
  INSTALLER_PIECE,
  PYTHON,
  readsFully,
  SHELL_STRING_RUNNERS,
  SHELLS,
  STARTERS,
  WRAPPERS
} from './starters';
import {
  commandNames,
  dequoted,
  mayBeCommandText,
  quoted,
  unplaceable
} from './handedtext';
import { refusedEnv, shellCodeVariable } from './commandvalues';
import {
  hasHint,
  MaskedLine,
  maskShellText,
  Uncertain,
  unseen
} from './shelltext';

const PIP = /^pip(\d+(\.\d+)?)?$/;
/**
 * Programs that never start another program, whatever their arguments: an installer's name
 * among their words is data (`echo "pip install x"`). Any other program Warden does not read
 * (`setsid`, `flock`, `find -exec`, `script -c`, `git -c alias...`) with an installer named
 * among its words is unreadable (red team 7 R7-13).
 */
export const INERT_PROGRAMS: ReadonlySet<string> = new Set(
  (
    'echo printf cat ls grep egrep fgrep head tail wc cut tr sort uniq mkdir rmdir rm cp mv ln ' +
    'touch chmod chown pwd cd pushd popd test [ true false : basename dirname realpath readlink ' +
    'stat file du df which type whereis diff cmp md5sum sha1sum sha256sum date sleep tee curl ' +
    'export unset declare typeset readonly local whoami id uname hostname nproc free nvidia-smi ' +
    // unzip runs no program: its archive after a download on the line is data
    'set fi done esac for select case unzip'
  ).split(' ')
);
/** Of those, the ones that write no file either (unless their output is redirected): an
 * install later on the same line reads what the line found (red team 7 R7-16). */
const NO_WRITE = new Set([
  ...[...INERT_PROGRAMS].filter(
    p =>
      !'sort uniq rmdir rm cp mv ln touch chmod chown tee curl unzip'
        .split(' ')
        .includes(p)
  ),
  // not `python -m venv DIR` (fix62venv): it writes DIR, and `-m venv` runs whatever module
  // named venv comes first on its path
  'python --version'
]);
/** Of the writers, those that make no program file: a program run by a path later on the line
 * is the file as it was (`mkdir -p out && ./train.sh`); any other writer may have made it (red
 * team 12 R12-4). The kernel's `_NO_PROGRAM_WRITE`. */
const NO_PROGRAM_WRITE = new Set([
  'mkdir',
  'rmdir',
  'rm',
  'touch',
  'chmod',
  'chown'
]);
/** The first command of the shell line being read (its outer lines included) that may write a
 * program file; '' when none has. */
let writtenOnLine = '';
// whether a line the command runs as text of its own (`sh -c`, `eval`) may write (`nested`)
let innerWrote = false;
// The folder the start being read runs in, from the start's own ('' itself; null: a cd left
// it unknown): where a shell's file of commands is placed (red team 17 R17-5: `cd /dev &&
// bash stdin`). The kernel's `current_folder()`.
let startFolder: string | null = '';
/** What on the shell line being read may write a file a guardless Python's code then imports
 * (red team 17 R17-13, the kernel's _LINE_WRITER): a command before it, or one running
 * alongside it or again after it; '' when none may. */
let lineWriter = '';
/** A redirection of the command's own output to a file: written while its code runs. */
let ownOutput = '';
/** The files the output redirections of the command running the line being read open
 * before it runs (red team 56b R56b-8: `sh -c 'python -E ...' > mod.py`, `eval '...' >
 * mod.py`): every command of the inner text is given them as a compound command's (the
 * kernel's `_AROUND`). Set for a command's `simple`. */
let around: readonly string[] = [];

/** A command after the k-th that may write before or while it runs: in its pipeline,
 * anything after it sent to the background, a later command of the loop it repeats in,
 * anything later when it is a function's body (the kernel's `_later_writer`). */
function laterWriter(
  commands: Array<{ words: string[]; writes: boolean; op?: string }>,
  k: number,
  places: Array<{ loop: number | null; inFunction: boolean }>
): string {
  const concurrent = ['|', '|&', '&'];
  const background = commands[k].op === '&';
  let alongside = background || concurrent.includes(commands[k].op ?? ';');
  const { loop, inFunction } = places[k];
  for (let j = k + 1; j < commands.length; j++) {
    const later = commands[j];
    const repeated = inFunction || (loop !== null && places[j].loop === loop);
    if (alongside || repeated) {
      const word = later.words.find(
        w => !/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w)
      );
      const program = basename(word ?? '');
      if (later.writes || !NO_WRITE.has(program)) {
        return program || 'a redirection';
      }
    }
    alongside =
      background || (alongside && concurrent.includes(later.op ?? ';'));
  }
  return '';
}
const PY_INFO = ['--version', '-V', '-VV', '--help', '-h'];
/** conda commands that change the shell or run a command rather than install */
const CONDA_STATE = new Set(['activate', 'deactivate', 'init', 'shell', 'run']);
const LOOPS = new Set(['while', 'until', 'for', 'select', 'function']);
const STATE_BUILTINS = new Set([
  'export',
  'declare',
  'typeset',
  'readonly',
  'local'
]);
const PYTHON_MODULE_FLAG =
  /^-[A-Za-z]*m(pip|uvx?|conda|mamba|pipx|poetry|pdm|pipenv|hatch|runpy|piptools)([.].*)?$/;
/** A whole option word of CPython's (red team 27b R27b-2): a cluster of its flags (`-I`,
 * `-IS`, `-tI`), maybe ending in a letter that takes the rest as its value (`-Ic CODE`,
 * `-Xfrozen_modules=off`). `-I.`, `-Iinclude`, `-DCMAKE_BUILD_TYPE` are a compiler's or
 * cmake's words. */
// a cluster's `-` starts a long option, and alone at its end ends the options (`-I- train.py`:
// CPython's getopt, red team 29a R29a-7)
const PY_OPTION_WORD = /^-(?=.)([bBdEhiIOPqRsStuvVx?]*)([cmWXQ-].*)?$/;
const PIECES = /[^\s;&|()<>`'"=,{}]+/g;
/** The shell words of a piece of text: a Python's options are read from these, whole (red
 * team 28a R28a-3: split at `=`, `-X utf8=1 -I` read as `-X utf8`, then `1`, no option). */
const TEXT_WORDS = /[^\s;&|()<>`'"{}]+/g;
/** Names a shell pattern in a word may expand to (`/usr/bin/u?`, `p*x`). */
const PATTERN_TARGETS = ('pip pip3 uv uvx conda mamba micromamba pipx poetry pdm pipenv hatch ' +
  'pixi rye runpy python python3').split(' '); // prettier-ignore
const GLOB = /[*?]|\[.*\]/;

/** Python's fnmatch.fnmatchcase: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal. */
function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const close = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') {
      re += '[\\s\\S]*';
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (close > 0) {
      let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
      body = body.startsWith('!')
        ? '^' + body.slice(1)
        : body.replace(/^\^/, '\\^');
      re += `[${body}]`;
      i = close;
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  try {
    return new RegExp(`^(?:${re})$`).test(name);
  } catch {
    return false;
  }
}

/** Whether `words` (the arguments of a program Warden does not read) name an installer: a
 * word, or a piece of a command string held in one word, that is an installer's name or
 * path, `-mpip`-like, or a Python followed by a flag that drops the guard. A word is read as
 * written and with its quotes removed, as a shell it is handed to reads it (red team 25
 * R25-1: `npx -c 'u""v p""ip install ...'`). */
export function namesInstaller(words: readonly string[]): boolean {
  const texts = words.flatMap(w => (quoted(w) ? [w, dequoted(w)] : [w]));
  const units = texts.flatMap(t => t.match(TEXT_WORDS) ?? []);
  // each piece of a word (split at `=` and `,`: `--python=python3`); a Python named by one
  // takes the rest of its word's pieces, then the following words whole, as its options
  // (`-X utf8=1`): the kernel's `_pieces`
  return units.some((unit, k) => {
    const pieces = unit.match(PIECES) ?? [];
    return pieces.some((piece, j) => {
      const base = basename(piece);
      return (
        INSTALLER_PIECE.test(base) ||
        PYTHON_MODULE_FLAG.test(base) ||
        // the shell may expand a pattern to an installer's name
        namesByPattern(base) ||
        (PYTHON.test(base) &&
          !piece.startsWith('-') &&
          dropsGuard([...pieces.slice(j + 1), ...units.slice(k + 1)]))
      );
    });
  });
}

/** Whether the words after a Python's name start with its own options, read as CPython reads
 * them, and one of them drops the guard: `-I`, `-E`, `-S` (in a cluster too: `-u -IS`,
 * `-bIc`, `-tI`, after `-W x` or `-X utf8=1`), or an `-X` option `unknownXOption` does not
 * know harmless (red team 28a R28a-3: `-X pycache_prefix=DIR`); the kernel's `_drops_guard`.
 * The options end at `-c`, `-m`, the script, `-`, `--` or a word that is none of CPython's
 * options. A piece that is an option (`-I/usr/include/python3.11`) is no Python's name; the
 * kernel also passes over a path to a folder or a plain file, which the static side cannot
 * look at. */
function dropsGuard(after: readonly string[]): boolean {
  for (let i = 0; i < after.length; i++) {
    const word = after[i];
    if (word.split('=')[0] === '--check-hash-based-pycs') {
      i += word.includes('=') ? 0 : 1; // CPython's one long option with a value
      continue;
    }
    if (PY_LONG_FLAGS.has(word)) {
      continue;
    }
    const match = PY_OPTION_WORD.exec(word);
    if (!match) {
      return false;
    }
    const [, letters, valued = ''] = match;
    if (/[IES]/.test(letters)) {
      return true;
    }
    if (valued && 'cm'.includes(valued[0])) {
      return false; // its code or module: no more options
    }
    if (valued[0] === '-') {
      const option = '-' + valued; // `-u-check-hash-based-pycs`: a long option in the cluster
      if (option === '--') {
        return false; // `-I-`: the options end, its script follows
      }
      if (option.split('=')[0] === '--check-hash-based-pycs') {
        i += option.includes('=') ? 0 : 1;
        continue;
      }
      if (PY_LONG_FLAGS.has(option)) {
        continue;
      }
      return false; // an option CPython does not have: it stops there
    }
    let value = valued.slice(1);
    if (valued && !value) {
      value = after[++i] ?? ''; // `-X name`: its value is the next word
    }
    if (valued[0] === 'X' && unknownXOption(['-X', value])) {
      return true;
    }
  }
  return false;
}

/** A shell pattern that may expand to an installer's name (`u?`, `p*p`). One with no letter
 * or digit of its own (`*`, `data/**`, `??`) matches any short name and is what
 * `tar czf out.tgz *` or `--exclude 'data/**'` write: it does not count (the kernel's
 * `_names_by_pattern`). */
function namesByPattern(base: string): boolean {
  return (
    GLOB.test(base) &&
    /[A-Za-z0-9]/.test(base.replace(/[*?]/g, '')) &&
    PATTERN_TARGETS.some(n => fnmatch(n, base))
  );
}

/**
 * A program Warden does not read that names an installer in its words is unreadable; so is
 * one that is, or runs, a code interpreter whose code may compute what it starts (R12-6).
 * `stdin`: what it reads on its input ('decided': a script magic's body, decided on its own).
 */
function refuseUnread(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  stdin = 'unknown'
): void {
  if (INERT_PROGRAMS.has(program)) {
    refuseInertOptions(program, args, env);
    return;
  }
  if (namesInstaller(args)) {
    throw new Unreadable(
      `${program} may run an installer named in its arguments, and Warden does not read what it runs: run the installer directly`
    );
  }
  if (!tabled(basename(program))) {
    // a program the tables do not read (git's, tar's words are read by their tables): any
    // of its words may be shell text it runs
    refuseHandedText(program, args);
  }
  const words = [program, ...args];
  // what a word read as a start reads on its input (red team 55a): `wordInput`
  const inputOf = wordInput(program, stdin);
  for (let j = 0; j < words.length; j++) {
    const given = j === 0 ? stdin : inputOf;
    // the variables it starts with (R13-15: PERL5OPT, NODE_OPTIONS): the start's
    // environment and the line's assignments
    const why = refusedCode(
      words[j],
      words.slice(j + 1),
      { ...startEnv, ...env },
      given !== null,
      stdin === 'decided'
    );
    if (why) {
      throw new Unreadable(why);
    }
    refuseStarted(basename(words[j]), words, j, env, given);
    if (j > 0) {
      refuseOperandPython(program, words.slice(j), env);
      refuseOperandWord(program, words[j]);
    }
  }
  // the folders its environment may name (red team 19 R19-4): the kernel's
  // `_refuse_environment_folders`, where the line alone decides
  const why = refusedAssignments(program, env, writtenOnLine || lineWriter);
  if (why) {
    throw new Unreadable(why);
  }
}

/**
 * A Python word among the operands of a program Warden has no table for (the table's
 * launchers: `taskset -c 0`, `chrt -o 0`, `prlimit`, `perf stat`; any other: `choom -n 0 --`)
 * starts a Python start read from there, with the launcher's environment (red team 32 R32-4,
 * R32-5: `PYTHONPATH=d taskset -c 0 python -c CODE` ran unguarded, unread). Which word is its
 * program Warden does not know (an option may take a value): every Python word is read as
 * one. An interpreter's operands are its code's, a builtin's the shell's. The kernel's
 * `_refuse_operand_python`.
 */
function refuseOperandPython(
  program: string,
  words: string[],
  env: Readonly<Record<string, string>>
): void {
  const name = basename(program);
  if (
    tabled(name) ||
    isInterpreter(name) ||
    shellValues.BUILTINS.has(name) ||
    !PYTHON.test(basename(words[0]))
  ) {
    return;
  }
  refuseInnerStart(program, words, env);
}

/**
 * A word of a program Warden has no table for that, read as shell text, starts a shell, a
 * wrapper, a code interpreter or a program that runs shell text (red team 25 R25-1: `npx -c
 * 'echo B64 | base64 -d | bash'`, `gcc -wrapper sh,-c,TEXT`): the program may hand the word
 * to `sh -c`, and what that command runs is computed where Warden does not read. The
 * kernel's `_refuse_handed_text`, which counts a name only where PATH finds a program of that
 * name; the static side decides by name (`readsFully`).
 */
function refuseHandedText(program: string, args: readonly string[]): void {
  for (const word of args) {
    if (!mayBeCommandText(word)) {
      continue;
    }
    // text whose programs move (red team 26 R26-3: `PATH=s q`, `cd s && ./q`); a pattern in
    // command position (`./[p]`), which the kernel refuses where it matches a file now, is
    // not decided here: the static side sees no files, and jq's `.[]` must pass
    const why = unplaceable(word);
    if (why) {
      throw new Unreadable(
        `${program} may run its argument '${word.slice(0, 60)}' as shell text (as npx -c and gcc -wrapper do), which ${why}: Warden cannot tell what it runs: run the command as its own line`
      );
    }
    for (const name of commandNames(word)) {
      // a Python it starts is guarded (with a flag that drops the guard, namesInstaller
      // refused it)
      if (!PYTHON.test(name) && readsFully(name)) {
        throw new Unreadable(
          `${program} may run its argument '${word.slice(0, 60)}' as shell text (as npx -c and gcc -wrapper do), which starts ${name}, and Warden does not read code run inside another program's argument: run ${name} as its own command`
        );
      }
    }
  }
}

/**
 * An inert program with a table (schema/shell-runners.json) is inert only with the options
 * its table lets pass (red team 18 R18-5: `sort --compress-program=PROG` runs PROG): the
 * table is complete. The kernel's `_refuse_inert_options`.
 */
function refuseInertOptions(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>
): void {
  const name = basename(program);
  const reading = readRunner(name, args, { ...startEnv, ...env }, startFolder);
  if (reading?.refused) {
    throw new Unreadable(`${name}: ${reading.refused.trim()}`);
  }
}

/**
 * A word of a program Warden has no table for (no interpreter: its operands are its code's)
 * that may name the program it starts, where the static side cannot place it (red team 18
 * R18-3, R18-6, R19-4; the kernel's `_refuse_operand_start` reads the file, which the static
 * side does not see): a launcher's word the shell builds (`chrt -o 0 $PWD/x.pl`), an option's
 * attached value that is a path (`dbus-run-session --dbus-daemon=./x.pl`, `gcc -B./tc/`), a
 * relative path after a writer on the line (`programfolders`).
 */
function refuseOperandWord(program: string, word: string): void {
  const name = basename(program);
  // an interpreter's operands are its code's; a builtin's the shell's (`source DIR/activate`)
  if (
    readRunner(name, []) !== null ||
    isInterpreter(name) ||
    shellValues.BUILTINS.has(name)
  ) {
    return;
  }
  const why = refusedOperand(name, word, writtenOnLine || lineWriter);
  if (why) {
    throw new Unreadable(why);
  }
  if (launches(name) && EXPANSION.test(word)) {
    throw new Unreadable(
      `${name} is given a word built by the shell (${construct(word)}), and Warden has no table of what ${name} runs: the word may name the program it starts, which Warden cannot read before the shell builds it: write the word out`
    );
  }
}

/**
 * What `words[j]` (`name`) runs, read in full (red team 13 R13-5): shell text a program of
 * schema/shell-runners.json hands to `sh -c` as a line of its own, a command it starts
 * (`flock F CMD`, `find -exec CMD ;`) or a shell or wrapper named among an unknown program's
 * words as a start of its own. An installer found there is refused, and so is an expansion
 * the inner shell resolves (`u$@v`). The kernel's `_refuse_started`.
 */
function refuseStarted(
  name: string,
  words: string[],
  j: number,
  env: Readonly<Record<string, string>>,
  stdin: string | null = 'unknown'
): void {
  // the variables it starts with: the start's environment and the line's assignments
  const reading = readRunner(
    name,
    words.slice(j + 1),
    { ...startEnv, ...env },
    startFolder,
    j === 0 || stdin !== null
  );
  if (reading === null) {
    if (j > 0 && STARTERS.has(name)) {
      // a shell or launcher word among a program's words: `dpkg -s bash` may be no start at
      // all, read as one with no input of its own; `choom -n 0 -- bash -s` with choom's
      // input (R55a-2)
      refuseInnerStart(name, words.slice(j), env, stdin ?? 'decided');
    }
    return;
  }
  if (reading.refused) {
    // say whose word it is: `man script` refused as "script ..." names a program the user
    // never ran (red team 54c R54c-1)
    const whose =
      j > 0
        ? `${basename(words[0])}'s argument '${words[j]}' may be a program it runs: `
        : '';
    throw new Unreadable(whose + reading.refused);
  }
  const started = { ...env, ...reading.env }; // `tmux new -e NAME=VALUE CMD` (R17-15)
  for (const text of reading.texts) {
    let found: unknown[];
    try {
      // the shell it runs the text in starts with its environment (R17-14)
      found = shellInvocations(text, 0, 1, undefined, { ...started });
    } catch (e) {
      if (e instanceof Unreadable) {
        throw new Unreadable(
          `${name} runs '${text.slice(0, 60)}' as shell text: ${e.message}`
        );
      }
      throw e;
    }
    if (found.length > 0) {
      throw new Unreadable(
        `${name} runs '${text.slice(0, 60)}' as shell text, which starts an installer Warden does not decide there: run the installer directly`
      );
    }
  }
  const slot = inputWord(name);
  for (const [k, argv] of reading.commands.entries()) {
    if (slot) {
      refuseInputProgram(name, argv, started, slot); // find -exec's `{}` (R16-6)
    }
    // find -execdir runs it in each found file's folder: one Warden cannot tell; it reads
    // the program's input (`... | find . -exec bash ///dev/stdin \;`: R17-5)
    const outerFolder = startFolder;
    startFolder = reading.moved?.includes(k) ? null : startFolder;
    const input = reading.inputless?.includes(k) ? 'decided' : 'unknown';
    try {
      refuseInnerStart(name, argv, started, input);
    } finally {
      startFolder = outerFolder;
    }
  }
}

/**
 * A command a launcher starts (`chrt 0 CMD`, `find -exec CMD ;`, `xargs CMD`), read as a start
 * of its own with the launcher's environment (red team 17 R17-14: the line's assignments and
 * exports reach it, `BASH_ENV=/dev/stdin xargs -a f bash`) and its input (`stdin`: the
 * launcher's; 'decided': none, xargs' /dev/null). The kernel's `_refuse_inner_start`.
 */
function refuseInnerStart(
  name: string,
  argv: string[],
  env: Readonly<Record<string, string>>,
  stdin = 'unknown'
): void {
  if (argv.length === 0) {
    return;
  }
  refuseExpansion(argv, INSTALLER_WORDS.test(argv.join(' ')));
  if (simple(argv, { ...env }, 1, undefined, stdin).length > 0) {
    throw new Unreadable(
      `${name} starts '${argv.join(' ').slice(0, 60)}', which runs an installer Warden does not decide there: run the installer directly`
    );
  }
}
const CONDAS = new Set(['conda', 'mamba', 'micromamba']);
const INSTALLER_WORDS =
  /(^|[^A-Za-z0-9_])(pip\d*(\.\d+)?|uvx?|conda|mamba|micromamba|pipx|poetry|pdm|pipenv|hatch|pixi|rye)([^A-Za-z0-9_]|$)/;
const EXPANSION = /\$|`|\{[^}]*,[^}]*\}/;
const SHELL_KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'while',
  'until',
  'do',
  '!',
  '{',
  '}'
]);
const MAX_NESTING = 5;
// the value of a variable the line assigns in a form Warden does not read as a value
// (`declare -u`, `for`, `read`, a nameref): the kernel's `UnknownValue` (red team 17 R17-15)
const UNKNOWN_VALUE = '${unknown}';

/** The command could run an installer whose arguments Warden cannot see. */
export class Unreadable extends Error {}

interface Invocation {
  tool: 'pip' | 'uv' | 'conda' | 'mamba' | 'micromamba' | 'front-end';
  /** the front end's name (pipx, poetry, pdm, pipenv, hatch) when `tool` is 'front-end' */
  frontEnd?: string;
  args: string[];
  env: Record<string, string>;
  /** the program as written (a pip's: which words of its command are wrappers in front) */
  program?: string;
  /** the folder an earlier `cd` on the line moved to (relative: the caller's) */
  cwd?: string;
  /** why the line keeps Warden from reading what the install reads */
  problem?: string;
  /** its files are read by the guard the pip inherits, not before the line runs: an earlier
   * (or a concurrent) command on the line may write them (red team 10 R10-3); only what the
   * command line says is decided (`InstallRequest.childReads`) */
  childReads?: boolean;
  /** its own output redirections' targets the line lets through, to weigh against the files
   * its reading reads (`requestsOf`, `ownredirect.readProblem`) */
  redirected?: string[];
}

/** An install a command asks for, with the span of the command in the text read. */
export interface FoundInstall {
  request: InstallRequest;
  from: number;
  to: number;
}

/**
 * The installs in a shell string (`offset`: where `text` starts in its cell or file), or one
 * unreadable request when the command cannot be read. `env`: what the installer inherits.
 */
export function shellInstalls(
  text: string,
  offset: number,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): FoundInstall[] {
  const kept = startEnv;
  const keptNames = startNames;
  const keptVariables = startVariables;
  try {
    startEnv = shellCodeOnly(env);
    startNames = Object.keys(env);
    startVariables = { ...env };
    return shellInvocations(text, offset, 0).flatMap(([inv, from, to]) => {
      return requestsOf(inv, env, context).map(request => ({
        request,
        from,
        to
      }));
    });
  } catch (e) {
    const request = newRequest('shell', 'shell command');
    request.problems.push({ text: unreadable(e), place: context.place });
    return [{ request, from: offset, to: offset + text.length }];
  } finally {
    startEnv = kept;
    startNames = keptNames;
    startVariables = keptVariables;
  }
}

/**
 * A script magic's body fed to a program Warden does not read (`%%script perl`, a Python that
 * may start without the guard: `python3 -I`): one unreadable request when it names an
 * installer, as the kernel decides it (`InstallGate.decide_script_magic`).
 */
export function stdinInstalls(
  text: string,
  offset: number,
  context: CommandContext
): FoundInstall[] {
  if (!namesInstaller([text])) {
    return [];
  }
  const request = newRequest('unknown', '%%script');
  request.problems.push({
    text: 'its program is not a shell Warden reads, and the cell names an installer',
    place: context.place
  });
  return [{ request, from: offset, to: offset + text.length }];
}

/** The installs an argv list (a process start) asks for. `stdin`: what the process reads on
 * its input ('decided': input Warden decided on its own, a script magic's body). */
export function argvInstalls(
  argv: string[],
  env: Readonly<Record<string, string>>,
  context: CommandContext,
  stdin = 'unknown'
): InstallRequest[] {
  const kept = startEnv;
  const keptNames = startNames;
  const keptVariables = startVariables;
  try {
    startEnv = shellCodeOnly(env);
    startNames = Object.keys(env);
    startVariables = { ...env };
    return simple(argv, {}, 0, undefined, stdin).flatMap(inv =>
      requestsOf(inv, env, context)
    );
  } catch (e) {
    const request = newRequest('unknown', 'command line');
    request.problems.push({ text: unreadable(e), place: context.place });
    return [request];
  } finally {
    startEnv = kept;
    startNames = keptNames;
    startVariables = keptVariables;
  }
}

// shellCodeVariable: one list of a shell's code variables, in commandvalues.ts
export { shellCodeVariable };

/** A program given by path (or named `*.sh`) may be a script exec runs with bash (its `#!`
 * line, or none): started with a variable that runs code, it is refused as a shell start is
 * (R11-13). The kernel reads the `#!` line; the static side sees no files, so refuses them
 * all. */
function refuseShellScript(program: string, env: Record<string, string>): void {
  if (!program.includes('/') && !/\.(sh|bash)$/.test(program)) {
    return;
  }
  if (shellCodeVariable({ ...startEnv, ...env }, false)) {
    refuseShellCode(`${program} (a script whose #! line may run bash)`, env);
  }
}

/** The environment the start is given, only the variables a shell takes code from (the
 * reading's own `env` holds only the line's assignments). */
let startEnv: Record<string, string> = {};

/**
 * What a word among `program`'s words, read as a start, reads on its input: `stdin` for a
 * command in command position, null for a word that only may name one (red team 55a). A
 * launcher with no table (`chrt -o 0 CMD`) starts its command with its input, as the wrappers
 * (`nice CMD`) do; so may a program with no table (`choom -n 0 -- CMD`): no input is settled
 * (the kernel's `!cmd` reads a pipe as `subprocess.run(LINE, shell=True, input=CMDS)` does),
 * except Jupyter's own tools' (R54c-1: `jupyter nbconvert --to script`). The kernel's
 * `_word_input`.
 */
/** jupyter_core's command and the subcommands it execs: the kernel's `_JUPYTER_TOOL`. */
const JUPYTER_TOOL = /^jupyter(-[\w.-]+)?$/;

/**
 * Whether an installer's reading command runs the installer it is named after (red team 56c
 * R56c-5: a cell's script `bin/pip`, `env PATH=bin:... pip list`): statically by a bare name
 * found on the kernel's own PATH only, as `wordInput` trusts Jupyter's tools; a path names a
 * file the notebook may have written. The kernel checks the file (`reader_program`: the
 * machine's or the kernel's own installer, and no `pip/` in the folder for `python -m pip`).
 */
function readerProgram(inv: Invocation): boolean {
  return (
    inv.program !== undefined &&
    !inv.program.includes('/') &&
    !('PATH' in inv.env)
  );
}

function wordInput(program: string, stdin: string): string | null {
  const name = basename(program);
  if (tabled(name) || isInterpreter(name) || shellValues.BUILTINS.has(name)) {
    return null;
  }
  if (!program.includes('/') && JUPYTER_TOOL.test(program)) {
    // by a bare name only: a path names a file the notebook may have written (`./jupyter-x`, a
    // copy of choom); the kernel checks the bare name's file too (`_kernels_jupyter_tool`)
    // Jupyter's own tools start no word's program with their input: `jupyter SUB` execs
    // `jupyter-SUB` with its words, an argv start (R54c-1: `--to script`)
    return null;
  }
  return stdin;
}
/** The names of the environment the start is given: what `env -i` drops (`emptyEnvironment`). */
let startNames: readonly string[] = [];
/** The environment the start is given, all of it: the variables that make an installer's
 * reading command write (`PIP_LOG`, `UV_VENV_CLEAR`: `installerWritesNothing`). */
let startVariables: Readonly<Record<string, string>> = {};

function shellCodeOnly(
  env: Readonly<Record<string, string>>
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) =>
        shellCodeVariable({ [k]: v }) || isCodeVariable(k) || runnerVariable(k)
    )
  );
}

/** A shell started with a variable that runs code is unreadable: Warden reads the commands
 * it is given, not the function or file run with them. Other programs are left to their
 * own guard. */
function refuseShellCode(
  shell: string,
  env: Record<string, string>,
  interactive = false
): void {
  const found = shellCodeVariable({ ...startEnv, ...env }, interactive);
  if (found) {
    const what = found.startsWith('BASH_FUNC_')
      ? 'an exported bash function'
      : found.startsWith('PYENV_')
        ? "pyenv's hook folders, sourced by every pyenv shim"
        : 'a startup file';
    throw new Unreadable(
      `${shell} starts with ${found} in its environment (${what}), which runs code Warden ` +
        'does not read: remove it from the environment this command starts with (in the ' +
        `notebook, os.environ.pop('${found}') before it; where the lab sets it for every ` +
        "kernel, as Lmod's module function, ask your admin to start kernels without it)"
    );
  }
}

/** Why a command could not be read: an `Unreadable`'s reason, or (a reader bug, which must
 * not wave an install through or crash the scan) the error's class name only. */
function unreadable(e: unknown): string {
  if (e instanceof Unreadable) {
    return e.message;
  }
  return `Warden failed to read the command (${e instanceof Error ? e.name : typeof e})`;
}

/** The install `inv` asks for and, for `uv run --env-file F CMD` (or `UV_ENV_FILE`), CMD's
 * installs decided with F's variables, those the environment does not set (uv does not
 * override them): red7 R7-4. A file Warden cannot read refuses them. */
function requestsOf(
  inv: Invocation,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest[] {
  return ownReads(inv, context, c => readRequestsOf(inv, env, c));
}

/** The requests `reading` reads for `inv`, refused when one of the install's own output
 * redirections (`inv.redirected`) writes a file the reading read: the shell empties it before
 * the installer starts (red team 55b R55b-1: a file a requirements file includes). The
 * kernel's `gate._own_reads`; files are collected only when there is a redirection. */
function ownReads(
  inv: Invocation,
  context: CommandContext,
  reading: (context: CommandContext) => InstallRequest[]
): InstallRequest[] {
  if (!inv.redirected?.length) {
    return reading(context);
  }
  const read: string[] = [];
  const readFile = context.readFile;
  const found = reading({
    ...context,
    readFile: (p, decode) => {
      read.push(p);
      return readFile(p, decode);
    }
  });
  const cwd = path.resolve(context.cwd, inv.cwd ?? '');
  const problem = readProblem(inv.redirected, cwd, read);
  if (problem) {
    for (const request of found) {
      request.problems.unshift({ text: problem, place: context.place });
    }
  }
  return found;
}

function readRequestsOf(
  inv: Invocation,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest[] {
  const own = requestOf(inv, env, context);
  const found = own ? [own] : [];
  const merged = { ...env, ...inv.env };
  const run = inv.tool === 'uv' ? uvRunEnvFiles(inv.args, merged) : null;
  if (!run) {
    return found;
  }
  if (inv.cwd) {
    // `cd sub && uv run --env-file e.env CMD` reads sub/e.env; CMD runs there (red8 R8-3)
    context = { ...context, cwd: path.resolve(context.cwd, inv.cwd) };
  }
  let loaded: Record<string, string>;
  try {
    loaded = readEnvFiles(run[0], context.cwd, context.readFile);
  } catch (e) {
    const request = newRequest('uv', 'uv run --env-file');
    const code = (e as { code?: string }).code;
    request.problems.push({
      text: `uv run loads ${run[0].join(' ')} into the environment of the command it runs, and Warden cannot read it (${code ?? (e as Error).message})`,
      place: context.place
    });
    return [...found, request];
  }
  const withFile = { ...loaded, ...merged };
  // F's variables (those the start does not set) are the command's environment, read as a
  // line's assignments are: BASH_ENV for a bash, PYTHONPATH for a Python, PERL5OPT... (red
  // team 17 R17-3), not only the installers it names (R7-4). As the kernel's.
  const added = Object.fromEntries(
    Object.entries(loaded).filter(([k]) => !(k in merged))
  );
  let inner: Invocation[];
  try {
    inner = simple(run[1], added, 0);
  } catch (e) {
    if (!(e instanceof Unreadable)) {
      throw e;
    }
    const request = newRequest('uv', 'uv run --env-file');
    request.problems.push({
      text: `uv run starts '${run[1].join(' ').slice(0, 60)}' with the variables of ${run[0].join(' ')}: ${e.message}`,
      place: context.place
    });
    return [...found, request];
  }
  for (const i of inner) {
    found.push(
      ...ownReads(i, { ...context, env: withFile }, c => {
        const request = requestOf(i, withFile, c);
        return request ? [request] : [];
      })
    );
  }
  return found;
}

function requestOf(
  inv: Invocation,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest | null {
  const merged = { ...env, ...inv.env };
  if (inv.cwd) {
    // `cd DIR && pip install -r r.txt` reads DIR/r.txt
    context = { ...context, cwd: path.resolve(context.cwd, inv.cwd) };
  }
  context = { ...context, program: inv.program };
  return withProblem(inv, context, requestOfInvocation(inv, merged, context));
}

function withProblem(
  inv: Invocation,
  context: CommandContext,
  request: InstallRequest | null
): InstallRequest | null {
  if (request !== null && inv.problem) {
    request.problems.push({ text: inv.problem, place: context.place });
  }
  return request;
}

function requestOfInvocation(
  inv: Invocation,
  merged: Record<string, string>,
  context: CommandContext
): InstallRequest | null {
  const request =
    inv.tool === 'pip'
      ? pipRequest(
          inv.args,
          { ...context, env: merged },
          'pip',
          inv.childReads === true
        )
      : inv.tool === 'uv'
        ? uvRequest(inv.args, { ...context, env: merged })
        : inv.tool === 'front-end'
          ? frontEndRequest(inv.frontEnd!, inv.args, context, merged)
          : condaRequest(inv.tool, inv.args, context, (r, file) =>
              readEnvironmentInto(r, file, context)
            );
  const python =
    inv.tool === 'uv'
      ? uvPythonProblem(
          inv.args,
          { ...context, env: merged },
          // an install's request carries the line's problem already
          request === null ? (inv.problem ?? '') : ''
        )
      : '';
  if (python) {
    // the interpreter uv runs to query it is a program start (red team 17 R17-6)
    const refused = request ?? newRequest('uv', 'uv');
    refused.problems.push({ text: python, place: context.place });
    return refused;
  }
  if (inv.tool === 'uv' && request === null) {
    const interpreter = uvInterpreterRequest(inv.args, context);
    if (interpreter !== null) {
      // only what it could not read counts: nothing is installed
      uvDirectoryEnv(interpreter, merged, context);
      interpreter.sources = [];
      interpreter.requirements = [];
      return interpreter.problems.length ? interpreter : null;
    }
  }
  if (request !== null) {
    addLocalProjects(request, { ...context, env: merged });
  }
  if (inv.tool === 'uv') {
    return uvDirectoryEnv(request, merged, context);
  }
  if (request !== null) {
    addImplicitSources(request, merged, context);
  }
  return request;
}

/** `UV_PROJECT` / `UV_WORKING_DIR` make uv read its project and config from another folder,
 * which Warden does not follow: refused (the options are refused in installers.ts). */
function uvDirectoryEnv(
  request: InstallRequest | null,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest | null {
  const moved = ['UV_PROJECT', 'UV_WORKING_DIR'].filter(v => env[v]);
  if (moved.length) {
    request = request ?? newRequest('uv', 'uv');
    request.problems.push({
      text: `uv ${moved.map(v => `environment variable ${v}`).join(', ')} makes uv read its project and config from another folder, which Warden does not follow: run the install from that folder`,
      place: context.place
    });
  }
  if (request !== null) {
    addImplicitSources(request, env, context);
  }
  return request;
}

function shellInvocations(
  script: string,
  offset: number,
  depth: number,
  span?: [number, number],
  env: Record<string, string> = {},
  state?: LineState
): Array<[Invocation, number, number]> {
  if (depth > MAX_NESTING) {
    throw new Unreadable('shell commands nested too deeply');
  }
  refuseShellCode('the shell', env);
  const line = state ?? new LineState(false, env);
  const masked = maskedLine(script, line);
  if (masked === null) {
    return [];
  }
  const original = script;
  script = masked.text;
  const commands: Array<{ words: string[]; writes: boolean; written: string[]; sep: string; op?: string; from: number; to: number; substitutes: boolean; stdin: string; defines?: boolean; group?: string[]; pieces?: IPiece[]; targets?: IPiece[]; early?: string[] }> = []; // prettier-ignore
  // the compound commands around each command, and the files their redirections write
  // (red team 55b R55b-5): [first, end, files] for the commands first..end-1
  const compounds = new Compounds();
  const spread: Array<[number, number, string[]]> = [];
  // every closing word's [first, files]: a line whose reading does not come out even gives
  // them to the commands before its compound too (red team 56d)
  const closings: Array<[number, string[]]> = [];
  const close = (first: number | null, end: number, files: string[]): void => {
    // a closing word Warden cannot match (a syntax error, a construct it does not follow:
    // `coproc NAME { ...; }`): its redirection may apply to any command before it
    if (first !== null && files.length > 0) {
      spread.push([Math.max(first, 0), end, [...files]]);
      closings.push([first, [...files]]);
    }
  };
  let subshells = false;
  // a loop or a function runs its commands again or later: text order is not run order
  let repeats = false;
  // inside `case WORD in ... esac`: a word ending in `)` that starts a command (or follows
  // `in`) is an arm's pattern, and the arm's command follows it (red8 R8-5)
  let inCase = false;
  // heredocs: the delimiters due at the next newline, those whose body is being read, and
  // the words of the body's line so far. A body is data to the line: its words (a `}` line)
  // are no reserved words, so `compounds` does not read them (they stay commands here).
  // `unsure`: the first command of a body whose end Warden may misplace (`<<-E` and `<< -E`
  // are read alike), or of one never ended
  let due: string[] = [];
  let body: string[] = [];
  let bodyLine: string[] = [];
  let bodyFrom = 0;
  let unsure: number | null = null;
  // the commands holding the heredocs due (a body is expanded as its holder's redirections
  // are opened: substredirect.ts), those holding the bodies being read, and each command of
  // a body with its holders
  let dueHolders: number[] = [];
  let holders: number[] = [];
  const inBody: Array<[number, number[]]> = [];
  for (const pipeline of parsePipelines(script, offset)) {
    pipeline.forEach((read, n) => {
      const tokens = read.flatMap(t => splitAfterParen(t, script, offset));
      let words: string[] = [];
      // its words as the compound reading takes them: a quoted one marked (R56d-1: `'}'`)
      let seen: string[] = [];
      let started = false; // a redirection came before its words (`2>/dev/null }`)
      let writes = false;
      let written: string[] = []; // the targets of its redirections that write a file
      let substitutes = false;
      // what the command reads on stdin: a heredoc's lines are read as commands of the line
      let stdin = n > 0 ? 'pipe' : 'unknown';
      let closing: number | null = null; // a closing word's compound (its first command)
      let closed: number | null = null; // the subshell a `)` of the command closed
      let closeWritten: string[] = []; // ... and the files the redirections after it write
      // its words and redirections' words where they stand, and the files written by the
      // redirections after a `)` it closes (substredirect.ts)
      let pieces: IPiece[] = [];
      let targets: IPiece[] = [];
      const afterParen: string[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const head = /^([^()]*)\(\)$/.exec(tokens[i].value);
        if (head) {
          // f() { ...; }: the name is a command of its own (as the kernel's reader splits
          // it at the parentheses), and the line defines a function
          repeats = true;
          if (head[1] || words.length) {
            commands.push({
              words: [...words, head[1]].filter(w => w !== ''),
              writes,
              written,
              sep: ';',
              from: tokens[0].from,
              to: tokens[i].to,
              substitutes,
              stdin,
              defines: true
            });
          }
          words = [];
          seen = [];
          writes = false;
          written = [];
          pieces = [];
          targets = [];
          continue;
        }
        if (/^[<>]\(/.test(tokens[i].value)) {
          // a process substitution as a word of its own (`make -f <(printf ..)`): bash passes
          // its /dev/fd/N as the argument, so it is a word, not a redirection (red team 15
          // R15-15: it was dropped, and make -f took the next word as its makefile)
          substitutes = true;
          words.push(tokens[i].value);
          continue;
        }
        let redirect: RegExpExecArray | null = REDIRECT_OP.exec(
          tokens[i].value
        );
        if (redirect) {
          started = true;
          const inline = redirect[2];
          const first = inline || (tokens[i + 1]?.value ?? '');
          substitutes ||= /^[<>]?\(/.test(first); // >(cmd), <(cmd), `> >(cmd)` (red8 R8-5)
          // the target and the redirections glued after it: `2>/dev/null>&2` is one word, two
          // redirections; so is `2>& 1>r.txt`'s second word (red team 56b R56b-3: bash reads
          // the duplication's target, then opens r.txt); a process substitution stays whole
          let body: string = inline || /^[<>]\(/.test(first) ? '' : first;
          const targetToken = inline ? tokens[i] : tokens[i + 1];
          if (targetToken) {
            targets.push({ text: first, from: targetToken.from, to: targetToken.to }); // prettier-ignore
          }
          while (redirect) {
            const op: string = redirect[1];
            const rest: string = inline ? redirect[2] : body;
            const target = inline || body ? /^[^<>]*/.exec(rest)![0] : first;
            if (writesFile(op, target)) {
              writes = true;
              written.push(target);
              if (closed !== null) {
                closeWritten.push(target);
                afterParen.push(target);
              }
            }
            if (op === '<<') {
              due.push(target);
              dueHolders.push(commands.length);
              stdin = 'heredoc';
            } else if (op.includes('<')) {
              stdin = 'redirect';
            }
            redirect =
              inline || body
                ? REDIRECT_OP.exec(rest.slice(target.length))
                : null;
            body = body && redirect ? redirect[2] : '';
          }
          i += inline ? 0 : 1; // the target is a file name, not an argument
          continue;
        }
        // as the shell reads it: a backslash-newline joined first (R57a-7: `}\⏎` is `}`)
        const raw = joinedLines(
          script.slice(tokens[i].from - offset, tokens[i].to - offset)
        );
        if (words[0] === 'case' && words.length >= 3 && words[2] === 'in') {
          inCase = true;
        }
        if (words.length === 0 && tokens[i].value === 'esac') {
          inCase = false;
        }
        if (
          inCase &&
          /^\(?[^()]+\)$/.test(tokens[i].value) &&
          (words.length === 0 || (words[0] === 'case' && words.length === 3))
        ) {
          compounds.closeParen(); // the pattern's end
          if (words.length > 0) {
            commands.push({ words, writes, written, sep: ';', from: tokens[0].from, to: tokens[i].to, substitutes, stdin }); // prettier-ignore
          }
          words = [];
          seen = [];
          writes = false;
          written = [];
          pieces = [];
          targets = [];
          continue;
        }
        const inner = innerRedirect(raw);
        if (inner?.writes) {
          writes = true;
          written.push(inner.target);
        }
        const value = inner?.word ?? tokens[i].value;
        // a subshell's parentheses, written outside quotes (`(cd x; pip ...)`); a quoted
        // word keeps its own (`python -c 'print(1)'`)
        const opens = raw.startsWith('(');
        const closes = raw.endsWith(')');
        subshells ||= opens || closes;
        const word = value
          .replace(opens ? /^\(+/ : /^$/, '')
          .replace(closes ? /\)+$/ : /^$/, '');
        const parens = wordParens(raw);
        // a word written quoted is no reserved word (R56d-1: `'}'`, `\\}`, `"fi"`)
        const marked = /['"\\]/.test(raw) && word !== '' ? QUOTED + word : word;
        const piece = { text: word, from: tokens[i].from, to: tokens[i].to };
        if (body.length > 0) {
          bodyLine.push(word);
          words.push(word);
          pieces.push(piece);
          continue;
        }
        for (let p = 0; p < parens.leading; p++) {
          compounds.openParen(commands.length, seen);
        }
        if (word !== '') {
          const first = compounds.word(marked, commands.length, seen, started);
          closing = first ?? closing;
        }
        for (const paren of parens.rest) {
          if (paren === '(') {
            compounds.openParen(commands.length, [...seen, marked].filter(w => w !== '')); // prettier-ignore
            continue;
          }
          const first = compounds.closeParen();
          if (first !== null) {
            close(closed, commands.length, closeWritten); // `( ( a ) 2>x ) 2>y`
            [closed, closeWritten] = [first, []];
          }
        }
        words.push(word);
        if (word !== '') {
          seen.push(marked);
          pieces.push(piece);
        }
      }
      words = words.filter(w => w !== '');
      const last = tokens[tokens.length - 1];
      const after = script.slice(last.to - offset).replace(/^[ \t]+/, '');
      const sep =
        n < pipeline.length - 1 || /^(\|&|&(?![&>]))/.test(after) ? '|' : ';';
      // the operator after it, as the kernel's splitter gives it (`&&`, `||`, `|`, `&`, `;`)
      const op =
        n < pipeline.length - 1
          ? '|'
          : /^&&/.test(after)
            ? '&&'
            : /^\|\|/.test(after)
              ? '||'
              : /^(\|&|&(?![&>]))/.test(after)
                ? after.slice(0, after[0] === '|' ? 2 : 1)
                : ';';
      // `} 2>r.txt`: the commands inside; `( a; b ) 2>r.txt`: b's own, a's as the compound's
      close(closing, commands.length, written);
      close(closed, commands.length, closeWritten);
      if (body.length === 0) {
        // `;;`, and bash's `;&` and `;;&` (R56d-3), end a case arm
        compounds.operator(/^;(;|&)/.test(after) ? ';;' : op);
      }
      if (after.startsWith('\n')) {
        const end = body[0] ?? '';
        if (
          body.length > 0 &&
          bodyLine.length === 1 &&
          (bodyLine[0] === end ||
            (end.startsWith('-') && bodyLine[0] === end.slice(1)))
        ) {
          body.shift(); // the delimiter line
        } else if (body.length === 0 && due.length > 0) {
          [body, due, bodyFrom] = [due, [], commands.length];
          [holders, dueHolders] = [dueHolders, []];
          if (unsure === null && body.some(d => d.startsWith('-'))) {
            unsure = bodyFrom;
          }
        }
        bodyLine = [];
      }
      if (body.length > 0) {
        inBody.push([commands.length, holders]);
      }
      commands.push({
        words,
        writes,
        written,
        sep,
        op,
        from: tokens[0].from,
        to: last.to,
        substitutes,
        stdin,
        pieces,
        targets,
        early: afterParen
      });
    });
  }
  for (const [k, holding] of inBody) {
    const early = holding.filter(h => h < k).flatMap(h => commands[h].written);
    commands[k].early = [...(commands[k].early ?? []), ...early];
  }
  if (body.length > 0 && unsure === null) {
    unsure = bodyFrom; // a body never ended: its commands were not read for compounds
  }
  if (unsure !== null) {
    // every command from the unsure body on may be a closing word
    commands.forEach((c, k) => {
      if (k >= unsure! && c.written.length > 0) {
        closings.push([k, c.written]);
      }
    });
  }
  if (!compounds.even() || unsure !== null) {
    // a compound still open at the end, a closing word that closed nothing or what it does
    // not match: where the shell's compounds are is not known, so each closing word's
    // redirections may apply to any command before it (fail closed: red team 56d)
    for (const [first, files] of closings) {
      if (first > 0) {
        spread.push([0, first, files]);
      }
    }
  }
  for (const [first, end, files] of spread) {
    for (let k = first; k < Math.min(end, commands.length); k++) {
      commands[k].group = [...(commands[k].group ?? []), ...files];
    }
  }
  if (around.length > 0) {
    // the command running this text: its redirections are every command's here (R56b-8)
    for (const command of commands) {
      command.group = [...(command.group ?? []), ...around];
    }
  }
  if (
    commands.some(c => c.words.some(w => w.startsWith('~'))) &&
    /(?<![$\w{])HOME\b|\$\{HOME[:=]/.test(script)
  ) {
    // `HOME=/x; ~/ls sync`: the shell expands ~ with the HOME the line set (red team 12)
    throw new Unreadable(
      'a ~ word on a line that assigns HOME: write the folder out'
    );
  }
  if (commands.some(c => c.words.some(w => shellValues.tildeInAssignment(w)))) {
    // `X=~/a`, `PATH=~/bin:$PATH`: bash expands ~ in an assignment's value too (R14-14)
    if (/(?<![$\w{])HOME\b|\$\{HOME[:=]/.test(script)) {
      throw new Unreadable(
        'a ~ in an assignment on a line that assigns HOME: write it out'
      );
    }
    // unquoted (written as read) it expands; quoted (`X='~/a'`) it stays; both: unknown
    const tilde = commands.flatMap(c =>
      c.words.filter(w => shellValues.tildeInAssignment(w))
    );
    const count = (w: string): number => script.split(w).length - 1;
    if (
      tilde.some(
        w => count(w) > 0 && count(w) !== tilde.filter(t => t === w).length
      )
    ) {
      throw new Unreadable(
        'a ~ assignment is written both quoted and unquoted on the line'
      );
    }
    for (const command of commands) {
      command.words = command.words.map(w =>
        script.includes(w) ? shellValues.tildeAssignment(w) : w
      );
    }
  }
  line.subshells ||= subshells;
  // read on the whole line: stricter for the commands before the assignment
  line.unresolved ||= unmodelledAssignment(script);
  const places = linePlaces(
    commands.map(c => c.words),
    commands.map(c => c.defines === true)
  );
  line.unresolved ||= assignedByName(
    commands.map(c => c.words),
    places
  );
  // red team 13 R13-19, R13-13, R13-20: names assigned by forms read as no value, values
  // bash evaluates as shell text, `set -k`'s trailing assignments
  const simpleWords = commands.map(c => c.words);
  // (the line's own unknown names are read there: a literal loop's values are on the line)
  const evaluated = shellValues.evaluated(
    simpleWords,
    script,
    new Set([...line.unknownNames, ...line.unresolvedValues]),
    line.env,
    original
  );
  if (evaluated) {
    throw new Unreadable(`bash evaluates a value as shell text: ${evaluated}`);
  }
  shellValues
    .unknownNames(simpleWords, script)
    .forEach(n => line.unknownNames.add(n));
  line.keyword ||= shellValues.keywordSet(simpleWords);
  line.literal += shellValues.literalText(script);
  line.cdVariables = cdVariablesAssigned(script);
  const moves = commands.flatMap((c, k) => (movesFolder(c.words) ? [k] : []));
  // a loop (or function body) that moves: its commands run in more than one folder, those
  // above the cd too in the next round (red team 12 R12-11)
  const loops = moves
    .map(k => places[k].loop)
    .filter((n): n is number => n !== null);
  const unknownFrom = loops.length > 0 ? Math.min(...loops) : -1;
  const installs: Array<[number, Invocation[], number, number, boolean[], boolean]> = []; // prettier-ignore
  const writers: number[] = [];
  const functions = functionsDefined(commands);
  let read = 0; // the command substitutions read so far (they are in text order)
  let subWrote = ''; // a command substitution of the line that may write
  commands.forEach((command, k) => {
    // its command substitutions run first, each a line of its own in a subshell of this one,
    // in the folder the command runs in: unknown where a cd may or may not have run (the
    // rules `line.begin` applies to the command itself, read before it here)
    const joined =
      k === 0 || (commands[k - 1].op ?? ';') === '&&' || moves.length === 0;
    const repeated = unknownFrom >= 0 && k >= unknownFrom;
    const subFolder =
      joined && !repeated && !places[k].inFunction ? line.cwd : null;
    for (; read < masked.substitutions.length; read++) {
      const [start, end] = masked.substitutions[read];
      if (start >= command.to - offset && k < commands.length - 1) {
        break;
      }
      const sub = line.subshell();
      if (subFolder === null) {
        sub.cwd = null;
      }
      // the redirections the shell has opened when it runs (R57a-6): its commands' as a
      // compound command's (the compounds' around it hold the outer `around`)
      const late = afterOwn(
        command.pieces ?? [],
        command.targets ?? [],
        p => p.from <= offset + start && offset + end <= p.to
      );
      // (a redirection's own file is opened after its word is expanded: `> $(I)`)
      const written = script.slice(
        original.slice(start - 2, start) === '$(' ? start - 2 : start - 1,
        end + 1
      ); // as the words hold it (the line masked: `shelltext`)
      const outerAround = around;
      around = [
        ...(command.group ?? []),
        ...(command.early ?? []),
        ...(late ? command.written.filter(w => !w.includes(written)) : [])
      ];
      let subFound: Array<[Invocation, number, number]>;
      try {
        subFound = shellInvocations(original.slice(start, end), offset + start, depth + 1, span, {}, sub); // prettier-ignore
      } finally {
        around = outerAround;
      }
      if (
        subFound.length > 0 &&
        /^[<>]\($/.test(original.slice(start - 2, start))
      ) {
        // a process substitution runs alongside its command, in no order Warden reads (R7-13)
        throw new Unreadable(
          'it runs an installer inside a process substitution (<(...) or >(...)), alongside the command, in no order Warden reads: run the install as a command of its own'
        );
      }
      if (subFound.length > 0) {
        // decided inside; the line's loop or concurrent writers still count (not kept)
        const [from, to] = span ?? [
          subFound[0][1],
          subFound[subFound.length - 1][2]
        ];
        installs.push([k, subFound.map(([inv]) => inv), from, to, subFound.map(() => false), line.changed !== '']); // prettier-ignore
      }
      if (sub.wrote) {
        line.changed ||= 'a command substitution';
        subWrote ||= 'a command substitution';
        writers.push(k);
      }
    }
    const mentions = INSTALLER_WORDS.test(command.words.join(' '));
    if (
      command.substitutes &&
      INSTALLER_WORDS.test(
        script.slice(command.from - offset, command.to - offset)
      )
    ) {
      throw new Unreadable(
        'it uses a process substitution (<(...) or >(...)) Warden does not read'
      );
    }
    repeats ||= LOOPS.has(command.words[0] ?? '');
    let words = commandWords(command.words);
    if (line.keyword) {
      words = shellValues.keywordWords(words); // `set -k`: NAME=v words anywhere
    }
    const before = k > 0 ? (commands[k - 1].op ?? ';') : '';
    line.begin(before);
    if (k === unknownFrom) {
      line.cwd = null;
    }
    if (command.defines && words.length === 1) {
      return; // `NAME() { ...; }`: defines NAME, runs nothing (its body is read)
    }
    // a function body runs where the function is called, after any cd on the line
    const folder = places[k].inFunction && moves.length > 0 ? null : line.cwd;
    refuseExpansion(words, mentions);
    line.refuseUnknownPath(words, functions);
    refuseKeptText(words, depth, span ?? [command.from, command.to]);
    const called = functionCalled(words, functions);
    if (called !== null) {
      // the function runs its body, read where it stands, with these arguments as "$@": they
      // count as a program's Warden does not read (red team 10 R10-8); the command is read as
      // the program too, in case the name is not the function when it runs
      refuseUnread(`the function ${called[0]}`, called.slice(1));
      if (words.length > 0 && ASSIGNMENT_WORD.test(words[0])) {
        // `PYTHONPATH=. f`: every command of its body starts with it, and the body is read
        // where it is defined (red team 17 R17-14); the kernel's `_refuse_function_environment`
        throw new Unreadable(
          `the function ${called[0]} is called with ${words[0].split('=')[0]} set in front of it, which every command of its body starts with, and Warden reads the body where it is defined: set the variable inside the function, or export it before`
        );
      }
    }
    const [from, to] = span ?? [command.from, command.to];
    const outer = writtenOnLine;
    const outerFolder = startFolder;
    writtenOnLine ||= line.programWritten;
    startFolder =
      startFolder === null || folder === null
        ? null
        : folder.startsWith('/') || !startFolder
          ? folder
          : `${startFolder}/${folder}`;
    // red team 17 R17-13: what on the line may write a module a guardless Python imports
    const [outerWriter, outerOutput] = [lineWriter, ownOutput];
    lineWriter ||=
      line.programWritten || subWrote || laterWriter(commands, k, places);
    // a compound command's redirections are the command's own (compoundredirect.ts)
    const group = command.group ?? [];
    ownOutput =
      command.writes || group.length > 0 ? 'a redirection of its output' : '';
    let invocations: Invocation[];
    const outerInner = innerWrote;
    innerWrote = false;
    let wroteInside = false;
    const outerAround = around;
    around = [...command.written, ...group]; // for the text it runs (R56b-8)
    try {
      invocations = simple(words, line.startEnv(), depth, [from, to], command.stdin); // prettier-ignore
    } finally {
      around = outerAround;
      writtenOnLine = outer;
      startFolder = outerFolder;
      [lineWriter, ownOutput] = [outerWriter, outerOutput];
      wroteInside = innerWrote;
      innerWrote = outerInner;
    }
    if (invocations.length > 0) {
      // read before the command's own effect on the line: the env pip starts with
      const lost = invocations.map(inv =>
        guardLost(words, inv.env, line, inv.program)
      );
      installs.push([
        k,
        invocations.map((inv, n) =>
          ownRedirections(
            inv,
            {
              ...inv,
              cwd: path.join(folder ?? '', inv.cwd ?? ''),
              problem:
                inv.problem ||
                line.problem(
                  inv.tool,
                  lost[n],
                  folder,
                  line.unresolvedValue(words, inv.env)
                )
            },
            lost[n],
            [...command.written, ...group],
            folder
          )
        ),
        from,
        to,
        lost.map(why => !why),
        // a folder Warden cannot tell: the files are the guard's the pip inherits to read
        line.changed !== '' || folder === null
      ]);
    }
    const program = line.update(words, places[k], before, command.op ?? ';');
    if (called !== null) {
      // a function the line defines runs its body, not the builtin it may be named after
      // (`cd() { :; }; cd d && ./x`): where it leaves the shell is not told
      line.leaveUnknown();
    }
    if (
      invocations.length > 0 &&
      !mayWrite(program, invocations) &&
      !invocations.every(
        inv =>
          readerProgram(inv) &&
          installerWritesNothing(inv.tool, inv.args, {
            ...startVariables,
            ...inv.env
          })
      )
    ) {
      // an install writes what a later install on the line may read (red team 54a): a later
      // uv or conda is refused, a later pip decides again (`problem`); a program run after it
      // is read as before (it runs what the decided install put there)
      line.changed ||= program || 'an install';
      writers.push(k);
      line.wrote = true;
    }
    const writes =
      command.writes || wroteInside || mayWrite(program, invocations);
    if (writes || group.length > 0) {
      if (writes) {
        // not for the compound's redirections alone: they write only files an install
        // inside weighs as its own, and its closing word (the last command of a subshell)
        // is the writer for the commands after it
        line.changed ||= program || 'a redirection';
      }
      if (
        command.writes ||
        group.length > 0 ||
        wroteInside ||
        !NO_PROGRAM_WRITE.has(program)
      ) {
        line.programWritten ||= program || 'a redirection';
      }
      if (SHELL_STATE_WRITERS.has(program)) {
        line.shellChanged ||= program;
      }
      writers.push(k);
      line.wrote = true;
    }
  });
  const found: Array<[Invocation, number, number]> = [];
  for (const [k, invocations, from, to, kept, afterWriter] of installs) {
    // a writer running at the same time as the install: in its pipeline, or anywhere after
    // an install sent to the background
    const concurrent = writers.some(
      j => j > k && commands.slice(k, j).some(c => c.sep === '|')
    );
    invocations.forEach((inv, n) => {
      // a pip that keeps the guard decides again when it starts, however often and whenever
      // it runs (LineState.problem); the files the line may write before it starts are its
      // guard's to read (R10-3: `git clone URL && cd x && pip install -r requirements.txt`)
      const guarded = inv.tool === 'pip' && kept[n];
      // the install is a writer itself (red team 54a): in a loop or a function body it runs
      // again after its own writes; outside one, only the line's other writers count
      const repeated =
        repeats && writers.some(j => j !== k || places[k].loop !== null);
      const problem = inv.problem
        ? inv.problem
        : repeated && !guarded
          ? 'the line runs commands in a loop or a function, and one of them may write the files or settings the install reads: run the install as its own command'
          : '';
      const childReads =
        guarded && !inv.problem && (afterWriter || repeated || concurrent);
      found.push([
        concurrent && !problem && !guarded
          ? {
              ...inv,
              problem:
                'a command running at the same time as the install may write the files or settings it reads: run the install as its own command'
            }
          : { ...inv, problem, ...(childReads ? { childReads } : {}) },
        from,
        to
      ]);
    });
  }
  return found;
}

type Token = ReturnType<typeof parsePipelines>[number][number][number];

/**
 * A word's text with each backslash-newline outside single quotes removed, as the shell joins
 * the lines before it reads the word (the kernel's `_bash_lines` cuts them from the whole
 * line): read with its backslash, `}\⏎` was a quoted word, no closing brace (red team 57a
 * R57a-7: `{ INSTALL; }\⏎ 2>r.txt` hid the group's redirection from the install).
 */
export function joinedLines(raw: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      quote = c === "'" ? '' : quote;
      out += c;
    } else if (c === '\\') {
      out += raw[i + 1] === '\n' ? '' : c + (raw[i + 1] ?? '');
      i++;
    } else {
      if (c === '"' || (c === "'" && !quote)) {
        quote = quote ? '' : c;
      }
      out += c;
    }
  }
  return out;
}

/**
 * A word with an unquoted `)` before its end (`x)pip` in a case arm, `(true)pip`, `)pip`):
 * split after it, as the kernel's reader (shlex) splits at parentheses and the shell does
 * (red team 12: `case x in x)pip install torcj;; esac` ran pip unread).
 */
function splitAfterParen(
  token: Token,
  script: string,
  offset: number
): Token[] {
  const raw = script.slice(token.from - offset, token.to - offset);
  for (const i of unquoted(raw, 0, raw.length - 1)) {
    if (raw[i] === ')' && raw[i + 1] !== ')') {
      const at = token.from + i + 1;
      const [head] = parsePipelines(raw.slice(0, i + 1), token.from)[0][0];
      const rest = parsePipelines(raw.slice(i + 1), at)[0]?.[0] ?? [];
      return [head, ...rest.flatMap(t => splitAfterParen(t, script, offset))];
    }
  }
  return [token];
}

/**
 * The line masked as sh/bash read it (`shelltext`: comments blanked, substitutions and heredoc
 * bodies kept from desyncing the word reader); null when the shell's reading is not modelled
 * and the line is provably install-free read as plain words (no hint, `unseen`) and holds no
 * value bash evaluates as shell text (`unmaskedEvaluated`: `line`, the state it runs in),
 * Unreadable else (red team 12, red team 13 R13-1, red team 34 R34-5). The kernel's
 * `_bash_lines`.
 */
function maskedLine(script: string, line: LineState): MaskedLine | null {
  try {
    return maskShellText(script);
  } catch (e) {
    if (!(e instanceof Uncertain)) {
      throw e;
    }
    // a line not read is not searched for an expansion in a program word, a link, a
    // function or an alias either: it runs only when provably install-free (R13-1)
    const why = unseen(script);
    if (why || hasHint(script)) {
      const holds = why ? `holds ${why}, so it ` : '';
      throw new Unreadable(
        `Warden cannot follow how the shell reads this line (${e.message}) and it ${holds}may run an installer: write it without that construct`
      );
    }
    const evaluated = shellValues.unmaskedEvaluated(
      script,
      new Set([...line.unknownNames, ...line.unresolvedValues]),
      line.env
    );
    if (evaluated) {
      throw new Unreadable(
        `bash evaluates a value as shell text: ${evaluated}`
      );
    }
    return null;
  }
}

/** A simple command without the reserved words in front of it (`if`, `{`, `!`, `do`...) and a
 * function header (`function NAME`): its first word is then what runs. The kernel's
 * `_command_words`. */
function commandWords(command: string[]): string[] {
  let words = command;
  while (
    words.length > 0 &&
    (SHELL_KEYWORDS.has(words[0]) ||
      words[0] === 'function' ||
      words[0] === 'time')
  ) {
    if (words[0] === 'time') {
      // bash's `time` (and `-p`) before a reserved word or a subshell is its keyword, timing
      // the compound (R57a-8); before a program it stays (dash runs /usr/bin/time, a wrapper)
      let rest = words.slice(1);
      while (rest[0] === '-p' || rest[0] === '--') {
        rest = rest.slice(1);
      }
      if (rest.length > 0 && !SHELL_KEYWORDS.has(rest[0])) {
        break;
      }
      words = rest;
      continue;
    }
    // `if pip install x; then`, `{ pip ...; }`, `! pip`, `do pip`, `function f { pip`
    words = words.slice(words[0] === 'function' ? 2 : 1);
  }
  return words;
}

/** An expansion Warden cannot resolve is unreadable where it may decide an install: in the
 * words of a command naming an installer (but the path of a file sourced), in its first word
 * once its assignments are skipped (`$X install`), or in the program it runs after its
 * reserved words and wrappers (`{ $X install ...; }`, `if $X`, `sudo $X`: red team 10 R10-8);
 * in an assignment's value only for a variable that changes how the line is read or what a
 * later command runs (`readingVariable`: `PATH=$X:$PATH`). Any other value
 * (`CUDA_VISIBLE_DEVICES=$GPU python train.py`, red team 13 R13-9) is used where the shell
 * expands the variable, and those places are read here; an install that starts with one in
 * its environment is `LineState.problem`'s. The kernel's `_refuse_expansion`. */
function refuseExpansion(words: string[], mentions: boolean): void {
  const expanded = words.filter(w => EXPANSION.test(w));
  if (expanded.length === 0) {
    return;
  }
  let assigned = 0;
  while (assigned < words.length && ASSIGNMENT_WORD.test(words[assigned])) {
    assigned++;
  }
  const argv = programArgv(words);
  const program = argv[0] ?? '';
  // the assignments before the program: the command's own and its wrappers' (`env X=$Y
  // prog`, `sudo X=$Y prog`); `make CC=$X` passes CC=$X to make as an argument
  const before = words.length - argv.length;
  const wrapped =
    before >= 0 && argv.every((word, n) => words[before + n] === word);
  for (const word of words.slice(0, wrapped ? before : assigned)) {
    const eq = word.indexOf('=');
    const [name, value] = [word.slice(0, eq), word.slice(eq + 1)];
    if (
      ASSIGNMENT_WORD.test(word) &&
      EXPANSION.test(value) &&
      readingVariable(name)
    ) {
      throw new Unreadable(
        `it assigns ${name} a shell expansion (${construct(value)}) Warden cannot resolve before the shell runs it, and that variable changes how the line is read or what it runs: write the value out`
      );
    }
  }
  if ((program === 'source' || program === '.') && argv.length > 1) {
    // the file sourced runs unread whatever its name (source changes the shell: what follows
    // on the line is read as after unknown code); an installer's name in its path runs
    // nothing (`source $(conda info --base)/etc/profile.d/conda.sh`)
    const rest = [
      ...words.slice(0, words.length - argv.length + 1),
      ...argv.slice(2)
    ];
    mentions = INSTALLER_WORDS.test(rest.join(' '));
  }
  const first = words[assigned] ?? '';
  if (mentions || EXPANSION.test(first) || EXPANSION.test(program)) {
    // the installer's arguments, or which program runs, depend on the expansion
    const what = construct(expanded[0]);
    throw new Unreadable(
      what.startsWith('an IPython')
        ? `it uses ${what} Warden cannot resolve before the cell runs`
        : `it uses a shell expansion (${what}) Warden cannot resolve before the shell runs it`
    );
  }
}

/** `NAME=value` in front of a command (or alone): what `programArgv` skips. */
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*=/s;
/** Installers' own settings (PIP_INDEX_URL, UV_INDEX, CONDA_CHANNELS...), named by the tools
 * INSTALLER_WORDS finds, and what names the files and environments they read their settings
 * and packages from (~/.config/uv/uv.toml, ~/.condarc). The kernel's `_INSTALLER_SETTING`. */
const INSTALLER_SETTING =
  /^((PIP|UV|CONDA|MAMBA|MICROMAMBA|PIPX|POETRY|PDM|PIPENV|HATCH|PIXI|RYE)_.*|CONDARC|MAMBARC|VIRTUAL_ENV|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|HOME)$/s;
/** what the shell splits words and reads lines with */
const SPLITTING: ReadonlySet<string> = new Set(['IFS']);

/** A variable whose value, assigned by the line, changes how Warden reads the rest of it or
 * what a later command runs: a start variable (PATH, PYTHON*, the launch variables), bash's
 * program tables, what `cd` reads (CD_NAMES), what makes a shell run code
 * (`shellCodeVariable`), IFS, an installer's setting. The kernel's `_reading_variable`. */
function readingVariable(name: string): boolean {
  return (
    startVariable(name) ||
    PROGRAM_TABLES.includes(name) ||
    CD_NAMES.includes(name) ||
    shellCodeVariable({ [name]: '$' }) !== '' ||
    SPLITTING.has(name) ||
    INSTALLER_SETTING.test(name)
  );
}

/** What makes an alias's value, read again as shell text where the alias is used, name a
 * program its words do not: an expansion, a quote or backslash, a pattern, a brace list, a ~
 * (red team 13 R13-12). The kernel's `_ALIAS_VALUE_UNREAD`. */
const ALIAS_VALUE_UNREAD = /[$`'"\\*?[{~]/;

/** Shell text a builtin keeps to run later is read as what it will run (red team 13 R13-12):
 * a `trap` action as a command line of its own (the expansion rule and the installer reading
 * apply; an install there is refused, when it runs is not told); an `alias` value the shell
 * would expand or unquote where the alias is used is unreadable. The kernel's
 * `_refuse_kept_text`. */
function refuseKeptText(
  command: string[],
  depth: number,
  span: [number, number]
): void {
  let words = command;
  while (words.length > 0 && ASSIGNMENT_WORD.test(words[0])) {
    words = words.slice(1);
  }
  const inner = unwrapBuiltin(words);
  if (inner[0] === 'alias') {
    for (const word of inner.slice(1)) {
      const eq = word.indexOf('=');
      if (eq >= 0 && ALIAS_VALUE_UNREAD.test(word.slice(eq + 1))) {
        throw new Unreadable(
          'it defines an alias whose value the shell reads again where the alias is used (an expansion, a quote or a pattern): run the program by its name'
        );
      }
    }
  } else if (inner[0] === 'trap') {
    let args = inner.slice(1);
    if (args[0] === '--') {
      args = args.slice(1);
    }
    if (args.length === 0 || args[0].startsWith('-')) {
      return; // `trap -p`, `trap -l`, `trap - EXIT` (reset)
    }
    const found = shellInvocations(args[0], span[0], depth + 1, span, {}, new LineState(true, {})); // prettier-ignore
    if (found.length > 0) {
      throw new Unreadable(
        'a trap action runs an installer later (at exit or at a signal), in a state Warden does not follow: run the install as its own command'
      );
    }
  }
}

/** The words of the program a command runs once its assignments and wrappers (`env`, `sudo`,
 * `busybox`...) are followed, [] when it runs none (`command -v`). The kernel's
 * `program_argv`. */
function programArgv(command: string[]): string[] {
  let argv = command;
  for (let n = 0; n < 4 * MAX_NESTING; n++) {
    while (argv.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(argv[0])) {
      argv = argv.slice(1);
    }
    if (argv.length === 0) {
      return [];
    }
    const name = basename(argv[0]);
    if (name === 'busybox' && argv.length > 1) {
      argv = argv.slice(1);
    } else if (WRAPPERS.has(name)) {
      argv = unwrap(name, argv.slice(1), {});
    } else {
      return argv;
    }
  }
  throw new Unreadable('its program is wrapped too deeply');
}

/** The names the line defines as shell functions (`NAME() ...`, `function NAME`), wherever
 * they stand: a loop may define one after a command that then calls it. The kernel's
 * `_functions_defined`. */
function functionsDefined(
  commands: ReadonlyArray<{ words: string[]; defines?: boolean }>
): ReadonlySet<string> {
  const names = new Set<string>();
  for (const command of commands) {
    let words = command.words;
    while (words.length > 0 && SHELL_KEYWORDS.has(words[0])) {
      words = words.slice(1);
    }
    if (words[0] === 'function' && words.length > 1) {
      names.add(words[1]);
    } else if (command.defines && words.length === 1) {
      names.add(words[0]);
    }
  }
  return names;
}

/** The words of a call of a function the line defines (NAME ARGS), null when the command runs
 * no such function. bash looks a name up as a function before PATH, so a function named like a
 * program (`pip() { "$@"; }; pip uv tool install x`) runs its body, not that program; `time`,
 * `coproc` and `eval` (whose words are read as a line of their own, without the functions this
 * line defines) run it too, `command`/`env`/`exec` do not. The kernel's `_function_called`. */
function functionCalled(
  words: string[],
  functions: ReadonlySet<string>
): string[] | null {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(words[i])) {
    i++;
  }
  while (i < words.length && ['time', 'coproc', 'eval'].includes(words[i])) {
    i++;
    while (i < words.length && words[i].startsWith('-')) {
      i++; // `time -p`
    }
  }
  // `eval "f pip install x"`: one word, a command
  const called = words
    .slice(i)
    .join(' ')
    .split(/\s+/)
    .filter(w => w !== '');
  return called.length > 0 && functions.has(called[0]) ? called : null;
}

const REDIRECT_OP = /^\d*(<<<|<<|>>|<&|>&|>\||&>>|&>|<>|<|>)(.*)$/s;

/** Whether a redirection writes a file: `>&2`, `2>&1` and /dev/null write none. */
function writesFile(op: string, target: string): boolean {
  if (!op.includes('>') && !target.startsWith('>')) {
    return false;
  }
  return (
    target !== '/dev/null' && !(op.endsWith('&') && /^(\d+|-)$/.test(target))
  );
}

/**
 * A redirection inside a word, outside quotes (`echo x>r.txt`, `r.txt>&2`: bash redirects
 * there, as the kernel's reader splits it): the word before it (unquoted as parsePipelines
 * unquotes) and whether it writes a file; null when there is none.
 */
function innerRedirect(
  raw: string
): { word: string; writes: boolean; target: string } | null {
  let quote = '';
  let word = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) {
        quote = '';
      } else if (c === '\\' && quote === '"' && i + 1 < raw.length) {
        word += raw[++i];
      } else {
        word += c;
      }
    } else if (c === '\\') {
      word += raw[++i] ?? '';
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if ((c === '>' || c === '<') && i > 0 && raw[i + 1] === '(') {
      word += c; // `--file=<(..)`: bash substitutes its /dev/fd/N in the word (R15-15)
    } else if ((c === '>' || c === '<') && i > 0) {
      const redirect = REDIRECT_OP.exec(raw.slice(i));
      const target = redirect?.[2] ?? '';
      return {
        word,
        writes: writesFile(redirect?.[1] ?? c, target),
        // its file, unquoted (as the shell reads `x>"r.txt"`): ownRedirectionProblem
        target: /^[^<>]*/.exec(target)![0].replace(/["'\\]/g, '')
      };
    } else {
      word += c;
    }
  }
  return null;
}

/**
 * What the earlier commands of a shell line did to a later install: the folder it runs in
 * (`cd DIR`), the variables they set (`X=v;`, `export X=v`), whether one may have changed the
 * files or settings it reads (red team 7 R7-16: `echo ... > r.txt; uv pip install -r r.txt`).
 */
/** Writers a guarded pip child cannot see past: what changes the shell itself (its variables,
 * aliases, functions, hashed paths, options), which a later pip inherits, rather than files it
 * reads when it starts. bash's builtins but those that change nothing, conda's shell
 * functions, and what the line reading itself marks (the kernel's `_SHELL_STATE_WRITERS`). */
const SHELL_STATE_WRITERS: ReadonlySet<string> = new Set(
  `alias bind builtin command declare enable eval exec export getopts hash let local mapfile
  read readarray readonly set shopt source . trap typeset ulimit umask unalias unset conda
  mamba micromamba`
    .split(/\s+/)
    .concat(['printf -v', 'an assignment with options'])
);

/** Programs that may start a command with another environment (the guard's PYTHONPATH gone).
 * Not `env`: what it does to the environment is read (`unwrap`: -i, -u, NAME=value, -S split
 * and read again), so `env X=1 pip` is read as `X=1 pip`, and `env -i pip`, `env PYTHONPATH=
 * pip` lose the guard through the variables they set. Its options Warden does not model
 * (GNU's --argv0 and signal options, uutils' --file: not in WRAPPER_OPTIONS) refuse a command
 * naming an installer (`refuseUnread`), as before (fix54spell; the kernel's
 * `_ENVIRONMENT_CHANGERS`). */
const ENVIRONMENT_CHANGERS: ReadonlySet<string> = new Set(
  `sudo doas su runuser setpriv chroot systemd-run ssh docker podman nsenter unshare
  flatpak pkexec sg newgrp`.split(/\s+/)
);

/** The variables a pip's start depends on beyond its files: PYTHONPATH (the guard's folder
 * first), the others Python reads when it starts (PYTHONHOME: another stdlib and site.py...),
 * PATH (which program `pip` is). */
const PYTHON_OR_PATH = /^(PYTHON[A-Z0-9_]*|PATH)$/;

// Python's variables that change how it reports or tunes itself, never which code it runs at
// start (the kernel's _TUNING_VARIABLES, red team 11 R11-20): setting them keeps a pip's guard.
const TUNING_VARIABLES: ReadonlySet<string> = new Set([
  'PYTHONHASHSEED',
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONIOENCODING',
  'PYTHONUTF8',
  'PYTHONWARNINGS',
  'PYTHONFAULTHANDLER',
  'PYTHONTRACEMALLOC',
  'PYTHONPROFILEIMPORTTIME',
  'PYTHONASYNCIODEBUG',
  'PYTHONMALLOC',
  'PYTHONMALLOCSTATS',
  'PYTHONCOERCECLOCALE',
  'PYTHONDEVMODE',
  'PYTHONNODEBUGRANGES',
  'PYTHONINTMAXSTRDIGITS',
  'PYTHONNOUSERSITE',
  'PYTHONSAFEPATH',
  'PYTHONVERBOSE',
  'PYTHONDEBUG'
]);

/** The Python variables and PATH a pip's start depends on: not the tuning ones. */
const GUARD_VARIABLES = {
  test: (name: string): boolean =>
    PYTHON_OR_PATH.test(name) && !TUNING_VARIABLES.has(name)
};

/** Whether a start keeps the guard it would inherit only with `name` as the process started
 * with it: the Python variables and PATH (GUARD_VARIABLES) and the launch variables
 * (LAUNCH_VARIABLES: an attacker's WARDEN_POLICY_FILE with no digest, red team 10 R10-1). The
 * kernel's `_start_variable`. */
function startVariable(name: string): boolean {
  return GUARD_VARIABLES.test(name) || LAUNCH_VARIABLES.includes(name);
}
/** POSIX special builtins: assignments in front of them stay set after them in sh (dash). */
const SPECIAL_BUILTINS = assignmentScope.SPECIAL_BUILTINS;

/**
 * Why the pip this simple command starts may run without the kernel's guard ('' when it
 * inherits it), read on the environment it starts with (`env`: the shell's own, what the
 * line's assignments, exports and unsets before it left, the command's prefix assignments,
 * its wrappers' effects, `unwrap`): a variable its start depends on (`startVariable`: a
 * Python variable, PATH, a launch variable) set or unset on the way. What
 * Warden does not resolve counts as losing it: a program that may start pip with another
 * environment (`su`, `ssh`...), a change the line's reading does not follow
 * (`line.unresolved`: `set -a`, `export $NAME=`, `X+=v`). The kernel's `_guard_lost`.
 */
function guardLost(
  words: readonly string[],
  env: Readonly<Record<string, string>>,
  line: LineState,
  program?: string
): string {
  if (line.unresolved) {
    return line.unresolved;
  }
  // a changer runs the pip: a word in front of it (`pip install docker` names a package)
  const at = program === undefined ? -1 : words.indexOf(program);
  const wrappers = at < 0 ? words : words.slice(0, at);
  const changer = wrappers.find(w => ENVIRONMENT_CHANGERS.has(listedName(w)));
  if (changer !== undefined) {
    return `started through ${listedName(changer)}, which may change its environment`;
  }
  const changed = Object.keys(env)
    .filter(name => startVariable(name))
    .sort();
  if (changed.length === 1 && changed[0] === 'PATH') {
    return PATH_CHANGED;
  }
  // named by a variable other than PATH: this reason must never read as PATH_CHANGED, which
  // the static side leaves to the kernel (`PYTHONPATH= PATH=/usr/bin pip`, `env -i PATH=...
  // pip` were waved through: fix54spell)
  const named = changed.find(name => name !== 'PATH');
  return named !== undefined
    ? `${named} set, changed or unset since the kernel started`
    : '';
}

/** `guardLost`'s reason when PATH alone changed: whether the pip that PATH finds runs a
 * Python that hosts the guard is the kernel's to tell (`_path_loses_guard` reads the files);
 * the static side does not refuse such a pip (`guardLostPipProblem`). */
const PATH_CHANGED = 'PATH set, changed or unset since the kernel started';

/** The refusal of an installing pip that may start without Warden's guard (red team 45b
 * R45b-1): what its guard decides in pip's own process (the links pip parses, its caches, a
 * dependency's direct reference) no reading before it starts can see. The kernel's
 * `guard_lost_pip_problem`. */
function guardLostPipProblem(why: string): string {
  return `this pip may start without Warden's guard (${why}), so Warden cannot see what pip resolves in its own process (its options and config, the links it parses from index pages and its cache, its dependencies' direct references): run pip with the kernel's environment so Warden's guard decides what pip resolves`;
}

/** Whether `set ARGS` turns on allexport (`-a`: every assignment exported) or keyword (`-k`:
 * `NAME=v` words anywhere on a command go to its environment). */
function setsExportOptions(args: readonly string[]): boolean {
  for (let k = 0; k < args.length; k++) {
    const word = args[k];
    if (!/^[-+]/.test(word) || word === '--' || word === '-') {
      return false;
    }
    if (word.startsWith('-') && /[ak]/.test(word.slice(1))) {
      return true;
    }
    if (word.endsWith('o')) {
      // `-o NAME`, `-eo NAME`
      if (args[k + 1] === 'allexport' || args[k + 1] === 'keyword') {
        return true;
      }
      k++;
    }
  }
  return false;
}

/** An assignment the line reading does not model as a value (red team 11 R11-6, R11-16,
 * R11-17): a name written next to an arithmetic or subscript assignment operator (`$((
 * PYTHONPATH = 1 ))`, `((PATH++))`, `${PYTHONPATH:=x}`, `PYTHONPATH[0]=x`), a redirection
 * that stores its file descriptor in it (`{PYTHONPATH}>file`), or a loop header
 * that assigns its variable (`for NAME in`, `select NAME in`, `LineState.update`). `read`,
 * `mapfile`, `getopts`, `let`, `printf -v` are shell state writers already. The kernel's
 * `_NAME_ASSIGNED`. */
const NAME_ASSIGNED =
  /\s*(\[[^\]]*\]\s*(?:[-+*/%&|^]|<<|>>)?=|(?:[-+*/%&|^:]|<<|>>)?=(?!=)|\+\+|--)/y;
/** bash's tables of which program a name runs, as `hash -p` and `alias` set them */
const PROGRAM_TABLES = ['BASH_CMDS', 'BASH_ALIASES'];

/**
 * Why the line may assign a variable a pip's start depends on (`startVariable`) or a name
 * Warden cannot read in a form `LineState` does not follow ('' when it does not): read on the
 * text, quotes and all, so a string that becomes such an assignment counts. An assignment to
 * bash's program tables is unreadable: any later name may run another program. The kernel's
 * `_unmodelled_assignment`.
 */
function unmodelledAssignment(script: string): string {
  const arithmetic = /\(\(|\$\[|(^|[\s;&|(])let\s/.test(script);
  // matched where the name ends (sticky): no copy of the rest of the line per name
  const assigned = (end: number): boolean => {
    NAME_ASSIGNED.lastIndex = end;
    return NAME_ASSIGNED.test(script);
  };
  for (const found of script.matchAll(
    /(\$\{?)?\b([A-Za-z_][A-Za-z0-9_]*)\}?/g
  )) {
    let dollar = found[1] ?? '';
    const name = found[2];
    const first = found.index ?? 0;
    const end = first + found[0].length;
    if (
      dollar === '${' &&
      (script.startsWith('=', end) || script.startsWith(':=', end))
    ) {
      dollar = ''; // `${NAME=v}`, `${NAME:=v}` assign NAME
    }
    if (dollar) {
      // `$(( $N = 1 ))` assigns the variable N names
      if (arithmetic && script[end] !== '[' && assigned(end)) {
        return 'an arithmetic assignment to a name Warden cannot read on the line';
      }
      continue;
    }
    const table = PROGRAM_TABLES.includes(name);
    if (!(startVariable(name) || table)) {
      continue;
    }
    const previous = first > 0 ? script[first - 1] : '';
    const plain =
      (script.startsWith('=', end) || script.startsWith('+=', end)) &&
      (previous === '' || ' \t\n;&|'.includes(previous));
    if (plain && !arithmetic && !table) {
      continue; // `X=v`, `export X=v`: read as the value it sets (`LineState`)
    }
    let k = first;
    while (k > 0 && /\s/.test(script[k - 1])) {
      k--;
    }
    const crement = ['++', '--'].includes(script.slice(Math.max(k - 2, 0), k)); // `++NAME`
    const fdVariable = previous === '{' && /[<>]/.test(script[end] ?? ''); // `{NAME}>file`
    if (assigned(end) || crement || fdVariable) {
      if (table) {
        throw new Unreadable(
          `it assigns ${name}, which changes the program a name runs (as hash or alias do): run the program by its path`
        );
      }
      return `${name} assigned in a form Warden does not follow on the line`;
    }
  }
  return '';
}

/** Whether a simple command may change the shell's folder (`cd`, `pushd`, `popd`, behind
 * reserved words and `command`/`builtin`/`time`). The kernel's `_moves`. */
function movesFolder(command: string[]): boolean {
  let words = commandWords(command);
  while (words.length > 0 && ASSIGNMENT_WORD.test(words[0])) {
    words = words.slice(1);
  }
  const inner = unwrapBuiltin(words);
  return inner.length > 0 && ['cd', 'pushd', 'popd'].includes(inner[0]);
}

/**
 * Why the line may assign a variable a pip's start depends on in a way `LineState` does not
 * follow in text order ('' when it does not): a builtin that assigns a variable named by an
 * operand (red team 12 R12-16: `coproc PYTHONPATH { :; }`, `wait -n -p PYTHONPATH`), or any
 * assignment of one inside a loop or a function body (R12-11). The kernel's
 * `_assigned_by_name`.
 */
function assignedByName(commands: string[][], places: Place[]): string {
  for (const [k, command] of commands.entries()) {
    const words = commandWords(command);
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(words[i])) {
      i++;
    }
    const inner = unwrapBuiltin(words.slice(i));
    // `X=v`, `export X=v`, `unset X` are read as the values they set (`LineState`)
    const modelled =
      inner.length === 0 ||
      ((STATE_BUILTINS.has(inner[0]) || inner[0] === 'unset') &&
        !inner.slice(1).some(a => /^[-+]/.test(a)));
    // `PYTHONPATH=src python x.py` sets the command's own environment (`guardLost`); a
    // bare `X=v` (or one before a special builtin) sets the shell's
    const stays = inner.length === 0 || SPECIAL_BUILTINS.has(inner[0]);
    const named: Array<[string, boolean]> = [
      ...namesAssigned(words.slice(0, i)).map(
        n => [n, stays] as [string, boolean]
      ),
      ...namesAssigned(words.slice(i)).map(n => [n, true] as [string, boolean])
    ];
    for (const [name, shells] of named) {
      if (
        startVariable(name) &&
        shells &&
        (places[k].loop !== null || !modelled)
      ) {
        return `${name} assigned by ${(inner.length > 0 ? inner : words)[0]} in a form Warden does not follow`;
      }
    }
  }
  return '';
}

/** What `cd` reads besides its operand (CDPATH, HOME, PWD, OLDPWD): a line that assigns one,
 * in any form but a plain `$NAME` / `${NAME}` read, moves to folders Warden does not tell
 * (red team 12 R12-2). The kernel's `_cd_variables_assigned`. */
function cdVariablesAssigned(script: string): string {
  const names = CD_NAMES.join('|');
  const found = new RegExp(
    `(?<![$\\w{])(${names})\\b|\\$\\{(${names})[:=]`
  ).exec(script);
  return found ? (found[1] ?? found[2]) : '';
}

const CD_NAMES = ['CDPATH', 'HOME', 'PWD', 'OLDPWD'];

class LineState {
  cwd: string | null = '';
  env: Record<string, string>;
  /** the program of the first earlier command that may write */
  changed = '';
  /** ... of the first that may change the shell itself */
  shellChanged = '';
  /** an earlier change to the environment Warden does not follow */
  unresolved = '';
  /** ... of the first that may write a program file (R12-4) */
  programWritten = '';
  /** the line assigns a variable cd reads (CDPATH, HOME...) */
  cdVariables = '';
  /** a cd ran in the current and-or list */
  private moved = false;
  /** ... which has a `||`: a command after it runs when one failed */
  private either = false;
  /** a command of this line may write (one in a subshell of it too) */
  wrote = false;
  /** the names the line assigned a value holding an expansion Warden does not resolve
   * (`OUT=${HOME}/data`, `export N=$(nproc)`): their value is unknown to a later reading */
  unresolvedValues = new Set<string>();
  /** the names the line assigns by a form read as no value (`for NAME in`, `read NAME`,
   * `${NAME:=v}`...: shellvalues.unknownNames), wherever they stand (R13-19) */
  unknownNames = new Set<string>();
  /** unset on the line: not the kernel's value */
  unsetNames = new Set<string>();
  /** set after `&&`: unknown once the and-or list ends (red team 90 F8) */
  private pending = new Set<string>();
  /** bash `set -k` on the line (R13-20) */
  keyword = false;
  /** PATH assigned a value Warden cannot resolve (R13-18) */
  pathUnknown = false;
  /** the line's single-quoted and escaped text: `'$X'` is no expansion */
  literal = '';

  constructor(
    public subshells: boolean,
    env: Record<string, string>
  ) {
    this.env = { ...env };
  }

  /** The state a command substitution starts in: this line's. */
  subshell(): LineState {
    const sub = new LineState(this.subshells, this.env);
    sub.cwd = this.cwd;
    sub.changed = this.changed;
    sub.shellChanged = this.shellChanged;
    sub.unresolved = this.unresolved;
    sub.programWritten = this.programWritten;
    sub.cdVariables = this.cdVariables;
    sub.unresolvedValues = new Set(this.unresolvedValues);
    sub.unknownNames = new Set(this.unknownNames);
    sub.unsetNames = new Set(this.unsetNames);
    sub.keyword = this.keyword;
    sub.literal = this.literal;
    sub.pathUnknown = this.pathUnknown;
    return sub;
  }

  /** `value` with its plain `$NAME`/`${NAME}` expansions replaced by the values the line
   * assigned (R13-18: `X=DIR; export UV_INDEX_URL=$X`); with `inherit` (PATH), a name the line
   * neither assigns nor unsets stands for what the shell inherits (kept as written here: the
   * static reading has no environment); null when unknown. The kernel's `resolved`. */
  resolved(value: string, inherit = false): string | null {
    if (this.literal.includes('\\$')) {
      return null;
    }
    const unknown = new Set([...this.unknownNames, ...this.unresolvedValues]);
    return shellValues.resolve(
      value,
      name => {
        if (
          this.literal.includes('$' + name) ||
          unknown.has(name) ||
          unknown.has(shellValues.ANY)
        ) {
          // prettier-ignore
          return null;
        }
        if (Object.prototype.hasOwnProperty.call(this.env, name)) {
          return this.env[name];
        }
        if (
          !inherit ||
          this.unsetNames.has(name) ||
          shellValues.SPECIAL.has(name)
        ) {
          return null;
        }
        return '$' + name;
      },
      EXPANSION
    );
  }

  /** A program found by name on a PATH the line set to a value Warden cannot resolve may be
   * any program (a link named `ls` to uv: R13-18). The kernel's `refuse_unknown_path`. */
  refuseUnknownPath(command: string[], functions: ReadonlySet<string>): void {
    if (!(this.pathUnknown || this.unknownNames.has('PATH'))) {
      return;
    }
    let i = 0;
    while (i < command.length && ASSIGNMENT_WORD.test(command[i])) {
      i++;
    }
    const name = unwrapBuiltin(command.slice(i))[0] ?? '';
    if (
      !name ||
      name.includes('/') ||
      shellValues.BUILTINS.has(name) ||
      functions.has(name)
    ) {
      // prettier-ignore
      return;
    }
    throw new Unreadable(
      `${name} is looked up on a PATH the line set to a value Warden cannot resolve ` +
        "before the shell runs it: write PATH's folders out, or give the program's full path"
    );
  }

  /**
   * pip inherits the guard, which decides its install again when it starts, with the files,
   * settings and folder as they are then (`git clone URL && cd x && pip install -e .`): for pip only
   * a change to the shell itself counts (an alias, a sourced script). uv and conda are native
   * programs that nothing decides again (red team 7 R7-16). A pip that may start without the
   * guard (`guardLost`: the line sets or unsets PYTHONPATH, PYTHONHOME, PATH before it,
   * `sudo`, `env -u`...) is refused when it installs (red team 45b R45b-1: what its guard
   * decides in pip's own process no reading before it starts can see); a PATH alone is the
   * kernel's to tell (`PATH_CHANGED`). The kernel's `_LineState`.
   */
  /**
   * Enters the next command, joined to the previous one by `before`. A `cd` holds only for
   * the commands that run when it succeeded: those after it joined by `&&` alone. After `||`,
   * or once its and-or list ends (`cd d; x`: x runs also when the cd failed), the folder is
   * unknown (red team 12 R12-11). The kernel's `_LineState.begin`.
   */
  begin(before: string): void {
    if (before !== '&&') {
      // `false && X=v; cmd`: X may be either (assignmentscope)
      this.pending.forEach(n => this.unknownNames.add(n));
      this.pending = new Set();
    }
    if (before === '&&') {
      return;
    }
    if (before === '||') {
      this.either = true;
    } else if (before !== '|' && before !== '|&') {
      this.either = false;
    }
    if (this.moved) {
      this.cwd = null;
    }
    this.moved = this.moved && ['||', '|', '|&'].includes(before);
  }

  /** A command whose effect on the folder Warden does not follow (a function's call). */
  leaveUnknown(): void {
    this.cwd = null;
    this.moved = true;
  }

  problem(
    tool: string,
    guardLost: string,
    folder: string | null = '',
    unresolved = ''
  ): string {
    if (tool === 'pip' && guardLost && guardLost !== PATH_CHANGED) {
      return guardLostPipProblem(guardLost); // red team 45b R45b-1
    }
    const pip = tool === 'pip' && !guardLost;
    if (unresolved && !pip) {
      // the guard a pip inherits reads it as it is then; Warden reads uv's and conda's
      // settings before the line runs (red team 13 R13-9)
      return `the install starts with ${unresolved} set by the line to a value (a shell expansion, a loop, read...) Warden cannot resolve before the shell runs it: write the value out, or run the install as its own command`;
    }
    const changed = pip ? this.shellChanged : this.changed;
    if (changed) {
      const lost =
        tool === 'pip' && guardLost
          ? ` (this pip may start without Warden's guard: ${guardLost})`
          : '';
      return `an earlier command on the line (${changed}) may write the files or settings the install reads, and Warden reads them before the line runs${lost}: run the install as its own command`;
    }
    if (folder === null && !pip) {
      return 'an earlier command on the line changes to a folder Warden cannot tell (a cd holds for the commands joined to it by && only): run the install as its own command from that folder, or as `cd DIR && INSTALL`';
    }
    return '';
  }

  /** Applies the command's effect on the line; returns its program name ('' for a bare
   * assignment). */
  update(command: string[], place?: Place, before = '', after = ''): string {
    // a subshell's, a branch's, a function body's, a special builtin's prefix assignments
    // may not hold after it: unknown (red team 90 F8, the kernel's `assignment_scope`)
    const nested = (place?.nested ?? false) || this.subshells;
    assignmentScope
      .unsure(command, nested, before, after, this.either)
      .forEach(n => this.unknownNames.add(n));
    assignmentScope.pending(command, before).forEach(n => this.pending.add(n));
    let i = 0;
    while (i < command.length && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(command[i])) {
      i++;
    }
    if (i === command.length) {
      this.assign(command);
      return '';
    }
    // `command cd d`, `builtin export X=v`: the builtin runs in the shell itself (R12-3)
    const inner = unwrapBuiltin(command.slice(i));
    if (inner.length === 0) {
      return listedName(command[i]);
    }
    const name = listedName(inner[0]);
    const args = inner.slice(1);
    if (/^[A-Za-z_][A-Za-z0-9_]*\+=/s.test(command[i])) {
      this.unresolved ||= 'an appending assignment (NAME+=...) on the line';
    }
    if ((name === 'for' || name === 'select') && i === 0) {
      // the loop assigns its variable each round (red team 11 R11-6)
      const target = args[0] ?? '';
      // `for ((i=0;i<3;i++))`: its header, read as arithmetic (masked `::...`), assigns what
      // the line's text reading finds (`unmodelledAssignment`), no loop variable
      const arithmetic = name === 'for' && target.startsWith('::');
      if (
        !arithmetic &&
        (startVariable(target) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(target))
      ) {
        this.unresolved ||= `${name} ${target} assigns it on the line`;
      }
    }
    if (i > 0 && SPECIAL_BUILTINS.has(name)) {
      this.assign(command.slice(0, i)); // `PYTHONPATH= :`: sh (dash) keeps them (POSIX)
    }
    if (name === 'set' && i === 0 && setsExportOptions(args)) {
      this.unresolved ||= 'set -a or -k on the line exports assignments';
    }
    if (
      (STATE_BUILTINS.has(name) || name === 'unset') &&
      args.some(a => EXPANSION.test(a.split('=')[0]))
    ) {
      this.unresolved ||= `${name} of a name Warden cannot read`;
    }
    if (['cd', 'pushd', 'popd'].includes(name) && ['|', '|&'].includes(after)) {
      // a pipeline's stage before its last runs in a subshell of its own (bash, dash; only
      // the last may run in the shell itself, under lastpipe): it moves neither the stages
      // after it nor the later commands (`pushd sub |& uvx ...`, `cd d | true; x`)
      return name;
    }
    if (name === 'cd' || name === 'pushd') {
      // `cd -P` resolves links first: a later `..` is not the folder Warden would read
      const target = args.filter(a => !/^-[Le@]+$/.test(a))[0];
      // runs once, in the shell itself, and only when the commands before it in its and-or
      // list succeeded (R12-11); not after the line assigns CDPATH or HOME (R12-2)
      const concurrent = ['|', '|&', '&'];
      const linear = !(
        (place?.nested ?? false) ||
        this.either ||
        concurrent.includes(before) ||
        concurrent.includes(after) ||
        this.cdVariables
      );
      this.moved = true;
      if (
        linear &&
        this.cwd !== null &&
        target !== undefined &&
        !this.subshells &&
        !/^[~+-]/.test(target) &&
        !EXPANSION.test(target)
      ) {
        const prefix = Object.fromEntries(
          command
            .slice(0, i)
            .map(w => [w.split('=')[0], w.slice(w.indexOf('=') + 1)])
        ); // `CDPATH=x cd d`
        this.cwd = cdFolder(this.cwd, target, { ...this.env, ...prefix });
      } else {
        this.cwd = null;
      }
    } else if (name === 'popd') {
      this.cwd = null;
      this.moved = true;
    } else if (name === 'printf' && args[0]?.startsWith('-v')) {
      return 'printf -v'; // sets a variable Warden does not follow
    } else if (
      PYTHON.test(name) &&
      args.length > 0 &&
      args.every(a => PY_INFO.includes(a))
    ) {
      return 'python --version';
    } else if (STATE_BUILTINS.has(name) && i === 0) {
      if (args.some(a => /^[-+]/.test(a))) {
        this.declare(name, args);
        if (!shellValues.optionsReadAsValue(name, args)) {
          return 'an assignment with options'; // a shell state writer all the same
        }
        return name; // `declare -x X=v`, `export -n X`: as `export X=v` (R18-8)
      }
      this.assign(args);
    } else if (name === 'unset' && i === 0) {
      if (!args.some(a => /^-[a-z]*f/.test(a))) {
        this.unset(args.filter(a => !a.startsWith('-'))); // `unset -f`: functions
      }
    }
    return name;
  }

  /** The environment a command of the line starts with, as Warden reads it: the line's
   * values, and a Python or launch variable the line assigns by a form read as no value
   * (`for PYTHONPATH in`, `read`, a nameref) as unknown (red team 17 R17-15); a name the
   * line computes counts as PYTHONPATH (R14-2's `.env` line may set it: red team 90 F7).
   * The kernel's `start_env`. */
  startEnv(): Record<string, string> {
    const names = [...this.unknownNames].filter(
      n => startVariable(n) && n !== 'PATH'
    );
    if (this.unknownNames.has(shellValues.ANY)) {
      // `export $(cat .env | xargs)`: any name, PYTHONPATH too (red team 90 F7; the kernel
      // refuses every program start there, `unknown_exports`)
      names.push('PYTHONPATH');
    }
    const env = { ...this.env };
    for (const name of names) {
      env[name] = UNKNOWN_VALUE;
    }
    return env;
  }

  /** `unset NAME`, `export -n NAME`, `declare +x NAME`: the commands after it start without
   * NAME, read as '' (not set), so the kernel's own value is not read in its place (red team
   * 17 R17-15). The kernel's `_unset`. */
  private unset(names: string[]): void {
    for (const word of names) {
      const a = word.split('=')[0];
      this.env[a] = '';
      this.unresolvedValues.delete(a);
      this.unsetNames.add(a);
    }
  }

  /** A declaring builtin with options (red team 17 R17-15), as bash applies them to what the
   * commands after it start with: `export -n`/`declare +x` stop exporting, `-x`/`export`
   * with a value assign it, `export -f`/`declare -fx` export a function (BASH_FUNC_NAME%%),
   * a value bash transforms (`-i -l -u -n -a -A -I`) is unknown. The kernel's `_declare`. */
  private declare(name: string, args: string[]): void {
    const on = new Set<string>();
    const off = new Set<string>();
    let k = 0;
    while (k < args.length && /^[-+]/.test(args[k]) && args[k] !== '--') {
      for (const letter of args[k].slice(1)) {
        (args[k][0] === '-' ? on : off).add(letter);
      }
      k++;
    }
    const operands = args.slice(k + (args[k] === '--' ? 1 : 0));
    if (on.has('p') && operands.length === 0) {
      return; // `declare -p`, `export -p`: print
    }
    const exported = on.has('x') || (name === 'export' && !on.has('n'));
    const unexported = off.has('x') || (name === 'export' && on.has('n'));
    if (on.has('f') || on.has('F')) {
      if (exported && !unexported) {
        for (const word of operands) {
          this.env[`BASH_FUNC_${word}%%`] = '() { unknown; }';
        }
      }
      return;
    }
    if (unexported) {
      this.unset(operands);
    } else if ([...on, ...off].some(letter => 'ilunaAI'.includes(letter))) {
      for (const word of operands) {
        this.env[word.split('=')[0]] = UNKNOWN_VALUE;
      }
    } else {
      this.assign(operands.filter(word => word.includes('=')));
    }
  }

  /** The first installer setting (INSTALLER_SETTING) of `env` (what a command starts with)
   * whose value the line, or the command's own assignments, made from an unresolved
   * expansion ('' when none): `export UV_INDEX_URL=$U; uv pip install torch` (`PATH=$X`
   * changes which uv runs, not what it installs). The kernel's `unresolved_value`. */
  unresolvedValue(command: string[], env: Record<string, string>): string {
    const unknown = new Set(this.unresolvedValues);
    for (const word of command) {
      if (!ASSIGNMENT_WORD.test(word)) {
        break;
      }
      const eq = word.indexOf('=');
      if (EXPANSION.test(word.slice(eq + 1))) {
        unknown.add(word.slice(0, eq));
      }
    }
    const found =
      Object.keys(env)
        .sort()
        .find(name => unknown.has(name) && INSTALLER_SETTING.test(name)) ?? '';
    // assigned by a form read as no value (`for UV_INDEX_URL in`, `read`, `${N:=v}`):
    // counted whether or not the line exports it (stricter; R13-19)
    const named = [...this.unknownNames]
      .filter(n => INSTALLER_SETTING.test(n))
      .sort();
    if (this.unknownNames.has(shellValues.ANY)) {
      named.push(
        'a variable whose name the line computes (${!NAME:=...}, export $V)'
      );
    }
    return found || (named[0] ?? '');
  }

  private assign(words: string[]): void {
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq >= 0) {
        const key = word.slice(0, eq);
        const value = word.slice(eq + 1);
        const resolved = EXPANSION.test(value) ? this.resolved(value) : value;
        let searched: string | null = resolved;
        if (key === 'PATH') {
          // which program a bare name runs: inherited names count as known (R13-18)
          searched = resolved ?? this.resolved(value, true);
          this.pathUnknown = searched === null;
        }
        this.env[key] = searched ?? resolved ?? value; // read as exported: stricter
        this.unsetNames.delete(key);
        if (resolved === null) {
          this.unresolvedValues.add(key);
        } else {
          this.unresolvedValues.delete(key);
        }
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
          // `export X+=v`, `export $N=v`
          this.unresolved ||= `an assignment to '${key}' on the line`;
        }
      }
    }
  }
}

/**
 * The folder `cd TARGET` moves to from `cwd`, as the shell finds it (red team 11 R11-1); null
 * when Warden cannot tell: a CDPATH on the line is searched first for a target not starting
 * with `/`, `./` or `../`. `cd` is logical (`link/..` is the folder the link is in), as
 * `path.join` reads it; links and the kernel's own CDPATH and PWD are the kernel's
 * `_cd_folder`'s to read.
 */
function cdFolder(
  cwd: string,
  target: string,
  env: Readonly<Record<string, string>>
): string | null {
  if (env.CDPATH && !/^(\/|\.\.?(\/|$))/.test(target)) {
    return null;
  }
  // `cd link/../x`: bash falls back to the PHYSICAL path when the logical one does not exist
  // (dash and `bash --posix` fail; red team 12 R12-1): a `..` after a folder name is left
  // unknown
  const joined = cwd && !target.startsWith('/') ? `${cwd}/${target}` : target;
  const parts = joined.split('/');
  if (
    parts.some(
      (p, k) => p === '..' && k > 0 && !['..', ''].includes(parts[k - 1])
    )
  ) {
    return null;
  }
  return path.join(cwd, target);
}

/** Whether a command may write files anywhere a later command on the line reads: any program
 * but the ones that write nothing and the installs Warden reads; an installer that runs a
 * command or writes what it fetches or compiles may write. Any other install is still a writer
 * for a later install (`installerWritesNothing`, red team 54a). */
function mayWrite(program: string, invocations: Invocation[]): boolean {
  if (invocations.length === 0) {
    return program !== '' && !NO_WRITE.has(program);
  }
  return !invocations.every(plainInstall);
}

function plainInstall(inv: Invocation): boolean {
  if (installerWritesFiles(inv.tool, inv.args)) {
    return false; // pip download, uv pip compile -o F (red team 50a R50a-5)
  }
  if (inv.tool === 'pip') {
    return true;
  }
  if (inv.tool === 'uv') {
    const sub = uvSubcommand(inv.args);
    return sub === null || !['run', 'x', 'tool'].includes(sub);
  }
  const command = inv.args.find(a => !a.startsWith('-'));
  return inv.tool !== 'front-end' && !CONDA_STATE.has(command ?? '');
}

/** An install's own output redirection to a file it may read counts as a writer before it
 * (red team 54a R54a-3: `uv pip install -r r.txt P 2>r.txt` empties r.txt before uv starts);
 * a pip that keeps the guard decides again after it. What the line shows is weighed here
 * (`ownredirect.ts`, the kernel's `commands._own_redirections`); the targets are kept
 * (`redirected`) to weigh against the files the install's reading reads (`requestsOf`: red
 * team 55b R55b-1). `inv`: as the command gives it; `placed`: with the line's folder and
 * problem, what is returned. */
function ownRedirections(
  inv: Invocation,
  placed: Invocation,
  guardLost: string,
  written: string[],
  folder: string | null
): Invocation {
  if (
    placed.problem ||
    written.length === 0 ||
    (inv.tool === 'pip' && !guardLost)
  ) {
    return placed;
  }
  const problem = ownRedirectionProblem(inv, written, folder);
  return problem ? { ...placed, problem } : { ...placed, redirected: written };
}

/** Names the shell construct without quoting it: a word may hold a secret. */
function construct(token: string): string {
  if (token.includes(IPYTHON_FIELD)) {
    return 'an IPython {expression}'; // ipythonexpansion.ts: a field of a `!` or `%` line
  }
  if (token.includes('$(') || token.includes('`')) {
    return 'a command substitution';
  }
  return token.includes('$') ? 'a $ parameter' : 'a brace list';
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function simple(
  argvIn: string[],
  envIn: Record<string, string>,
  depth: number,
  span?: [number, number],
  stdin = 'unknown'
): Invocation[] {
  const env = { ...envIn };
  let i = 0;
  while (i < argvIn.length && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(argvIn[i])) {
    const eq = argvIn[i].indexOf('=');
    env[argvIn[i].slice(0, eq)] = argvIn[i].slice(eq + 1);
    i++;
  }
  const argv = argvIn.slice(i);
  // R25-3: `JAVA_TOOL_OPTIONS='...' jshell`; a shell's own code variable reaches any bash a
  // program starts (R26-2), but a Python started here is guarded, and its own gate reads the
  // shells it starts with them (R17-3: BASH_ENV from an env file, then python)
  const guarded = argv.length > 0 && PYTHON.test(basename(argv[0]));
  const why = refusedEnv(env, !guarded);
  if (why) {
    throw new Unreadable(why);
  }
  if (argv.length === 0) {
    return [];
  }
  if (
    writtenOnLine &&
    argv[0].includes('/') &&
    !argv[0].startsWith('/') &&
    !/^[A-Za-z_][A-Za-z0-9_]*\[[^\]]*\]\+?=/s.test(argv[0]) // `NAME[i]=a/b`
  ) {
    // a program run by a relative path after a writer on its line may be the writer's work
    // (red team 12 R12-4: `ln -s /x/uv tool && ./tool sync`); the kernel also refuses an
    // absolute path with no file yet
    throw new Unreadable(
      `${argv[0]} is run by a path after an earlier command on the line (${writtenOnLine}) that may write that file, and Warden reads it before the line runs: run the program as its own command`
    );
  }
  let name = basename(argv[0]);
  if (name !== '[' && GLOB.test(name)) {
    throw new Unreadable(
      'its program is a shell pattern, which the shell expands to a name'
    );
  }
  if (argv[0].includes('{}')) {
    // find -exec {} ARGS ;, env {} ...: the program is each file find finds (picked by
    // inode, size, time: no word names it), red team 15 R15-20
    throw new Unreadable(
      'its program is `{}`, a file find finds, which Warden cannot name'
    );
  }
  const processRoot = /^\/(proc|dev\/fd|dev\/std(in|out|err))(\/|$)/.exec(
    argv[0]
  );
  if (processRoot) {
    // `/proc/self/exe`, `/dev/fd/3 3</bin/sh` name the process that runs them: in a shell
    // line the shell (red team 14 R14-20); the kernel also follows links into /proc
    throw new Unreadable(
      `${argv[0]} is reached through /${processRoot[1]}, which names the process that runs it (the shell in a shell line, not the kernel): Warden cannot tell which program that is; run the program by its own path`
    );
  }
  if (argv[0].includes('{')) {
    // IPython interpolates `{expr}` in `!` commands: `!{sys.executable} -m pip ...` runs
    // Python; any other program word built so is unknown until the cell runs.
    const [module] = pythonModule(argv.slice(1));
    if (!module || !PYTHON_MODULES.has(module)) {
      throw new Unreadable(
        'its program is an IPython {expression} Warden cannot resolve before the cell runs'
      );
    }
    name = 'python';
  }
  const nested = (script: string, state?: LineState) => {
    const inner = state ?? new LineState(false, env);
    const found = shellInvocations(
      script,
      span?.[0] ?? 0,
      depth + 1,
      span ?? [0, 0],
      env,
      inner
    ).map(([inv]) => inv);
    // its writes are the command's on the outer line (red team 36 R36-7, the kernel's
    // `_INNER_WRITES`): `uv pip install -r r.txt | sh -c "echo x > r.txt"`
    innerWrote ||= inner.wrote;
    return found;
  };
  if (name === 'busybox' && argv.length > 1) {
    return simple(argv.slice(1), env, depth, span, stdin);
  }
  if (SHELL_STRING_RUNNERS.has(name)) {
    // su/runuser: their options read with the tables' getopt model (red team 15 R15-21:
    // `-mc TEXT`, `-cTEXT`, `--comm=TEXT`, `--session-command=TEXT`, an unknown option
    // refused), and a `-c TEXT` among the words after the user, which su hands to the shell
    // as its own arguments (`su root -c TEXT`)
    // the shell it runs (-s, or SHELL with -m) must be a standard one (red team 17 R17-10)
    const reading = readRunner(name, argv.slice(1), env);
    if (reading === null || reading.refused) {
      throw new Unreadable(reading?.refused ?? `${name} has no table`);
    }
    const scripts = [...reading.texts];
    for (const late of [
      optionValue(argv.slice(1), ['-c', '--command']),
      shellArgumentsText(name, argv.slice(1))
    ]) {
      if (late !== null && !scripts.includes(late)) {
        scripts.push(late);
      }
    }
    const rest = withoutShellOption(
      argv
        .slice(1)
        .map(word => (scripts.some(s => s && word.includes(s)) ? '' : word))
    ); // its -s SHELL decided above: a standard shell
    refuseUnread(name, rest, env); // `su -s /x/uv -c ...`, `runuser -u u -- uv ...`
    // `su -`, `runuser -l` start the shell with a fresh environment: the guard's gone
    env.PYTHONPATH = '';
    return scripts.flatMap(script => nested(script));
  }
  if (WRAPPERS.has(name)) {
    const movedTo: string[] = [];
    const found = simple(unwrap(name, argv.slice(1), env, movedTo), env, depth, span, stdin); // prettier-ignore
    // an install started in the wrapper's folder reads that folder's files, which Warden
    // does not follow (red team 11 R11-12: `env -C d -S 'uv sync'`; the kernel also finds a
    // relative program from there: `env -C d ./ls sync`, d/ls a link to uv)
    refuseMoved(movedTo.length > 0, `${name} --chdir`, [], found.length > 0);
    return found;
  }
  if (SHELLS.has(name) && name !== 'busybox') {
    const start = shellStart(argv);
    // `bash script.sh` too; `sh -i` reads $ENV
    refuseShellCode(name, env, isOn(start, 'i'));
    if (start.command) {
      let state: LineState | undefined;
      if (isOn(start, 'k', 'keyword')) {
        state = new LineState(false, env); // `bash -k -c ...`: set -k from the start
        state.keyword = true;
      }
      return nested(
        start.operand !== null ? argv[1 + start.operand] : '',
        state
      );
    }
    refuseStdinScript(argv, start, stdin);
    return [];
  }
  if (name === 'eval') {
    return nested(argv.slice(1).join(' '));
  }
  if (
    (name === 'source' || name === '.') &&
    argv.length > 1 &&
    commandsOnDescriptor(argv[1], startFolder)
  ) {
    // `source <(printf ..)`: commands the line builds, run in this shell (R15-15's rule)
    throw new Unreadable(
      `${name} reads its commands from a process substitution or a descriptor (/dev/..., /proc/...), which Warden cannot read before the shell runs them: write them out`
    );
  }
  if (name === 'xargs') {
    if (INSTALLER_WORDS.test(argv.slice(1).join(' '))) {
      throw new Unreadable(
        "xargs builds the installer's arguments from its input"
      );
    }
    // what xargs starts gets xargs' environment: the line's assignments and exports, env's
    // NAME=VALUE words (red team 17 R17-14)
    refuseUnread('xargs', argv.slice(1), env); // `xargs perl -e CODE` (R12-6)
    const command = refuseProgramFromInput(argv.slice(1), env);
    // its command's input is /dev/null, but with -a/--arg-file xargs' own (R17-5)
    const options = argv.slice(1, argv.length - command.length);
    const given = options.some(word => /^(-[^-]*a|--a)/.test(word));
    // `BASH_ENV=/dev/stdin xargs -a f bash`
    refuseInnerStart('xargs', command, env, given ? 'unknown' : 'decided');
    return [];
  }
  if (PIP.test(name)) {
    refuseConsoleScriptStart(argv[0], env);
    return [{ tool: 'pip', args: argv.slice(1), env, program: argv[0] }];
  }
  if (name === 'uv' || name === 'uvx') {
    const args = name === 'uv' ? argv.slice(1) : ['x', ...argv.slice(1)];
    const inner =
      (name === 'uv' ? uvRunCommand(args) : null) ?? uvToolCommand(args);
    // uv run CMD: uv installs the project or script, then CMD runs in its environment;
    // uvx / uv tool run TOOL ARGS: the tool's command runs with ARGS (red team 7 R7-6)
    return [
      { tool: 'uv', args, env, program: argv[0] },
      ...(inner?.length ? simple(inner, env, depth, span) : [])
    ];
  }
  if (CONDAS.has(name)) {
    refuseConsoleScriptStart(argv[0], env);
    const inner = runCommand('conda', argv.slice(1), name);
    if (inner !== null) {
      return simple(inner, env, depth, span); // conda run [opts] CMD
    }
    return [
      {
        tool: name as Invocation['tool'],
        args: argv.slice(1),
        env,
        program: argv[0]
      }
    ];
  }
  if (name === 'pipx.pyz') {
    name = 'pipx'; // pipx's own zipapp (red6 F12)
  }
  if (FRONT_ENDS.has(name)) {
    refuseConsoleScriptStart(argv[0], env);
    // pipx run APP ARGS / pipx exec VENV APP ARGS: the app may itself install; pixi exec
    // CMD: CMD runs in the environment pixi made
    const execs = name === 'pixi' ? pixiExec(argv.slice(1)) : null;
    const run =
      name === 'pipx' || execs || name.startsWith('pip-')
        ? null
        : runCommand(name, argv.slice(1), name);
    const inner =
      name === 'pipx'
        ? pipxAppCommands(argv.slice(1))
        : execs?.[1].length
          ? [execs[1]]
          : run
            ? [run]
            : [];
    return [
      { tool: 'front-end', frontEnd: name, args: argv.slice(1), env },
      ...inner.flatMap(command => simple(command, env, depth, span))
    ];
  }
  if (PYTHON.test(name)) {
    // a name says nothing of the file's format: a pyenv shim `python3` is a bash script, and
    // bash runs BASH_ENV, a BASH_FUNC_, pyenv's hooks before the Python (R31-5)
    refuseShellScript(argv[0], env);
    const guardlessPip = guardlessPython(argv, env, stdin);
    const pipx = pipxThroughPython(argv.slice(1));
    if (pipx !== null) {
      return simple(['pipx', ...pipx], env, depth, span);
    }
    let [module, rest] = pythonModule(argv.slice(1));
    while (module === 'runpy' && rest.length > 0) {
      [module, rest] = [rest[0], rest.slice(1)]; // python -m runpy MOD ARGS runs MOD (R7-7)
    }
    if (module?.startsWith('pipx.')) {
      return simple(['pipx', ...rest], env, depth, span);
    }
    if (module === 'pip' || module === 'pip.__main__') {
      // a pip started without the guard is refused when it installs (`pipRequest` reads the
      // problem only then): the kernel's `_guardless_pip_problem`
      const pip: Invocation = {
        tool: 'pip',
        args: rest,
        env,
        program: argv[0]
      };
      return [guardlessPip ? { ...pip, problem: guardlessPip } : pip];
    }
    if (module === 'uv') {
      return [{ tool: 'uv', args: rest, env, program: argv[0] }];
    }
    if (
      module === 'conda' ||
      module === 'mamba' ||
      FRONT_ENDS.has(module ?? '')
    ) {
      return simple([module!, ...rest], env, depth, span);
    }
    if (module === 'piptools' || module === 'piptools.__main__') {
      // python -m piptools compile|sync: pip-compile|pip-sync; the group's help installs
      // nothing; any other word is a pip-tools command Warden does not know
      if (rest[0] === 'compile' || rest[0] === 'sync') {
        return simple([`pip-${rest[0]}`, ...rest.slice(1)], env, depth, span);
      }
      if (rest.every(w => ['-h', '--help', '--version'].includes(w))) {
        return [];
      }
      throw new Unreadable(
        'python -m piptools runs a pip-tools command Warden does not know'
      );
    }
    if (module !== null && INSTALLER_PACKAGES.has(module.split('.')[0])) {
      // any other module of an installer's package (`pip.__pip-runner__`: pip itself, R48b-4)
      // is not read as its command line: the kernel's `_refuse_installer_module`
      const top = module.split('.')[0];
      throw new Unreadable(
        `python -m ${module} runs a module of ${top}'s package that Warden does not read ` +
          `as ${top}'s command line: run \`python -m ${top}\``
      );
    }
    if (module !== null) {
      refuseUnread(`python -m ${module}`, rest); // a module Warden does not read
    }
    return [];
  }
  refuseShellScript(argv[0], env);
  refuseUnread(listedName(argv[0]), argv.slice(1), env, stdin);
  return [];
}

/** The packages whose `-m` modules Python starts only as the installer's invocation read above
 * (`python -m pip`, `-m piptools compile`): the kernel's `_CALLER_READS`. */
const INSTALLER_PACKAGES: ReadonlySet<string> = new Set([
  'pip',
  'uv',
  'conda',
  'mamba',
  'pipx',
  'piptools',
  'poetry',
  'pdm',
  'pipenv',
  'hatch',
  'pixi',
  'rye'
]);

/** su's words without its `-s SHELL` / `--shell=SHELL` (the reading decided that shell: a
 * standard one), so `su -s /bin/sh root -c ls` is not read as naming a shell to run. As the
 * kernel's. */
function withoutShellOption(args: string[]): string[] {
  const rest = [...args];
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    if ((args[i] === '-s' || args[i] === '--shell') && i + 1 < args.length) {
      rest[i] = rest[i + 1] = '';
    } else if (args[i].startsWith('--shell=')) {
      rest[i] = '';
    }
  }
  return rest;
}

/** The name a program is looked up by in Warden's lists: a bare name or one in the system's
 * folders; any other path (`./echo`, a script named like a harmless program) as written. */
function listedName(word: string): string {
  const dir = word.slice(0, word.lastIndexOf('/'));
  return !word.includes('/') || dir === '/bin' || dir === '/usr/bin'
    ? basename(word)
    : word;
}

/** The wrappers' options: [flags, options taking a value]; a word after `-` that is neither
 * is an option Warden does not know, unreadable when an installer is named after it. */
const WRAPPER_OPTIONS: Record<string, [string[], string[]]> = {
  env: [['-i', '--ignore-environment', '-0', '--null', '-v', '--debug', '-'],
    ['-u', '--unset', '-C', '--chdir', '-S', '--split-string']],
  sudo: [['-E', '-H', '-n', '-S', '-b', '-k', '-P', '-A', '-B', '-i', '-s', '--preserve-env',
    '--set-home', '--non-interactive', '--stdin', '--background', '--reset-timestamp',
    '--login', '--shell', '--askpass', '--bell'],
  ['-u', '-g', '-C', '-D', '-h', '-p', '-U', '-r', '-t', '-T', '-R', '--user', '--group',
    '--close-from', '--chdir', '--host', '--prompt', '--other-user', '--role', '--type',
    '--command-timeout', '--chroot']],
  doas: [['-n', '-s'], ['-u', '-C']],
  nohup: [[], []],
  time: [['-p', '-v', '--verbose', '-a', '--append', '-q', '--quiet', '--portability'],
    ['-f', '--format', '-o', '--output']],
  exec: [['-c', '-l', '-cl', '-lc'], ['-a']],
  command: [['-p', '-v', '-V'], []],
  nice: [[], ['-n', '--adjustment']],
  stdbuf: [[], ['-i', '-o', '-e', '--input', '--output', '--error']],
  timeout: [['--preserve-status', '--foreground', '-v', '--verbose'],
    ['-s', '--signal', '-k', '--kill-after']],
  setsid: [['-c', '--ctty', '-f', '--fork', '-w', '--wait'], []],
  builtin: [[], []],
  coproc: [[], []]
}; // prettier-ignore

/** The command a wrapper runs; `env`'s assignments are added to `env`. An option Warden does
 * not know, with an installer named after it, is unreadable. */
function unwrap(
  name: string,
  args: string[],
  env: Record<string, string>,
  movedTo: string[] = []
): string[] {
  const [flags, valued] = WRAPPER_OPTIONS[name];
  const chdir = WRAPPER_CHDIR[name] ?? [];
  let i = 0;
  let moved = false;
  let emptied = false;
  if (name === 'sudo' || name === 'doas') {
    // they start the command with a reset environment: the guard's PYTHONPATH entry is not
    // kept (sudoers' env_reset; doas keeps only a few variables): the kernel's `_unwrap`
    env.PYTHONPATH = '';
  }
  // env's `-` ends its options (getopt stops at a word that is no option): it is read after
  while (
    i < args.length &&
    args[i].startsWith('-') &&
    args[i] !== '--' &&
    !(name === 'env' && args[i] === '-')
  ) {
    const word = args[i];
    const bundle = splitBundle(word, flags);
    if (bundle) {
      // getopt's bundles (red team 16 R16-9: `env -vS TEXT`)
      args = [...args.slice(0, i), ...bundle, ...args.slice(i + 1)];
      continue;
    }
    // only a long option ends its name at `=` (`--unset=NAME`); a short option's value is the
    // rest of its word, `=` and all (`-S...pkg==0.9`, `-uA=B`: red team 51a R51a-3)
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    let option = eq < 0 ? word : word.slice(0, eq);
    if (option.startsWith('--')) {
      // getopt's unique prefixes (red team 14 R14-37: `env --split-s=TEXT`)
      const found = longOption(option, [...flags, ...valued], valued, valued);
      if (found === '') {
        throw new Unreadable(
          `${name} ${option} may name more than one of its options`
        );
      }
      option = found ?? option;
    }
    const shortValue =
      valued.includes(option.slice(0, 2)) && !option.startsWith('--')
        ? option.slice(0, 2)
        : null;
    moved ||= chdir.includes(option) || chdir.includes(shortValue ?? '');
    if (moved && movedTo.length === 0) {
      movedTo.push(word); // the folder itself is not followed on this side
    }
    if (
      name === 'env' &&
      (option === '-S' || option === '--split-string' || shortValue === '-S')
    ) {
      let script: string | null =
        eq >= 0
          ? word.slice(eq + 1)
          : word.length > 2 && shortValue
            ? word.slice(2)
            : null;
      if (script === null) {
        script = args[i + 1] ?? '';
        i++;
      }
      // GNU env puts TEXT's words in place of the option and its TEXT and reads its
      // arguments again from the first (coreutils' parse_split_string): options, `--`,
      // NAME=VALUE words, then the command (red team 50b R50b-1): the kernel's `_unwrap`.
      // TEXT is split by env's rules, not the shell's (red team 51a R51a-1/2)
      let split: string[];
      try {
        split = envSplit(script);
      } catch (error) {
        if (error instanceof EnvSplitUnread) {
          throw new Unreadable(error.message);
        }
        throw error;
      }
      args = [...split, ...args.slice(i + 1)];
      i = 0;
      continue;
    }
    if (name === 'env' && ['-i', '--ignore-environment'].includes(option)) {
      emptyEnvironment(env);
    }
    if (
      name === 'time' &&
      (option === '-o' || shortValue === '-o' || option === '--output') &&
      namesInstaller(args.slice(i))
    ) {
      // GNU time opens its -o FILE (emptied unless -a) before the command it times starts, as
      // a redirection the line does not write (R57a-8): the kernel's `_unwrap`
      throw new Unreadable(
        'time -o writes its file before the command it times starts, and Warden does not weigh that file against what the install reads: run the install without time -o (or redirect its output into an install.log)'
      );
    }
    // bash's `exec -c` looks the program up with the shell's PATH, then empties the
    // environment for the started program only (red team 49a R49a-5): after the options
    emptied ||=
      name === 'exec' &&
      flags.includes(option) &&
      option.slice(1).includes('c');
    // `command -p` looks the program up on the shell's default path for that lookup alone:
    // the program keeps the shell's environment, PATH too (red team 50b R50b-2); the kernel
    // looks it up there, this side looks no program up: its word stays as written
    if (
      name === 'env' &&
      (option === '-u' || option === '--unset' || shortValue === '-u')
    ) {
      const unset =
        eq >= 0
          ? word.slice(eq + 1)
          : word.length > 2 && shortValue
            ? word.slice(2)
            : (args[i + 1] ?? null);
      if (unset) {
        // read as '' (not set): the guard's entry or a launch variable gone, PATH changed,
        // and any other name not read as the kernel's (red team 17 R17-15)
        env[unset] = '';
      }
    }
    if (name === 'nice' && /^-\d+$/.test(word)) {
      i++; // nice -10 CMD
    } else if (flags.includes(option)) {
      i++;
    } else if (valued.includes(option)) {
      i += eq >= 0 ? 1 : 2;
    } else if (shortValue !== null) {
      i++; // the value joined to its option: -uroot, -oL, -n5
    } else {
      refuseUnread(`${name} ${option}`, args.slice(i));
      i++;
    }
  }
  if (i < args.length && args[i] === '--') {
    i++;
  }
  if (name === 'env' && i < args.length && args[i] === '-') {
    // GNU env tests for the obsolete `-` (as `-i`) after getopt, which has consumed a `--`:
    // `env -- - CMD` empties the environment too (red team 53a R53a-3); one `-` only, a second
    // is the program (`env - - CMD` runs `-`): the kernel's `_unwrap`
    emptyEnvironment(env);
    i++;
  }
  if (
    name === 'command' &&
    args.slice(0, i).some(a => a === '-v' || a === '-V')
  ) {
    return []; // command -v NAME names it, runs nothing
  }
  if (name === 'timeout' && i < args.length) {
    i++; // the duration
  }
  while (name === 'env' && i < args.length && args[i].includes('=')) {
    // env(1) sets ANY NAME=value, not only shell-valid names
    const eq = args[i].indexOf('=');
    env[args[i].slice(0, eq)] = args[i].slice(eq + 1);
    i++;
  }
  refuseMoved(moved, `${name} --chdir`, args.slice(i));
  if (emptied) {
    emptyEnvironment(env); // this side looks no program up: its word stays as written
  }
  return args.slice(i);
}

/** `env -i` (`-`, `--ignore-environment`), bash's `exec -c`: the command starts with none of
 * the variables it inherits or the line set, only the NAME=VALUE words that follow; each is
 * read as '' (not set), the guard's PYTHONPATH entry is gone (red team 8 R8-17), and PATH is
 * the system's default that env's execvp searches: the kernel's `_empty_environment` (red
 * team 48a R48a-3). The kernel also reads a shell started so with its own default PATH
 * (`shell_default_path`, red team 49a R49a-2); this side looks no program up on PATH, where
 * PATH only tells that it changed (`guardLost`), which either value says. */
function emptyEnvironment(env: Record<string, string>): void {
  for (const name of [...startNames, ...Object.keys(env)]) {
    env[name] = '';
  }
  env.PYTHONPATH = '';
  env.PATH = '/bin:/usr/bin';
}

/** Options that run the command in another folder, which Warden's reading does not follow. */
const RUN_CHDIR: Record<string, string[]> = {
  conda: ['--cwd'],
  poetry: ['-C', '--directory']
};
const WRAPPER_CHDIR: Record<string, string[]> = {
  env: ['-C', '--chdir'],
  sudo: ['-D', '--chdir']
};

/** A command run in another folder that names an installer, or `starts` one, is unreadable:
 * the kernel's `_refuse_moved`. */
function refuseMoved(
  moved: boolean,
  program: string,
  command: string[],
  starts = false
): void {
  if (moved && (starts || INSTALLER_WORDS.test(command.join(' ')))) {
    throw new Unreadable(
      `${program} runs the command in another folder, which Warden does not follow: cd there first`
    );
  }
}

// xargs' options (findutils): valued, and those whose value is optional (attached only)
const XARGS_VALUED = ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '-n',
  '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var']; // prettier-ignore
const XARGS_OPTIONAL = ['-e', '--eof', '-i', '--replace', '-l', '--max-lines'];
const XARGS_FLAGS = ['-0', '--null', '-o', '--open-tty', '-p', '--interactive', '-r',
  '--no-run-if-empty', '-t', '--verbose', '-x', '--exit', '--show-limits', '--help',
  '--version']; // prettier-ignore

/**
 * xargs whose PROGRAM comes from its input (red team 15 R15-19): `-I R` with R in the program
 * word (`xargs -I% % run ...`), or a wrapper (`env`, `nice`, `timeout 60`, `sudo`) or
 * su/runuser/eval with no program of its own, which then runs the first input word (or takes
 * `-c TEXT` from the input). Warden reads no input: refused. As the kernel's.
 */
function refuseProgramFromInput(
  args: string[],
  env: Record<string, string>
): string[] {
  const known = [...XARGS_VALUED, ...XARGS_OPTIONAL, ...XARGS_FLAGS];
  let i = 0;
  let replace: string | null = null;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const word = args[i];
    if (word === '--') {
      i++;
      break;
    }
    const eq = word.indexOf('=');
    const written = eq < 0 ? word : word.slice(0, eq);
    const long = word[1] === '-';
    const option = long
      ? longOption(written, known, XARGS_VALUED)
      : word.slice(0, 2);
    const attached = long ? (eq < 0 ? '' : word.slice(eq + 1)) : word.slice(2);
    if (option === '-I' || option === '-i' || option === '--replace') {
      replace = attached || (option !== '-I' ? '{}' : '');
    }
    if (
      option !== null &&
      XARGS_VALUED.includes(option) &&
      !(eq >= 0 || (!long && attached))
    ) {
      i++;
      if (option === '-I' && i < args.length) {
        replace = args[i];
      }
    }
    i++;
  }
  refuseInputProgram('xargs', args.slice(i), env, replace || null);
  return args.slice(i);
}

/**
 * The one launcher set: a program that runs a command given as its operands (the wrappers
 * read here, su/runuser, eval, xargs, and schema/shell-runners.json's launchers and
 * command-running tables). The kernel's `launches`.
 */
function launches(name: string): boolean {
  return (
    WRAPPERS.has(name) ||
    SHELL_STRING_RUNNERS.has(name) ||
    name === 'eval' ||
    name === 'xargs' ||
    tableLaunches(name)
  );
}

/**
 * A command `who` fills from what it reads (xargs' command, find -exec's): refused when its
 * PROGRAM may come from that input (red team 15 R15-19, R15-20; red team 16 R16-5, R16-6).
 * `slot`: the word the input replaces (find's `{}`, xargs -I's); null: the input is appended
 * (xargs without -I). The program word holding the slot is refused; the wrappers Warden reads
 * are unwrapped; behind any OTHER launcher (`chrt -o 0`, `setpriv`, `flock F`: Warden does not
 * know which of its words is the program) a slot among the words, or appended input, is
 * refused: deny by default. The kernel's `refuse_input_program`.
 */
function refuseInputProgram(
  who: string,
  words: string[],
  env: Readonly<Record<string, string>>,
  slot: string | null
): void {
  let command = words;
  while (command.length > 0) {
    const name = basename(command[0]);
    if (slot && command[0].includes(slot)) {
      throw new Unreadable(
        `${who} starts a program named by its input ('${command[0]}')`
      );
    }
    if (WRAPPERS.has(name)) {
      command = unwrap(name, command.slice(1), { ...env });
      if (command.length === 0 && slot === null) {
        throw new Unreadable(
          `${who} ${name} runs a program named by ${who}'s input`
        );
      }
    } else if (launches(name)) {
      if (slot === null || command.slice(1).some(w => w.includes(slot))) {
        throw new Unreadable(
          `${who} ${name} runs a command whose program may be ${who}'s input (a file ${who} finds or a word it reads), which Warden cannot name: write the program out`
        );
      }
      return;
    } else {
      return;
    }
  }
}

/**
 * The command string of the shell arguments su hands to the user's shell after `--` (red team
 * 16 R16-12: `su root -- -xc TEXT`, `-ec`, `-ce`): read as a shell start's own options are
 * (the grammar of `sh ARGS`); a word there the grammar cannot place is unreadable. As the
 * kernel's `_shell_arguments_text`.
 */
function shellArgumentsText(name: string, args: string[]): string | null {
  const end = args.indexOf('--');
  if (end < 0) {
    return null;
  }
  for (const word of args.slice(0, end)) {
    if (word === '--user' || word.startsWith('--user=')) {
      return null;
    }
    if (word.startsWith('-') && !word.startsWith('--')) {
      for (const letter of word.slice(1)) {
        if (letter === 'u') {
          return null; // runuser -u USER -- CMD: a command, read as one
        }
        if ('cgGsw'.includes(letter)) {
          break; // the rest of the word is the option's value
        }
      }
    }
  }
  const words = args.slice(end + 1);
  for (let j = 0; j < Math.min(words.length, 2); j++) {
    // [USER] then the shell's words
    const word = words[j];
    if (/^[-+]/.test(word) && word !== '-' && word !== '--') {
      let start: ShellStart;
      try {
        start = parseShellStart(words.slice(j));
      } catch (error) {
        if (error instanceof UnknownOption) {
          throw new Unreadable(
            `${name} hands its shell the option ${error.message}, which Warden does not read`
          );
        }
        throw error;
      }
      return start.command && start.operand !== null
        ? words[j + start.operand]
        : null;
    }
  }
  return null;
}

function optionValue(args: string[], names: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    if (names.includes(args[i]) && i + 1 < args.length) {
      return args[i + 1];
    }
    for (const n of names) {
      if (n.startsWith('--') && args[i].startsWith(n + '=')) {
        return args[i].slice(n.length + 1);
      }
    }
  }
  return null;
}

const STDIN_FILES = new Set([
  '-',
  '/dev/stdin',
  '/dev/fd/0',
  '/proc/self/fd/0'
]);

/**
 * A shell started without `-c` reads its commands from its script operand or, with none (or
 * `-s`, `-`, `/dev/stdin`), from stdin: a pipe, a here-string or the kernel's own input,
 * which Warden cannot see when the shell starts (red8 R8-4). Only a heredoc (its lines are
 * read as the line's commands) passes.
 */
function refuseStdinScript(
  argv: string[],
  start: ShellStart,
  stdin: string
): void {
  if (stdin === 'heredoc' || stdin === 'decided') {
    return; // 'decided': no input of its own (the kernel's `_refuse_stdin_script`)
  }
  const reads = isOn(start, 's');
  const operand = start.operand !== null ? argv[1 + start.operand] : null;
  // `bash 0 <<<"..."`: the kernel's reader cannot tell a descriptor from a script operand
  const descriptor =
    stdin !== 'unknown' && operand !== null && /^\d+$/.test(operand);
  if (reads || operand === null || STDIN_FILES.has(operand) || descriptor) {
    throw new Unreadable(
      `${basename(argv[0])} reads its commands from stdin (a pipe, a here-string or the kernel's input), which Warden cannot read before the shell starts; run them with -c '...' or from a file`
    );
  }
  if (commandsOnDescriptor(operand, startFolder)) {
    // `bash <(printf ..)`, `sh /dev/fd/3`: a script the line builds (R15-15)
    throw new Unreadable(
      `${basename(argv[0])} reads its commands from a process substitution or a descriptor (/dev/..., /proc/...), which Warden cannot read before the shell starts; run them with -c '...' or from a file`
    );
  }
}

/**
 * A shell's options read as the shell reads them (R14-33: `bash -o pipefail -c TEXT`,
 * `sh -c -- TEXT`); an option word it cannot place is unreadable, not a script file.
 */
function shellStart(argv: string[]): ShellStart {
  let start: ShellStart;
  try {
    start = parseShellStart(argv.slice(1));
  } catch (error) {
    if (!(error instanceof UnknownOption)) {
      throw error;
    }
    throw new Unreadable(
      `${basename(argv[0])} is started with the option ${error.message}, which Warden does not model; write the shell's options as bash and dash document them`
    );
  }
  if (start.startupFiles.length && isOn(start, 'i')) {
    throw new Unreadable(
      `${basename(argv[0])} -i runs the startup file ${start.startupFiles[0]}, which Warden does not read`
    );
  }
  return start;
}

const PYTHON_MODULES = new Set([
  'pip',
  'pip.__main__',
  'uv',
  'conda',
  'mamba',
  'piptools'
]);
const RUN_VALUED: Record<string, string[]> = {
  conda: ['-n', '--name', '-p', '--prefix', '--cwd', '-a', '--attach', '--label', '-r',
    '--root-prefix', '--rc-file'],
  poetry: ['-C', '--directory', '-P', '--project'],
  pdm: ['-p', '--project', '-v', '--venv'],
  pipenv: ['--python'],
  hatch: ['-e', '--env', '-p', '--project'],
  pixi: ['--color', '--manifest-path', '-e', '--environment', '--auth-file',
    '--concurrent-downloads', '--concurrent-solves', '--pypi-keyring-provider',
    '--config-file', '--skip-deps'],
  rye: ['--env-file', '--pyproject']
}; // prettier-ignore
const CONDA_RUN_FLAGS = ['-v', '--verbose', '--dev', '--debug-wrapper-scripts',
  '--no-capture-output', '--live-stream', '--clean-env', '-d', '--detach', '-q', '--quiet']; // prettier-ignore

/**
 * The command after `TOOL [global opts] run [opts]`, or null when `args` is no `run`. An
 * option Warden does not know there (conda), before an installer word, is unreadable: its
 * value could be taken for the command.
 */
function runCommand(
  tool: string,
  args: string[],
  label: string
): string[] | null {
  const valued = RUN_VALUED[tool];
  let i = 0;
  let seenRun = false;
  let moved = false;
  while (i < args.length) {
    const word = args[i];
    if (!word.startsWith('-')) {
      if (seenRun) {
        break;
      }
      if (word !== 'run' && !(tool === 'pixi' && word === 'r')) {
        return null;
      }
      seenRun = true;
      i++;
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (name === '--') {
      i++;
      break;
    }
    moved ||= (RUN_CHDIR[tool] ?? []).includes(name);
    if (valued.includes(name) && eq < 0) {
      i += 2;
      continue;
    }
    if (
      seenRun &&
      tool === 'conda' &&
      !valued.includes(name) &&
      !CONDA_RUN_FLAGS.includes(name) &&
      INSTALLER_WORDS.test(args.slice(i).join(' '))
    ) {
      throw new Unreadable(
        `${label} run option ${name} is not one Warden knows`
      );
    }
    i++;
  }
  if (!seenRun) {
    return null;
  }
  const rest = args.slice(i);
  if (
    tool === 'hatch' &&
    rest.length &&
    rest[0].includes(':') &&
    !/^[/.]/.test(rest[0])
  ) {
    rest[0] = rest[0].slice(rest[0].indexOf(':') + 1); // hatch run ENV:CMD
  }
  refuseMoved(moved, `${label} run`, rest);
  return rest;
}

// (`-t` too: every CPython 3 takes it and does nothing; `python3 -tI` is isolated)
const PY_FLAGS = new Set('bBdEhiIOPqRsStuvVx?'.split(''));
const PY_VALUED = new Set(['W', 'X', 'Q']);

/** [module, its arguments] for `python [options] -m module ...`; [null, []] otherwise. */
function pythonModule(args: string[]): [string | null, string[]] {
  const [mode, target, rest] = pythonStart(args);
  return mode === 'm' ? [target, rest] : [null, []];
}

/** pipx started through Python (red6 F12): `-m pipx.main`/`-m pipx.__main__` (any module of
 * the package), or a script that is pipx's package folder or its zipapp
 * (`.../site-packages/pipx`, `pipx.pyz`). */
function pipxThroughPython(args: string[]): string[] | null {
  const [mode, target, rest] = pythonStart(args);
  if (mode === 'm' && target?.startsWith('pipx.')) {
    return rest;
  }
  if (
    mode === 'script' &&
    ['pipx', 'pipx.pyz'].includes(basename(target!.replace(/\/+$/, '')))
  ) {
    return rest;
  }
  return null;
}

/** How `python ARGS` runs code: ['m', module, rest], ['script', path, rest], or [null, null,
 * []] for anything else (`-c`, stdin, an option read no further). */
/**
 * The variables a guarded Python takes its policy and update key from when it starts
 * (kernel/environ.py): a child started with one set, changed or unset enforces what they then
 * name, an attacker's policy file among them, so it has lost the kernel's guard (red team 9
 * R9-1).
 */
const LAUNCH_VARIABLES = [
  'WARDEN_POLICY_FILE',
  'WARDEN_POLICY_SHA256',
  'WARDEN_KERNEL_KEY_FILE',
  'WARDEN_KERNEL_UPDATE_FILE',
  // code before the guard's sitecustomize (a user site's .pth files) or instead of its
  // modules (cached bytecode): R9-15
  'PYTHONUSERBASE',
  'PYTHONPYCACHEPREFIX'
];

/** A Python started with a start variable the line sets in a form Warden does not read as a
 * value (`read PYTHONPATH < f`) may run without the guard. */
function refuseUnknownStartVariable(env: Record<string, string>): void {
  const unknown = Object.keys(env).find(
    name => env[name] === UNKNOWN_VALUE && startVariable(name)
  );
  if (unknown !== undefined) {
    throw new Unreadable(
      `a Python started with ${unknown} set by the line in a form Warden does not read as a value (declare -u/-n, for, read...), and may run without Warden's guard: write the value out`
    );
  }
}

/**
 * A program read by its name (pip, conda, the front ends) is most often a Python's console
 * script, whose Python starts first (red team 32 R32-1, R32-11, R32-13: `PYTHONPATH=d pip
 * list` ran d/sitecustomize.py unguarded): read as that Python's start where the line alone
 * decides (a pyenv shim is a bash script; a start variable of a form Warden does not read).
 * The kernel reads the file's `#!` line and the start-up modules and places its Python imports
 * from (`_refuse_console_script_start`); the static side sees no files and decides as if the
 * program were a Python's script.
 */
function refuseConsoleScriptStart(
  program: string,
  env: Record<string, string>
): void {
  refuseShellScript(program, env);
  refuseUnknownStartVariable(env);
}

/**
 * A Python started without Warden's guard (`-I`, `-E`, `-S`, or PYTHONPATH set or cleared:
 * `PYTHONPATH= python`, `env -u PYTHONPATH`, `env -i`, `unset PYTHONPATH;`, PYTHONHOME set;
 * red team 8 R8-17; a launch variable set or cleared, R9-1; an interpreter named as one older
 * than 3.8, which cannot host the guard, R10-4) cannot decide its own installs or process
 * starts: code (`-c`) naming an installer or running code Warden cannot read (R10-10,
 * `dynamicCode`), or code from its input, is unreadable. An expansion among the options, or in
 * what it runs, is unreadable (R10-9). A script file or a module (`-m`) is read by the kernel
 * (the static side sees no files). Returns the refusal of such a start's pip ('' when it keeps
 * the guard), which its caller sets on a `-m pip` install (red team 37c, 45b R45b-1).
 */
function guardlessPython(
  argv: string[],
  env: Record<string, string>,
  stdin = 'unknown'
): string {
  refuseUnknownStartVariable(env);
  const args = argv.slice(1);
  const flags = new Set<string>();
  let mode: 'c' | 'm' | 'script' | 'stdin' | null = null;
  let target: string | null = null;
  let longOption = false;
  let end = args.length; // where the interpreter's own words stop
  let restAt = args.length; // where the words after -c CODE / -m MODULE start
  outer: for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '-') {
      [mode, end] = ['stdin', i];
      break;
    }
    if (word === '--check-hash-based-pycs') {
      i++;
      continue;
    }
    if (word.startsWith('--check-hash-based-pycs=')) {
      continue;
    }
    if (word === '--') {
      [mode, target, end] = ['script', args[i + 1] ?? null, i];
      break;
    }
    if (word.startsWith('--')) {
      if (!PY_LONG_FLAGS.has(word)) {
        return ''; // an option CPython does not have (the caller reads its words)
      }
      longOption = true;
      continue;
    }
    if (!word.startsWith('-')) {
      [mode, target, end] = ['script', word, i];
      break;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      if (letter === '-') {
        // CPython's getopt (red team 29a R29a-7): a long option in the cluster, or its end
        const option = '-' + word.slice(j);
        if (option === '--') {
          [mode, target, end] = ['script', args[i + 1] ?? null, i + 1];
          break outer;
        }
        if (option.split('=')[0] === '--check-hash-based-pycs') {
          i += option.includes('=') ? 0 : 1;
          break;
        }
        if (!PY_LONG_FLAGS.has(option)) {
          return ''; // an option CPython does not have (the caller reads its words)
        }
        longOption = true;
        break;
      }
      if (letter === 'c' || letter === 'm') {
        mode = letter;
        target = word.slice(j + 1) || (args[i + 1] ?? null);
        end = i + 1; // up to the option itself (with its value when written in one word)
        restAt = word.slice(j + 1) ? i + 1 : i + 2;
        break outer;
      }
      if (PY_VALUED.has(letter)) {
        if (!word.slice(j + 1)) {
          i++;
        }
        break;
      }
      if (!PY_FLAGS.has(letter)) {
        return ''; // an option CPython does not have (the caller reads its words)
      }
      flags.add(letter);
    }
  }
  const options = args.slice(0, end);
  const expanded = options.filter(w => EXPANSION.test(w));
  if (mode === 'script' && target !== null && EXPANSION.test(target)) {
    expanded.push(target); // the shell may make it an option (`python $F s.py`)
  }
  if (expanded.length > 0) {
    throw new Unreadable(
      `the Python's options use a shell expansion (${construct(expanded[0])}) Warden cannot resolve: whether the child keeps Warden's guard depends on it`
    );
  }
  const dropped = [...'EIS'].filter(f => flags.has(f)).join('');
  const launch = LAUNCH_VARIABLES.find(name => name in env);
  const byEnv =
    'PYTHONPATH' in env
      ? 'PYTHONPATH set or cleared'
      : env.PYTHONHOME
        ? 'PYTHONHOME set'
        : env.PYTHONPLATLIBDIR
          ? 'PYTHONPLATLIBDIR set'
          : launch
            ? `${launch} set or cleared`
            : '';
  const old = OLD_PYTHON.test(basename(argv[0])) ? argv[0] : '';
  // R13-7: an -X option not known harmless (pycache_prefix: the guard's own sitecustomize
  // from a cell's .pyc) leaves the child without the guard Warden counts on
  const xOption = unknownXOption(options);
  if (!dropped && !byEnv && !old && !xOption) {
    return '';
  }
  const why = dropped
    ? `python -${dropped} starts without Warden's guard`
    : xOption
      ? `a Python started with -X ${xOption} may run without Warden's guard`
      : byEnv
        ? `a Python started with ${byEnv} may run without Warden's guard`
        : `${old} is not a Python Warden knows can host its guard (3.8 or later)`;
  const prefix = pycachePrefix(options, flags, env);
  if (prefix) {
    // R11-8, R13-7: every module it imports (encodings, pip's own) may come from a .pyc
    throw new Unreadable(`${why} and it takes compiled modules from ${prefix}`);
  }
  const stdlib = stdlibLocation(flags, env);
  if (stdlib) {
    // R14-12: its encodings and site may be the cell's
    throw new Unreadable(
      `${why} and it takes its standard library from where ${stdlib} says`
    );
  }
  const named = importVariable(env);
  if (named) {
    // R17-2: sysconfig imports the module _PYTHON_SYSCONFIGDATA_NAME names, even under -I
    throw new Unreadable(
      `${why} and its environment sets ${named}, which names a module the standard library imports from its path, unread. ${KEEP_THE_GUARD}`
    );
  }
  if (
    mode === null &&
    (flags.has('V') || flags.has('h') || flags.has('?') || longOption)
  ) {
    return ''; // --version, --help: runs nothing
  }
  if (target !== null && EXPANSION.test(target)) {
    throw new Unreadable(
      `${why} and what it runs comes from a shell expansion`
    );
  }
  if (mode === 'stdin' || mode === null) {
    if (stdin === 'decided') {
      return ''; // a script magic's body, which the magic's reading decided
    }
    throw new Unreadable(`${why} and runs code from its input`);
  }
  if (inspects(flags, env) && stdin !== 'decided') {
    // R14-11: after its code, script or module, `-i` runs its input as a session
    throw new Unreadable(
      `${why} and, inspecting (-i, PYTHONINSPECT), runs code from its input`
    );
  }
  const imported =
    mode === 'c' ? importsBeyondStart(target ?? '', flags.has('S')) : target;
  if (lineWriter && imported) {
    // R17-13: decided before the line runs, so what it imports or runs may be that command's
    throw new Unreadable(
      `${why} and an earlier command on the line, or one running alongside it (${lineWriter}), may write what it imports or runs (${imported}), which Warden read before the line ran: run it as a command of its own. ${KEEP_THE_GUARD}`
    );
  }
  if (mode === 'c') {
    if (INSTALLER_WORDS.test(target ?? '')) {
      throw new Unreadable(
        `${why} and its code mentions an installer. ${KEEP_THE_GUARD}`
      );
    }
    const dynamic = dynamicCode(target ?? '');
    if (dynamic) {
      throw new Unreadable(
        `${why} and its code is code Warden cannot read: ${dynamic}. ${KEEP_THE_GUARD}`
      );
    }
    readLiteralStarts(target ?? '', why, env);
    // R18-8: PYTHONPATH naming the start's own folder (`.`, an empty entry; cleared: the
    // folder -c puts first) puts the notebook's files before the
    // standard library and site-packages; the kernel places each import among those files (a
    // local module read, one found nowhere refused), which this check cannot see. Other
    // folders (`PYTHONPATH=src ... import numpy`, R8-17) stay the kernel's to read.
    const ownFolder = (env.PYTHONPATH ?? '')
      .split(':')
      .some(entry => ['', '.', './'].includes(entry));
    const unplaced =
      'PYTHONPATH' in env && ownFolder ? importBeyondStdlib(target ?? '') : '';
    if (unplaced) {
      // R18-8: the kernel places each import among the files (a local module is read, one
      // found nowhere refused); warden-scan sees no files, so it cannot say which runs
      throw new Unreadable(
        `${why} and it imports ${unplaced}, which is no standard-library module: the kernel reads where it comes from (a file of its folder or PYTHONPATH runs unguarded), which this check cannot see. ${KEEP_THE_GUARD}`
      );
    }
    // R14-1, R17-1: code that may write a file, then imports a module that file may stand
    // in for (the kernel's _LocalImports.finish; its first imports came before any write)
    const writer = codeMayWrite(target ?? '') || ownOutput;
    const early = leadingImports(target ?? '');
    const later = importsBeyondStart(target ?? '', flags.has('S'), early);
    if (writer && later) {
      throw new Unreadable(
        `${why} and its code may write files (${writer}) and imports ${later}, which a file it writes may stand in for or replace (a folder before the standard library, or the module's own file), unread. ${KEEP_THE_GUARD}`
      );
    }
  }
  if (mode === 'm') {
    // R14-29, R17-7: the kernel's run_module_problem; a local module of that name is read
    // by the kernel (the static side sees no files)
    let at = restAt;
    let module = target ?? '';
    while (module === 'runpy' && at < args.length) {
      module = args[at++]; // python -m runpy MOD: MOD runs
    }
    const problem = runModuleProblem(module, args.slice(at));
    if (problem) {
      throw new Unreadable(`${why} and ${problem}`);
    }
  }
  // a `-m pip` start: refused when it installs (the kernel's `_guardless_pip_problem`)
  return dropped || xOption
    ? `this pip runs in a Python started with ${dropped ? `-${dropped}` : `-X ${xOption}`}, which drops Warden's guard, so Warden cannot see the options, config and requirements files pip resolves: run pip without -I/-E/-S (and unknown -X options) so Warden's guard reads what pip resolves`
    : guardLostPipProblem(why);
}

/**
 * Each literal process start in a guardless Python's `-c` code is read as a start on the line
 * (shells, wrappers, Pythons; red team 11 R11-15, the kernel's `_read_literal_starts`): it
 * runs with no guard, so one that installs, or that Warden cannot read, is refused. After
 * code that changes files or its folder (a link, a copy, a write, a chdir), a start may run
 * what did not exist when Warden read it: refused too. The static side sees no links and no
 * PATH, which the kernel also follows.
 */
function readLiteralStarts(
  code: string,
  why: string,
  env: Record<string, string>
): void {
  const { starts, changer } = literalStarts(code);
  for (const start of starts) {
    const words = start === null ? [] : start.kind === 'shell' ? start.line.split(/\s+/).filter(Boolean) : start.words; // prettier-ignore
    const shown = words.length ? `${words[0].slice(0, 60)} ...` : 'nothing';
    if (changer) {
      throw new Unreadable(
        `${why} and its code changes files (${changer}) and then starts \`${shown}\`, which may run what Warden could not read. ${KEEP_THE_GUARD}`
      );
    }
    let found: Invocation[];
    try {
      if (start === null) {
        throw new Unreadable('Warden cannot evaluate its arguments');
      }
      found =
        start.kind === 'shell'
          ? shellInvocations(start.line, 0, 1, undefined, env).map(([i]) => i)
          : simple(start.words, { ...env }, 1);
    } catch (e) {
      if (!(e instanceof Unreadable)) {
        throw e;
      }
      throw new Unreadable(
        `${why} and its code starts \`${shown}\`: ${e.message}`
      );
    }
    if (found.length > 0) {
      throw new Unreadable(
        `${why} and its code starts an install (\`${shown}\`) that no guard would decide there. ${KEEP_THE_GUARD}`
      );
    }
  }
}

// What to do about a guardless Python's refusal (the kernel's _KEEP_THE_GUARD): a Python that
// keeps the guard decides its own code.
const KEEP_THE_GUARD =
  "To run it, start it with Warden's guard: without -I/-E/-S, with the kernel's own " +
  'PYTHONPATH (add a folder with sys.path inside the script, or pip install -e the ' +
  "project, or start it from Python with subprocess.run([sys.executable, 'train.py'], " +
  "env=dict(os.environ, PYTHONPATH='src')), which Warden starts with its guard) and the " +
  "kernel's Python";

// an interpreter named as a Python older than 3.8 (no sys.audit: the guard cannot install);
// the kernel also reads the real file's name, a venv's pyvenv.cfg and pyenv's choice
const PY_LONG_FLAGS = new Set([
  '--help',
  '--version',
  '--help-env',
  '--help-xoptions',
  '--help-all'
]);
const OLD_PYTHON = /^python(2(\.\d+)?|3\.[0-7])[dmu]?$/;

function pythonStart(
  args: string[]
): ['m' | 'script' | null, string | null, string[]] {
  const none: [null, null, string[]] = [null, null, []];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--check-hash-based-pycs') {
      i++; // CPython's one long option with a value (as the kernel's python_start reads it)
      continue;
    }
    if (word.startsWith('--check-hash-based-pycs=')) {
      continue;
    }
    if (!word.startsWith('-')) {
      return ['script', word, args.slice(i + 1)];
    }
    if (word === '--') {
      return i + 1 < args.length
        ? ['script', args[i + 1], args.slice(i + 2)]
        : none;
    }
    if (word === '-' || word.startsWith('--')) {
      return none;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      if (letter === '-') {
        // CPython's getopt (red team 29a R29a-7): a long option in the cluster, or its end
        const option = '-' + word.slice(j);
        if (option === '--') {
          return i + 1 < args.length
            ? ['script', args[i + 1], args.slice(i + 2)]
            : none;
        }
        if (option.split('=')[0] === '--check-hash-based-pycs') {
          i += option.includes('=') ? 0 : 1;
          break;
        }
        if (!PY_LONG_FLAGS.has(option)) {
          return none;
        }
        break;
      }
      if (letter === 'm') {
        const inline = word.slice(j + 1);
        return inline
          ? ['m', inline, args.slice(i + 1)]
          : ['m', args[i + 1] ?? null, args.slice(i + 2)];
      }
      if (letter === 'c') {
        return none;
      }
      if (PY_VALUED.has(letter)) {
        if (!word.slice(j + 1)) {
          i++;
        }
        break;
      }
      if (!PY_FLAGS.has(letter)) {
        return none;
      }
    }
  }
  return none;
}
