/**
 * Values the shell assigns or evaluates in ways the line state does not follow as text (red
 * team 13 R13-13, R13-19, R13-20). The kernel's shell_values.py, read the same:
 *
 * - `unknownNames`: every variable a line assigns by a form other than `NAME=value` (a
 *   `for`/`select` header, `${NAME:=v}`, `read`, `printf -v`, `mapfile`, `getopts`,
 *   `wait -p`, `coproc NAME`, a nameref, `let`...), whatever its name: its value is unknown;
 *   `ANY` when a declaring builtin's operand computes the name (`export $V`: R14-2).
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

/** Whether a declaring builtin's operand names its variable by an expansion, a glob or a
 * brace list (`$V`, `$V=x`, `"$@"`, `$(echo A=B)`, `U*`, `{A,B}=x`): the shell assigns a name
 * Warden cannot read (red team 14 R14-2). */
export function computedOperand(word: string): boolean {
  return !(
    /^[-+]/.test(word) ||
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(word) ||
    ASSIGNMENT_WORD.test(word)
  );
}

// the options of a declaring builtin that leave its value as written (export, -g global, -r
// read-only, -t trace): the line state's `declare` assigns, exports or unsets with them; any
// other (-i, -l, -u, -n, -a, -A, -I transform the value; -f, -p) leaves the names unknown
const VALUE_OPTIONS = 'xgrt';

/** Whether every option of `builtin ARGS` (before its first operand or `--`) is one the line
 * state reads the value through (red team 18 R18-8: `declare -x PYTHONPATH=.` was read as an
 * assignment and as a form read as no value at once); export's `-n` unexports. The kernel's
 * `options_read_as_value`. */
export function optionsReadAsValue(builtin: string, args: string[]): boolean {
  const letters = VALUE_OPTIONS + (builtin === 'export' ? 'n' : '');
  for (const word of args) {
    if (word === '--' || !/^[-+]/.test(word) || word.length === 1) {
      return true;
    }
    if ([...word.slice(1)].some(letter => !letters.includes(letter))) {
      return false;
    }
  }
  return true;
}

