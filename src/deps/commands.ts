/**
 * Which installs a command asks for (a port of the kernel's `installs/commands.py` and
 * `gate.read_requests`): a shell string (a notebook's `!cmd`, `%pip ...`, `sh -c` strings),
 * split by the analyzer's own shell reader (`parsePipelines`), or an argv list. Installers are
 * found through `VAR=value` assignments, `env`/`sudo`/`nohup`/... wrappers, `sh -c`,
 * `python -m pip`, full paths and versioned names (`pip3.11`).
 *
 * A command whose meaning depends on an expansion Warden cannot see (`$VAR`, `$(...)`,
 * backticks, `{a,b}` braces) when it could run an installer is unreadable: refused (fail
 * closed). Commands with no installer in them give nothing.
 */
import { parsePipelines } from '../analyzer/shell';
import {
  addImplicitSources,
  condaRequest,
  pipRequest,
  uvRequest,
  uvRunCommand,
  uvInterpreterRequest,
  uvRunEnvFiles,
  type CommandContext
} from './installers';
import { readEnvFiles } from './dotenv';
import { FRONT_ENDS, frontEndRequest, pixiExec } from './frontends';
import { addLocalProjects } from './localprojects';
import { pipxAppCommands } from './pipxcli';
import { readEnvironmentInto } from './projectfiles';
import { newRequest, type InstallRequest } from './request';
import { shellWords } from './words';

const PYTHON = /^python(\d+(\.\d+)?)?[dmu]?$/;
const PIP = /^pip(\d+(\.\d+)?)?$/;
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);
const WRAPPERS = new Set([
  'env',
  'sudo',
  'nohup',
  'time',
  'exec',
  'command',
  'nice',
  'doas',
  'stdbuf',
  'timeout'
]);
const SHELL_STRING_RUNNERS = new Set(['su', 'runuser']);
const CONDAS = new Set(['conda', 'mamba', 'micromamba']);
const INSTALLER_WORDS =
  /(^|[^A-Za-z0-9_])(pip\d*(\.\d+)?|uvx?|conda|mamba|micromamba|pipx|poetry|pdm|pipenv|hatch|pixi|rye)([^A-Za-z0-9_]|$)/;
