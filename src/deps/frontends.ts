/**
 * Installer front ends beyond pip, uv and conda: pipx, poetry, pdm, pipenv, hatch, pixi, rye,
 * pip-tools' pip-compile and pip-sync (a port of the kernel's
 * `installs/frontends.py`; both pass schema/vectors/install-decision.json).
 *
 * Deny by default, as for uv: each front end's commands known to install nothing (`poetry
 * show`, `pipx list`, `hatch version`...) are no install; the commands that install are read;
 * any other command, and an option before the command that Warden does not know, is refused
 * with a reason naming the front end and the command.
 *
 * pipx is read as its own argparse parser reads it (`pipx.ts`, `pipxcli.ts`): its installs
 * are read fully; poetry, pdm, pipenv and hatch resolve from their own project files and config that Warden does not read: the packages a command names are
 * decided and the install also carries an install-unreadable problem. Options and environment
 * variables that point a front end at another interpreter, index or config are named in the
 * refusal (`pdm -c`, `PDM_PYPI_URL`, `POETRY_REPOSITORIES_*`...).
 *
 * pixi and rye are read as poetry is (tables from their documented CLI, pixi 0.4x-0.7x and
 * rye 0.4x: neither is on PyPI to run): `pixi list|tree` lock and may install, `pixi run`
 * installs its environment, `rye run` may sync first: refused, with the command they run
 * read too (commands.ts). pip-compile builds sdists to read their metadata and pip-sync runs
 * pip: refused unless they only print help or their version.
 */
import type { CommandContext } from './installers';
import { pipxRequest } from './pipx';
import { newRequest, type InstallRequest } from './request';
import { parseRequirement } from './requirements';

export const FRONT_ENDS = new Set([
  'pipx',
  'poetry',
  'pdm',
  'pipenv',
  'hatch',
  'pixi',
  'rye',
  'pip-compile',
  'pip-sync'
]);
/** pip-tools' commands take no subcommand: only help and version install nothing (checked
 * against pip-tools 7.6.2: eager click options). */
const PIP_TOOLS = new Set(['pip-compile', 'pip-sync']);
const PIP_TOOLS_READ_ONLY = new Set(['-h', '--help', '--version']);

/** A set of the comma-separated words of `text` (none for an empty text). */
const set = (text: string) =>
  new Set(text.trim() ? text.trim().split(/\s*,\s*/) : []);

/** Options before the command: [flags, options taking a value]; any other is refused. */
const GLOBAL: Record<string, [Set<string>, Set<string>]> = {
  poetry: [
    set(`-h, --help, -q, --quiet, -V, --version, --ansi, --no-ansi, -n, --no-interaction,
      --no-plugins, --no-cache, -v, -vv, -vvv, --verbose`),
    set('-P, --project, -C, --directory')
  ],
  pdm: [
    set(`-h, --help, -V, --version, -v, -vv, -vvv, --verbose, -q, --quiet, -I,
      --ignore-python, -n, --non-interactive, --no-cache`),
    set('-c, --config, --pep582')
  ],
  pipenv: [
    set(`-h, --help, --version, --where, --venv, --py, --envs, --rm, --bare, --man, --support,
      --completion, --clear, -q, --quiet, -v, --verbose, --site-packages, --three, --two`),
    set('--python, --pypi-mirror')
  ],
  hatch: [
    set(`-h, --help, --version, -v, -vv, -vvv, --verbose, -q, -qq, --quiet, --color,
      --no-color, --interactive, --no-interactive`),
    set('-e, --env, -p, --project, --data-dir, --cache-dir, --config')
  ],
  pixi: [
    set(`-h, --help, -V, --version, -v, -vv, -vvv, -vvvv, --verbose, -q, --quiet,
      --no-progress`),
    set('--color')
  ],
  rye: [set('-h, --help, -V, --version'), set('--env-file')]
}; // prettier-ignore

/** Commands with subcommands: the key is "command subcommand". */
const GROUPS: Record<string, Set<string>> = {
  poetry: set('env, cache, source, debug, python, self'),
  pdm: set('venv, python, py, self'),
  pipenv: new Set(),
  hatch: set('env, python, self, dep, project'),
  pixi: set('global, task, config, project, workspace, auth, self'),
  rye: set('toolchain, tools, self')
};

