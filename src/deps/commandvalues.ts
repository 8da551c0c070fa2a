/**
 * Environment values that carry a command (red team 25 R25-3). A port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/command_values.py`: keep the two alike.
 *
 * Programs run commands named in variables Warden has no table for: every JVM reads
 * `JAVA_TOOL_OPTIONS` (`-XX:OnOutOfMemoryError=CMD` runs CMD with `/bin/sh -c`), npm reads
 * every `npm_config_*` (`npm_config_call=CMD npm exec`). No list of such variables is
 * complete, so a value the line assigns (`X=... cmd`) is read for what a shell would start
 * from it, whatever its name: one that may be command text (a blank, a `;`, a pipe) and names
 * an installer, a shell, a code interpreter or a program that runs its input as commands is
 * refused. Pythons are left out (a Python the start runs is guarded), and so are words that
 * only wrap a command (`time`, `nice`): a name a shell would run after them is read itself.
 *
 * The kernel also asks PATH whether a name is a program there (`R`, `expect` where none is
 * installed name nothing), and the file system whether a path is one; the static side has
 * neither and decides by name (`program`). It reads the
 * line's assignments only: a value set in the kernel (`%env`, `os.environ`) is the kernel's
 * to refuse when it is set.
 */
import { dequoted, mayBeCommandText, quoted } from './handedtext';
import { isInterpreter } from './interpreters';
import { INSTALLER_PIECE, SHELLS } from './starters';

// the words of a value, split where a shell or an option list splits them
const PIECES = /[^\s;&|()<>`'"=,{}:]+/g;
// a shell's expansions in a value a program runs as shell text: a command substitution runs
// what Warden does not read; a parameter may be empty or a blank (`uv${IFS}pip`, `u${E}v`)
const SUBSTITUTION = /\$\(|`/;
const PARAMETER = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]/g;
// programs that run their input or arguments as commands of their own
const RUNS_INPUT = new Set(['xargs', 'eval', 'env', 'busybox']);
// shells Warden does not read as shells (it refuses what it cannot read in them) that still
// run a value's command
const OTHER_SHELLS = new Set(['fish', 'tcsh', 'csh']);

/** The name of what `value` starts read as shell text ('' when nothing Warden refuses). */
export function runsCommand(value: string): string {
  if (SUBSTITUTION.test(value)) {
    return 'a command substitution';
  }
  let texts = quoted(value) ? [value, dequoted(value)] : [value];
  if (value.includes('$')) {
    // each expansion read as nothing and as a blank (a superset of the names)
    texts = texts.flatMap(t => ['', ' '].map(sub => t.replace(PARAMETER, sub)));
  }
  if (!texts.some(mayBeCommandText)) {
    return ''; // one word: a path, a number, a name; a program named alone runs bare
  }
  for (const text of texts) {
    for (const piece of text.match(PIECES) ?? []) {
      const name = piece.slice(piece.lastIndexOf('/') + 1);
      if (startsCommands(name) && program(piece)) {
        return name;
      }
    }
  }
  return '';
}

function startsCommands(name: string): boolean {
  return (
    INSTALLER_PIECE.test(name) ||
    SHELLS.has(name) ||
    OTHER_SHELLS.has(name) ||
    RUNS_INPUT.has(name) ||
    isInterpreter(name)
  );
}

/**
 * Whether a piece of a value may name a program: a bare name (the kernel asks PATH, the
 * static side takes it for one), or a path to a file in a bin folder (`/bin/bash`,
 * `/opt/conda/bin/conda`). The kernel asks the file system whether a path is an executable
 * file; the static side cannot, and a folder named like a program (`/tmp/conda` in
 * `CONDA_PKGS_DIRS=/opt/conda/pkgs,/tmp/conda`) is no program.
 */
function program(piece: string): boolean {
  return !piece.includes('/') || /(^|\/)s?bin\/[^/]+$/.test(piece);
}

/** Why a start given `env` (the line's assignments) is refused: its first value that carries
 * a command; '' when none does. */
export function refusedEnv(env: Readonly<Record<string, string>>): string {
  for (const [name, value] of Object.entries(env)) {
    const started = runsCommand(value);
    if (started) {
      return (
        `the environment variable ${name}, set by the notebook, holds a command that runs ` +
        `${started} (a program may run its value as shell text: JAVA_TOOL_OPTIONS' ` +
        '-XX:OnOutOfMemoryError, npm_config_call), whose code Warden does not read: run ' +
        `${started} as its own command, or unset ${name}`
      );
    }
  }
  return '';
}