/** The names the line assigns in a form the line state does not read as a value (`ANY` for
 * `${!REF:=v}`, a computed declaring operand), wherever the command stands. */
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
    if (DECLARING.has(inner[0]) && inner.slice(1).some(computedOperand)) {
      names.add(ANY); // `export $V`, `export "$@"`, `export U*`: names Warden cannot read
    }
    if (
      (DECLARING.has(inner[0]) || inner[0] === 'unset') &&
      !inner.slice(1).some(a => /^[-+]/.test(a))
    ) {
      continue; // `export X=v`, `unset X`: read as the value they set
    }
    if (
      DECLARING.has(inner[0]) &&
      optionsReadAsValue(inner[0], inner.slice(1))
    ) {
      continue; // `declare -x X=v`, `export -n X`: the line state's `declare` reads them
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

/**
 * The parameters a shell sets itself, whatever the environment it starts with or the line's
 * assignments hold: what Warden reads for them is not what the shell expands (red team 28a
 * R28a-4: npm's `sh -c './$# pip ...'` runs ./0). One list, read by every reading of a `$`
 * (`shellSets`: the line state's `resolve`, `commandvalues.ts`; the kernel's
 * `shell_values.shell_sets`):
 * - SPECIAL, the variables bash (bash manual, "Shell Variables") or dash sets at its start
 *   or as it runs: RANDOM is a number whatever the environment holds, IFS is reset, HOSTNAME
 *   and SHELL are set when the environment has none. Derived from the shells themselves (red
 *   team 28b R28b-3: dash's default PS1/PS2/PS4 were missing, and `./$PS4 pip` ran a link
 *   `./+`), 2026-12-03, dash 0.5.12 and bash 5.2 (Debian), as root and as nobody (`setpriv
 *   --reuid=65534 --regid=65534 --clear-groups`):
 *     for s in dash sh bash 'bash --posix' 'bash -i' 'dash -i'; do env -i $s -c set; done
 *   plus what each does with an inherited value (`env -i PS4=X bash -c 'echo $PS4'`): dash
 *   sets IFS OPTIND PATH PPID PS1 ('# ' as root, '$ ' otherwise) PS2 ('> ') PS4 ('+ ') PWD;
 *   bash sets TERM (dumb when unset), PS4 ('+ ': as root it ignores an inherited one), unsets
 *   an inherited PS1 and PS2 when not interactive, sets POSIXLY_CORRECT under --posix and PS1
 *   PS2 HISTFILE MAILCHECK when interactive (what ~/.bashrc sets is no shell's own); every
 *   name those commands list is here, but PATH: the kernel's `shell_sets` counts it only
 *   when the start's environment has none (the shell's default then); the static side sees
 *   no environment, and a `$PATH` the line does not set is already the kernel's, unresolved.
 *   PS0 and PS3 for completeness (prompts bash reads).
 * - SPECIAL_PARAMETER, the special and positional parameters ($# $? $- $$ $! $0..$9 $@ $*
 *   $_, braced too: ${#}, ${10}), which no environment holds.
 */
export const SPECIAL = new Set(
  (
    'RANDOM SRANDOM BASHPID SECONDS PPID UID EUID HOSTNAME LINENO PWD OLDPWD IFS FUNCNAME ' +
    'GROUPS EPOCHSECONDS EPOCHREALTIME SHLVL OPTIND OPTARG OPTERR REPLY PIPESTATUS DIRSTACK ' +
    'HISTCMD SHELLOPTS BASHOPTS BASH_COMMAND BASH_SOURCE BASH_LINENO BASH_REMATCH BASH_ARGV ' +
    'BASH_ARGC BASH_SUBSHELL BASH_ARGV0 BASH_ALIASES BASH_CMDS BASH_EXECUTION_STRING ' +
    'BASH_LOADABLES_PATH BASH_MONOSECONDS BASH_TRAPSIG COLUMNS LINES HOSTTYPE MACHTYPE OSTYPE ' +
    'BASH BASH_VERSION BASH_VERSINFO SHELL COMP_CWORD COMP_KEY COMP_LINE COMP_POINT COMP_TYPE ' +
    'COMP_WORDBREAKS COMP_WORDS COPROC MAPFILE READLINE_ARGUMENT READLINE_LINE READLINE_MARK ' +
    'READLINE_POINT PS0 PS1 PS2 PS3 PS4 TERM POSIXLY_CORRECT HISTFILE MAILCHECK'
  ).split(' ')
);
export const SPECIAL_PARAMETER = /^(?:[0-9]+|[#?$!@*_-])$/;

/** Whether the shell sets the parameter `name` (`#`, `10`, `_`, `RANDOM`, `PS4`) itself: its
 * value where the shell expands it is not one Warden reads. */
export function shellSets(name: string): boolean {
  return SPECIAL.has(name) || SPECIAL_PARAMETER.test(name);
}
const PLAIN = /\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `value` with its plain `$NAME`/`${NAME}` expansions replaced by `lookup`'s values; null
 * when `lookup` has none for one, one is a parameter the shell sets itself (`shellSets`), or
 * another expansion is left (`${X:-d}`, `$(...)`, `$1`). */
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
    // `$_`, `$RANDOM`: the shell's value, not the line's or the environment's (R28a-4)
    const known = shellSets(name) ? null : lookup(name);
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
 * an indirection `${!x}`, an arithmetic `for ((...))` header (masked `for ::...`: red team 34
 * R34-5), `$[...]`, `[[...]]` (only some of its operands: arithmeticTexts), a subscript, a
 * substring's offset and length (group 1), `let`, `declare -i` (in any option word: `-x -i`,
 * `+x -i`); `let` and the integer attribute are read on the command's words too
 * (`arithmeticCommands`: quoted) */
const ARITHMETIC =
  /\$::[^\s;&|]*|\$\(\([^\s;&|]*|\$\{![^}]*\}|\(\(.*?\)\)|\$\[[^\]]*\]|\[\[.*?\]\]|\w\[[^\]]*\]|\$\{\w+:([^-=?+}][^}]*)\}|(?<![\w$])for[ \t]*::[^\s;&|]*|(?:^|[\s;&|(])(?:let\s|(?:declare|typeset|local)(?:\s+\+\w*|\s+-\w*)*?\s+-\w*i)[^;&|\n]*/g;
/** the declaring builtins with bash's integer attribute (`-i`): a value assigned to such a
 * name (by any form: `declare -i y; read y`) is evaluated as arithmetic */
const INTEGER_DECLARING = new Set(['declare', 'typeset', 'local']);
/** in `[[ ... ]]` bash evaluates as arithmetic only the operands of these (and `-v`'s) */
const TEST_ARITHMETIC = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const CODE_IN_VALUE = /[$`[]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** a `for` word that expands to itself or a numeric brace sequence (`{1..5}`) (R14-35) */
const LITERAL_WORD =
  /^(?:[A-Za-z0-9_.,:/+%@=-]*|\{-?[0-9]+\.\.-?[0-9]+(\.\.-?[0-9]+)?\})$/;
/** `N=$(nproc)`: a command substitution whose output is a number (R14-35) */
const NUMBER_PROGRAM = String.raw`\s*(?:nproc(?:\s+--all)?|getconf\s+_?NPROCESSORS_(?:ONLN|CONF))\s*`;

/** The texts bash evaluates as arithmetic on the masked line: in `[[ ]]` only the operands
 * of `-eq`... and `-v`, in `${x:o:l}` only `o` and `l` (red team 14 R14-35). */
function* arithmeticTexts(script: string): Generator<string> {
  for (const context of script.matchAll(ARITHMETIC)) {
    const text = context[0];
    if (text.startsWith('[[')) {
      const words = text
        .slice(2, -2)
        .split(/\s+/)
        .filter(w => w !== '');
      for (let k = 0; k < words.length; k++) {
        if (TEST_ARITHMETIC.has(words[k])) {
          yield words.slice(Math.max(k - 1, 0), k + 2).join(' ');
        } else if (words[k] === '-v') {
          yield words.slice(k + 1, k + 2).join(' ');
        }
      }
      yield* arithmeticTexts(text.slice(2, -2)); // its own `$((...))`, subscripts
    } else if (context[1] !== undefined) {
      yield context[1];
    } else {
      yield text;
    }
  }
}

/** Whether a declaring builtin's options (before its first operand or `--`) give the integer
 * attribute: an `i` in any `-` word (`-i`, `-xi`, `-x -i`, `+x -i`), or a word Warden cannot
 * read, which may expand to one (`declare $o y=x`: red team 34 R34-5). */
function integerOptions(args: string[]): boolean {
  for (const word of args) {
    if (word === '--') {
      return false;
    }
    if (word.startsWith('-') && word.length > 1) {
      if (word.includes('i')) {
        return true;
      }
    } else if (!word.startsWith('+') || word.length === 1) {
      return computedOperand(word);
    }
  }
  return false;
}

/** Whether a command (reserved words cut) evaluates its operands as arithmetic: `let`,
 * `declare`/`typeset`/`local` with the integer attribute (its words as bash reads them,
 * quotes removed: `'let' x`, `declare '-i' y=x`). */
function arithmeticCommand(words: string[]): boolean {
  const inner = unwrapBuiltin(words.slice(assignments(words)));
  if (inner[0] === 'let') {
    return true;
  }
  return (
    inner.length > 0 &&
    INTEGER_DECLARING.has(inner[0]) &&
    integerOptions(inner.slice(1))
  );
}

/** The operands of the line's arithmetic commands (`arithmeticCommand`); an array value
 * (`declare -ai a=(x)`: the reader splits its parentheses off) with the command. */
function* arithmeticCommands(commands: string[][]): Generator<string> {
  for (let k = 0; k < commands.length; k++) {
    const words = commands[k];
    if (arithmeticCommand(words)) {
      let text = words.join(' ');
      const last = words[words.length - 1] ?? '';
      if (last.endsWith('=') && k + 1 < commands.length) {
        text += ' ' + commands[k + 1].join(' ');
      }
      yield text;
    }
  }
}

/** The names a command (reserved words already cut) assigns by any form. */
function namesAssignedIn(words: string[]): string[] {
  const i = assignments(words);
  return words
    .slice(0, i)
    .map(w => w.split('=')[0].split('[')[0].replace(/\+$/, ''))
    .concat(namesAssigned(unwrapBuiltin(words.slice(i))));
}

/** The names only `for NAME in WORDS` headers with literal words assign, with their words
 * (`for i in 1 2 3`): their values are on the line. */
export function literalLoops(commands: string[][]): Map<string, string[]> {
  const loops = new Map<string, string[]>();
  const other = new Set<string>();
  for (const command of commands) {
    const words = bare(command);
    if (
      words[0] === 'for' &&
      words[2] === 'in' &&
      NAME.test(words[1] ?? '') &&
      words.slice(3).every(w => LITERAL_WORD.test(w))
    ) {
      loops.set(words[1], [...(loops.get(words[1]) ?? []), ...words.slice(3)]);
      continue;
    }
    namesAssignedIn(words).forEach(n => other.add(n));
  }
  other.forEach(n => loops.delete(n));
  return loops;
}

/** The names the line assigns only `$(nproc)`-like outputs (a number), in its text. */
export function numericNames(original: string): Set<string> {
  if (/(?<![\w$])PATH\b|\$\{?PATH\b/.test(original)) {
    return new Set(); // a cell-made `nproc` on a PATH the line sets may print anything
  }
  const found = [
    ...original.matchAll(
      new RegExp(
        String.raw`(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=\$\(` +
          NUMBER_PROGRAM +
          String.raw`\)(?=$|[\s;&|)])`,
        'g'
      )
    )
  ].map(m => m[1]);
  return new Set(
    found.filter(
      name =>
        [
          ...original.matchAll(
            new RegExp(
              String.raw`(?<![\w$])` + name + String.raw`(\[[^\]]*\])?\+?=`,
              'g'
            )
          )
        ].length === found.filter(n => n === name).length
    )
  );
}
const PROMPT_WHY =
  'it assigns a prompt variable (PS4 runs under set -x as shell text)';

/** Why the line holds a value bash evaluates as shell text ('' when none): `unknown`: the
 * names whose value the line leaves unknown (the loops' names as `literalLoops` reads them
 * excepted); `env`: the values Warden knows; `original`: the unmasked line. */
export function evaluated(
  commandsIn: string[][],
  script: string,
  unknownIn: Set<string>,
  env: Record<string, string>,
  original = ''
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
  // text: a name in an arithmetic context whose value is unknown or holds `$`, a backtick, `[`;
  // a literal loop's values are judged as values, a `$(nproc)` is a number (R14-35)
  // a name only `let` or an integer declaration assigns holds a number (`i=0; let i=i+1`,
  // `declare -i n=5`); its operands are read as arithmetic themselves
  const loops = literalLoops(commands);
  const numbers = numericNames(original);
  const assigning = commands.filter(words => !arithmeticCommand(words));
  const unknown = new Set([...unknownIn]);
  unknownNames(assigning, script).forEach(n => {
    if (!loops.has(n)) {
      unknown.add(n);
    }
  });
  assignedExpansions(commands).forEach(n => {
    if (!numbers.has(n)) {
      unknown.add(n);
    }
  });
  // what the line itself assigns (`y=x` after `declare -i y`), besides what it started with;
  // a `$(nproc)` is a number
  const assigned = assignedValues(commands);
  numbers.forEach(n => assigned.delete(n));
  // bash evaluates a value's names' values in turn (`y=foo; x=y; $((x))` evaluates foo's)
  const unreadable = (name: string, seen: Set<string>): boolean => {
    if (seen.has(name)) {
      return false;
    }
    seen.add(name);
    if (unknown.has(name) || unknown.has(ANY)) {
      return true;
    }
    const values = loops.get(name) ?? [
      ...(assigned.get(name) ?? []),
      env[name] ?? ''
    ];
    return values.some(
      value =>
        CODE_IN_VALUE.test(value) ||
        [...value.matchAll(IDENTIFIER)].some(([n]) => unreadable(n, seen))
    );
  };
  const texts = [...arithmeticTexts(script), ...arithmeticCommands(commands)];
  for (const text of texts) {
    for (const [name] of text.matchAll(IDENTIFIER)) {
      if (unreadable(name, new Set())) {
        return (
          `arithmetic on the line evaluates ${name}, whose value Warden cannot read ` +
          '(a subscript in it runs as shell text): give it a number written on the line'
        );
      }
    }
  }
  return '';
}

/** `evaluated` for a line `maskShellText` could not read (a blank-padded `(( x ))`) but that
 * holds no expansion, quote-built program or installer word (`unseen`, `hasHint`): read as
 * plain words, its quotes removed and split at every operator. Such a line was run unread, so
 * `read -r x < f; (( x ))` evaluated the file's `c[$(cmd)]` (red team 34 R34-5). The kernel's
 * `unmasked_evaluated`. */
export function unmaskedEvaluated(
  script: string,
  unknown: Set<string>,
  env: Record<string, string>
): string {
  const text = script.replace(/['"]/g, '');
  const commands = text
    .split(/[;&|()<>\n]+/)
    .map(piece => piece.split(/\s+/).filter(w => w !== ''))
    .filter(words => words.length > 0);
  return evaluated(commands, text, unknown, env, script);
}

/** [name, value] of each `NAME=value` word of the line: assignments in front of a command and
 * a declaring builtin's operands; an array's (`a=(x y)`, which the reader splits off as a
 * command of its own) is the words of the command after. */
function assignmentWords(commands: string[][]): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  commands.forEach((words, k) => {
    const i = assignments(words);
    const operands = [...words.keys()].filter(
      n => n < i || (n > i && DECLARING.has(words[i]))
    );
    operands.forEach(n => {
      const word = words[n];
      const eq = word.indexOf('=');
      if (eq < 0 || !ASSIGNMENT_WORD.test(word)) {
        return;
      }
      let value = word.slice(eq + 1);
      if (value === '' && n === words.length - 1 && k + 1 < commands.length) {
        value = commands[k + 1].join(' ');
      }
      found.push([word.slice(0, eq).split('[')[0].replace(/\+$/, ''), value]);
    });
  });
  return found;
}

/** The values the line assigns each name by `NAME=value` (`assignmentWords`). */
function assignedValues(commands: string[][]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [name, value] of assignmentWords(commands)) {
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return values;
}

/** The names the line assigns a value holding an expansion (`x="a[${d}(...)]"`). */
function assignedExpansions(commands: string[][]): Set<string> {
  return new Set(
    assignmentWords(commands)
      .filter(([, value]) => /[$`]/.test(value))
      .map(([name]) => name)
  );
}