/** Commands known to install nothing (`poetry run CMD`: CMD is decided, commands.ts). */
// Not read-only, because they install (red team red5): `pdm run X.py`, `pdm show`, `hatch env
// show|find|prune|remove`, `hatch version`, `hatch clean`, `poetry export`, `pdm export`.
const READ_ONLY: Record<string, Set<string>> = {
  poetry: set(`help, about, list, show, check, search, config, version, run, shell,
    new, init, env info, env list, env remove, env activate, cache list, cache clear,
    source show, source add, source remove, debug info, debug tags, python list, self show`),
  pdm: set(`help, list, info, search, outdated, config, cache, completion, import,
    venv list, venv remove, venv activate, venv purge, python list, python find,
    python remove, py list, py find, py remove, self list`),
  pipenv: set('graph, open, requirements, run, scripts, shell, verify, clean'),
  hatch: set(`help, config, status, new, python find, python show, python remove,
    self report`),
  // not `pixi list|tree` (they lock, and may install to solve PyPI dependencies)
  pixi: set('help, info, search, completion, task list, global list, config list'),
  // `rye version` only without a new version; not `rye list` (it may bootstrap rye first)
  rye: set('help, show, version, toolchain list, tools list, self completion')
}; // prettier-ignore

/** Commands that install: [all, those whose positional words are packages]. */
const INSTALLING: Record<string, [Set<string>, Set<string>]> = {
  poetry: [
    set(`add, install, sync, update, lock, remove, build, self add, self install, self update,
      self sync, self lock`),
    set('add, self add')
  ],
  pdm: [
    set('add, install, sync, update, lock, remove, build, self add, self update'),
    set('add, self add')
  ],
  pipenv: [
    set('install, sync, update, upgrade, lock, uninstall'),
    set('install, upgrade')
  ],
  hatch: [
    set(`run, shell, build, test, fmt, env create, env run, dep show, dep hash,
      project metadata`),
    new Set()
  ],
  pixi: [
    set(`add, install, update, upgrade, lock, run, shell, shell-hook, exec, list, tree, remove,
      build, global install, global add, global sync, global update, global upgrade,
      global upgrade-all`),
    set('add, global install, global add') // exec: pixiExec
  ],
  rye: [
    set(`add, remove, sync, lock, install, uninstall, run, test, build, fetch, fmt, lint,
      tools install, tools uninstall, toolchain fetch, self update`),
    set('add, install, tools install')
  ]
}; // prettier-ignore

/** Options after the command that take a value. */
const VALUED: Record<string, Set<string>> = {
  poetry: set(`--group, -G, --source, --extras, -E, --python, --platform, --markers,
    --directory, -C, --project, -P, --only, --with, --without`),
  pdm: set(`-G, --group, -p, --project, -L, --lockfile, --venv, --update-strategy, -e,
    --editable, -c, --config`),
  pipenv: set(`--python, --pypi-mirror, -i, --index, --extra-index-url, --categories, -r,
    --requirements`),
  hatch: set('-e, --env, -p, --project'),
  pixi: set(`--manifest-path, -e, --environment, -f, --feature, -p, --platform, --git, -g,
    --branch, --tag, --rev, --subdir, --color, --auth-file, --concurrent-downloads,
    --concurrent-solves, --pypi-keyring-provider, --config-file, --pinning-strategy, -c,
    --channel, --expose, --with, -w, -s, --spec`),
  rye: set(`--git, --url, --path, --tag, --rev, --branch, --features, --optional, --pin,
    --pyproject, -p, --python, --env-file, --include-dep, --extra-requirement, -b, --bump`)
}; // prettier-ignore

/** Options pointing the front end at another interpreter or config: refused anywhere. */
const REDIRECT_OPTIONS: Record<string, Record<string, string>> = {
  poetry: {
    '-C': 'another working directory',
    '--directory': 'another working directory'
  },
  pdm: { '-c': 'another config file', '--config': 'another config file' },
  pipenv: { '--python': 'another interpreter (one it may install)' },
  hatch: {
    '--config': 'another config file',
    '--data-dir': 'another data folder'
  },
  pixi: {}, // every pixi and rye install is refused: what they point at is not read
  rye: {}
};

/** Environment variables pointing an install elsewhere (names; prefixes end with `_`). */
const REDIRECT_ENV: Record<string, string[]> = {
  poetry: ['POETRY_REPOSITORIES_', 'POETRY_SOURCE_', 'POETRY_CONFIG_DIR'],
  pdm: ['PDM_PYPI_', 'PDM_SOURCE_', 'PDM_CONFIG_FILE', 'PDM_PYTHON'],
  pipenv: ['PIPENV_PYPI_MIRROR', 'PIPENV_PIPFILE', 'PIPENV_PYTHON',
    'PIPENV_DEFAULT_PYTHON_VERSION'],
  hatch: ['HATCH_INDEX_', 'HATCH_PYTHON', 'HATCH_CONFIG', 'HATCH_DATA_DIR',
    'HATCH_ENV_TYPE_VIRTUAL_UV_PATH'],
  pixi: [],
  rye: []
}; // prettier-ignore

