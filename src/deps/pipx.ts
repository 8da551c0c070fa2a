/**
 * What a pipx command installs, read as pipx reads it (a port of the kernel's
 * `installs/pipx_request.py`; red team red5 F4 F5 F6 F8).
 *
 * The command line is read by `parsePipx` (pipx's own option table). Deny by default: the
 * commands known to install nothing pass; `install`, `run`, `inject`, `upgrade` and `runpip`
 * are read (packages, `--spec`, `--preinstall`, `--with`, `inject -r FILE`, a PEP 723 script's
 * dependencies, `--index-url`, `--pip-args`, runpip's pip arguments, and for `upgrade` the pip
 * arguments pipx recorded in the venv's `pipx_metadata.json`); every other command, and any
 * option whose meaning Warden does not know, is refused as unreadable. Unless `--backend pip`
 * creates the venv (`install`, `run`), the install is decided under uv's configuration as
 * well as pip's (`alsoUv`).
 */
import * as path from 'node:path';
import {
  pipCommand,
  pipPathsFromCwd,
  pipRequest,
  uvRequest,
  type CommandContext
} from './installers';
import { normalize } from './names';
import { optionValues, parsePipx, type PipxLine } from './pipxcli';
import { readScriptInto } from './projectfiles';
import {
  addTls,
  newRequest,
  redactUrl,
  requirementIdentity,
  type InstallRequest,
  type Place,
  type Source
} from './request';
import { editable, parseRequirement } from './requirements';
import { shellWords } from './words';

const INSTEAD =
  'install with %pip or uv (commands Warden reads), or ask your admin';
const set = (text: string) => new Set(text.trim().split(/\s*,\s*/));

/** Commands known to install nothing ("" is pipx with no command: help or an error). */
const READ_ONLY = new Set([
  '',
  ...set(`help, list, uninstall, uninstall-all, uninject, pin, unpin, ensurepath,
    environment, completions, expose, unexpose, health, exec, reset, interpreter,
    interpreter list, interpreter prune, cache, cache dir, cache purge, manifest`)
]); // prettier-ignore
const INSTALLING = set('install, run, inject, upgrade, runpip');
/** Commands that install again from pipx's own records or manifests, unread by Warden. */
const FROM_RECORDS = set(`install-all, reinstall, reinstall-all, upgrade-all, repair,
  manifest lock, manifest sync`); // prettier-ignore
/** Options that change nothing about what is installed or from where (argparse dests). */
const HARMLESS = set(`help, version, quiet, verbose, skip_maintenance, is_global,
  include_deps, include_resources_from, force, upgrade, upgrade_strategy, suffix, app,
  system_site_packages, editable, cooldown, output, include_apps, with_suffix, leave_deps,
  injected_only, skip, include_injected, install, no_cache, refresh, no_path_check,
  python_args, path, pypackages, yes, dry_run, prune, value, outdated, short, pinned, prepend,
  all_shells`); // prettier-ignore
const READ = set(
  'index_url, pip_args, spec, preinstall, with_, requirements, backend, lock'
);
const REDIRECT: Record<string, string> = {
  python: 'another interpreter',
  fetch_python: 'a Python it downloads'
};
const REDIRECT_ENV = [
  'PIPX_DEFAULT_PYTHON',
  'PIPX_FETCH_MISSING_PYTHON',
  'PIPX_FETCH_PYTHON',
  'PIPX_SHARED_LIBS'
];
const BACKENDS = ['pip', 'uv'];

