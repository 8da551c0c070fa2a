/**
 * A pipx command line read as pipx's argparse reads it (a port of the kernel's
 * `installs/pipx_cli.py`; red team red5 F4, L1).
 *
 * argparse accepts any unambiguous prefix of a long option (`--index-u=URL`, `--pip-arg`), a
 * value attached to a short option (`-iURL`, `-i=URL`) and combined short flags (`-qiURL`).
 * Each command's real option table is in schema/pipx-cli.json, generated from pipx's own parser
 * (scripts/pipx-cli-table.py); an option that table does not list, an ambiguous prefix, a
 * valued option without its value, or an option where a value belongs is a refusal with that
 * reason (deny by default). Never throws.
 *
 * `--` is read as argparse reads it on the Python pipx runs with (3.11; red team 47b): see
 * pipx_cli.py. The words after it are positional; a fixed positional takes a `--` among or right
 * after those words and drops it (`runpip VENV -- install X` hands pip `install X`); `inject`
 * given first (parse_intermixed_args) with `--` before the venv name and an option after it is
 * refused (Python versions differ), as is a `--` taken as a name.
 */
import table from '../../schema/pipx-cli.json';
import { redactUrl } from './request'; // every word a message quotes: no credential in it
import { shellWords } from './words';

/** One command of the table: option -> [dest, arity], positionals [dest, nargs]. */
interface Entry {
  options: Record<string, [string, number | '+']>;
  positionals: Array<[string, string | null]>;
  subcommands?: string[];
}

const COMMANDS = table.commands as unknown as Record<string, Entry>;

/** An option as read: its argparse dest, the option, its value (null for a flag, a list for
 * a `+` option). */
export type PipxOption = [string, string, string | string[] | null];

/** What one pipx command line says (see `PipxLine` in pipx_cli.py). */
export interface PipxLine {
  command: string;
  options: PipxOption[];
  positionals: string[];
  /** the words `run`/`runpip`/`exec` hand on; null when there is no such part */
  remainder: string[] | null;
}

export function optionValues(line: PipxLine, dest: string): PipxOption[2][] {
  return line.options.filter(o => o[0] === dest).map(o => o[2]);
}

// argparse's `_negative_number_matcher`: pipx has no option that looks like one, so such a
// word is a value
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

/** `word` is an option as argparse's `_parse_optional` decides it: one that names an option
 * (exactly, before `=`, or by a prefix, even an ambiguous one) is; otherwise one that is `-`,
 * a negative number or holds a space is a value (`--pip-args "--no-cache-dir --pre"`), and any
 * other word starting with `-` is an (unknown) option. */
function isOption(options: Entry['options'], word: string): boolean {
  if (!word.startsWith('-') || word === '-') {
    return false;
  }
  const found = resolve(options, word);
  if (typeof found !== 'string' || found.includes(' is ambiguous ')) {
    return true;
  }
  return !NEGATIVE_NUMBER.test(word) && !word.includes(' ');
}
const has = (options: Entry['options'], name: string) =>
  Object.prototype.hasOwnProperty.call(options, name);

/** A `PipxLine`, or a string saying why Warden cannot read the line as pipx would. */
export function parsePipx(args: string[]): PipxLine | string {
  let key = '';
  let i = 0;
  for (;;) {
    const entry = COMMANDS[key];
    const line: PipxLine = {
      command: key,
      options: [],
      positionals: [],
      remainder: null
    };
    if (!entry.subcommands) {
      // pipx/main.py parse_pipx_args: `inject` as the first word is parsed with
      // parse_intermixed_args, every other line with parse_args
      const found = leaf(entry, line, args, i, key === 'inject' && i === 1);
      if (typeof found !== 'string' && found.positionals.includes('--')) {
        return 'a pipx `--` taken as a package or venv name is not read by Warden';
      }
      return found;
    }
    const reached = readOptions(entry, line, args, i);
    if (typeof reached === 'string') {
      return reached;
    }
    i = reached;
    if (i < args.length && args[i] === '--') {
      return 'pipx `--` before the command is not read by Warden';
    }
    if (i >= args.length) {
      return line; // `pipx`, `pipx interpreter`: help or an error, no install
    }
    const word = args[i];
    if (!entry.subcommands.includes(word)) {
      return `\`${`pipx ${key} ${redactUrl(word)}`.replace('  ', ' ')}\` is not a pipx command Warden knows`;
    }
    key = `${key} ${word}`.trim();
    i++;
  }
}

function leaf(
  entry: Entry,
  line: PipxLine,
  args: string[],
  start: number,
  intermixed: boolean
): PipxLine | string {
  const tailAt = entry.positionals.findIndex(p => p[1] === '...');
  const tail = tailAt < 0 ? null : tailAt;
  let i = start;
  while (i < args.length) {
    const word = args[i];
    if (word === '--') {
      const rest = args.slice(i + 1);
      if (
        intermixed &&
        !line.positionals.length &&
        rest.some(w => isOption(entry.options, w))
      ) {
        return (
          'pipx inject with `--` before the venv name and an option after it: Python ' +
          "3.11's parse_intermixed_args drops the `--` and reads the option, Python " +
          '3.12.8+ and 3.13.1+ read it as a name; not read by Warden'
        );
      }
      if (tail === null) {
        line.positionals.push(...rest);
      } else {
        splitTail(line, rest, tail);
      }
      return line;
    }
    if (isOption(entry.options, word)) {
      const reached = readOptions(entry, line, args, i);
      if (typeof reached === 'string') {
        return reached;
      }
      i = reached;
      continue;
    }
    if (tail !== null) {
      // argparse matches the positionals and the words after them (options too) at once
      return readTail(entry, line, args.slice(i), tail);
    }
    line.positionals.push(word);
    i++;
  }
  return line;
}

