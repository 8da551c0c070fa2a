/**
 * Programs that run an argument as shell text or as a command of their own (red team 13
 * R13-5): `script -c TEXT`, `git -c alias.x='!TEXT'`, `tar --checkpoint-action=exec=TEXT`,
 * `flock F CMD`, `find -exec CMD ;`. The static side's port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/shell_runners.py`, on the shared table
 * schema/shell-runners.json: it only finds the texts and commands (and the options that run
 * code Warden does not read); `commands.ts` reads each text as a shell line and each command
 * as a start.
 */
import table from '../../schema/shell-runners.json';
import gitConfigKeys from '../../schema/git-config-keys.json';
import gitCli from '../../schema/git-cli.json';

interface Runner {
  names: string[];
  name_pattern?: string;
  shell_options?: string[];
  prefixed_values?: Record<string, string>;
  refused_options?: string[];
  refused_prefixes?: string[];
  valued_options?: string[];
  single_dash_long?: boolean;
  options_anywhere?: boolean;
  shell_operands_from?: number;
  command_operands_from?: number;
  command_options?: string[];
  subcommands?: Record<string, string>;
  refused_operand?: string;
  url_keys?: string;
  operands_from?: number;
  shell_variables?: string[];
  command_variables?: string[];
  refused_variables?: string[];
  setting_options?: string[];
  setting_variables?: Record<string, string>;
  shell_keys?: string;
  refused_keys?: string;
  data_keys?: string;
  setting_keys?: string;
  subcommand_tables?: string;
  option_variables?: string[];
  variable_text_prefix?: string;
  stdin_options?: string[];
  directory_options?: string[];
  environment_options?: string[];
  folder_command_options?: string[];
  flag_options?: string[];
  exact_options?: boolean;
  options_complete?: boolean;
  old_style_bundle?: boolean;
  operands_expanded?: boolean;
  stdin_commands?: number;
  input_word?: string;
  command_separator?: string;
  variable_assignments?: {
    assignment: string;
    variable_code: string;
    environment_code: string;
    shell_variable_names: string;
    builtin_names?: string[];
    refused_names?: string;
    environment_ignored?: string;
  };
  optional_values?: Record<string, string>;
  subcommand_flags?: Record<string, string[]>;
  subcommand_valued?: Record<string, string[]>;
  subcommand_refused?: Record<string, string[]>;
  alias_keys?: string;
  command_names?: string[];
  option_families?: string[];
  keys_normalised?: boolean;
  refused_text?: string;
  allowed_values?: Record<string, string>;
  folder_operands_from?: number;
  listing_options?: string[];
  program_options?: string[];
  program_variable?: string;
  program_variable_with?: string[];
  standard_programs?: string[];
}

export interface Reading {
  texts: string[]; // shell text the program runs (through sh -c)
  commands: string[][]; // commands it starts, as words
  refused: string; // why it runs code Warden cannot read ('' when it does not)
  // variables its option values add to what it starts (tmux new -e NAME=VALUE: R17-15)
  env?: Record<string, string>;
  // indexes of `commands` run in another folder than the start's (find -execdir: R17-5)
  moved?: number[];
  // indexes of `commands` started with their own text, not the program's input (script's and
  // flock's SHELL run `$SHELL -c TEXT`); the others read the input the program was given
  inputless?: number[];
}

const RUNNERS = Object.values(
  (table as { programs: Record<string, Runner> }).programs
).map(spec => ({
  spec,
  names: new Set(spec.names),
  pattern: spec.name_pattern ? new RegExp(spec.name_pattern) : null
}));

function runnerOf(program: string): Runner | null {
  const found = RUNNERS.find(
    r => r.names.has(program) || (r.pattern !== null && r.pattern.test(program))
  );
  return found ? found.spec : null;
}

/** Whether a program name has a table (the kernel's `runner(name) is not None`): a program
 * without one may run any of its words (red team 25 R25-1). */
export function tabled(program: string): boolean {
  return runnerOf(program) !== null;
}

// words a program of the table reads as its own commands (tmux's `new`, `run`, `send`)
const COMMAND_WORDS = new Set(
  RUNNERS.flatMap(({ spec }) => spec.command_names ?? [])
);

/**
 * Whether a name a shell would start is a program of the table (the kernel's
 * `fastpath.runs_shell_text`, the same names). tmux's command words are left out: the table
 * holds them so that tmux's own commands are read, but `new` or `run` in a sentence is no
 * program (the kernel, which asks PATH, finds none there).
 */
export function runsShellText(name: string): boolean {
  return runnerOf(name) !== null && !COMMAND_WORDS.has(name);
}

const LAUNCHERS = (
  table as { launchers: { names: string[]; name_pattern: string } }
).launchers;
const LAUNCHER_NAMES = new Set(LAUNCHERS.names);
const LAUNCHER_PATTERN = new RegExp(LAUNCHERS.name_pattern);

/**
 * Whether a program name runs a command given as its operands: the table's `launchers`
 * (chrt, setpriv, unshare, ld.so, watch...) and every table program that runs a command from
 * its operands (flock, strace, find -exec). With the wrappers commands.ts unwraps, the one
 * launcher set (red team 16 R16-5, R16-6). As the kernel's.
 */
export function launches(program: string): boolean {
  if (LAUNCHER_NAMES.has(program) || LAUNCHER_PATTERN.test(program)) {
    return true;
  }
  const spec = runnerOf(program);
  return (
    spec !== null &&
    (spec.command_operands_from !== undefined ||
      spec.command_options !== undefined ||
      spec.folder_operands_from !== undefined)
  );
}

/** The word a program replaces by what it reads (find -exec's `{}`), or null. */
export function inputWord(program: string): string | null {
  return runnerOf(program)?.input_word ?? null;
}

