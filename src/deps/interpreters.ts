/**
 * Programs that run code given on their command line: perl, awk, node, ruby, php, lua, R,
 * julia, sed (red team 12 R12-6). The static side's port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/interpreters.py`, on the shared table
 * schema/code-interpreters.json: inline code that may start a program or compute what it runs
 * (`exec("u"."v", "sync")`, `awk 'BEGIN { system("u" "v") }'`) is refused, as are options that
 * load code from elsewhere (`perl -M`, `node -r`, `awk -f`). A script file is not read here
 * (the kernel reads it). The environment it starts with loads code too (red team 13 R13-15):
 * a variable read as more options (`PERL5OPT=-MEvil`, `NODE_OPTIONS='--require ./e.js'`) is
 * read as its options, and one that puts code on its start-up path (`PERL5LIB`, `RUBYLIB`,
 * `LUA_INIT`) refuses the start. Here the line's assignments; the kernel reads the whole
 * environment.
 */
import table from '../../schema/code-interpreters.json';
import { sedRefusedCommand } from './sedscript';

interface Language {
  names: string[];
  name_pattern: string;
  code_options: string[];
  refused_options: string[];
  valued_options: string[];
  attached_options?: string[];
  digit_options?: Record<string, string>;
  code_value_options?: Record<string, string>;
  script_reader?: string;
  exit_options?: string[];
  bundled?: boolean;
  refused_option_pattern?: string;
  magic_operand?: string;
  long_abbreviations?: boolean;
  listed_options?: Record<string, { allowed: string[]; others: string[] }>;
  code_tokens?: string;
  code_names?: string[];
  program_operand: boolean;
  stdin_code?: boolean;
  starts: string;
  refused_env?: string[];
  option_env?: string[];
}

/**
 * A table pattern as a JavaScript RegExp. The table is written in Python's `re` syntax, whose
 * named groups (`(?P<d>...)`, `(?P=d)`) JavaScript spells `(?<d>...)`, `\k<d>`; numbered
 * backreferences are not used: the engines differ on a group that did not take part (Python
 * never matches it, JavaScript matches it as empty), which left perl's s///e rule dead on the
 * kernel (red team 15 R15-4). tests/deps/test_redteam15_code.py and interpreters.spec.ts run
 * every pattern over the same corpus (schema/vectors/code-patterns.json) on both engines.
 */