/** Short names of commands (pixi's visible aliases): read as the command, so `pixi a NAME`
 * decides NAME and `pixi r CMD` reads CMD (an alias not listed is refused as unknown). */
const ALIASES: Record<string, Record<string, string>> = {
  pixi: { a: 'add', i: 'install', r: 'run', x: 'exec', rm: 'remove', s: 'shell', g: 'global',
    ls: 'list', t: 'tree' }
}; // prettier-ignore

/** `pixi exec` options taking a value; -s/--spec and -w/--with name packages. */
const PIXI_EXEC_VALUED = set(`-s, --spec, -w, --with, -c, --channel, -p, --platform,
  --auth-file, --concurrent-downloads, --concurrent-solves, --pypi-keyring-provider,
  --config-file, --color`); // prettier-ignore

const INSTEAD =
  'install with %pip or uv (commands Warden reads), or ask your admin';

type Word = [string | null, string];

function words(tool: string, args: string[]): Word[] {
  const out: Word[] = [];
  const valued = VALUED[tool];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--') {
      out.push(...args.slice(i + 1).map(w => [null, w] as Word));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      out.push([null, word]);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    let value = eq < 0 ? '' : word.slice(eq + 1);
    if (valued.has(name) && eq < 0) {
      value = args[i + 1] ?? '';
      i++;
    }
    out.push([name, valued.has(name) ? value : '']);
  }
  return out;
}

/** [index of the command word, null] or [_, the first option there Warden does not know]. */
function commandStart(tool: string, args: string[]): [number, string | null] {
  const [flags, valued] = GLOBAL[tool];
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const eq = args[i].indexOf('=');
    const name = eq < 0 ? args[i] : args[i].slice(0, eq);
    if (name === '--') {
      return [i + 1, null];
    }
    if (!flags.has(name) && !valued.has(name)) {
      return [i, name];
    }
    i += valued.has(name) && eq < 0 ? 2 : 1;
  }
  return [i, null];
}

/** `command` or `command subcommand` (for groups); null when there is no command. */
function commandKey(tool: string, positional: string[]): string | null {
  if (!positional.length) {
    return null;
  }
  const first = ALIASES[tool]?.[positional[0]] ?? positional[0];
  if (GROUPS[tool].has(first) && positional.length > 1) {
    return `${first} ${positional[1]}`;
  }
  return first;
}

/** The words the front end reads itself: for a `run` command, up to the command it runs
 * (`poetry run make -C dir`: that `-C` is make's). */
function ownWords(
  tool: string,
  args: string[],
  start: number,
  key: string | null
): string[] {
  if (key === null || key.split(' ').pop() !== 'run') {
    return args;
  }
  let seen = 0;
  for (let i = start; i < args.length; i++) {
    const word = args[i];
    if (word === '--') {
      return args.slice(0, i);
    }
    if (!word.startsWith('-') || word === '-') {
      seen++;
      if (seen > key.split(' ').length) {
        return args.slice(0, i);
      }
    } else if (VALUED[tool].has(word.split('=')[0]) && !word.includes('=')) {
      i++;
    }
  }
  return args;
}

function redirectOptions(tool: string, args: string[]): string[] {
  const names: string[] = [];
  for (const word of args) {
    if (word === '--') {
      break;
    }
    const name = word.split('=')[0];
    if (name in REDIRECT_OPTIONS[tool] && !names.includes(name)) {
      names.push(name);
    }
  }
  return names.map(
    name =>
      `${tool} ${name} points ${tool} at ${REDIRECT_OPTIONS[tool][name]}, which Warden does not follow; drop it, or ${INSTEAD}`
  );
}

function redirectEnv(
  tool: string,
  env: Readonly<Record<string, string>>
): string[] {
  return Object.keys(env)
    .sort()
    .filter(
      v =>
        (env[v] ?? '').trim() &&
        REDIRECT_ENV[tool].some(
          e => v === e || (e.endsWith('_') && v.startsWith(e))
        )
    )
    .map(
      v =>
        `environment variable ${v} points ${tool} at another index, interpreter or config, which Warden does not read; unset it`
    );
}