/**
 * What `program args` (started with `env`: the line's assignments, in `folder`: '' the
 * start's, null unknown) runs as shell text or commands; null when it is not in the table.
 * `started`: `program` is the program the start runs, not a word among the words of a
 * program Warden has no table for, which only may name one (red team 54c R54c-1: `jupyter
 * nbconvert --to script`): such a word is not refused for reading its input with no command
 * given, nor for an option its table cannot place (its reading stops there).
 */
export function readRunner(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  folder: string | null = '',
  started = true
): Reading | null {
  const found = RUNNERS.find(
    r => r.names.has(program) || (r.pattern !== null && r.pattern.test(program))
  );
  if (!found) {
    return null;
  }
  const spec = found.spec;
  // options the program takes from its environment (MAKEFLAGS, LESS, ZIPOPT: red team 14
  // R14-9) are read as the options they are, before the line's own
  const early: string[] = [];
  for (const name of spec.option_variables ?? []) {
    if (spec.variable_assignments) {
      early.push(...flagWords(env[name] ?? '')); // make: MAKEFLAGS split as make splits it
      continue;
    }
    const words = (env[name] ?? '').split(/\s+/).filter(w => w !== '');
    if (
      words.length > 0 &&
      !/^[-+]/.test(words[0]) &&
      !words[0].includes('=')
    ) {
      words[0] = `-${words[0]}`; // LESS=R: single-letter flags
    }
    early.push(...words);
  }
  const reading = parse(
    program,
    spec,
    [...early, ...args],
    env,
    folder,
    started
  );
  if (reading.refused) {
    return reading;
  }
  // make imports its environment as variables (R15-12)
  const byEnv = makeVariables(spec, [], env);
  if (byEnv.why) {
    return {
      texts: [],
      commands: [],
      refused: `${program} ${byEnv.why} runs commands Warden does not read: run the installer directly, or start the program without it`
    };
  }
  reading.texts.push(...byEnv.texts);
  const strip = new RegExp(spec.variable_text_prefix ?? '^\\s*!');
  for (const [name, value] of Object.entries(env)) {
    if (listed(name, spec.refused_variables)) {
      return {
        texts: [],
        commands: [],
        refused: `${program} started with ${name} runs settings or code Warden does not read: start it without that variable`
      };
    }
    if (listed(name, spec.shell_variables)) {
      // GIT_CONFIG_VALUE_0='!TEXT', LESSOPEN='|TEXT %s'
      reading.texts.push(value.replace(strip, ''));
    } else if (listed(name, spec.command_variables) && value) {
      reading.commands.push([value]);
      reading.inputless = [
        ...(reading.inputless ?? []),
        reading.commands.length - 1
      ];
    }
  }
  return reading;
}

/** Whether a variable is one a program of the table takes shell text, code or options from
 * (the kernel's `runner_variable`): the start's environment keeps it for `readRunner`. */
export function runnerVariable(name: string): boolean {
  return RUNNERS.some(
    ({ spec }) =>
      [
        spec.shell_variables,
        spec.command_variables,
        spec.refused_variables,
        spec.option_variables
      ].some(names => listed(name, names)) ||
      name === spec.program_variable ||
      Object.entries(spec.setting_variables ?? {}).some(pair =>
        pair.some(prefix => name.startsWith(prefix))
      ) ||
      makeImported(spec, name)
  );
}

function listed(name: string, names: readonly string[] = []): boolean {
  return names.some(
    n => name === n || (n.endsWith('*') && name.startsWith(n.slice(0, -1)))
  );
}

/**
 * A short-option word getopt reads as a bundle (red team 16 R16-9; the kernel's
 * split_bundle): a flag letter followed by more letters is that flag and the rest
 * (`env -vS TEXT` is `-v -S TEXT`), so the rest is read as the option it is; null otherwise.
 */
export function splitBundle(
  word: string,
  flags: readonly string[]
): string[] | null {
  if (
    word.startsWith('--') ||
    word.length < 3 ||
    flags.includes(word) ||
    !flags.includes(word.slice(0, 2))
  ) {
    return null;
  }
  return [word.slice(0, 2), `-${word.slice(2)}`];
}

/**
 * The option a long-option word names as getopt_long resolves it (red team 14 R14-37):
 * itself when `known`, else the one `known` option it is a prefix of (`--ev` is `--eval`;
 * options that all take a value and run nothing count as one: `--fil`); '' when it may name
 * a `dangerous` option but not one only (`--e` of make: never read as data); null when it
 * names no known option. `singleDash`: getopt_long_only (gdb's `-eval-com`), where a word of
 * one letter is the short option. The kernel's `shell_runners.long_option`.
 */
export function longOption(
  written: string,
  known: readonly string[],
  valued: readonly string[] = [],
  dangerous: readonly string[] = [],
  singleDash = false
): string | null {
  if (known.includes(written)) {
    return written;
  }
  const body = written.replace(/^-+/, '');
  if (singleDash && !written.startsWith('--') && body.length < 2) {
    return written;
  }
  const dashes = singleDash ? '-' : '--';
  const found = known
    .filter(
      k =>
        k.startsWith(dashes) &&
        k.length > 2 &&
        k.replace(/^-+/, '').startsWith(body)
    )
    .sort();
  const risky = found.some(k => dangerous.includes(k));
  if (
    new Set(found.map(k => k.replace(/^-+/, ''))).size === 1 ||
    (found.length > 0 && found.every(k => valued.includes(k)) && !risky)
  ) {
    return found[0];
  }
  return risky ? '' : null;
}

// a file operand or option value that is the program's own input
const STDIN_FILES = new Set([
  '-',
  '/dev/stdin',
  '/dev/fd/0',
  '/proc/self/fd/0'
]);

