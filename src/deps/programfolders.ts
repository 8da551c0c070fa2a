/**
 * The places a program Warden has no table for may run programs from, as the static side can
 * decide them without files (red team 19 R19-3, R19-4). The kernel reads each word of such a
 * program as a program file or a folder of program files, and each environment value of its
 * start as a folder (`commands._refuse_operand_start`, `_refuse_program_folder`,
 * `_refuse_environment_folders`), listing the program files written since it started. The
 * static side sees no files: it refuses what it can tell from the line alone, and what the
 * kernel refuses without files too:
 * - an option's attached value that is a path, long or short (`--opt=PATH`, `-BPATH`: getopt
 *   hands either to the program as the value, red team 18 R18-6);
 * - after a command of the line that may write files, a relative path word and an assignment
 *   of the line that may name a folder (`cp x.pl tc/as && gcc -B tc/`, `... && COMPILER_PATH=./tc
 *   gcc`): the kernel lists the folder before the line runs (red team 18 R18-7's rule).
 * Without a writer on the line, whether a plain word names a folder that holds a program
 * written since the kernel started is the kernel's (`gcc -B tc`, `COMPILER_PATH=tc gcc`): a
 * word cannot tell `-B tc` from `-I include`, and refusing every word refused `pytest tests/`.
 */

/** The part of an untabled program's word that may name a program or a folder it runs
 * programs from: an operand, an option's attached value (`--opt=PATH`, `-oPATH`); '' for an
 * option alone and a `NAME=VALUE` setting. The kernel's `_operand_value`. */
export function operandValue(word: string): string {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    return eq < 0 ? '' : word.slice(eq + 1);
  }
  if (word.startsWith('-')) {
    return word.slice(2);
  }
  return plainOperand(word) ? word : '';
}

function plainOperand(word: string): boolean {
  return (
    word !== '' && !word.startsWith('-') && !word.split('/')[0].includes('=')
  );
}

/** Why a word of `name` (a program with no table, no interpreter) is refused here, or ''.
 * `writer`: a command of the line that may write files before or alongside it ('' none). */
export function refusedOperand(
  name: string,
  word: string,
  writer: string
): string {
  const value = operandValue(word);
  if (!value.includes('/')) {
    return '';
  }
  if (word.startsWith('-')) {
    if (systemPath(value)) {
      // `-I/usr/include/python3.11`, `-L/usr/lib/x86_64-linux-gnu`: only root writes there,
      // so no program the kernel has not seen can be in it (the kernel lists it and passes)
      return '';
    }
    const option = word.startsWith('--')
      ? word.slice(0, word.indexOf('=') + 1)
      : word.slice(0, 2);
    return `${name} is given a path as an option's value (${option}), and Warden has no table of what ${name} runs: it may be the program it starts, or a folder it runs programs from, which Warden does not read here: give the option's value as a word of its own`;
  }
  if (writer && !value.startsWith('/')) {
    return `${name} is given ${value.slice(0, 60)}, a path an earlier command on the line (${writer}) may write, and Warden has no table of what ${name} runs: Warden reads the file before the line runs: run the program as its own command`;
  }
  return '';
}

/** Why the assignments the line gives `program`'s start are refused, or '': after a command
 * of the line that may write files (`writer`), a value (or a part of a `:` list) written as a
 * path, whatever the variable's name (deny by default: `COMPILER_PATH=./tc`,
 * `GCC_EXEC_PREFIX=tc/`), as the kernel refuses one that names a folder. A bare word
 * (`COMPILER_PATH=tc`, `MAKEFLAGS=ks`, `CC=clang`) is the kernel's: only a folder tells them
 * apart. PATH has its own rule. */
export function refusedAssignments(
  program: string,
  env: Readonly<Record<string, string>>,
  writer: string
): string {
  if (!writer) {
    return '';
  }
  for (const [name, value] of Object.entries(env)) {
    if (name !== 'PATH' && value.split(':').some(writtenAsPath)) {
      return `${program} starts with ${name} given on the line, which may name a folder it runs programs from, and an earlier command on the line (${writer}) may write there, while Warden lists the folder before the line runs: run it as its own command`;
    }
  }
  return '';
}

// the machine's own folders (the kernel's `_SYSTEM_FOLDERS`, /usr/local/ excepted: a user may
// own it), written without `..` that could leave them
function systemPath(value: string): boolean {
  return (
    /^\/(usr|bin|sbin|lib|lib64|etc)(\/|$)/.test(value) &&
    !value.startsWith('/usr/local/') &&
    !value.split('/').includes('..')
  );
}

// a folder written as such: `tc/`, `./tc`, `.`, `..`, `~/x` (the shell hands `~` over placed)
function writtenAsPath(part: string): boolean {
  return part.includes('/') || part === '.' || part === '..' || part === '~';
}