/** The install `pipx args` asks for, or null when the command installs nothing. */
export function pipxRequest(
  args: string[],
  context: CommandContext,
  env: Readonly<Record<string, string>>
): InstallRequest | null {
  const place = context.place;
  const refused = (command: string, text: string) => {
    const request = newRequest('pip', command);
    request.problems.push({ text, place });
    return request;
  };
  const line = parsePipx(args);
  if (typeof line === 'string') {
    return refused('pipx', `${line}; ${INSTEAD}`);
  }
  const key = line.command;
  const problems = optionProblems(line);
  if (READ_ONLY.has(key)) {
    return problems.length
      ? refused(`pipx ${key}`.trim(), problems.join('; '))
      : null;
  }
  if (FROM_RECORDS.has(key)) {
    return refused(
      `pipx ${key}`,
      `\`pipx ${key}\` installs again from pipx's own records or manifests, which Warden does not read; ${INSTEAD}`
    );
  }
  if (!INSTALLING.has(key)) {
    return refused(
      `pipx ${key}`,
      `\`pipx ${key}\` is not a pipx command Warden knows to install nothing, and Warden does not read what it may resolve, build or install; ${INSTEAD}`
    );
  }
  let request = newRequest('pip', `pipx ${key}`);
  const early = [...problems, ...envProblems(env)];
  if (key === 'runpip') {
    const pipArgs = runpipArgs(line.remainder ?? []);
    if (pipArgs === null) {
      return refused(
        'pipx runpip',
        `pipx runpip's arguments cannot be split; ${INSTEAD}`
      );
    }
    const inner = runpip(pipArgs, line, context, env);
    if (inner === null && !early.length) {
      return null;
    }
    if (inner !== null) {
      request = inner;
    }
  }
  request.problems = [
    ...early.map(text => ({ text, place })),
    ...request.problems
  ];
  request.alsoUv = backend(request, line, key, env, context);
  if (key === 'runpip') {
    uvFolders(request, line, key, context, env);
    return request;
  }
  let plain = false;
  if (key === 'run') {
    plain = run(request, line, context, env);
  } else {
    const names =
      key === 'inject' ? line.positionals.slice(1) : line.positionals;
    const start = request.requirements.length;
    for (const word of names) {
      pkg(request, word, key, context, env);
    }
    if (line.options.some(([dest]) => dest === 'editable')) {
      // `pipx install -e proj`: pip's `-e proj`
      request.requirements.splice(
        start,
        Infinity,
        ...request.requirements.slice(start).map(editable)
      );
    }
  }
  for (const [dest, option, value] of line.options) {
    const text = value as string;
    if (dest === 'index_url') {
      request.sources.push({ url: text, role: 'index', place });
    } else if (dest === 'pip_args') {
      pipArgs(request, text, context, env);
    } else if (dest === 'preinstall' || dest === 'with_') {
      spec(request, text, key, context);
      pathsFromVenv(request, ['install', text], option, place); // pipx leaves these relative
    } else if (dest === 'requirements') {
      injectFile(request, text, context);
    } else if (dest === 'lock') {
      request.problems.push({
        text: `pipx ${option} installs from ${path.basename(text)}, a lock file Warden does not read; ${INSTEAD}`,
        place
      });
    }
  }
  if (key === 'install' && !request.alsoUv) {
    request.alsoUv = installMayUseUv(request, line, context, env);
  }
  uvFolders(request, line, key, context, env);
  records(request, line, key, context, env);
  if (
    key === 'run' &&
    plain &&
    !request.requirements.length &&
    !request.problems.length &&
    !request.sources.length
  ) {
    return null; // a plain script, run without installing anything
  }
  if (!request.requirements.length && !request.problems.length) {
    request.problems.push({
      text: `no package found in \`pipx ${key}\``,
      place
    });
  }
  return request;
}

function optionProblems(line: PipxLine): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [dest, option] of line.options) {
    if (seen.has(option)) {
      continue;
    }
    seen.add(option);
    if (dest in REDIRECT) {
      problems.push(
        `pipx ${option} points pipx at ${REDIRECT[dest]}, which Warden does not follow; drop it, or ${INSTEAD}`
      );
    } else if (!HARMLESS.has(dest) && !READ.has(dest)) {
      problems.push(
        `pipx option ${option} is not one Warden reads; ${INSTEAD}`
      );
    }
  }
  return problems;
}

function envProblems(env: Readonly<Record<string, string>>): string[] {
  return REDIRECT_ENV.filter(v => (env[v] ?? '').trim()).map(
    v =>
      `environment variable ${v} points pipx at another interpreter or shared libraries, which Warden does not read; unset it`
  );
}

/** Whether pipx may install with uv (then uv's configuration is read as well). */
function backend(
  request: InstallRequest,
  line: PipxLine,
  key: string,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): boolean {
  const given = optionValues(line, 'backend') as string[];
  const fallback = (env.PIPX_DEFAULT_BACKEND ?? '').trim();
  const named: Array<[string, string]> = given.map(v => [v, '--backend']);
  if (fallback) {
    named.push([fallback, 'PIPX_DEFAULT_BACKEND']);
  }
  for (const [value, origin] of named) {
    if (!BACKENDS.includes(value)) {
      request.problems.push({
        text: `pipx ${origin} '${value}' is not a backend Warden knows (pip, uv); ${INSTEAD}`,
        place: context.place
      });
    }
  }
  // --backend pip decides a venv pipx creates; an existing venv keeps its recorded backend
  return !(
    given.length &&
    given[given.length - 1] === 'pip' &&
    (key === 'install' || key === 'run')
  );
}

