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

interface Language {
  name_pattern: string;
  code_options: string[];
  refused_options: string[];
  valued_options: string[];
  program_operand: boolean;
  stdin_code?: boolean;
  starts: string;
  refused_env?: string[];
  option_env?: string[];
}

const LANGUAGES = Object.values(
  table.languages as Record<string, Language>
).map(spec => ({
  spec,
  name: new RegExp(spec.name_pattern),
  starts: new RegExp(spec.starts)
}));

function language(program: string) {
  return LANGUAGES.find(l => l.name.test(program));
}

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
 * cannot read ('' when it does not).
 */
export function refusedCode(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {}
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
  if (code.length === 0 && operands.length === 0 && found.spec.stdin_code) {
    // `tclsh <<< 'exec u[]v ...'`: the code comes from its input (red team 13 R13-5)
    return `${program} reads its code from its input, which Warden does not read`;
  }
  if (code.length === 0 && operands.length > 0 && found.spec.program_operand) {
    code.push(operands[0]);
  }
  for (const text of code) {
    const hit = found.starts.exec(text);
    if (hit) {
      return `${program} runs code, and its code may start a program or compute what it runs ('${hit[0].trim()}'), which Warden does not read: run the installer directly, or keep the code to plain text processing`;
    }
  }
  return '';
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

function inlineCode(args: readonly string[], spec: Language) {
  const code: string[] = [];
  const refused = new Set(spec.refused_options);
  const codeOptions = new Set(spec.code_options);
  const valued = new Set(spec.valued_options);
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
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const option = eq < 0 ? word : word.slice(0, eq);
      if (refused.has(option)) {
        return { code, operands: [], option };
      }
      if (codeOptions.has(option)) {
        code.push(eq >= 0 ? word.slice(eq + 1) : (args[i + 1] ?? ''));
        i += eq >= 0 ? 1 : 2;
        continue;
      }
      const separate = i + 1 < args.length && !args[i + 1].startsWith('-');
      i += valued.has(option) && eq < 0 && separate ? 2 : 1;
      continue;
    }
    // single-dash letters are options until one takes a value (getopt bundling: -lne CODE)
    let next = i + 1;
    for (let k = 1; k < word.length; k++) {
      const option = `-${word[k]}`;
      const rest = word.slice(k + 1);
      if (refused.has(option)) {
        return { code, operands: [], option };
      }
      if (codeOptions.has(option)) {
        code.push(rest || (args[i + 1] ?? ''));
        next = rest ? i + 1 : i + 2;
        break;
      }
      if (valued.has(option)) {
        // a value of its own word only when that is no option: `perl -i -pe CODE`
        const separate =
          !rest && i + 1 < args.length && !args[i + 1].startsWith('-');
        next = separate ? i + 2 : i + 1;
        break;
      }
    }
    i = next;
  }
  return { code, operands: [] as string[], option: '' };
}
