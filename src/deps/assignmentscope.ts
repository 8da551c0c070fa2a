/**
 * Where an assignment of a shell line holds, and where Warden cannot tell (red team 90 F8).
 * The kernel's `assignment_scope` (its docstring gives the shell semantics): a command in a
 * subshell (a pipeline's stage, the background, `( ... )`), one that may not run (nested in
 * a compound or a function body, after `||` in its and-or list) or a special builtin's prefix
 * assignments (kept by sh, dropped by bash) leave the names it sets unknown to the commands
 * after it; one joined by `&&` holds for the commands joined to it by `&&` alone.
 */
import { unwrapBuiltin } from './lineflow';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/s;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** POSIX special builtins (XCU 2.14): their prefix assignments stay in sh, not in bash. */
export const SPECIAL_BUILTINS: ReadonlySet<string> = new Set(
  ': . break continue eval exec exit export readonly return set shift times trap unset'.split(
    ' '
  )
);
const DECLARING = new Set([
  'export',
  'declare',
  'typeset',
  'readonly',
  'local',
  'unset'
]);
const APART = new Set(['|', '|&']);

function prefixCount(command: string[]): number {
  let i = 0;
  while (i < command.length && ASSIGNMENT.test(command[i])) {
    i++;
  }
  return i;
}

/** The names `command` sets or unsets in the shell itself for the commands after it. */
export function assigned(command: string[]): Set<string> {
  const i = prefixCount(command);
  const inner = unwrapBuiltin(command.slice(i));
  const prefix = command.slice(0, i).map(w => ASSIGNMENT.exec(w)![1]);
  if (inner.length === 0) {
    return new Set(prefix);
  }
  const names = new Set(SPECIAL_BUILTINS.has(inner[0]) ? prefix : []);
  if (DECLARING.has(inner[0])) {
    for (const word of inner.slice(1)) {
      const name = word.split('=')[0].split('[')[0].replace(/\+$/, '');
      if (NAME.test(name)) {
        names.add(name);
      }
    }
  }
  return names;
}

/** The names assigned in front of a special builtin (kept by sh, dropped by bash). */
export function specialPrefix(command: string[]): Set<string> {
  const i = prefixCount(command);
  const inner = unwrapBuiltin(command.slice(i));
  if (i > 0 && inner.length > 0 && SPECIAL_BUILTINS.has(inner[0])) {
    return new Set(command.slice(0, i).map(w => ASSIGNMENT.exec(w)![1]));
  }
  return new Set();
}

/** The names `command` sets that the commands after it may see with another value. */
export function unsure(
  command: string[],
  nested: boolean,
  before: string,
  after: string,
  either: boolean
): Set<string> {
  const names = assigned(command);
  if (names.size === 0) {
    return names;
  }
  if (
    nested ||
    either ||
    before === '||' ||
    APART.has(before) ||
    APART.has(after) ||
    after === '&'
  ) {
    return names;
  }
  return specialPrefix(command);
}

/** The names `command` sets when joined by `&&`: unknown once its and-or list ends. */
export function pending(command: string[], before: string): Set<string> {
  return before === '&&' ? assigned(command) : new Set();
}