// a file of commands on another descriptor or made by the shell (make -f <(printf ..), R15-15;
// \x01: where the line's reading put a substitution's marker)
// eslint-disable-next-line no-control-regex
const DESCRIPTOR = /^(\/dev\/|\/proc\/|[<>]\()|\x01/;

/**
 * Whether a file of commands named `path` is one Warden cannot place and read: a process
 * substitution (`<(`/`>(`; the kernel's marker), anything under /dev/ or /proc/ (another
 * descriptor, a terminal, a pipe). One rule for every reader of a file of commands: make -f,
 * a shell's script operand (red team 15 R15-15).
 */
export function commandsOnDescriptor(
  path: string,
  folder: string | null = ''
): boolean {
  if (DESCRIPTOR.test(path) || /[$`][^/]*$/.test(path)) {
    return true; // ... or a last path part the shell computes (`$(echo /dev/stdin)`, `$X`)
  }
  // red team 17 R17-5: decided on where the path leads, not on its spelling (`///dev/stdin`,
  // `/dev/./stdin`, `make -C /dev -f stdin`, `cd /dev && bash stdin`). The static side sees
  // no files: a relative path with `..`, or one from a folder it cannot tell, is refused too
  // (a link in the folder is the kernel's to follow)
  if (
    !path.startsWith('/') &&
    (folder === null || path.split('/').includes('..'))
  ) {
    return true;
  }
  return /^\/(dev|proc)(\/|$)/.test(placedPath(folder ?? '', path));
}

/** `path` from `folder` ('' the start's own; relative stays relative), normalised: `.` and
 * empty parts dropped, `..` taken as the parent (only where the caller refused none). */
function placedPath(folder: string, path: string): string {
  const joined = path.startsWith('/') || !folder ? path : `${folder}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '..') {
      parts.pop();
    } else if (part && part !== '.') {
      parts.push(part);
    }
  }
  return (joined.startsWith('/') ? '/' : '') + parts.join('/');
}

/** The folder `make -C A -C B` reads its makefiles from (each -C from the one before), from
 * the start's `folder` (null: unknown). The kernel's `_folder_after`. */
function folderAfter(folder: string | null, moves: string[]): string | null {
  for (const move of moves) {
    if (/[$`]/.test(move)) {
      return null; // `-C $X`: a folder the shell computes
    }
    folder = move.startsWith('/')
      ? move
      : folder === null
        ? null
        : placedPath(folder, move) || '.';
  }
  return folder;
}

/**
 * make's variables that become shell text (red team 15 R15-12, R15-17; the kernel's
 * make_variables.read): an assignment (line, MAKEFLAGS, environment) whose value holds a make
 * or shell expansion is refused; a `!=` value and the value of a variable the built-in rules
 * run as a program or paste into their shell line (builtin_names, generated from `make -p`:
 * R16-2; MAKE, *FLAGS, names with `.`/`,`) is shell text; an assignment to a variable make runs
 * or reads by (refused_names: SHELL, .SHELLFLAGS, every `.NAME`) is refused by name whatever the
 * operator (R16-3); the environment is read by the same rules but for the names make does not
 * import (environment_ignored: SHELL) or no rule names (BASH_FUNC_f%%).
 */