export function tablePattern(pattern: string, flags = ''): RegExp {
  return new RegExp(
    pattern
      .replace(/\(\?P<(\w+)>/g, '(?<$1>')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>'),
    flags
  );
}

const LANGUAGES = Object.values(
  table.languages as Record<string, Language>
).map(spec => ({
  spec,
  name: tablePattern(spec.name_pattern),
  starts: tablePattern(spec.starts)
}));

/**
 * The table entry of a program name; a table name followed by a version
 * (`perl5.36-x86_64-linux-gnu`, `node20`, `ruby3.1`: names systems ship, red team 14 R14-7)
 * is that interpreter too.
 */
function language(program: string) {
  return (
    LANGUAGES.find(l => l.name.test(program)) ??
    LANGUAGES.find(l =>
      l.spec.names.some(
        name =>
          program.startsWith(name) && /^[0-9.]/.test(program.slice(name.length))
      )
    )
  );
}

// operands that name the program's own input (R14-5): its code comes from stdin
const STDIN_OPERAND =
  /^(-|\/dev\/stdin|\/dev\/fd\/\d+|\/proc\/[^/]+\/fd\/\d+)$/;

/** Whether an environment variable named `name` loads code into some interpreter. */
export function isCodeVariable(name: string): boolean {
  return LANGUAGES.some(
    l =>
      (l.spec.refused_env ?? []).includes(name) ||
      (l.spec.option_env ?? []).includes(name)
  );
}

/** Whether a program name (a path's last part) is a code interpreter of the table. */
export function isInterpreter(program: string): boolean {
  return language(program) !== undefined;
}

/**
 * Why starting `program args` with `env` (the variables it starts with) runs code Warden
 * cannot read ('' when it does not); `started`: `program` is the program the start runs (not
 * a word among an unknown program's words, which only may name one); `inputRead`: Warden
 * decided what it reads on its input (a `%%script perl` body: the kernel's `input_read`).
 */
export function refusedCode(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  started = true,
  inputRead = false
): string {
  const found = language(program.slice(program.lastIndexOf('/') + 1));
  if (!found) {
    return '';
  }
  const byEnv = envRefused(program, found.spec, env);
  if (byEnv) {
    return byEnv;
  }
  const { code, operands, option } = inlineCode(args, found.spec);
  if (option) {
    return `${program} ${option} runs code from elsewhere, which Warden does not read`;
  }
  if (option === null) {
    return ''; // `perl -v`: it prints and exits
  }
  const magic = found.spec.magic_operand
    ? tablePattern(found.spec.magic_operand)
    : null;
  for (const operand of magic ? operands : []) {
    if (magic!.test(operand)) {
      // perl's `<>` (-n, -p) opens each file operand with the two-argument open: `CMD |`
      // runs CMD (red team 14 R14-16)
      return `${program} may open '${operand}' as a command (its <> opens each operand with the two-argument open, and the shell may expand this one into such a name), which Warden does not read: name the files plainly (./*.txt for a pattern)`;
    }
  }
  if (
    code.length === 0 &&
    found.spec.stdin_code &&
    !found.spec.program_operand &&
    !inputRead &&
    ((started && operands.length === 0) ||
      (operands.length > 0 && STDIN_OPERAND.test(operands[0])))
  ) {
    // `tclsh <<< 'exec u[]v ...'` (red team 13 R13-5), `perl - < x.pl`, `node < x.js`,
    // `perl /dev/fd/3 3< x.pl` (red team 14 R14-5): the code comes from its input
    return `${program} reads its code from its input, which Warden does not read`;
  }
  if (
    code.length === 0 &&
    operands.length > 0 &&
    !found.spec.program_operand &&
    (operands[0].startsWith('~-') || operands[0].startsWith('~+'))
  ) {
    // the shell's OLDPWD/PWD, which Warden does not follow (R14-18)
    return `${program} runs the script '${operands[0]}', which Warden cannot place`;
  }
  if (code.length === 0 && operands.length > 0 && found.spec.program_operand) {
    code.push(operands[0]);
  }
  for (const text of code) {
    const hit = found.starts.exec(text);
    if (hit) {
      return `${program} runs code, and its code may start a program or compute what it runs ('${hit[0].trim()}'), which Warden does not read: run the installer directly, or keep the code to plain text processing`;
    }
    const command =
      found.spec.script_reader === 'sed' ? sedRefusedCommand(text) : '';
    if (command) {
      return `${program} runs a script with ${command}, which runs a command or writes a file Warden does not read: keep the script to text processing (red team 15)`;
    }
    const unlisted = found.spec.code_names
      ? unlistedName(text, found.spec)
      : '';
    if (unlisted) {
      return `${program} runs code that uses '${unlisted}', which is not among what Warden lets its code use (plain text processing: console, JSON, Math, string and array methods, names the code declares): run the installer directly`;
    }
  }
  return '';
}

const NAME_START = /^[A-Za-z_$]/;

/**
 * The first name (or text Warden cannot read as a token) of `text` that is not allowed by the
 * table's allow rule ('' when all are): a deny list cannot win against reflection
 * (`Object.getOwnPropertyDescriptor(this, 'req'+'uire')`, red team 14 R14-31), so code is read
 * as tokens (`code_tokens`) and each name must be one of `code_names`, one the code declares,
 * or an object literal's key; after `.` one of `code_names` only.
 */
export function unlistedName(text: string, spec: Language): string {
  const token = new RegExp(spec.code_tokens!, 'y');
  const tokens: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    token.lastIndex = pos;
    const found = token.exec(text);
    if (!found || !found[0]) {
      return text.slice(pos, pos + 20); // `/`, a backslash, a character outside ASCII
    }
    pos = token.lastIndex;
    if (found[0].trim()) {
      tokens.push(found[0]);
    }
  }
  const names = new Set(spec.code_names);
  const declared = declaredNames(tokens);
  const keys = patternKeys(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i];
    if (`'"`.includes(word[0]) && /\\[^ntr\\'"]/.test(word)) {
      return word.slice(0, 20); // `"cons\x74ructor"`: a name Warden would read escaped (R15-3)
    }
    if (keys.has(i) && !names.has(word)) {
      // a destructuring pattern's key reads that property, like `.` (R15-3)
      return word.slice(0, 20);
    }
    if (!NAME_START.test(word)) {
      continue;
    }
    const before = i ? tokens[i - 1] : '';
    const after = tokens[i + 1] ?? '';
    if (names.has(word) || (before !== '.' && declared.has(word))) {
      continue;
    }
    if ((before === '{' || before === ',') && after === ':') {
      continue; // an object literal's key
    }
    return word;
  }
  return '';
}

/**
 * The indices of the keys of the destructuring patterns of `tokens`: a `{` after
 * const/let/var, one whose `}` an assignment's `=` follows, one inside the parameters of an
 * arrow or a function, and any `{` inside those. Its keys (a name or a string after the `{` or
 * a `,` of its own level) read properties: `({"constructor": F} = parseInt)`,
 * `({constructor: F}) => F` (red team 15 R15-3). As the kernel's `_pattern_keys`.
 */
