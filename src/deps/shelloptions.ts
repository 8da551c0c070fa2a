/**
 * A shell's command line read as bash and dash read it (red team 14 R14-33), the twin of the
 * kernel's `shell_options.py`: bash's GNU long options first (`--norc`, also `-norc`;
 * `--rcfile F`/`--init-file F` take the next word), then `-`/`+` option words whose letters
 * are flags, `c` (command mode, either sign), or `o`/`O` taking the NEXT word. A lone `-` or
 * `--` ends the options; the command string of `-c` is the first operand after ALL of them
 * (`sh -c -- TEXT`, `bash -c -x TEXT`). A word Warden cannot place is unreadable.
 */

const BASH_LONG = new Set(['debug', 'debugger', 'dump-po-strings', 'dump-strings', 'help',
  'login', 'noediting', 'noprofile', 'norc', 'posix', 'pretty-print', 'protected',
  'restricted', 'verbose', 'version', 'wordexp']); // prettier-ignore
const BASH_LONG_VALUED = new Set(['rcfile', 'init-file']);
// set's letters of bash and dash, plus the start-only ones (bash -ilrsD, dash -ilsqVEbpI)
const FLAG_LETTERS = new Set('abefhkmnptuvxBCEHPTilrsDIqVlE');
const VALUED_LETTERS = new Set('oO'); // -o NAME (set -o), -O NAME (shopt)

/** An option word the shell's grammar gives no meaning Warden models. */
export class UnknownOption extends Error {}

export interface ShellStart {
  /** -c: the first operand is the command string */
  command: boolean;
  /** index (in the args given) of the first operand, or null */
  operand: number | null;
  /** "-k", "+x", "-o keyword", in order */
  options: string[];
  /** --rcfile / --init-file values */
  startupFiles: string[];
}

/** Whether the option (`-LETTER` or `-o NAME`) is on after all words, the last one winning. */
export function isOn(
  start: ShellStart,
  letter: string,
  name?: string
): boolean {
  let state = false;
  for (const item of start.options) {
    if (
      item.slice(1) === letter ||
      (name !== undefined && item.slice(1) === `o ${name}`)
    ) {
      state = item[0] === '-';
    }
  }
  return state;
}

/**
 * Read `args` (the words after the shell's name, or after `set`) as options and find the
 * first operand. Throws UnknownOption for a word the grammar does not place.
 */
export function parseShellStart(
  args: string[],
  longOptions = true
): ShellStart {
  const start: ShellStart = {
    command: false,
    operand: null,
    options: [],
    startupFiles: []
  };
  let i = 0;
  while (
    longOptions &&
    i < args.length &&
    args[i].startsWith('-') &&
    args[i] !== '--'
  ) {
    const word = args[i];
    const name = word.startsWith('--') ? word.slice(2) : word.slice(1);
    if (BASH_LONG_VALUED.has(name)) {
      start.startupFiles.push(i + 1 < args.length ? args[i + 1] : '');
      i += 2;
    } else if (BASH_LONG.has(name)) {
      i += 1;
    } else if (word.startsWith('--')) {
      throw new UnknownOption(word);
    } else {
      break; // a short option word (bash: "Maybe flag arg.")
    }
  }
  while (i < args.length) {
    const word = args[i];
    i += 1;
    if (word === '-' || word === '--') {
      break;
    }
    if (word[0] !== '-' && word[0] !== '+') {
      i -= 1;
      break;
    }
    const sign = word[0];
    const pending: string[] = []; // `-oO a b`: each valued letter takes the next word
    for (const letter of word.slice(1)) {
      if (letter === 'c') {
        start.command = true;
      } else if (VALUED_LETTERS.has(letter)) {
        pending.push(letter);
      } else if (FLAG_LETTERS.has(letter)) {
        start.options.push(sign + letter);
      } else {
        throw new UnknownOption(word);
      }
    }
    for (const letter of pending) {
      const value = i < args.length ? args[i] : '';
      i += 1;
      start.options.push(`${sign}${letter} ${value}`);
    }
  }
  start.operand = i < args.length ? i : null;
  return start;
}
