/**
 * Values the shell assigns or evaluates in ways the line state does not follow as text (red
 * team 13 R13-13, R13-19, R13-20). The kernel's shell_values.py, read the same:
 *
 * - `unknownNames`: every variable a line assigns by a form other than `NAME=value` (a
 *   `for`/`select` header, `${NAME:=v}`, `read`, `printf -v`, `mapfile`, `getopts`,
 *   `wait -p`, `coproc NAME`, a nameref, `let`...), whatever its name: its value is unknown.
 * - `keywordWords`: after bash's `set -k` (`-o keyword`) every `NAME=value` word of a command
 *   goes to its environment, wherever it stands; read as if written in front.
 * - `evaluated`: a value bash evaluates as shell text (a prompt variable under `set -x`,
 *   `${x@P}`, `mapfile -C`, `compgen`, arithmetic on a variable that holds a subscript) runs a
 *   command the line never writes out (`d='$'; PS4="${d}(uv ...)"`): refused.
 */

import { namesAssigned, unwrapBuiltin } from './lineflow';
import { isOn, parseShellStart, UnknownOption } from './shelloptions';

const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{', '}']); // prettier-ignore
/** builtins whose plain `NAME=value` operands the line state reads as values */
const DECLARING = new Set([
  'export',
  'declare',
  'typeset',
  'readonly',
  'local'
]);
/** `${NAME:=v}`, `${NAME=v}`, `${NAME[i]:=v}`; `${!REF:=v}` assigns the name REF holds */
const DEFAULT_ASSIGN = /\$\{(!?)([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?:?=/g;
/** a name standing for any variable: an indirect assignment Warden cannot name */
export const ANY = '*';

function bare(command: string[]): string[] {
  let k = 0;
  while (k < command.length && RESERVED.has(command[k])) {
    k++;
  }
  return command.slice(k);
}

function assignments(words: string[]): number {
  let i = 0;
  while (i < words.length && ASSIGNMENT_WORD.test(words[i])) {
    i++;
  }
  return i;
}

/** The names the line assigns in a form the line state does not read as a value (`ANY` for
 * `${!REF:=v}`), wherever the command stands. */
export function unknownNames(
  commands: string[][],
  script: string
): Set<string> {
  const names = new Set<string>();
  for (const found of script.matchAll(DEFAULT_ASSIGN)) {
    names.add(found[1] ? ANY : found[2]);
  }
  for (const command of commands) {
    const words = bare(command);
    const inner = unwrapBuiltin(words.slice(assignments(words)));
    if (inner.length === 0) {
      continue;
    }
    if (
      (DECLARING.has(inner[0]) || inner[0] === 'unset') &&
      !inner.slice(1).some(a => /^[-+]/.test(a))
    ) {
      continue; // `export X=v`, `unset X`: read as the value they set
    }
    namesAssigned(inner).forEach(n => names.add(n));
  }
  return names;
}

/** Whether `set ARGS` (or a shell started with ARGS: `bash -k -c ...`) turns on keyword. */
export function keywordOption(args: string[]): boolean {
  try {
    return isOn(parseShellStart(args, false), 'k', 'keyword');
  } catch (error) {
    if (error instanceof UnknownOption) {
      return true; // an option `set` refuses counts as on (fail closed)
    }
    throw error;
  }
}

/** Whether a command of the line runs `set -k` / `set -o keyword` (anywhere). */
export function keywordSet(commands: string[][]): boolean {
  return commands.some(command => {
    const words = unwrapBuiltin(bare(command));
    return words[0] === 'set' && keywordOption(words.slice(1));
  });
}

/** A command as bash runs it under `set -k`: its `NAME=value` words in front of it. */
export function keywordWords(command: string[]): string[] {
  const words = bare(command);
  const reserved = command.slice(0, command.length - words.length);
  const i = assignments(words);
  if (
    i === words.length ||
    DECLARING.has(words[i]) ||
    ['for', 'select', 'case'].includes(words[i])
  ) {
    // prettier-ignore
    return command;
  }
  const after = words.slice(i + 1);
  const moved = after.filter(w => ASSIGNMENT_WORD.test(w));
  const rest = after.filter(w => !ASSIGNMENT_WORD.test(w));
  return [...reserved, ...words.slice(0, i), ...moved, words[i], ...rest];
}

/** bash's own variables: not what the shell inherits */
export const SPECIAL = new Set(
  (
    'RANDOM SRANDOM BASHPID SECONDS PPID UID EUID HOSTNAME LINENO PWD OLDPWD IFS FUNCNAME ' +
    'GROUPS EPOCHSECONDS EPOCHREALTIME SHLVL OPTIND OPTARG REPLY PIPESTATUS DIRSTACK HISTCMD ' +
    'SHELLOPTS BASHOPTS BASH_COMMAND BASH_SOURCE BASH_LINENO BASH_REMATCH BASH_ARGV BASH_ARGC ' +
    'BASH_SUBSHELL BASH_ARGV0 BASH_ALIASES BASH_CMDS COLUMNS LINES HOSTTYPE MACHTYPE OSTYPE ' +
    'BASH BASH_VERSION BASH_VERSINFO'
  ).split(' ')
);
const PLAIN = /\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `value` with its plain `$NAME`/`${NAME}` expansions replaced by `lookup`'s values; null
 * when `lookup` has none for one, or another expansion is left (`${X:-d}`, `$(...)`, `$1`). */
export function resolve(
  value: string,
  lookup: (name: string) => string | null,
  expansion: RegExp
): string | null {
  if (expansion.test(value.replace(PLAIN, ''))) {
    return null;
  }
  const values = new Map<string, string>();
  for (const found of value.matchAll(PLAIN)) {
    const name = found[1] ?? found[2];
    const known = lookup(name);
    if (known === null) {
      return null;
    }
    values.set(name, known);
  }
  return value.replace(PLAIN, (_m, a, b) => values.get(a ?? b)!);
}

/** The text of `script` the shell does not expand: its single-quoted pieces and backslash
 * escapes (so `'$X'` and `\$X` read as no expansion of X). */
export function literalText(script: string): string {
  const out: string[] = [];
  let quote = '';
  for (let k = 0; k < script.length; k++) {
    const char = script[k];
    if (quote === "'") {
      if (char === "'") {
        quote = '';
      } else {
        out.push(char);
      }
    } else if (char === '\\') {
      out.push(script.slice(k, k + 2));
      k++;
    } else if (char === '"') {
      quote = quote ? '' : '"';
    } else if (char === "'" && !quote) {
      quote = "'";
      out.push(' ');
    }
  }
  return out.join('');
}

/** bash builtins and reserved words: not looked up on PATH */
export const BUILTINS = new Set(
  (
    ': . [ alias bg bind break builtin caller cd command compgen complete compopt continue ' +
    'declare dirs disown echo enable eval exec exit export false fc fg getopts hash help ' +
    'history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly ' +
    'return set shift shopt source suspend test times trap true type typeset ulimit umask ' +
    'unalias unset wait for select case esac in function time coproc [[ ]] done fi'
  ).split(' ')
);

/** variables bash expands as prompts (PS4 under xtrace; the others in an interactive shell) */
const PROMPTS = new Set(['PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'PROMPT_COMMAND']);
const PROMPT_TEXT =
  /(?<![$\w{])(PS[0-4]|PROMPT_COMMAND)\b|\$\{(PS[0-4]|PROMPT_COMMAND)[:=]/;
const PROMPT_EXPANSION = /\$\{[^}]*@[\\'"]*P/;
/** the text of arithmetic contexts as the masked line holds it: `$((...))`, `((...))`,
 * an indirection `${!x}`, `$[...]`, `[[...]]`, a subscript, a substring offset, `let`, `declare -i` */
const ARITHMETIC =
  /\$::[^\s;&|]*|\$\(\([^\s;&|]*|\$\{![^}]*\}|\(\((.*?)\)\)|\$\[[^\]]*\]|\[\[.*?\]\]|\w\[[^\]]*\]|\$\{\w+:[^-=?+}][^}]*\}|(?:^|[\s;&|(])(?:let\s|(?:declare|typeset|local)\s+-\w*i)[^;&|\n]*/g;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const CODE_IN_VALUE = /[$`[]/;
const PROMPT_WHY =
  'it assigns a prompt variable (PS4 runs under set -x as shell text)';

/** Why the line holds a value bash evaluates as shell text ('' when none): `unknown`: the
 * names whose value the line leaves unknown; `env`: the values Warden knows. */
export function evaluated(
  commandsIn: string[][],
  script: string,
  unknownIn: Set<string>,
  env: Record<string, string>
): string {
  if (PROMPT_EXPANSION.test(script)) {
    return 'a ${...@P} expansion (bash runs the value as a prompt, command substitutions too)';
  }
  if (PROMPT_TEXT.test(script)) {
    return PROMPT_WHY;
  }
  const commands = commandsIn.map(bare);
  for (const words of commands) {
    const i = assignments(words);
    if (
      words.slice(0, i).some(w => PROMPTS.has(w.split('=')[0].split('[')[0]))
    ) {
      return PROMPT_WHY;
    }
    const inner = unwrapBuiltin(words.slice(i));
    const [program, args] = [inner[0] ?? '', inner.slice(1)];
    if (
      ['mapfile', 'readarray'].includes(program) &&
      args.some(a => /^-[A-Za-z]*C/.test(a))
    ) {
      // prettier-ignore
      return `${program} -C runs its callback as shell text`;
    }
    if (program === 'compgen' || program === 'complete') {
      return `${program} runs the shell text and functions its options name`;
    }
    if (program === 'fc' || program === 'history') {
      return `${program} runs or edits the history bash runs again as shell text`;
    }
    if (program === 'enable' && args.some(a => /^-[A-Za-z]*f/.test(a))) {
      return "enable -f loads a builtin's code from a file";
    }
    if (namesAssigned(inner).some(n => PROMPTS.has(n))) {
      return PROMPT_WHY;
    }
  }
  // arithmetic evaluates a variable's value as an expression, and a subscript in it as shell
  // text: a name in an arithmetic context whose value is unknown or holds `$`, a backtick, `[`
  const unknown = new Set([...unknownIn, ...assignedExpansions(commands)]);
  for (const context of script.matchAll(ARITHMETIC)) {
    for (const [name] of context[0].matchAll(IDENTIFIER)) {
      if (
        unknown.has(name) ||
        unknown.has(ANY) ||
        CODE_IN_VALUE.test(env[name] ?? '')
      ) {
        return (
          `arithmetic on the line evaluates ${name}, whose value Warden cannot read ` +
          '(a subscript in it runs as shell text)'
        );
      }
    }
  }
  return '';
}

/** The names the line assigns a value holding an expansion (`x="a[${d}(...)]"`). */
function assignedExpansions(commands: string[][]): Set<string> {
  const names = new Set<string>();
  for (const words of commands) {
    const i = assignments(words);
    const operands = words.slice(0, i);
    if (i < words.length && DECLARING.has(words[i])) {
      operands.push(...words.slice(i + 1));
    }
    for (const word of operands) {
      const eq = word.indexOf('=');
      if (
        eq >= 0 &&
        ASSIGNMENT_WORD.test(word) &&
        /[$`]/.test(word.slice(eq + 1))
      ) {
        names.add(word.slice(0, eq).split('[')[0].replace(/\+$/, ''));
      }
    }
  }
  return names;
}