function patternKeys(tokens: readonly string[]): Set<number> {
  const closing = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((word, i) => {
    if ('{(['.includes(word)) {
      stack.push(i);
    } else if ('})]'.includes(word) && stack.length > 0) {
      closing.set(stack.pop()!, i);
    }
  });
  const ranges: [number, number][] = [];
  for (const [i, j] of closing) {
    const before = i ? tokens[i - 1] : '';
    const after = tokens.slice(j + 1, j + 3);
    if (
      tokens[i] === '{' &&
      (['const', 'let', 'var'].includes(before) ||
        (after[0] === '=' && after[1] !== '=' && after[1] !== '>'))
    ) {
      ranges.push([i, j]);
    } else if (
      tokens[i] === '(' &&
      ((after[0] === '=' && after[1] === '>') ||
        tokens.slice(Math.max(0, i - 2), i).includes('function'))
    ) {
      ranges.push([i, j]);
    }
  }
  const keys = new Set<number>();
  for (const [i, j] of closing) {
    if (tokens[i] !== '{' || !ranges.some(([a, b]) => a <= i && j <= b)) {
      continue;
    }
    let depth = 0;
    for (let k = i + 1; k < j; k++) {
      if (depth === 0 && (k - 1 === i || tokens[k - 1] === ',')) {
        keys.add(k);
      }
      depth += '{(['.includes(tokens[k]) ? 1 : 0;
      depth -= '})]'.includes(tokens[k]) ? 1 : 0;
    }
  }
  return keys;
}

/**
 * The names code declares: after const/let/var/function, an arrow's parameter, and the plain
 * names between parentheses that an arrow follows or `function` precedes.
 */
function declaredNames(tokens: readonly string[]): Set<string> {
  const declared = new Set<string>();
  const opened: number[] = [];
  const arrowAt = (k: number) => tokens[k] === '=' && tokens[k + 1] === '>';
  tokens.forEach((word, i) => {
    if (
      ['const', 'let', 'var', 'function'].includes(word) &&
      i + 1 < tokens.length
    ) {
      declared.add(tokens[i + 1]);
    } else if (arrowAt(i + 1)) {
      declared.add(word);
    }
    if (word === '(') {
      opened.push(i);
    } else if (word === ')' && opened.length > 0) {
      const start = opened.pop()!;
      const inside = tokens.slice(start + 1, i);
      const named =
        start > 0 &&
        (tokens[start - 1] === 'function' || tokens[start - 2] === 'function');
      if (
        (arrowAt(i + 1) || named) &&
        inside.every(t => t === ',' || NAME_START.test(t))
      ) {
        inside.filter(t => t !== ',').forEach(t => declared.add(t));
      }
    }
  });
  return declared;
}