/** The venvs `pipx install` installs into: each named package, with each `--suffix`. */
function installVenvNames(request: InstallRequest, line: PipxLine): string[] {
  const suffixes = ['', ...(optionValues(line, 'suffix') as string[])];
  return request.requirements
    .filter(r => r.name)
    .flatMap(r => suffixes.map(s => r.name + s));
}

/** pipx's uv runs in the venv root (run: a venv under `.cache`) and reads the uv.toml and
 * pyproject.toml found from there up (red6 F2); the venv's name is unknown to Warden for a
 * spec it cannot name, so the folders holding the venvs are walked up too. */
function uvFolders(
  request: InstallRequest,
  line: PipxLine,
  key: string,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): void {
  const homes = homesOrRefuse(request, line, context, env);
  if (homes === null) {
    return;
  }
  const venvs = [
    ...(key === 'inject' || key === 'runpip'
      ? line.positionals.slice(0, 1)
      : []),
    ...(key === 'upgrade' ? line.positionals : [])
  ];
  if (key === 'install') {
    venvs.push(...installVenvNames(request, line));
  }
  request.uvConfigDirs = homes.flatMap(home => [
    path.join(home, 'venvs'),
    path.join(home, '.cache'),
    ...[...new Set([...venvs, ...venvs.map(normalize)])].map(v =>
      path.join(home, 'venvs', v)
    )
  ]);
}

/** `pipx install --backend pip`: pipx ignores the option for a venv that exists and installs
 * with its recorded backend (red6 F10). uv may install when a venv of the name exists whose
 * record names uv or cannot be read, or when the name is unknown (a path, URL or VCS spec:
 * pipx names it only by building it). */
function installMayUseUv(
  request: InstallRequest,
  line: PipxLine,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): boolean {
  if (request.requirements.some(r => !r.name)) {
    return true;
  }
  const names = installVenvNames(request, line);
  const homes = homesOrRefuse(request, line, context, env);
  if (homes === null) {
    return true; // refused; read both meanwhile
  }
  const existing = names.filter(name =>
    homes.some(home =>
      [name, normalize(name)].some(folder =>
        pathExists(path.join(home, 'venvs', folder), context)
      )
    )
  );
  return venvBackends(line, existing, context, env).has('uv');
}

/** Whether `file` exists as far as `context.readFile` tells: read, or a folder (EISDIR). */
function pathExists(file: string, context: CommandContext): boolean {
  try {
    context.readFile(file);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EISDIR';
  }
}

/** `pipx run [--spec S] [--with P] APP ARGS...`; true when the app is a plain script. */
function run(
  request: InstallRequest,
  line: PipxLine,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): boolean {
  const specs = optionValues(line, 'spec') as string[];
  const app = (line.remainder ?? [])[0];
  for (const text of specs) {
    spec(request, text, 'run', context);
  }
  if (app !== undefined && (!specs.length || isScript(app, context))) {
    return pkg(request, app, 'run', context, env);
  }
  return false;
}

function isFile(word: string, context: CommandContext): boolean {
  try {
    context.readFile(path.resolve(context.cwd, word));
    return true;
  } catch {
    return false;
  }
}

function urlPath(word: string): string {
  try {
    return new URL(word).pathname;
  } catch {
    return word;
  }
}

function isScript(word: string, context: CommandContext): boolean {
  // pipx run: Path(app), no ~ expansion
  return (
    /^\/(dev|proc)\//.test(path.resolve(context.cwd, word)) ||
    isFile(word, context) ||
    remoteScript(word, 'run')
  );
}

/** Python's `urlsplit(word).scheme` (lower-cased; empty when there is none). */
function urlScheme(word: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(word);
  return m ? m[1].toLowerCase() : '';
}

/** A word pipx fetches as a script: for `run` any URL scheme but a VCS one
 * (`maybe_script_content`: urllib opens `file:`, `data:`, `ftp:` too, `://` or not); for
 * `install` an http(s) URL of a `.py` (`script.is_script_spec`). */