/** `rest` (from the first positional word on) split into the fixed positional words and the
 * words `run`/`runpip`/`exec` hand on. Each fixed positional's pattern `(-*A-*)` takes a first
 * `--` among those words or right after them, and argparse drops it. */
function readTail(
  entry: Entry,
  line: PipxLine,
  rest: string[],
  tail: number
): PipxLine | string {
  const need = tail - line.positionals.length;
  const at = rest.slice(0, need + 1).indexOf('--');
  const dash = at < 0 ? rest.length : at;
  if (
    rest.slice(0, Math.min(dash, need)).some(w => isOption(entry.options, w))
  ) {
    return "a pipx option between a command's positional words is not read by Warden";
  }
  splitTail(
    line,
    at < 0 ? rest : [...rest.slice(0, at), ...rest.slice(at + 1)],
    tail
  );
  return line;
}

function splitTail(line: PipxLine, rest: string[], tail: number): void {
  const need = Math.max(tail - line.positionals.length, 0);
  line.positionals.push(...rest.slice(0, need));
  line.remainder = rest.slice(need);
}

/** Read options from `args[i]` up to the first positional word or `--`; the index reached,
 * or a string saying what Warden cannot read. */
function readOptions(
  entry: Entry,
  line: PipxLine,
  args: string[],
  start: number
): number | string {
  const options = entry.options;
  let i = start;
  while (i < args.length && isOption(options, args[i]) && args[i] !== '--') {
    const word = args[i++];
    const found = resolve(options, word);
    if (typeof found === 'string') {
      return found;
    }
    let [option, explicit] = found;
    const attached = found[2];
    for (;;) {
      const [dest, arity] = options[option];
      if (arity === 0) {
        line.options.push([dest, option, null]);
        if (explicit === null) {
          break;
        }
        if (!attached || !explicit) {
          return `pipx option ${option} takes no value (given ${redactUrl(word)})`;
        }
        // combined short flags: -qU, -qiURL
        option = '-' + explicit[0];
        explicit = explicit.slice(1) || null;
        if (!has(options, option)) {
          return `pipx option ${option} (in ${redactUrl(word)}) is not one Warden knows`;
        }
        continue;
      }
      if (arity === 1) {
        if (explicit === null) {
          if (i >= args.length) {
            return `pipx option ${option} needs a value`;
          }
          if (isOption(options, args[i])) {
            return `pipx option ${option} is followed by ${redactUrl(args[i])}, not a value`;
          }
          explicit = args[i++];
        }
        if (!explicit) {
          return `pipx option ${option} needs a value`;
        }
        line.options.push([dest, option, explicit]);
        break;
      }
      // "+": an attached value is the only one (argparse), else the words up to an option
      const values = explicit === null ? [] : [explicit];
      while (
        explicit === null &&
        i < args.length &&
        !isOption(options, args[i])
      ) {
        values.push(args[i++]);
      }
      if (!values.length || !values.every(Boolean)) {
        return `pipx option ${option} needs a value`;
      }
      line.options.push([dest, option, values]);
      break;
    }
  }
  return i;
}

/** [option, explicit value or null, attached] as argparse resolves `word`, or why not. */
function resolve(
  options: Entry['options'],
  word: string
): [string, string | null, boolean] | string {
  if (has(options, word)) {
    return [word, null, false];
  }
  const eq = word.indexOf('=');
  const name = eq < 0 ? word : word.slice(0, eq);
  const value = eq < 0 ? null : word.slice(eq + 1);
  if (value !== null && has(options, name)) {
    return [name, value, false];
  }
  if (word.startsWith('--')) {
    const matches = Object.keys(options).filter(o => o.startsWith(name));
    if (matches.length > 1) {
      return `pipx option ${redactUrl(name)} is ambiguous (${matches.sort().join(', ')})`;
    }
    if (!matches.length) {
      return `pipx option ${redactUrl(name)} is not one Warden knows`;
    }
    return [matches[0], value, false];
  }
  if (has(options, word.slice(0, 2))) {
    return [word.slice(0, 2), word.slice(2), true];
  }
  return `pipx option ${redactUrl(word.slice(0, 2))} is not one Warden knows`;
}

/** The commands `pipx run APP ARGS` or `pipx exec VENV APP ARGS` may start: the app with its
 * arguments and, with `--python-args`, `python PYTHON-ARGS APP ARGS` (pipx runs the app so:
 * `--python-args='-m pip install X'` installs X). */
export function pipxAppCommands(args: string[]): string[][] {
  const line = parsePipx(args);
  if (typeof line === 'string') {
    return [];
  }
  let app: string[];
  if (line.command === 'run' && line.remainder?.length) {
    app = line.remainder;
  } else if (line.command === 'exec' && line.positionals.length > 1) {
    app = [line.positionals[1], ...(line.remainder ?? [])];
  } else {
    return [];
  }
  const commands = [app];
  for (const text of optionValues(line, 'python_args') as string[]) {
    try {
      commands.push(['python', ...shellWords(text), ...app]);
    } catch {
      // pipx refuses arguments it cannot split
    }
  }
  return commands;
}