/** a tilde-prefix of an assignment's value: at its start and after each `:` (R14-14) */
const TILDE_PREFIX = /(?<=[=:])~([^/:]*)/g;

/** Whether an assignment word's value holds a tilde-prefix bash expands (`X=~/a`,
 * `PATH=~/bin:$PATH`, `X=a:~b`). */
export function tildeInAssignment(word: string): boolean {
  if (!ASSIGNMENT_WORD.test(word)) {
    return false;
  }
  const eq = word.indexOf('=');
  return new RegExp(TILDE_PREFIX.source).test(word.slice(eq));
}

/** An assignment word with `~+`/`~-` prefixes of its value written `${PWD}`/`${OLDPWD}` (the
 * line state leaves those unknown, fail closed); `~` stays: the static reader knows no home
 * folder, and a line that assigns HOME is refused before (red team 14 R14-14). The kernel's
 * `tilde_assignment`. */
export function tildeAssignment(word: string): string {
  if (!tildeInAssignment(word)) {
    return word;
  }
  const eq = word.indexOf('=');
  return (
    word.slice(0, eq) +
    word
      .slice(eq)
      .replace(TILDE_PREFIX, (whole, user: string) =>
        user === '+' ? '${PWD}' : user === '-' ? '${OLDPWD}' : whole
      )
  );
}