function remoteScript(word: string, key: string): boolean {
  const scheme = urlScheme(word);
  if (key === 'run') {
    const [vcs, ...rest] = scheme.split('+');
    return (
      scheme !== '' &&
      !(rest.length > 0 && ['git', 'hg', 'svn', 'bzr'].includes(vcs))
    );
  }
  return (
    (scheme === 'http' || scheme === 'https') &&
    urlPath(word).toLowerCase().endsWith('.py')
  );
}

/** `Path.expanduser` as a process with `env` does it: `~` and `~/` from its HOME; null when
 * the static side cannot tell (`~name`, no HOME): the password database is the machine's. */
export function expandUser(
  word: string,
  env: Readonly<Record<string, string>>
): string | null {
  if (!word.startsWith('~')) {
    return word;
  }
  const slash = word.indexOf('/');
  const head = slash < 0 ? word : word.slice(0, slash);
  if (head !== '~' || env.HOME === undefined) {
    return null;
  }
  return env.HOME.replace(/\/+$/, '') + word.slice(head.length) || '/';
}

/** A package spec, or a script (a local file or a URL) pipx runs or installs with its PEP
 * 723 dependencies; true for a plain script `pipx run` runs as it is. The file is looked up
 * as pipx does: `run` takes the word as a path from the working directory, `install`
 * expands `~` first, with the command's HOME. */
function pkg(
  request: InstallRequest,
  word: string,
  key: string,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): boolean {
  const local = key === 'run' ? word : expandUser(word, env);
  if (local === null) {
    request.problems.push({
      text: `pipx ${key} ${word}: pipx expands '~' with its user's home folder, which the static check cannot tell; ${INSTEAD}`,
      place: context.place
    });
    return false;
  }
  if (/^\/(dev|proc)\//.test(path.resolve(context.cwd, local))) {
    request.problems.push({
      text: `pipx ${key} ${word}: not a regular file (a pipe or device), which pipx reads as a script Warden cannot read before it runs; ${INSTEAD}`,
      place: context.place
    });
    return false;
  }
  if (isFile(local, context)) {
    if (readScriptInto(request, local, context)) {
      return false;
    }
    if (key === 'run') {
      return true; // a plain script: pipx runs it without installing anything
    }
  }
  if (remoteScript(word, key)) {
    request.problems.push({
      text: `pipx ${key} ${redactUrl(word)}: pipx fetches this script by its URL and installs its PEP 723 dependencies, which Warden cannot read before it runs; ${INSTEAD}`,
      place: context.place
    });
    return false;
  }
  spec(request, word, key, context);
  return false;
}

/** A package spec pipx hands to pip; one that starts with `-` pip would take for an option
 * (`pipx install -- -r/tmp/x`), which Warden does not read as one: refused. */
function spec(
  request: InstallRequest,
  word: string,
  key: string,
  context: CommandContext,
  place: Place = context.place
): void {
  if (word.trimStart().startsWith('-')) {
    request.problems.push({
      text: `pipx ${key}: the package '${redactUrl(word)}' (${place.origin}) starts with '-', which pip would read as an option; ${INSTEAD}`,
      place
    });
    return;
  }
  request.requirements.push(parseRequirement(word, place));
}

/** `pipx inject -r FILE`: pipx reads the file itself (inject.py `parse_requirements`), each
 * line without its comment one package spec handed to pip as it is (no continuation lines,
 * no options: a line starting with `-` would be a pip option, refused). */
function injectFile(
  request: InstallRequest,
  file: string,
  context: CommandContext
): void {
  if (file.includes('://')) {
    request.problems.push({
      text: `pipx inject -r ${redactUrl(file)}: not a local file; ${INSTEAD}`,
      place: context.place
    });
    return;
  }
  const fullPath = path.resolve(context.cwd, file);
  const label = context.label(fullPath);
  let text: string;
  try {
    text = context.readFile(fullPath);
  } catch (e) {
    request.problems.push({
      text: `cannot read requirements file ${label}: ${(e as Error).name ?? 'Error'}`,
      place: context.place
    });
    return;
  }
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const word = line.replace(/(^|\s+)#.*$/, '').trim();
    if (word) {
      const origin = `${label} line ${index + 1}`;
      spec(request, word, 'inject', context, {
        file: label,
        line: index + 1,
        origin
      });
    }
  });
}