/** Why the environment `program` starts with makes it load code ('' when it does not). */
function envRefused(
  program: string,
  spec: Language,
  env: Readonly<Record<string, string>>
): string {
  for (const variable of spec.refused_env ?? []) {
    if (env[variable]) {
      return `${program} starts with ${variable} in its environment, which makes it load code Warden does not read: remove it (os.environ.pop('${variable}') in the notebook)`;
    }
  }
  for (const variable of spec.option_env ?? []) {
    const value = env[variable] ?? '';
    // each word alone: a value of an option Warden does not know may stand between
    for (const word of value.replace(/["']/g, ' ').split(/\s+/)) {
      const option = word.startsWith('-')
        ? inlineCode([word], spec).option
        : '';
      if (option) {
        return `${program} starts with ${variable}='${value}', whose ${option} runs code from elsewhere, which Warden does not read`;
      }
    }
  }
  return '';
}

/**
 * (inline code pieces, operands, a refused option, '' or null when an exit option makes the
 * program print and exit) of an interpreter's arguments, read by its own option grammar
 * (schema/code-interpreters.json, red team 14 R14-34): `perl -lne CODE`, `-0777e`,
 * `node -pe CODE`, `node --title x -e CODE`.
 */
function inlineCode(
  args: readonly string[],
  spec: Language
): { code: string[]; operands: readonly string[]; option: string | null } {
  const code: string[] = [];
  const refused = new Set(spec.refused_options);
  const refusedPattern = spec.refused_option_pattern
    ? new RegExp(spec.refused_option_pattern)
    : null;
  const codeOptions = new Set(spec.code_options);
  const valued = new Set(spec.valued_options);
  const exits = new Set(spec.exit_options ?? []);
  let i = 0;
  while (i < args.length) {
    const word = args[i];
    if (word === '--' || !word.startsWith('-') || word === '-') {
      return {
        code,
        operands: args.slice(i + (word === '--' ? 1 : 0)),
        option: ''
      };
    }
    if (word.startsWith('--') || spec.bundled === false) {
      const eq = word.indexOf('=');
      const [option, abbreviatedRefused] = longOption(
        eq < 0 ? word : word.slice(0, eq),
        spec
      );
      if (
        abbreviatedRefused ||
        refused.has(option) ||
        (refusedPattern &&
          option.startsWith('--') &&
          refusedPattern.test(option))
      ) {
        return { code, operands: [], option };
      }
      if (codeOptions.has(option)) {
        code.push(eq >= 0 ? word.slice(eq + 1) : (args[i + 1] ?? ''));
        i += eq >= 0 ? 1 : 2;
        continue;
      }
      if (exits.has(word) && code.length === 0) {
        return { code, operands: [], option: null };
      }
      const separate = i + 1 < args.length && !args[i + 1].startsWith('-');
      i += valued.has(option) && eq < 0 && separate ? 2 : 1;
      continue;
    }
    if (exits.has(word) && code.length === 0) {
      return { code, operands: [], option: null };
    }
    const [next, found] = bundle(args, i, code, spec);
    if (found) {
      return { code, operands: [], option: found };
    }
    i = next;
  }
  return { code, operands: [] as string[], option: '' };
}

/**
 * [the option a long option's abbreviation stands for, whether it is refused] for a program
 * whose table sets long_abbreviations (gawk reads `--so` as `--source` and `--ex` as `--exec`
 * by getopt_long, red team 14 R14-15): refused when any option it may stand for is refused or
 * when those differ in kind (a value taken or not).
 */
function longOption(option: string, spec: Language): [string, boolean] {
  const kinds = [spec.refused_options, spec.code_options, spec.valued_options];
  if (
    !spec.long_abbreviations ||
    option.length < 3 ||
    kinds.some(kind => kind.includes(option))
  ) {
    return [option, false];
  }
  const found = kinds.flatMap((kind, n) =>
    kind
      .filter(o => o.startsWith('--') && o.startsWith(option))
      .map(o => [n, o] as [number, string])
  );
  if (found.length === 0) {
    return [option, false];
  }
  const refused = found[0][0] === 0 || new Set(found.map(([n]) => n)).size > 1;
  return [found[0][1], refused];
}

/**
 * Whether a listed option's value (mawk's `-W`: comma-separated names, each maybe
 * `name=value`, any case, any unique abbreviation: `-W e x.awk`, `-Wi,e`, `-W EXEC` read their
 * program from a file, red team 14 R14-15) names anything but its allowed names.
 */
export function listedValueRefused(
  value: string,
  listing: { allowed: string[]; others: string[] }
): boolean {
  const known = [...listing.allowed, ...listing.others];
  for (const item of value.split(',')) {
    const name = item.split('=')[0].trim().toLowerCase();
    if (listing.allowed.includes(name)) {
      continue;
    }
    const found = known.filter(n => name && n.startsWith(name));
    if (
      listing.others.includes(name) ||
      found.length === 0 ||
      found.some(n => !listing.allowed.includes(n))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * One single-dash word: its letters are options until one takes a value (the rest of the
 * word, or the next word). Returns [next index, a refused option or ''].
 */
function bundle(
  args: readonly string[],
  i: number,
  code: string[],
  spec: Language
): [number, string] {
  const word = args[i];
  const attached = new Set(spec.attached_options ?? []);
  const digits = spec.digit_options ?? {};
  let k = 1;
  while (k < word.length) {
    const option = `-${word[k]}`;
    const rest = word.slice(k + 1);
    if (spec.refused_options.includes(option)) {
      return [i + 1, option];
    }
    const listing = spec.listed_options?.[option];
    if (listing) {
      // the value is the rest of the word or the next word, whatever it starts with
      const value = rest || (args[i + 1] ?? '');
      if (listedValueRefused(value, listing)) {
        return [i + 1, `${option} ${value}`];
      }
      return [rest ? i + 1 : i + 2, ''];
    }
    if (spec.code_options.includes(option)) {
      if (rest) {
        code.push(rest);
        return [i + 1, ''];
      }
      code.push(args[i + 1] ?? '');
      return [i + 2, ''];
    }
    if (option in digits) {
      // `perl -l015e CODE`, `-0777ne`: its value is the digits, then more letters
      k +=
        1 + (new RegExp(`^(?:${digits[option]})`).exec(rest)?.[0].length ?? 0);
      continue;
    }
    if (attached.has(option)) {
      const codeValue = spec.code_value_options?.[option];
      if (codeValue && tablePattern(codeValue).test(rest)) {
        // perl pastes `-F/x/...` verbatim into `our @F=split(VALUE);` (R15-24)
        code.push(rest);
      }
      return [i + 1, '']; // `perl -i.bak`, `-F:`: the rest of the word, never the next
    }
    if (spec.valued_options.includes(option)) {
      // a value of its own word only when that is no option: `perl -I lib -e CODE`
      const separate =
        !rest && i + 1 < args.length && !args[i + 1].startsWith('-');
      return [separate ? i + 2 : i + 1, ''];
    }
    k += 1;
  }
  return [i + 1, ''];
}