const EXPANSION = /\$|`|\{[^}]*,[^}]*\}/;
const REDIRECT = /^\d*(?:<<<|<<|>>|<&|>&|>\||&>>|&>|<|>)(.*)$/s;
const SHELL_KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'while',
  'until',
  'do',
  '!',
  '{',
  '}'
]);
const MAX_NESTING = 5;

/** The command could run an installer whose arguments Warden cannot see. */
export class Unreadable extends Error {}

interface Invocation {
  tool: 'pip' | 'uv' | 'conda' | 'mamba' | 'micromamba' | 'front-end';
  /** the front end's name (pipx, poetry, pdm, pipenv, hatch) when `tool` is 'front-end' */
  frontEnd?: string;
  args: string[];
  env: Record<string, string>;
}

/** An install a command asks for, with the span of the command in the text read. */
export interface FoundInstall {
  request: InstallRequest;
  from: number;
  to: number;
}

/**
 * The installs in a shell string (`offset`: where `text` starts in its cell or file), or one
 * unreadable request when the command cannot be read. `env`: what the installer inherits.
 */
export function shellInstalls(
  text: string,
  offset: number,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): FoundInstall[] {
  try {
    return shellInvocations(text, offset, 0).flatMap(([inv, from, to]) => {
      return requestsOf(inv, env, context).map(request => ({
        request,
        from,
        to
      }));
    });
  } catch (e) {
    const request = newRequest('shell', 'shell command');
    request.problems.push({ text: unreadable(e), place: context.place });
    return [{ request, from: offset, to: offset + text.length }];
  }
}

/** The installs an argv list (a process start) asks for. */
export function argvInstalls(
  argv: string[],
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest[] {
  try {
    return simple(argv, {}, 0).flatMap(inv => requestsOf(inv, env, context));
  } catch (e) {
    const request = newRequest('unknown', 'command line');
    request.problems.push({ text: unreadable(e), place: context.place });
    return [request];
  }
}

/** Why a command could not be read: an `Unreadable`'s reason, or (a reader bug, which must
 * not wave an install through or crash the scan) the error's class name only. */
function unreadable(e: unknown): string {
  if (e instanceof Unreadable) {
    return e.message;
  }
  return `Warden failed to read the command (${e instanceof Error ? e.name : typeof e})`;
}

/** The install `inv` asks for and, for `uv run --env-file F CMD` (or `UV_ENV_FILE`), CMD's
 * installs decided with F's variables, those the environment does not set (uv does not
 * override them): red7 R7-4. A file Warden cannot read refuses them. */
function requestsOf(
  inv: Invocation,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest[] {
  const own = requestOf(inv, env, context);
  const found = own ? [own] : [];
  const merged = { ...env, ...inv.env };
  const run = inv.tool === 'uv' ? uvRunEnvFiles(inv.args, merged) : null;
  const inner = run ? simple(run[1], {}, 0) : [];
  if (!run || !inner.length) {
    return found;
  }
  let loaded: Record<string, string>;
  try {
    loaded = readEnvFiles(run[0], context.cwd, context.readFile);
  } catch (e) {
    const request = newRequest('uv', 'uv run --env-file');
    const code = (e as { code?: string }).code;
    request.problems.push({
      text: `uv run loads ${run[0].join(' ')} into the environment of the command it runs, and Warden cannot read it (${code ?? (e as Error).message})`,
      place: context.place
    });
    return [...found, request];
  }
  const withFile = { ...loaded, ...merged };
  for (const i of inner) {
    const request = requestOf(i, withFile, { ...context, env: withFile });
    if (request) {
      found.push(request);
    }
  }
  return found;
}

function requestOf(
  inv: Invocation,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest | null {
  const merged = { ...env, ...inv.env };
  const request =
    inv.tool === 'pip'
      ? pipRequest(inv.args, context)
      : inv.tool === 'uv'
        ? uvRequest(inv.args, { ...context, env: merged })
        : inv.tool === 'front-end'
          ? frontEndRequest(inv.frontEnd!, inv.args, context, merged)
          : condaRequest(inv.tool, inv.args, context, (r, file) =>
              readEnvironmentInto(r, file, context)
            );
  if (inv.tool === 'uv' && request === null) {
    const interpreter = uvInterpreterRequest(inv.args, context);
    if (interpreter !== null) {
      // only what it could not read counts: nothing is installed
      uvDirectoryEnv(interpreter, merged, context);
      interpreter.sources = [];
      interpreter.requirements = [];
      return interpreter.problems.length ? interpreter : null;
    }
  }
  if (request !== null) {
    addLocalProjects(request, { ...context, env: merged });
  }
  if (inv.tool === 'uv') {
    return uvDirectoryEnv(request, merged, context);
  }
  if (request !== null) {
    addImplicitSources(request, merged, context);
  }
  return request;
}

/** `UV_PROJECT` / `UV_WORKING_DIR` make uv read its project and config from another folder,
 * which Warden does not follow: refused (the options are refused in installers.ts). */
function uvDirectoryEnv(
  request: InstallRequest | null,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): InstallRequest | null {
  const moved = ['UV_PROJECT', 'UV_WORKING_DIR'].filter(v => env[v]);
  if (moved.length) {
    request = request ?? newRequest('uv', 'uv');
    request.problems.push({
      text: `uv ${moved.map(v => `environment variable ${v}`).join(', ')} makes uv read its project and config from another folder, which Warden does not follow: run the install from that folder`,
      place: context.place
    });
  }
  if (request !== null) {
    addImplicitSources(request, env, context);
  }
  return request;
}

function shellInvocations(
  script: string,
  offset: number,
  depth: number,
  span?: [number, number]
): Array<[Invocation, number, number]> {
  if (depth > MAX_NESTING) {
    throw new Unreadable('shell commands nested too deeply');
  }
  const found: Array<[Invocation, number, number]> = [];
  for (const pipeline of parsePipelines(script, offset)) {
    for (const tokens of pipeline) {
      let words: string[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const redirect = REDIRECT.exec(tokens[i].value);
        if (redirect) {
          i += redirect[1] ? 0 : 1; // the target is a file name, not an argument
          continue;
        }
        words.push(tokens[i].value.replace(/^\(+|\)+$/g, ''));
      }
      words = words.filter(w => w !== '');
      const expanded = words.filter(w => EXPANSION.test(w));
      const mentions = INSTALLER_WORDS.test(words.join(' '));
      if (expanded.length > 0 && (mentions || EXPANSION.test(words[0]))) {
        throw new Unreadable(
          `it uses a shell expansion (${construct(expanded[0])}) Warden cannot resolve before the shell runs it`
        );
      }
      while (words.length > 0 && SHELL_KEYWORDS.has(words[0])) {
        words = words.slice(1);
      }
      const [from, to] = span ?? [tokens[0].from, tokens[tokens.length - 1].to];
      for (const inv of simple(words, {}, depth, [from, to])) {
        found.push([inv, from, to]);
      }
    }
  }
  return found;
}

/** Names the shell construct without quoting it: a word may hold a secret. */
function construct(token: string): string {
  if (token.includes('$(') || token.includes('`')) {
    return 'a command substitution';
  }
  return token.includes('$') ? 'a $ parameter' : 'a brace list';
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function simple(
  argvIn: string[],
  envIn: Record<string, string>,
  depth: number,
  span?: [number, number]
): Invocation[] {
  const env = { ...envIn };
  let i = 0;
  while (i < argvIn.length && /^[A-Za-z_][A-Za-z0-9_]*=/s.test(argvIn[i])) {
    const eq = argvIn[i].indexOf('=');
    env[argvIn[i].slice(0, eq)] = argvIn[i].slice(eq + 1);
    i++;
  }
  const argv = argvIn.slice(i);
  if (argv.length === 0) {
    return [];
  }
  let name = basename(argv[0]);
  if (argv[0].includes('{')) {
    // IPython interpolates `{expr}` in `!` commands: `!{sys.executable} -m pip ...` runs
    // Python; any other program word built so is unknown until the cell runs.
    const [module] = pythonModule(argv.slice(1));
    if (!module || !PYTHON_MODULES.has(module)) {
      throw new Unreadable(
        'its program is an IPython {expression} Warden cannot resolve before the cell runs'
      );
    }
    name = 'python';
  }
  const nested = (script: string) =>
    shellInvocations(script, span?.[0] ?? 0, depth + 1, span ?? [0, 0]).map(
      ([inv]) => inv
    );
  if (name === 'busybox' && argv.length > 1) {
    return simple(argv.slice(1), env, depth, span);
  }
  if (SHELL_STRING_RUNNERS.has(name)) {
    const script = optionValue(argv.slice(1), ['-c', '--command']);
    return script !== null ? nested(script) : [];
  }
  if (WRAPPERS.has(name)) {
    return simple(unwrap(name, argv.slice(1), env), env, depth, span);
  }
  if (SHELLS.has(name)) {
    const script = shellScript(argv);
    return script !== null ? nested(script) : [];
  }
  if (name === 'eval') {
    return nested(argv.slice(1).join(' '));
  }
  if (name === 'xargs') {
    if (INSTALLER_WORDS.test(argv.slice(1).join(' '))) {
      throw new Unreadable(
        "xargs builds the installer's arguments from its input"
      );
    }
    return [];
  }
  if (PIP.test(name)) {
    return [{ tool: 'pip', args: argv.slice(1), env }];
  }
  if (name === 'uv' || name === 'uvx') {
    const args = name === 'uv' ? argv.slice(1) : ['x', ...argv.slice(1)];
    const inner = name === 'uv' ? uvRunCommand(args) : null;
    // uv run CMD: uv installs the project or script, then CMD runs in its environment
    return [
      { tool: 'uv', args, env },
      ...(inner?.length ? simple(inner, env, depth, span) : [])
    ];
  }
  if (CONDAS.has(name)) {
    const inner = runCommand('conda', argv.slice(1), name);
    if (inner !== null) {
      return simple(inner, env, depth, span); // conda run [opts] CMD
    }
    return [{ tool: name as Invocation['tool'], args: argv.slice(1), env }];
  }
  if (name === 'pipx.pyz') {
    name = 'pipx'; // pipx's own zipapp (red6 F12)
  }
  if (FRONT_ENDS.has(name)) {
    // pipx run APP ARGS / pipx exec VENV APP ARGS: the app may itself install; pixi exec
    // CMD: CMD runs in the environment pixi made
    const execs = name === 'pixi' ? pixiExec(argv.slice(1)) : null;
    const run =
      name === 'pipx' || execs || name.startsWith('pip-')
        ? null
        : runCommand(name, argv.slice(1), name);
    const inner =
      name === 'pipx'
        ? pipxAppCommands(argv.slice(1))
        : execs?.[1].length
          ? [execs[1]]
          : run
            ? [run]
            : [];
    return [
      { tool: 'front-end', frontEnd: name, args: argv.slice(1), env },
      ...inner.flatMap(command => simple(command, env, depth, span))
    ];
  }
  if (PYTHON.test(name)) {
    const pipx = pipxThroughPython(argv.slice(1));
    if (pipx !== null) {
      return simple(['pipx', ...pipx], env, depth, span);
    }
    const [module, rest] = pythonModule(argv.slice(1));
    if (module === 'pip' || module === 'pip.__main__') {
      return [{ tool: 'pip', args: rest, env }];
    }
    if (module === 'uv') {
      return [{ tool: 'uv', args: rest, env }];
    }
    if (
      module === 'conda' ||
      module === 'mamba' ||
      FRONT_ENDS.has(module ?? '')
    ) {
      return simple([module!, ...rest], env, depth, span);
    }
    if (module === 'piptools' || module === 'piptools.__main__') {
      // python -m piptools compile|sync: pip-compile|pip-sync; the group's help installs
      // nothing; any other word is a pip-tools command Warden does not know
      if (rest[0] === 'compile' || rest[0] === 'sync') {
        return simple([`pip-${rest[0]}`, ...rest.slice(1)], env, depth, span);
      }
      if (rest.every(w => ['-h', '--help', '--version'].includes(w))) {
        return [];
      }
      throw new Unreadable(
        'python -m piptools runs a pip-tools command Warden does not know'
      );
    }
  }
  return [];
}