// pip commands runpip may run that install nothing (deny by default: any other is refused),
// with the sub-commands that only look where a command has some that write.
const RUNPIP_HARMLESS: ReadonlyMap<
  string | null,
  ReadonlySet<string | null> | null
> = new Map<string | null, ReadonlySet<string | null> | null>([
  [null, null],
  ['list', null],
  ['show', null],
  ['freeze', null],
  ['check', null],
  ['help', null],
  ['inspect', null],
  ['uninstall', null],
  ['config', new Set(['list', 'get', 'debug'])],
  ['cache', new Set(['list', 'dir', 'info'])]
]);

/** `pipx runpip VENV ARGS`: the pip words read as pip reads them and, when the venv may be on
 * uv's backend, as `uv pip ARGS` (pipx's `UvBackend.run_raw_pip`); the stricter reading wins.
 * Deny by default: a pip command other than `install`/`download`/`wheel` and those known to
 * install nothing is refused (red6 F8). */
function runpip(
  args: string[],
  line: PipxLine,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): InstallRequest | null {
  const place = context.place;
  let inner = pipRequest(args, { ...context, env });
  if (inner !== null) {
    inner.command = `pipx runpip${inner.command.slice('pip'.length)}`;
    pathsFromVenv(inner, args, 'runpip', place);
  }
  const [command, sub] = pipCommand(args);
  if (inner === null) {
    const subs = RUNPIP_HARMLESS.get(command);
    if (subs === undefined || (subs !== null && !subs.has(sub))) {
      inner = newRequest('pip', `pipx runpip ${command}`);
      inner.problems.push({
        text: `\`pipx runpip VENV ${[command, sub].filter(w => w).join(' ')}\` is not a pip command Warden knows to install nothing, and on pipx's uv backend it runs \`uv pip\`; ${INSTEAD}`,
        place
      });
    }
  }
  if (command === null) {
    return inner; // no pip command (`--version`): uv runs none either
  }
  if (
    venvBackends(line, line.positionals.slice(0, 1), context, env).has('uv')
  ) {
    const uv = uvRequest(['pip', ...args], { ...context, env });
    if (uv !== null) {
      const into =
        inner ??
        newRequest('pip', `pipx runpip ${uv.command.slice('uv pip '.length)}`);
      // pip's and uv's readings kept whole where they differ (R45a-1: never by text or URL
      // alone, a path's or a local index's folder is part of what is decided)
      const kept = new Set(into.requirements.map(requirementIdentity));
      into.requirements.push(
        ...uv.requirements.filter(r => !kept.has(requirementIdentity(r)))
      );
      const sourceKey = (s: Source) =>
        JSON.stringify([s.role, s.url, s.base ?? null]);
      const urls = new Set(into.sources.map(sourceKey));
      into.sources.push(...uv.sources.filter(s => !urls.has(sourceKey(s))));
      const seen = new Set(into.problems.map(p => p.text));
      into.problems.push(...uv.problems.filter(p => !seen.has(p.text)));
      for (const t of uv.tls ?? []) {
        addTls(into, t.kind, t.value, t.place);
      }
      into.order = [...(into.order ?? []), ...(uv.order ?? [])];
      into.pre = [...(into.pre ?? []), ...(uv.pre ?? [])];
      into.noIndex = into.noIndex && uv.noIndex;
      inner = into;
    }
  }
  return inner;
}

/** The backends the existing venvs `names` may install with: the `backend` their records
 * name; both when a venv has no record Warden can read (pipx then picks one). */
function venvBackends(
  line: PipxLine,
  names: string[],
  context: CommandContext,
  env: Readonly<Record<string, string>>
): Set<string> {
  let homes: string[];
  try {
    homes = pipxHomes(
      env,
      optionValues(line, 'is_global').length > 0,
      context.cwd
    );
  } catch {
    return new Set(BACKENDS); // refused elsewhere; read both meanwhile
  }
  const backends = new Set<string>();
  for (const name of names) {
    let found = false;
    for (const home of homes) {
      for (const folder of new Set([name, normalize(name)])) {
        let text: string;
        try {
          text = context.readFile(
            path.join(home, 'venvs', folder, 'pipx_metadata.json')
          );
        } catch {
          continue; // not there: pipx looks in the next place
        }
        found = true;
        let recorded: unknown;
        try {
          recorded = JSON.parse(text)?.backend;
        } catch {
          recorded = undefined;
        }
        for (const b of BACKENDS.includes(recorded as string)
          ? [recorded as string]
          : BACKENDS) {
          backends.add(b);
        }
      }
    }
    if (!found) {
      BACKENDS.forEach(b => backends.add(b));
    }
  }
  return backends;
}