function makeVariables(
  spec: Runner,
  assignments: readonly string[],
  env: Readonly<Record<string, string>>
): { why: string; texts: string[] } {
  const rules = spec.variable_assignments;
  if (!rules) {
    return { why: '', texts: [] };
  }
  const assignment = new RegExp(rules.assignment.replace(/\(\?P</g, '(?<'));
  const programNames = new RegExp(rules.shell_variable_names);
  const builtin = new Set(rules.builtin_names ?? []);
  const refusedNames = new RegExp(rules.refused_names ?? '(?!)');
  const ignored = new RegExp(rules.environment_ignored ?? '(?!)');
  const texts: string[] = [];
  const origins: [string, RegExp, string[]][] = [
    ['', new RegExp(rules.variable_code), [...assignments]],
    [
      'environment ',
      new RegExp(rules.environment_code),
      Object.entries(env).map(([k, v]) => `${k}=${v}`)
    ]
  ];
  for (const [origin, code, words] of origins) {
    for (const word of words) {
      const found = assignment.exec(word);
      if (!found) {
        continue;
      }
      const name = found.groups!.name;
      const value = word.slice(found[0].length);
      if (
        origin &&
        (ignored.test(name) || (spec.option_variables ?? []).includes(name))
      ) {
        continue; // make does not import SHELL; MAKEFLAGS is read as options
      }
      if (refusedNames.test(name)) {
        return {
          why: `${origin}variable '${name}' (make runs its recipes or reads makefiles by it)`,
          texts: []
        };
      }
      if (code.test(value)) {
        return {
          // the name only: an environment value may be a secret (no value in findings)
          why: `${origin}variable '${name}' (a make or shell expansion in the value, which make or its recipes run)`,
          texts: []
        };
      }
      if (
        found.groups!.op === '!=' ||
        builtin.has(name) ||
        programNames.test(name)
      ) {
        texts.push(value);
      }
    }
  }
  return { why: '', texts };
}

/** Whether make reads an environment variable of this name as shell text or refuses it
 * (R16-2, R16-3; the kernel's make_variables.imported). */
function makeImported(spec: Runner, name: string): boolean {
  const rules = spec.variable_assignments;
  return (
    !!rules &&
    !new RegExp(rules.environment_ignored ?? '(?!)').test(name) &&
    ((rules.builtin_names ?? []).includes(name) ||
      new RegExp(rules.shell_variable_names).test(name) ||
      new RegExp(rules.refused_names ?? '(?!)').test(name))
  );
}

/**
 * MAKEFLAGS' words as make splits them (main.c decode_env_switches; the kernel's
 * make_variables.flag_words): at blanks, a backslash making the next character its own; a
 * first word with no `-` and no `=` is single-letter flags. Every word is then read with the
 * getopt model: options after an assignment are still options (R16-13).
 */
function flagWords(value: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  for (let k = 0; k < value.length; k++) {
    const char = value[k];
    if (char === '\\' && k + 1 < value.length) {
      word += value[++k];
      started = true;
    } else if (char === ' ' || char === '\t') {
      if (started) {
        words.push(word);
      }
      word = '';
      started = false;
    } else {
      word += char;
      started = true;
    }
  }
  if (started) {
    words.push(word);
  }
  if (
    words.length > 0 &&
    !words[0].startsWith('-') &&
    !words[0].includes('=')
  ) {
    words[0] = `-${words[0]}`; // MAKEFLAGS=ks: make's single-letter flags
  }
  return words;
}

// a word git accepts as a setting's key (config.c: a section of letters, digits, `-` and `.`,
// an optional subsection, a variable starting with a letter): a `git config` operand of
// another shape is a value, never a key git reads
const KEY_SHAPE = /^\s*[A-Za-z0-9.-]+(\.[\s\S]*)?\.[A-Za-z][A-Za-z0-9-]*\s*$/;

// the generated key tables (schema/git-config-keys.json) a program's setting_keys names
const KEY_TABLES: Record<
  string,
  { keys: Record<string, string>; exact_data?: Record<string, string[]> }
> = {
  'git-config-keys.json': gitConfigKeys
};
const keyTableCache = new Map<string, [RegExp, string][]>();

/** A subcommand's own options (schema/git-cli.json, generated from git's --help-all). */
interface SubcommandTable {
  flags?: string[];
  valued?: string[];
  optional?: string[];
  shell?: string[];
  refused?: string[];
  setting?: string[];
  values?: Record<string, string>;
}

// the generated subcommand tables a program's subcommand_tables names
const CLI_TABLES: Record<
  string,
  { subcommands: Record<string, SubcommandTable>; commands?: string[] }
> = { 'git-cli.json': gitCli };

/** A key table as (pattern, kind) pairs: `<x>` is any middle part, `*` any rest. */
function keyTable(name: string): [RegExp, string][] {
  let found = keyTableCache.get(name);
  if (!found) {
    const part = (p: string): string =>
      p.startsWith('<')
        ? '[\\s\\S]+'
        : p === '*'
          ? '[\\s\\S]*'
          : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    found = Object.entries(KEY_TABLES[name].keys).map(([key, kind]) => [
      new RegExp(`^${key.split('.').map(part).join('\\.')}$`),
      kind
    ]);
    keyTableCache.set(name, found);
  }
  return found;
}

const SEVERITY = ['refused', 'shell', 'data'];

/**
 * The kind of `key` in the key table `name`: the most severe of every entry it matches
 * (refused, shell, data), an `inherit` entry (http.<url>.*) deciding as the key without its
 * middle part; 'unknown' when it matches none (red team 17, keys18). The kernel's table_kind.
 */
export function tableKind(name: string, written: string): string {
  const key = written.toLowerCase();
  const kinds = new Set<string>();
  for (const [pattern, entry] of keyTable(name)) {
    if (pattern.test(key)) {
      const parts = key.split('.');
      kinds.add(
        entry === 'inherit'
          ? tableKind(name, `${parts[0]}.${parts[parts.length - 1]}`)
          : entry
      );
    }
  }
  return SEVERITY.find(k => kinds.has(k)) ?? 'unknown';
}

/**
 * How a program of the table reads a KEY=VALUE setting: 'data', 'shell' (it runs the
 * value), 'refused' (code or settings Warden does not read) or 'unknown' (deny by default):
 * git's keys from the generated table `setting_keys` (its `exact_data`: a value that is data
 * for that key whatever the key's kind), apt's from its patterns; a key with
 * `allowed_values` (apt's Dpkg::Options) is data only for a value on its list. The kernel's
 * setting_kind.
 */
function settingKind(spec: Runner, key: string, value: string): string {
  const allowed = Object.entries(spec.allowed_values ?? {}).find(([k]) =>
    new RegExp(k, 'i').test(key)
  );
  if (allowed) {
    // dpkg options apt passes on: data only from a closed list
    return new RegExp(`^(?:${allowed[1]})$`, 'i').test(value.trim())
      ? 'data'
      : 'refused';
  }
  if (spec.setting_keys) {
    const exact = KEY_TABLES[spec.setting_keys].exact_data ?? {};
    if ((exact[key.toLowerCase()] ?? []).includes(value)) {
      return 'data'; // what `git lfs install` writes: git-lfs's own filter (R18-9)
    }
    return tableKind(spec.setting_keys, key);
  }
  const patterns: Record<string, string | undefined> = {
    refused: spec.refused_keys,
    shell: spec.shell_keys,
    data: spec.data_keys
  };
  return (
    SEVERITY.find(kind =>
      new RegExp(patterns[kind] ?? '(?!)', 'i').test(key)
    ) ?? 'unknown'
  );
}

/**
 * The program's options read the way getopt reads them (red team 14 R14-37): a long option
 * by any unique prefix (`--ev=` is `--eval`), `--opt=value` or `--opt value`, short options
 * bundled until one takes a value (the rest of the word or the next word), tar's old first
 * word (`cIf PROG x.tar`: values follow in order). As the kernel's `_Parse`.
 */
function parse(
  program: string,
  spec: Runner,
  args: string[],
  env: Readonly<Record<string, string>>,
  folder: string | null = '',
  isStart = true
): Reading {
  let shell = new Set(spec.shell_options ?? []);
  let settings = new Set(spec.setting_options ?? []);
  let stdinOptions = new Set(spec.stdin_options ?? []);
  // make -C DIR (applied before any -f, wherever it stands: R17-5), tmux new -e NAME=VALUE
  const directoryOptions = new Set(spec.directory_options ?? []);
  const environmentOptions = new Set(spec.environment_options ?? []);
  const directories: string[] = [];
  const commandFiles: string[] = [];
  const environment: Record<string, string> = {};
  let refusedSetting = ''; // "setting KEY" / "command WORD" it refuses
  let prefixed = new Map<string, RegExp>(
    Object.entries(spec.prefixed_values ?? {}).map(([k, v]) => [
      k,
      new RegExp(v, 'i')
    ])
  );
  let refusedOptions = new Set(spec.refused_options ?? []);
  const programOptions = new Set(spec.program_options ?? []);
  let valued = new Set([
    ...(spec.valued_options ?? []),
    ...programOptions,
    ...shell,
    ...prefixed.keys(),
    ...settings,
    ...stdinOptions,
    ...directoryOptions,
    ...environmentOptions
  ]);
  let dangerous = new Set([
    ...shell,
    ...refusedOptions,
    ...settings,
    ...stdinOptions,
    ...prefixed.keys()
  ]);
  // options whose value is OPTIONAL (getopt's `::`, red team 15 R15-1/R15-7): attached
  // only (`-j4`, `--jobs=4`), or the next word when it matches the program's own test (make
  // takes a next word of digits only); never a next word that is an option
  let optional = new Map<string, RegExp>(
    Object.entries(spec.optional_values ?? {}).map(([k, v]) => [
      k,
      new RegExp(`^(?:${v})$`)
    ])
  );
  // options a subcommand reads as flags though the program's list has them valued (git
  // rebase -m is --merge, git commit -m takes a message: red team 15 R15-5)
  let subFlags: Record<string, string[]> = spec.subcommand_flags ?? {};
  // a subcommand's own valued and refused options (git config -f FILE, --default V; git
  // config -e runs the editor: red team 15 R15-11)
  let subValued: Record<string, string[]> = spec.subcommand_valued ?? {};
  let subRefused: Record<string, string[]> = spec.subcommand_refused ?? {};
  const ownOf = (table: Record<string, string[]>): string[] =>
    Object.prototype.hasOwnProperty.call(table, sub) ? table[sub] : [];
  const refusedHere = (option: string): boolean =>
    refusedOptions.has(option) || ownOf(subRefused).includes(option);
  let sub = ''; // the subcommand word seen so far (options_anywhere tables)
  // alias word -> the words it stands for (git -c alias.cfg=config: R15-9)
  const aliasKeys = new RegExp(spec.alias_keys ?? '(?!)', 'i');
  const aliases = new Map<string, string[]>();
  let known = new Set([
    ...valued,
    ...refusedOptions,
    ...(spec.flag_options ?? []),
    ...optional.keys(),
    ...Object.values(subValued).flat(),
    ...Object.values(subRefused).flat()
  ]);
  let multi = [...known]
    .filter(o => o.length > 2 && o[1] !== '-')
    .sort((a, b) => b.length - a.length);
  let complete = !!spec.options_complete;
  // each subcommand's own options, generated (git's subcommand_tables: keys18)
  const tables: Record<string, SubcommandTable> = spec.subcommand_tables
    ? CLI_TABLES[spec.subcommand_tables].subcommands
    : {};
  // the program's own commands (git's builtins and exec-path commands, generated): any other
  // first operand names a program it looks up on PATH (git-NAME, red team 18 R18-1)
  const ownCommands = spec.subcommand_tables
    ? new Set(CLI_TABLES[spec.subcommand_tables].commands ?? [])
    : null;
  let values = new Map<string, RegExp>(); // option -> its closed list (a merge strategy)
  // options after a subcommand of the generated table (schema/git-cli.json) are that
  // subcommand's own, from its --help-all (keys18): one it does not list is refused (deny by
  // default: `git clone -u` is a program, `git push -u` a flag), and its lists say which run
  // a command, are refused, are a setting or take a closed list of values. The kernel's _enter.
  const enter = (table: SubcommandTable) => {
    shell = new Set(table.shell ?? []);
    refusedOptions = new Set(table.refused ?? []);
    settings = new Set(table.setting ?? []);
    prefixed = new Map();
    stdinOptions = new Set();
    valued = new Set([...(table.valued ?? []), ...shell, ...settings]);
    optional = new Map((table.optional ?? []).map(k => [k, /(?!)/])); // `=V` only
    values = new Map(
      Object.entries(table.values ?? {}).map(([k, v]) => [
        k,
        new RegExp(`^(?:${v})$`)
      ])
    );
    known = new Set([
      ...valued,
      ...refusedOptions,
      ...(table.flags ?? []),
      ...optional.keys()
    ]);
    multi = [];
    dangerous = new Set([
      ...shell,
      ...refusedOptions,
      ...settings,
      ...values.keys()
    ]);
    subFlags = {};
    subValued = {};
    subRefused = {};
    complete = true;
  };
  const ends = new Set(spec.command_options ?? []);
  const texts: string[] = [];
  const commands: string[][] = [];
  const moved: number[] = [];
  let shellGiven = false; // a command given by an option (script -c): stdin is data
  const given = new Set<string>(); // the options seen (run-parts --list runs nothing)
  let programGiven = ''; // the program an option names (su -s SHELL)
  let readsStdin = '';
  const refuse = (what: string): Reading => ({
    texts: [],
    commands: [],
    refused: `${program} ${what} runs commands Warden does not read: run the installer directly, or start the program without it`
  });
  // deny by default: an option the table does not list (of a table that lists them all), or
  // an abbreviation getopt may resolve to an option that runs commands
  // deny by default: an option the table does not list (of a table that lists them all), or
  // an abbreviation getopt may resolve to an option that runs commands. A word that only may
  // name a start (`--to script --stdout`): what was read so far is read, the rest is the outer
  // program's words, which its own readings cover (an installer named, shell text handed)
  const unknown = (option: string): Reading =>
    isStart
      ? {
          texts: [],
          commands: [],
          refused: `${program} ${option.slice(0, 30)} is no option Warden can place (unknown, or short for more than one), and ${program} runs commands: spell the option out, or run the installer directly`
        }
      : { texts, commands, refused: '' };
  // the table's option `option` names (`longOption`); '' for one Warden cannot place: also
  // an unknown option of a table that lists all of them
  const resolve = (option: string): string => {
    if (spec.exact_options) {
      return option;
    }
    if ((spec.option_families ?? []).some(f => option.startsWith(f))) {
      return option; // dpkg's --force-confold: a family whose rest is its value
    }
    const found = longOption(
      option,
      [...known],
      [...valued],
      [...dangerous],
      spec.single_dash_long
    );
    if (found === null) {
      // an option the table does not name: deny by default when it lists them all
      return complete ? '' : option;
    }
    return found;
  };
  // a KEY=VALUE setting (git's -c, `config KEY VALUE`, apt's -o): shell text for a key the
  // program runs as a command (an alias, core.sshCommand), refused for one that brings code
  // or settings from elsewhere (include.path, core.hooksPath) and for every key not known as
  // data (deny by default)
  const setting = (written: string, text: string) => {
    // apt's ProxyAutoDetect / Proxy-Auto-Detect: matched with `-` and `_` removed
    const key = spec.keys_normalised
      ? written.trim().replace(/[-_]/g, '')
      : written.trim();
    const alias = aliasKeys.exec(key);
    const words = text.split(/\s+/).filter(w => w !== '');
    if (alias && !text.trimStart().startsWith('!') && words.length > 0) {
      // an alias of a subcommand (git -c alias.cfg=config cfg ...): the alias word is read
      // as the words it stands for (red team 15 R15-9)
      aliases.set(alias[1].toLowerCase(), words);
      if (/["'\\]/.test(text) && !refusedSetting) {
        // git splits an alias's words at quotes and backslashes as well (split_cmdline): a
        // quoted option (`clone "--upload-pack=CMD ARGS"`) would be read as other words
        refusedSetting = `setting ${key.slice(0, 60)} (an alias with quotes)`;
      }
    }
    if (
      new RegExp(spec.url_keys ?? '(?!)', 'i').test(key) &&
      new RegExp(spec.refused_operand ?? '(?!)').test(text) &&
      !refusedSetting
    ) {
      // a remote's URL `NAME::ADDR` / `NAME://` runs git-remote-NAME (red team 18 R18-2)
      refusedSetting = `setting ${key.slice(0, 60)} '${text.slice(0, 30)}'`;
    }
    const kind = settingKind(spec, key, text);
    if (kind === 'shell') {
      texts.push(text.replace(/^\s*!/, ''));
    } else if (kind !== 'data' && !refusedSetting) {
      // deny by default: any key Warden's lists do not know may name a program
      const unknown =
        kind === 'unknown' ? ' (a key Warden does not know as data)' : '';
      refusedSetting = `setting ${key.slice(0, 60)}${unknown}`;
    }
  };
  const value = (option: string, text: string) => {
    const closed = values.get(option);
    if (closed && !closed.test(text.trim()) && !refusedSetting) {
      // git merge -s NAME runs git-merge-NAME: a strategy git does not build in is a program
      // from its exec path or PATH
      refusedSetting = `${option} '${text.slice(0, 20)}' (a value not on its closed list names a program)`;
    }
    if (programOptions.has(option)) {
      programGiven = text;
      return;
    }
    if (settings.has(option)) {
      const eq = text.indexOf('=');
      setting(
        eq < 0 ? text : text.slice(0, eq),
        eq < 0 ? '' : text.slice(eq + 1)
      );
      return;
    }
    if (shell.has(option)) {
      texts.push(text);
      shellGiven = true;
      return;
    }
    if (stdinOptions.has(option)) {
      if (STDIN_FILES.has(text) || commandsOnDescriptor(text)) {
        readsStdin = `${option} ${text}`; // make -f -: a makefile from its input
      } else {
        commandFiles.push(`${option} ${text}`); // placed once -C is known
      }
      return;
    }
    if (directoryOptions.has(option)) {
      directories.push(text);
      return;
    }
    if (environmentOptions.has(option) && text.includes('=')) {
      const eq = text.indexOf('=');
      environment[text.slice(0, eq)] = text.slice(eq + 1);
      return;
    }
    const pattern = prefixed.get(option);
    const hit = pattern?.exec(text);
    if (hit && hit.index === 0 && text.slice(hit[0].length)) {
      // `exec=TEXT`, `alias.x=!TEXT`, `ProxyCommand=TEXT`; a value that does not match is data
      texts.push(text.slice(hit[0].length));
    }
  };
  // how `option` takes its value: 'next' (the next word when none is attached), 'optional'
  // (attached, or a next word matching the program's test), '' (a flag)
  const takes = (option: string): string => {
    if (
      Object.prototype.hasOwnProperty.call(subFlags, sub) &&
      subFlags[sub].includes(option)
    ) {
      return '';
    }
    if (ownOf(subValued).includes(option)) {
      return 'next';
    }
    if (optional.has(option)) {
      return 'optional';
    }
    return valued.has(option) ? 'next' : '';
  };
  // the value `option` takes from words[i] (the word after it) and the index after it; null
  // when that word names an option that runs commands: getopt may read it as that option (a
  // valued option Warden's table has wrong, R15-5), so it is never data
  const next = (
    option: string,
    words: string[],
    i: number
  ): [string, number] | null => {
    const word = words[i] ?? '';
    if (takes(option) === 'optional') {
      return optional.get(option)?.test(word) ? [word, i + 1] : ['', i];
    }
    if (word.startsWith('-') && word.length > 1 && word !== '--') {
      const named = word.startsWith('--')
        ? resolve(word.split('=')[0])
        : (multi.find(o => word.startsWith(o)) ?? word.slice(0, 2));
      if (!named || dangerous.has(named)) {
        return null;
      }
    }
    return [word, i + 1];
  };
  const afterOption = (option: string, word: string): Reading =>
    refuse(
      `${option} followed by '${word.slice(0, 20)}' (getopt may read that word as the option it names)`
    );
  // one single-dash word: letters are options until one takes a value (the rest of the word,
  // or the next word; `old`: tar's first word, each valued letter takes the next word in
  // order); a table's multi-letter short option (zip's -TT) is one option
  const bundle = (
    words: string[],
    i: number,
    old: boolean
  ): [number, Reading | null] => {
    const word = words[i];
    let after = i + 1;
    let k = 1;
    while (k < word.length) {
      const option =
        multi.find(o => word.startsWith(o.slice(1), k)) ?? `-${word[k]}`;
      k += option.length - 1;
      given.add(option);
      if (!known.has(option) && complete) {
        return [after, unknown(option)];
      }
      if (refusedHere(option)) {
        return [after, refuse(option)];
      }
      if (takes(option)) {
        let text: string;
        if (old || !word.slice(k)) {
          const taken = next(option, words, after);
          if (taken === null) {
            return [after, afterOption(option, words[after])];
          }
          [text, after] = taken;
        } else {
          text = word.slice(k);
          k = word.length;
        }
        value(option, text);
        if (!old) {
          break;
        }
      }
    }
    return [after, null];
  };
  // `words` with a first word that is an alias (of a setting alias_keys matches) replaced by
  // the words it stands for, as git expands it (an alias of an alias too, a few levels: git
  // refuses a loop)
  const aliased = (words: string[]): string[] => {
    for (let n = 0; n < 8 && words.length > 0; n++) {
      const found = aliases.get(words[0].toLowerCase());
      if (!found || found[0].toLowerCase() === words[0].toLowerCase()) {
        break;
      }
      words = [...found, ...words.slice(1)];
    }
    return words;
  };
  // settings from the environment first: an alias there names the subcommand (R15-9)
  for (const [valuePrefix, keyPrefix] of Object.entries(
    spec.setting_variables ?? {}
  )) {
    // GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!TEXT'
    for (const [name, v] of Object.entries(env)) {
      if (name.startsWith(valuePrefix)) {
        setting(env[keyPrefix + name.slice(valuePrefix.length)] ?? '', v);
      }
    }
  }
  if (spec.refused_text) {
    // tmux's `#(CMD)` in a format: a shell command tmux runs
    const text = new RegExp(spec.refused_text);
    for (const word of args) {
      const found = text.exec(word);
      if (found) {
        return refuse(
          `format '${found[0]}' (its argument runs a shell command)`
        );
      }
    }
  }
  const operands: string[] = [];
  let i = 0;
  let expanded = false; // the first operand's alias read (git -c alias.c=clone c)
  if (args.length > 0 && spec.old_style_bundle && !args[0].startsWith('-')) {
    const [after, refused] = bundle([`-${args[0]}`, ...args.slice(1)], 0, true);
    if (refused) {
      return refused;
    }
    i = after;
  }
  while (i < args.length) {
    const word = args[i];
    if (word === '--' && ends.size === 0) {
      operands.push(...args.slice(i + 1));
      break;
    }
    const prefix = (spec.refused_prefixes ?? []).find(p => word.startsWith(p));
    if (prefix !== undefined && !/^\+\d*$/.test(word)) {
      return refuse(`'${word.slice(0, 20)}'`);
    }
    if (ends.has(word)) {
      // find -exec CMD ARGS ; (or +)
      let end = i + 1;
      while (end < args.length && args[end] !== ';' && args[end] !== '+') {
        end++;
      }
      commands.push(args.slice(i + 1, end));
      if (spec.folder_command_options?.includes(word)) {
        moved.push(commands.length - 1); // each found file's folder
      }
      i = end + 1;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      if (
        operands.length === 0 &&
        ownCommands &&
        ownCommands.size > 0 &&
        !ownCommands.has(word)
      ) {
        // git tries git-WORD from its exec path and PATH BEFORE an alias of that name, and
        // again for an alias's first word: the word as written and as expanded
        return refuse(
          `'${word.slice(0, 30)}' (not a command of its own: it runs the program ${spec.names[0] ?? program}-${word.slice(0, 30)} found on PATH; run that directly)`
        );
      }
      if (operands.length === 0 && !expanded) {
        // git reads an alias's words in place of the alias, its options too
        // (`-c alias.c='clone --upload-pack=CMD' c URL`: keys18); once (a loop of aliases
        // is git's error)
        args = [...args.slice(0, i), ...aliased([word]), ...args.slice(i + 1)];
        expanded = true;
        if (args[i] !== word) {
          continue; // the alias's first word read afresh (`-p log`: an option)
        }
      }
      if (operands.length === 0) {
        sub = word;
        if (Object.prototype.hasOwnProperty.call(tables, sub)) {
          enter(tables[sub]);
        }
      }
      if (!spec.options_anywhere) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(word);
      i++;
      continue;
    }
    if (word.startsWith('--') || spec.single_dash_long) {
      const eq = word.indexOf('=');
      const written = eq < 0 ? word : word.slice(0, eq);
      const option = resolve(written);
      if (!option) {
        return unknown(written);
      }
      given.add(option);
      if (refusedHere(option)) {
        return refuse(option);
      }
      let text = eq < 0 ? '' : word.slice(eq + 1);
      if (takes(option) && eq < 0) {
        const taken = next(option, args, i + 1);
        if (taken === null) {
          return afterOption(written, args[i + 1]);
        }
        text = taken[0];
        i = taken[1] - 1;
      }
      value(option, text);
      i++;
      continue;
    }
    const [after, refused] = bundle(args, i, false);
    if (refused) {
      return refused;
    }
    i = after;
  }
  const byVariables = makeVariables(spec, operands, {}); // make VAR=VALUE (R15-12, R15-17)
  if (byVariables.why) {
    return refuse(byVariables.why);
  }
  texts.push(...byVariables.texts);
  if (spec.refused_operand) {
    const refused = new RegExp(spec.refused_operand);
    for (const word of operands.slice(spec.operands_from ?? 0)) {
      // sqlite3 "$(cat x.sql)": the text is the shell's to build, not Warden's to read
      if (refused.test(word) || (spec.operands_expanded && /[$`]/.test(word))) {
        return refuse(`'${word.slice(0, 40)}'`);
      }
    }
  }
  const shellFrom = spec.shell_operands_from;
  if (shellFrom !== undefined && operands.length > shellFrom) {
    texts.push(operands.slice(shellFrom).join(' '));
  }
  const commandFrom = spec.command_operands_from;
  if (commandFrom !== undefined && operands.length > commandFrom) {
    commands.push(operands.slice(commandFrom));
  }
  const filesFolder = folderAfter(folder, directories);
  for (const written of commandFiles) {
    const file = written.slice(written.indexOf(' ') + 1);
    if (commandsOnDescriptor(file, filesFolder)) {
      readsStdin = readsStdin || written;
    }
  }
  const limit = spec.stdin_commands;
  // a word among an unknown program's words: whether that program hands it its input is as
  // unknown as whether it reads its input as commands itself, which Warden does not refuse
  // either (`dpkg -s bash`, `which node`: read with no input of their own)
  if (
    limit !== undefined &&
    isStart &&
    !shellGiven &&
    operands.length <= limit
  ) {
    readsStdin = readsStdin || 'with no command given';
  }
  if (readsStdin) {
    // sqlite3's `.shell`, ed's `!cmd`, script's shell, `make -f -`: commands from a pipe, a
    // redirection, a heredoc or a %%script body (red team 14 R14-10, R14-27)
    return {
      texts: [],
      commands: [],
      refused: `${program} (${readsStdin}) reads commands from its input (a pipe, a redirection, a heredoc or a %%script body), which Warden does not read: give them as arguments`
    };
  }
  const subcommands = spec.subcommands ?? {};
  const separator = spec.command_separator;
  const segments: string[][] = [[]];
  for (const word of operands) {
    // tmux new -d ';' run-shell TEXT: commands of their own
    if (separator && (word === separator || word.endsWith(`\\${separator}`))) {
      segments.push([]);
    } else {
      segments[segments.length - 1].push(word);
    }
  }
  // a tmux command word as tmux resolves it (red team 15 R15-8): an exact name or alias, else
  // the one full name it is a prefix of (`new-s` is new-session); an ambiguous or unknown word
  // is an error to tmux, and stays as written
  const commandName = (word: string): string => {
    const names = spec.command_names;
    if (!names || names.includes(word)) {
      return word;
    }
    const found = names.filter(n => n.includes('-') && n.startsWith(word));
    return found.length === 1 ? found[0] : word;
  };
  for (const written of segments) {
    const segment = aliased(written);
    for (let k = 0; k < segment.length; k++) {
      const name = k === 0 ? commandName(segment[k]) : segment[k];
      const kind = Object.prototype.hasOwnProperty.call(subcommands, name)
        ? subcommands[name]
        : undefined;
      if (kind === undefined) {
        continue;
      }
      const rest = segment.slice(k + 1);
      if (kind === 'shell' && rest.length > 0) {
        texts.push(rest.join(' '));
      } else if (kind === 'refused') {
        // tmux source-file: commands from a file
        refusedSetting = refusedSetting || `command ${name}`;
      } else if (kind === 'setting') {
        // `git config [set] KEY VALUE`: an alias (`!TEXT`) or a command setting; every two
        // operands in a row are read as KEY VALUE (git config's own options are taken with
        // their values, subcommand_valued: R15-11), so no spelling of the command line puts
        // a key where Warden reads a value
        for (let j = 0; j + 1 < rest.length; j++) {
          if (KEY_SHAPE.test(rest[j])) {
            // git refuses any other word as a key
            setting(rest[j], rest[j + 1]);
          }
        }
      }
      break;
    }
  }
  if (refusedSetting) {
    return refuse(refusedSetting);
  }
  // the program it runs in place of its default: su's `-s SHELL`, or SHELL with -m (red team
  // 17 R17-10); only a standard shell is read as the shell it is
  const byVariable = (spec.program_variable_with ?? []).some(o => given.has(o));
  const started =
    programGiven ||
    (byVariable ? (env[spec.program_variable ?? ''] ?? '') : '');
  if (started && !(spec.standard_programs ?? []).includes(started)) {
    return {
      texts: [],
      commands: [],
      refused: `${program} would run '${started.slice(0, 60)}' as its shell (-s/--shell, or SHELL with -m/-p), which is no standard shell Warden reads: give -s /bin/sh or /bin/bash, or drop it`
    };
  }
  // run-parts DIR runs every program in DIR (red team 17 R17-9): the kernel lists it and
  // reads each; a notebook's text does not say what DIR holds
  const folderFrom = spec.folder_operands_from;
  const listing = (spec.listing_options ?? []).some(o => given.has(o));
  if (folderFrom !== undefined && !listing && operands.length > folderFrom) {
    return {
      texts: [],
      commands: [],
      refused: `${program} runs every program in ${operands[folderFrom].slice(0, 60)}, which Warden cannot list from the notebook: run the programs directly`
    };
  }
  return { texts, commands, refused: '', env: environment, moved };
}