/** The command a wrapper runs; `env`'s assignments are added to `env`. */
function unwrap(
  name: string,
  args: string[],
  env: Record<string, string>
): string[] {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    const a = args[i];
    if (
      name === 'env' &&
      ['-u', '--unset', '-C', '--chdir', '-S'].includes(a)
    ) {
      if (a === '-S' && i + 1 < args.length) {
        return [...shellWords(args[i + 1]), ...args.slice(i + 2)];
      }
      i++;
    } else if (
      (name === 'sudo' || name === 'doas') &&
      ['-u', '-g', '-C', '-D', '-h', '-p'].includes(a)
    ) {
      i++;
    } else if (name === 'nice' && a === '-n') {
      i++;
    } else if (
      name === 'timeout' &&
      ['-s', '--signal', '-k', '--kill-after'].includes(a)
    ) {
      i++;
    }
    i++;
  }
  if (name === 'timeout' && i < args.length) {
    i++; // the duration
  }
  while (name === 'env' && i < args.length && args[i].includes('=')) {
    // env(1) sets ANY NAME=value, not only shell-valid names
    const eq = args[i].indexOf('=');
    env[args[i].slice(0, eq)] = args[i].slice(eq + 1);
    i++;
  }
  return args.slice(i);
}

function optionValue(args: string[], names: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    if (names.includes(args[i]) && i + 1 < args.length) {
      return args[i + 1];
    }
    for (const n of names) {
      if (n.startsWith('--') && args[i].startsWith(n + '=')) {
        return args[i].slice(n.length + 1);
      }
    }
  }
  return null;
}