/** The install `tool args` asks for, or null when the command installs nothing. */
export function frontEndRequest(
  tool: string,
  args: string[],
  context: CommandContext,
  env: Readonly<Record<string, string>> = context.env
): InstallRequest | null {
  if (tool === 'pipx') {
    return pipxRequest(args, context, env);
  }
  const place = context.place;
  const refused = (command: string, text: string) => {
    const request = newRequest('pip', command);
    request.problems.push({ text, place });
    return request;
  };
  if (PIP_TOOLS.has(tool)) {
    if (args.length && args.every(word => PIP_TOOLS_READ_ONLY.has(word))) {
      return null;
    }
    const what =
      tool === 'pip-compile'
        ? "resolves, downloads and builds packages (an sdist's setup.py runs) to compile its requirements"
        : 'installs and uninstalls packages with pip';
    return refused(
      tool,
      `\`${tool}\` ${what}, which Warden does not read; ${INSTEAD}`
    );
  }
  const [start, unknown] = commandStart(tool, args);
  if (unknown !== null) {
    return refused(
      tool,
      `${tool} option ${unknown} before the command is not one Warden knows (its value could be the command); ${INSTEAD}`
    );
  }
  const all = words(tool, args.slice(start));
  const positional = all.filter(w => w[0] === null).map(w => w[1]);
  let key = commandKey(tool, positional);
  if (tool === 'rye' && key === 'version' && bumps(all)) {
    key = 'version --bump';
  }
  const redirects = redirectOptions(tool, ownWords(tool, args, start, key));
  if (key === null || READ_ONLY[tool].has(key)) {
    return redirects.length
      ? refused(`${tool} ${key ?? ''}`.trim(), redirects.join('; '))
      : null;
  }
  const [installing, named] = INSTALLING[tool];
  if (!installing.has(key)) {
    return refused(
      `${tool} ${key}`,
      `\`${tool} ${key}\` is not a ${tool} command Warden knows to install nothing, and Warden does not read what it may resolve, build or install; ${INSTEAD}`
    );
  }
  const request = newRequest('pip', `${tool} ${key}`);
  for (const text of [...redirects, ...redirectEnv(tool, env)]) {
    request.problems.push({ text, place });
  }
  const pixiExecs = tool === 'pixi' && key === 'exec';
  const packages = pixiExecs
    ? pixiExec(args)![0]
    : positional.slice(key.split(' ').length);
  if (named.has(key) || pixiExecs) {
    for (const word of packages) {
      request.requirements.push(parseRequirement(word, place));
    }
  }
  applyOptions(request, tool, all, context);
  request.problems.push({
    text: `${tool} installs from its own project files and config (sources, locks, environments) that Warden does not read; install with %pip or uv instead`,
    place
  });
  return request;
}

/** `rye version 1.2`, `rye version -b minor`: a new version, not a read. */
function bumps(all: Word[]): boolean {
  return (
    all.filter(w => w[0] === null).length > 1 ||
    all.some(w => w[0] === '-b' || w[0] === '--bump')
  );
}

/**
 * [packages, command] for `pixi [global opts] exec [opts] COMMAND...`, or null: the `--spec`
 * packages, else the command's own name, and the `--with` packages. pixi installs them into
 * a temporary environment, then runs the command.
 */
export function pixiExec(args: string[]): [string[], string[]] | null {
  const [start, unknown] = commandStart('pixi', args);
  if (unknown !== null || (args[start] !== 'exec' && args[start] !== 'x')) {
    return null;
  }
  const specs: string[] = [];
  const extra: string[] = [];
  let i = start + 1;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const eq = args[i].indexOf('=');
    const name = eq < 0 ? args[i] : args[i].slice(0, eq);
    if (name === '--') {
      i++;
      break;
    }
    if (PIXI_EXEC_VALUED.has(name)) {
      let value = eq < 0 ? '' : args[i].slice(eq + 1);
      if (eq < 0) {
        value = args[i + 1] ?? '';
        i++;
      }
      if (name === '-s' || name === '--spec') {
        specs.push(value);
      } else if (name === '-w' || name === '--with') {
        extra.push(value);
      }
    }
    i++;
  }
  const command = args.slice(i);
  return [[...(specs.length ? specs : command.slice(0, 1)), ...extra], command];
}

function applyOptions(
  request: InstallRequest,
  tool: string,
  all: Word[],
  context: CommandContext
): void {
  const place = context.place;
  for (const [name, value] of all) {
    if (tool === 'pdm' && (name === '-e' || name === '--editable')) {
      request.requirements.push(parseRequirement(value, place));
    } else if (
      tool === 'pipenv' &&
      name !== null &&
      ['--index-url', '-i', '--index', '--pypi-mirror'].includes(name)
    ) {
      request.sources.push({ url: value, role: 'index', place });
    } else if (name === '--extra-index-url') {
      request.sources.push({ url: value, role: 'extra-index', place });
    }
  }
}
