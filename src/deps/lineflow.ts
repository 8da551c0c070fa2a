/**
 * Where each simple command of a shell line stands in its control flow, and which variables a
 * command assigns by name (red team 12 R12-11, R12-16). The line state (`LineState`: the
 * folder a `cd` moves to, the variables an assignment sets) is applied in text order, which
 * holds only for a command that runs once, in the shell itself, where it stands: not in a
 * loop body, a function body, an `if`/`case` branch or condition, a brace group, or after
 * `!`. A port of the kernel's `installs/line_flow.py`.
 */

const OPENERS = new Set(['if', 'while', 'until', 'for', 'select', 'case', '{']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
/** openers whose body runs again, or later than where it stands */
const REPEATING = new Set(['while', 'until', 'for', 'select']);
const MIDDLE = new Set(['then', 'else', 'elif', 'do', '!']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/s;
/** bash builtins that assign the variables named by their operands (`read NAME`, `coproc
 * NAME { ...; }`, `wait -p NAME`, `printf -v NAME`, `declare -n REF=NAME`...): every operand
 * word that is a name counts, which only makes the reading stricter */
const NAMING_BUILTINS = new Set(
  ('read mapfile readarray getopts wait coproc let declare typeset local export readonly ' +
    'unset for select printf').split(' ') // prettier-ignore
);
/** prefixes that run the builtin after them in the shell itself (`command cd d`) */
export const BUILTIN_PREFIXES = new Set(['command', 'builtin', 'time']);

export interface Place {
  /** inside a compound command, a function body, or after `!` */
  nested: boolean;
  /** index of the outermost loop or function body opener around it */
  loop: number | null;
  /** inside a function body: it runs where the function is called */
  inFunction: boolean;
}

/** The place of each simple command (its words, reserved words first); `defines[k]`: command
 * k is a function header (`NAME()`), so the compound command after it is the body. */
export function linePlaces(commands: string[][], defines: boolean[]): Place[] {
  const out: Place[] = [];
  const stack: Array<[string, number, boolean]> = [];
  let header = false;
  commands.forEach((words, k) => {
    let nested = stack.length > 0;
    let i = 0;
    while (
      i < words.length &&
      (OPENERS.has(words[i]) ||
        CLOSERS.has(words[i]) ||
        MIDDLE.has(words[i]) ||
        words[i] === 'function')
    ) {
      const word = words[i];
      if (word === 'function') {
        header = true; // `function NAME {`: NAME is no command
        i += 2;
        continue;
      }
      if (OPENERS.has(word)) {
        stack.push([word, k, header]);
        header = false;
        nested = true;
      } else if (CLOSERS.has(word) && stack.length > 0) {
        stack.pop();
      } else if (word === '!') {
        nested = true; // `! cd d && x`: x runs when the cd failed
      }
      i++;
    }
    const loops = stack
      .filter(([opener, , body]) => body || REPEATING.has(opener))
      .map(([, n]) => n);
    out.push({
      nested,
      loop: loops.length > 0 ? loops[0] : null,
      inFunction: stack.some(([, , body]) => body)
    });
    header = defines[k] ?? false;
  });
  return out;
}

/** The words of the builtin a command runs in the shell itself once `command`, `builtin` and
 * `time` (and their options) are followed; [] for `command -v`/`-V` (red team 12 R12-3). */
export function unwrapBuiltin(wordsIn: string[]): string[] {
  let words = wordsIn;
  while (words.length > 0 && BUILTIN_PREFIXES.has(words[0])) {
    const prefix = words[0];
    words = words.slice(1);
    while (words.length > 0 && words[0].startsWith('-') && words[0] !== '-') {
      if (prefix === 'command' && /[vV]/.test(words[0])) {
        return [];
      }
      const option = words[0];
      words = words.slice(1);
      if (option === '--') {
        break;
      }
    }
  }
  return words;
}

/** The variables a simple command assigns by name: its prefix assignments and the operands of
 * a naming builtin, option values included (`-vNAME`, `-p NAME`). */
export function namesAssigned(words: string[]): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i])) {
    names.push(ASSIGNMENT.exec(words[i])![1]);
    i++;
  }
  const rest = unwrapBuiltin(words.slice(i));
  if (rest.length === 0 || !NAMING_BUILTINS.has(rest[0])) {
    return names;
  }
  const program = rest[0];
  const operands = rest.slice(1);
  if (program === 'printf' && !operands.some(w => w.startsWith('-v'))) {
    return names; // printf without -v only prints
  }
  if (program === 'wait' && !operands.some(w => /^-[a-z]*p/.test(w))) {
    return names;
  }
  // `declare -n REF=NAME`: an assignment to REF assigns NAME
  const refs =
    ['declare', 'typeset', 'local'].includes(program) &&
    operands.some(w => /^[-+]/.test(w));
  for (let word of operands) {
    const eq = word.indexOf('=');
    if (refs && eq >= 0 && NAME.test(word.slice(eq + 1))) {
      names.push(word.slice(eq + 1));
    }
    if (/^-[A-Za-z]+/.test(word)) {
      word = /^-[a-z]*[vpa]./.test(word)
        ? word.replace(/^-[a-z]*[vpa]/, '')
        : '';
    }
    const found = ASSIGNMENT.exec(word);
    const name = found ? found[1] : word;
    if (NAME.test(name)) {
      names.push(name);
    }
  }
  return names;
}
