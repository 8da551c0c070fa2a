/**
 * Program names that start other programs, judged by name: the shells and wrappers
 * `commands.ts` reads through, the installers' names, and the kernel's first-look judgement
 * of a name (`fastpath._reads_fully`). One place for these sets: `commands.ts` reads commands
 * with them, `commandvalues.ts` reads environment values with them (red team 25).
 */
import { isInterpreter } from './interpreters';
import { runsShellText } from './shellrunners';

export const PYTHON = /^python(\d+(\.\d+)?)?[dmu]?$/;
export const SHELLS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'ash',
  'busybox'
]);
export const WRAPPERS: ReadonlySet<string> = new Set([
  'env',
  'sudo',
  'nohup',
  'time',
  'exec',
  'command',
  'nice',
  'doas',
  'stdbuf',
  'timeout',
  'setsid',
  'builtin',
  'coproc'
]);
export const SHELL_STRING_RUNNERS: ReadonlySet<string> = new Set([
  'su',
  'runuser'
]);
// programs whose words after them are a start of their own wherever they stand among an
// unknown program's words (`chrt 0 sh -c TEXT`, R13-5)
export const STARTERS: ReadonlySet<string> = new Set([
  ...SHELLS,
  ...WRAPPERS,
  ...SHELL_STRING_RUNNERS,
  'eval',
  'xargs'
]);
/** An installer's name (a piece of a word: a path's last part). */
export const INSTALLER_PIECE =
  /^(pip(\d+(\.\d+)?)?|uvx?|conda|mamba|micromamba|pipx(\.pyz)?|poetry|pdm|pipenv|hatch|pixi|rye|pip-compile|pip-sync|runpy|piptools)$/;

/**
 * Whether a program of this name is read in full where the kernel meets it (its
 * `fastpath._reads_fully`): an installer, a shell or wrapper, a code interpreter
 * (schema/code-interpreters.json) or a program that runs shell text
 * (schema/shell-runners.json). By name only: the kernel also asks PATH whether the name is a
 * program there (red team 25 R25-1), which the static side cannot; it decides as if it were.
 */
export function readsFully(name: string): boolean {
  return (
    INSTALLER_PIECE.test(name) ||
    PYTHON.test(name) ||
    STARTERS.has(name) ||
    isInterpreter(name) ||
    runsShellText(name)
  );
}