/** The script of `sh [-opts] -c SCRIPT`, or null (a script file). */
function shellScript(argv: string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    if (
      word.startsWith('-') &&
      !word.startsWith('--') &&
      word.slice(1).includes('c')
    ) {
      return i + 1 < argv.length ? argv[i + 1] : '';
    }
    if (!word.startsWith('-')) {
      return null;
    }
  }
  return null;
}

const PYTHON_MODULES = new Set([
  'pip',
  'pip.__main__',
  'uv',
  'conda',
  'mamba',
  'piptools'
]);
const RUN_VALUED: Record<string, string[]> = {
  conda: ['-n', '--name', '-p', '--prefix', '--cwd', '-a', '--attach', '--label', '-r',
    '--root-prefix', '--rc-file'],
  poetry: ['-C', '--directory', '-P', '--project'],
  pdm: ['-p', '--project', '-v', '--venv'],
  pipenv: ['--python'],
  hatch: ['-e', '--env', '-p', '--project'],
  pixi: ['--color', '--manifest-path', '-e', '--environment', '--auth-file',
    '--concurrent-downloads', '--concurrent-solves', '--pypi-keyring-provider',
    '--config-file', '--skip-deps'],
  rye: ['--env-file', '--pyproject']
}; // prettier-ignore
const CONDA_RUN_FLAGS = ['-v', '--verbose', '--dev', '--debug-wrapper-scripts',
  '--no-capture-output', '--live-stream', '--clean-env', '-d', '--detach', '-q', '--quiet']; // prettier-ignore