/** runpip's pip arguments as pipx takes them: one argument with a space in it is split
 * (`pipx runpip VENV "install -i URL X"`); null when it cannot be. */
function runpipArgs(args: string[]): string[] | null {
  if (args.length !== 1 || !/\s/.test(args[0])) {
    return args;
  }
  try {
    const words = shellWords(args[0]);
    return words.length ? words : args;
  } catch {
    return null;
  }
}

/** `--pip-args` split as pipx splits it: a pair of single quotes around the whole value is
 * dropped first, then shell words. */
function pipArgs(
  request: InstallRequest,
  text: string,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): void {
  if (
    text.length > 1 &&
    text[0] === "'" &&
    text.indexOf("'", 1) === text.length - 1
  ) {
    text = text.slice(1, -1);
  }
  let words: string[];
  try {
    words = shellWords(text);
  } catch {
    request.problems.push({
      text: 'pipx --pip-args cannot be parsed',
      place: context.place
    });
    return;
  }
  merge(request, ['install', ...words], context, env);
  pathsFromVenv(request, ['install', ...words], '--pip-args', context.place);
}

/** pipx runs pip (or uv) in the venv folder, so a relative path in its pip arguments is found
 * there, not where Warden reads it from (pipx makes only its own spec and the exact `-c`/`-f`
 * spellings of the main install absolute): refused (the kernel's `_paths_from_venv`). */
function pathsFromVenv(
  request: InstallRequest,
  args: string[],
  label: string,
  place: Place
): void {
  for (const file of pipPathsFromCwd(args)) {
    request.problems.push({
      text: `pipx ${label}: '${file}' is a relative path, which pipx's pip resolves from the venv folder it runs in, not from the working directory; give an absolute path`,
      place
    });
  }
}

function merge(
  request: InstallRequest,
  args: string[],
  context: CommandContext,
  env: Readonly<Record<string, string>>
): void {
  const inner = pipRequest(args, { ...context, env });
  if (inner) {
    request.requirements.push(...inner.requirements);
    request.sources.push(...inner.sources);
    request.problems.push(...inner.problems);
    for (const t of inner.tls ?? []) {
      addTls(request, t.kind, t.value, t.place);
    }
    request.order = [...(request.order ?? []), ...(inner.order ?? [])];
    request.pre = [...(request.pre ?? []), ...(inner.pre ?? [])];
    request.noIndex = request.noIndex || inner.noIndex;
  }
}

/** pipxHomes for this command, or null when the static side cannot tell them: the install is
 * then refused, once, naming why (every caller fails closed on null). */
function homesOrRefuse(
  request: InstallRequest,
  line: PipxLine,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): string[] | null {
  try {
    return pipxHomes(
      env,
      optionValues(line, 'is_global').length > 0,
      context.cwd
    );
  } catch (e) {
    const text = `${(e as Error).message}; ${INSTEAD}`;
    if (!request.problems.some(p => p.text === text)) {
      request.problems.push({ text, place: context.place });
    }
    return null;
  }
}

/** The folders pipx keeps its venvs under (pipx's paths.py). A PIPX_HOME is expanded as
 * pipx's `Path(value).expanduser().absolute()`; one the static side cannot expand (`~name`)
 * throws. */
export function pipxHomes(
  env: Readonly<Record<string, string>>,
  isGlobal: boolean,
  cwd: string
): string[] {
  const home = env.HOME || '~';
  // pipx's own working directory is the command's
  const expand = (p: string) => {
    const expanded = expandUser(p, env);
    if (expanded === null) {
      throw new Error(
        `pipx expands ${p} with a home folder the static check cannot tell`
      );
    }
    return path.resolve(cwd, expanded);
  };
  if (isGlobal) {
    return [expand(env.PIPX_GLOBAL_HOME || '/opt/pipx')];
  }
  if (env.PIPX_HOME) {
    return [expand(env.PIPX_HOME)];
  }
  // platformdirs: a blank value is no value, and no ~ is expanded
  const xdg = env.XDG_DATA_HOME ?? '';
  const data = xdg.trim()
    ? path.resolve(cwd, xdg)
    : path.join(home, '.local', 'share');
  return [path.join(data, 'pipx'), path.join(home, '.local', 'pipx')];
}

