/**
 * Programs that run code given on their command line: perl, awk, node, ruby, php, lua, R,
 * julia, sed (red team 12 R12-6). The static side's port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/interpreters.py`, on the shared table
 * schema/code-interpreters.json: inline code that may start a program or compute what it runs
 * (`exec("u"."v", "sync")`, `awk 'BEGIN { system("u" "v") }'`) is refused, as are options that
 * load code from elsewhere (`perl -M`, `node -r`, `awk -f`). A script file is not read here
 * (the kernel reads it).
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

/** Whether a program name (a path's last part) is a code interpreter of the table. */
export function isInterpreter(program: string): boolean {
  return language(program) !== undefined;
}

/** Why starting `program args` runs code Warden cannot read ('' when it does not). */
export function refusedCode(program: string, args: readonly string[]): string {
  const found = language(program.slice(program.lastIndexOf('/') + 1));
  if (!found) {
    return '';
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