/**
 * The command after `TOOL [global opts] run [opts]`, or null when `args` is no `run`. An
 * option Warden does not know there (conda), before an installer word, is unreadable: its
 * value could be taken for the command.
 */
function runCommand(
  tool: string,
  args: string[],
  label: string
): string[] | null {
  const valued = RUN_VALUED[tool];
  let i = 0;
  let seenRun = false;
  while (i < args.length) {
    const word = args[i];
    if (!word.startsWith('-')) {
      if (seenRun) {
        break;
      }
      if (word !== 'run' && !(tool === 'pixi' && word === 'r')) {
        return null;
      }
      seenRun = true;
      i++;
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (name === '--') {
      i++;
      break;
    }
    if (valued.includes(name) && eq < 0) {
      i += 2;
      continue;
    }
    if (
      seenRun &&
      tool === 'conda' &&
      !valued.includes(name) &&
      !CONDA_RUN_FLAGS.includes(name) &&
      INSTALLER_WORDS.test(args.slice(i).join(' '))
    ) {
      throw new Unreadable(
        `${label} run option ${name} is not one Warden knows`
      );
    }
    i++;
  }
  if (!seenRun) {
    return null;
  }
  const rest = args.slice(i);
  if (
    tool === 'hatch' &&
    rest.length &&
    rest[0].includes(':') &&
    !/^[/.]/.test(rest[0])
  ) {
    rest[0] = rest[0].slice(rest[0].indexOf(':') + 1); // hatch run ENV:CMD
  }
  return rest;
}

const PY_FLAGS = new Set('bBdEhiIOPqsSuvVxR?'.split(''));
const PY_VALUED = new Set(['W', 'X', 'Q']);

/** [module, its arguments] for `python [options] -m module ...`; [null, []] otherwise. */
function pythonModule(args: string[]): [string | null, string[]] {
  const [mode, target, rest] = pythonStart(args);
  return mode === 'm' ? [target, rest] : [null, []];
}

/** pipx started through Python (red6 F12): `-m pipx.main`/`-m pipx.__main__` (any module of
 * the package), or a script that is pipx's package folder or its zipapp
 * (`.../site-packages/pipx`, `pipx.pyz`). */
function pipxThroughPython(args: string[]): string[] | null {
  const [mode, target, rest] = pythonStart(args);
  if (mode === 'm' && target?.startsWith('pipx.')) {
    return rest;
  }
  if (
    mode === 'script' &&
    ['pipx', 'pipx.pyz'].includes(basename(target!.replace(/\/+$/, '')))
  ) {
    return rest;
  }
  return null;
}

/** How `python ARGS` runs code: ['m', module, rest], ['script', path, rest], or [null, null,
 * []] for anything else (`-c`, stdin, an option read no further). */
function pythonStart(
  args: string[]
): ['m' | 'script' | null, string | null, string[]] {
  const none: [null, null, string[]] = [null, null, []];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--check-hash-based-pycs') {
      i++; // CPython's one long option with a value (as the kernel's python_start reads it)
      continue;
    }
    if (word.startsWith('--check-hash-based-pycs=')) {
      continue;
    }
    if (!word.startsWith('-')) {
      return ['script', word, args.slice(i + 1)];
    }
    if (word === '--') {
      return i + 1 < args.length
        ? ['script', args[i + 1], args.slice(i + 2)]
        : none;
    }
    if (word === '-' || word.startsWith('--')) {
      return none;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      if (letter === 'm') {
        const inline = word.slice(j + 1);
        return inline
          ? ['m', inline, args.slice(i + 1)]
          : ['m', args[i + 1] ?? null, args.slice(i + 2)];
      }
      if (letter === 'c') {
        return none;
      }
      if (PY_VALUED.has(letter)) {
        if (!word.slice(j + 1)) {
          i++;
        }
        break;
      }
      if (!PY_FLAGS.has(letter)) {
        return none;
      }
    }
  }
  return none;
}