/** The venv records pipx reuses: `pipx upgrade NAME` reinstalls the packages and pip
 * arguments recorded in the venv's metadata (a missing record is refused); `pipx inject VENV`
 * and `pipx install NAME` on an existing venv reuse the recorded pip arguments when none are
 * given (read when present). */
function records(
  request: InstallRequest,
  line: PipxLine,
  key: string,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): void {
  const homes = homesOrRefuse(request, line, context, env);
  if (homes === null) {
    return;
  }
  let names: string[] = [];
  if (key === 'upgrade') {
    names = line.positionals;
  } else if (key === 'inject') {
    names = line.positionals.slice(0, 1);
  } else if (key === 'install') {
    names = installVenvNames(request, line);
    unnamedReinstall(request, line, context);
  }
  for (const name of names) {
    const paths: string[] = [];
    for (const home of homes) {
      for (const folder of new Set([name, normalize(name)])) {
        paths.push(path.join(home, 'venvs', folder, 'pipx_metadata.json'));
      }
    }
    const found: Array<[string, string]> = [];
    for (const file of paths) {
      try {
        found.push([file, context.readFile(file)]);
      } catch {
        // not there: pipx looks in the next place
      }
    }
    if (!found.length && key === 'upgrade') {
      request.problems.push({
        text: `pipx upgrade ${name}: its record ${paths[0]} was not found, and pipx reuses the pip arguments recorded there; ${INSTEAD}`,
        place: context.place
      });
    }
    for (const [file, text] of found) {
      record(request, file, text, context, env);
    }
  }
}

/** `pipx install --force|--upgrade SPEC` with a spec Warden cannot name (a path, URL or VCS
 * spec): pipx names it by building it and, when a venv of that name exists, reinstalls with
 * the pip arguments recorded there, a record Warden cannot find (red6 F11). The kernel refuses
 * it while any venv exists in a pipx home; the static side cannot list folders, so it always
 * refuses (fail closed). */
function unnamedReinstall(
  request: InstallRequest,
  line: PipxLine,
  context: CommandContext
): void {
  const unnamed = request.requirements.filter(r => !r.name).map(r => r.text);
  const forced = line.options
    .filter(([dest]) => dest === 'force' || dest === 'upgrade')
    .map(([, option]) => option);
  if (unnamed.length && forced.length) {
    request.problems.push({
      text: `pipx install ${forced[0]} ${redactUrl(unnamed[0])}: pipx names this spec only by building it and may reuse the recorded arguments of an existing venv, which Warden cannot find; install it by its name, or ${INSTEAD}`,
      place: context.place
    });
  }
}

function record(
  request: InstallRequest,
  file: string,
  text: string,
  context: CommandContext,
  env: Readonly<Record<string, string>>
): void {
  const place = context.place;
  try {
    const doc = JSON.parse(text);
    const injected = Object.values(doc.injected_packages ?? {});
    for (const info of [doc.main_package, ...injected] as Array<
      Record<string, unknown>
    >) {
      const spec = info.package_or_url;
      const args = info.pip_args ?? [];
      if (
        typeof spec !== 'string' ||
        !Array.isArray(args) ||
        !args.every(a => typeof a === 'string')
      ) {
        throw new TypeError('package_or_url or pip_args');
      }
      if (info.lock_file) {
        request.problems.push({
          text: `${file} records a lock file, which Warden does not read`,
          place
        });
      }
      merge(request, ['install', ...(args as string[]), spec], context, env);
      pathsFromVenv(
        request,
        ['install', ...(args as string[])],
        `record ${file}`,
        place
      );
    }
    if (!BACKENDS.includes(doc.backend ?? 'pip')) {
      request.problems.push({
        text: `${file} records a backend Warden does not know`,
        place
      });
    }
  } catch (e) {
    request.problems.push({
      text: `pipx record ${file} cannot be read (${(e as Error).name ?? 'Error'}), and pipx reuses the pip arguments recorded there; ${INSTEAD}`,
      place
    });
  }
}
