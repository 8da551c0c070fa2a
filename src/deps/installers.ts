/**
 * The arguments of pip, uv, conda and mamba, read into an `InstallRequest` (a port of the
 * kernel's `installs/arguments.py` and the environment part of `installs/sources.py`).
 *
 * pip's optparse accepts any unambiguous prefix of a long option (`--extra-index` is
 * `--extra-index-url`); Warden resolves prefixes against the same table, and an option it does
 * not know is a problem (refused, saying so) rather than a guess. Statically there is no
 * machine to read pip.conf or .condarc from: the environment a command line sets (and the
 * one a caller passes) is read; pip's default index (PyPI) and conda's `defaults` channel are
 * decided like any other source.
 */
import * as path from 'node:path';
import { normalize } from './names';
import {
  COMMAND_LINE,
  newRequest,
  type InstallRequest,
  type Place,
  type Requirement
} from './request';
import {
  findProject,
  readGroupInto,
  readProjectInto,
  readPyprojectInto,
  readScriptInto,
  readUvProjectConfig
} from './projectfiles';
import {
  parseRequirement,
  readFileInto,
  type FileContext
} from './requirements';

// pip long options (install, download, wheel, lock and the general ones): takes a value?
const PIP_VALUED = `requirement constraint editable index-url extra-index-url find-links
  trusted-host only-binary no-binary upgrade-strategy config-settings global-option
  build-option install-option target prefix root src platform python-version implementation
  abi dest wheel-dir output root-user-action report progress-bar group all-releases
  only-final exists-action python log log-file keyring-provider proxy retries timeout cert
  client-cert cache-dir use-feature use-deprecated resume-retries uploaded-prior-to`;
const PIP_FLAGS = `no-index pre prefer-binary require-hashes no-deps upgrade force-reinstall
  ignore-installed ignore-requires-python no-build-isolation use-pep517 no-use-pep517
  check-build-dependencies break-system-packages compile no-compile no-warn-script-location
  no-warn-conflicts user dry-run no-clean only-deps isolated require-virtualenv verbose
  version quiet no-input no-cache-dir disable-pip-version-check no-color
  no-python-version-warning debug help`;
export const PIP_LONG: ReadonlyMap<string, boolean> = new Map([
  ...PIP_VALUED.split(/\s+/).map(n => [`--${n}`, true] as [string, boolean]),
  ...PIP_FLAGS.split(/\s+/).map(n => [`--${n}`, false] as [string, boolean])
]);
const PIP_SHORT: Record<string, boolean> = {
  r: true, c: true, e: true, i: true, f: true, U: false, t: true, d: true,
  w: true, v: false, V: false, q: false, h: false, C: true, o: true
}; // prettier-ignore
const SHORT_TO_LONG: Record<string, string> = {
  r: '--requirement', c: '--constraint', e: '--editable', i: '--index-url', f: '--find-links'
}; // prettier-ignore
const PIP_INSTALLING = ['install', 'download', 'wheel', 'lock'];

// uv and conda: options that take a value (others are flags). A flag listed here would
// swallow the package after it (`uv add --dev pkg` read as no package at all), so only
// options that take a value in every uv command belong here; an unlisted valued option
// only makes its value read as one more requirement (stricter).
const UV_VALUED = new Set(
  `-r --requirement -c --constraint --override -e --editable -i --index-url
  --extra-index-url --index --default-index -f --find-links -p --python --target --prefix
  --index-strategy --resolution --prerelease --keyring-provider --cache-dir --directory
  --project --config-file --with --with-requirements --from --group --extra --optional
  --package --exclude-newer --link-mode -C --config-setting --python-platform
  --python-version --color --allow-insecure-host --script --branch --tag --rev
  --marker -m -b --build-constraints --build-constraint`.split(/\s+/)
);
// per command where uv differs: `uv run --script` / `-s` is a flag (the script is the first
// positional word), while `uv add|remove|lock|tree|export|sync --script PATH` take a value
const UV_RUN_VALUED = new Set([...UV_VALUED].filter(o => o !== '--script'));
const CONDA_VALUED = new Set(
  `-n --name -p --prefix -c --channel --file -f --repodata-fn --solver --experimental
  --subdir --platform`.split(/\s+/)
);
const CONDA_INSTALLING = ['install', 'create', 'update', 'upgrade'];

/** Where the command is, for the findings its arguments give (a cell's line, a file's). */
export interface CommandContext extends FileContext {
  cwd: string;
  place: Place;
}

/** `option` (without `=value`) as pip's optparse would resolve it, or null. */
export function resolvePipLong(option: string): string | null {
  if (PIP_LONG.has(option)) {
    return option;
  }
  const matches = [...PIP_LONG.keys()].filter(n => n.startsWith(option));
  return matches.length === 1 ? matches[0] : null;
}

type Word = ['arg', string, null] | ['opt', string, string | null];

function pipWords(args: string[]): Word[] | string {
  const out: Word[] = [];
  let i = 0;
  let onlyArgs = false;
  while (i < args.length) {
    const word = args[i++];
    if (onlyArgs || !word.startsWith('-') || word === '-') {
      out.push(['arg', word, null]);
      continue;
    }
    if (word === '--') {
      onlyArgs = true;
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      let value: string | null = eq < 0 ? null : word.slice(eq + 1);
      const long = resolvePipLong(name);
      if (long === null) {
        return `pip option ${name} is unknown or ambiguous to Warden`;
      }
      if (PIP_LONG.get(long) && value === null) {
        if (i >= args.length) {
          return `pip option ${long} needs a value`;
        }
        value = args[i++];
      }
      out.push(['opt', long, PIP_LONG.get(long) ? value : null]);
      continue;
    }
    // short options, possibly bundled (-qU) or with an attached value (-rreq.txt)
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      if (!(letter in PIP_SHORT)) {
        return `pip option -${letter} is unknown to Warden`;
      }
      if (PIP_SHORT[letter]) {
        let value = word.slice(j + 1);
        if (!value) {
          if (i >= args.length) {
            return `pip option -${letter} needs a value`;
          }
          value = args[i++];
        }
        out.push(['opt', SHORT_TO_LONG[letter] ?? `-${letter}`, value]);
        break;
      }
      out.push(['opt', `-${letter}`, null]);
    }
  }
  return out;
}

/** pip's command and its first argument (`['config', 'set']`); null for what is missing
 * (`pip --version`). */
export function pipCommand(args: string[]): [string | null, string | null] {
  const words = pipWords(args);
  if (typeof words === 'string') {
    return ['<unreadable>', null];
  }
  const found = words.filter(w => w[0] === 'arg').map(w => w[1]);
  return [found[0] ?? null, found[1] ?? null];
}

/** The install `pip <args>` would run, or null when the command installs nothing. */
export function pipRequest(
  args: string[],
  context: CommandContext,
  tool: 'pip' | 'uv' = 'pip'
): InstallRequest | null {
  const words = pipWords(args);
  if (typeof words === 'string') {
    const request = newRequest(tool, 'pip');
    request.problems.push({ text: words, place: context.place });
    return request;
  }
  const command = words.find(w => w[0] === 'arg')?.[1];
  if (command === undefined || !PIP_INSTALLING.includes(command)) {
    return null;
  }
  const request = newRequest(tool, `pip ${command}`);
  let seenCommand = false;
  for (const [kind, option, value] of words) {
    if (kind === 'arg') {
      if (seenCommand) {
        request.requirements.push(parseRequirement(option, context.place));
      }
      seenCommand = true;
      continue;
    }
    applyIndexOption(request, option, value ?? '', context);
  }
  return request;
}

function applyIndexOption(
  request: InstallRequest,
  option: string,
  value: string,
  context: CommandContext
): void {
  const place = context.place;
  const file = () =>
    value.includes('://') ? value : path.resolve(context.cwd, value);
  if (request.tool === 'uv' && UV_FILE_OPTIONS.includes(option)) {
    uvReadFile(
      request,
      value,
      context,
      !['-r', '--requirement', '--with-requirements'].includes(option)
    );
  } else if (['--requirement', '-r', '--with-requirements'].includes(option)) {
    readFileInto(request, file(), context, place);
  } else if (['--constraint', '-c', '--override'].includes(option)) {
    readFileInto(request, file(), context, place, true);
  } else if (['--editable', '-e', '--with', '--from'].includes(option)) {
    for (const part of option === '--with' ? value.split(',') : [value]) {
      request.requirements.push(parseRequirement(part, place));
    }
  } else if (['--index-url', '-i', '--default-index'].includes(option)) {
    request.sources.push({ url: value, role: 'index', place });
  } else if (option === '--extra-index-url' || option === '--index') {
    // uv's --index takes [name=]url
    const url =
      option === '--index' && value.includes('=')
        ? value.slice(value.indexOf('=') + 1)
        : value;
    request.sources.push({ url, role: 'extra-index', place });
  } else if (option === '--find-links' || option === '-f') {
    request.sources.push({ url: value, role: 'find-links', place });
  } else if (option === '--no-index') {
    request.noIndex = true;
  } else if (option === '--group' && request.tool === 'pip') {
    readGroupInto(request, value, context);
  }
}

/** A file given to uv's `-r`/`-c`/`--override`/`--with-requirements`, read as uv reads it: uv
 * picks the format by the file name, so a `pyproject.toml` is project metadata (its
 * dependencies, not its lines); `setup.py`/`setup.cfg`/other TOML (pylock) or scripts cannot be
 * read without running or parsing them as uv does: refused. */
function uvReadFile(
  request: InstallRequest,
  value: string,
  context: CommandContext,
  constraint = false
): void {
  const base = path.basename(value);
  const full = value.includes('://') ? value : path.resolve(context.cwd, value);
  if (base === 'pyproject.toml' && !value.includes('://')) {
    readPyprojectInto(request, full, context);
  } else if (
    ['setup.py', 'setup.cfg'].includes(base) ||
    base.endsWith('.toml') ||
    base.endsWith('.py')
  ) {
    request.problems.push({
      text: `uv reads ${base} as project metadata, which Warden cannot read without running it: list the requirements in a requirements file or a pyproject.toml`,
      place: context.place
    });
  } else {
    readFileInto(request, full, context, context.place, constraint);
  }
}

// uv's global options that move where uv reads its project and config from: Warden reads
// them from the caller's folder only, so they are refused (anywhere on the line).
const UV_DIRECTORY_OPTIONS = ['--directory', '--project'];
// uv commands that install and resolve nothing (deny by default: any other command, or an
// unknown one, is decided or refused).
const UV_HARMLESS = ['help', 'cache', 'generate-shell-completion'];
const UV_HARMLESS_SUB = new Map<string, string[]>([
  ['pip', ['list', 'freeze', 'show', 'uninstall', 'check', 'tree']],
  ['tool', ['list', 'uninstall', 'dir', 'update-shell']],
  ['python', ['list', 'find', 'pin', 'dir', 'uninstall']],
  ['self', ['version']]
]);
// project commands that lock (and may build sdists or sync) from the project's index
const UV_PROJECT_COMMANDS = ['sync', 'lock', 'remove', 'tree', 'export'];

function uvRefused(command: string, context: CommandContext): InstallRequest {
  const request = newRequest('uv', command);
  request.problems.push({
    text: `\`${command}\` may resolve, build or install packages and Warden does not read what it would install: run an install command Warden reads (uv pip install, uv sync, uv add)`,
    place: context.place
  });
  return request;
}

/** The install a uv command line may run (the kernel's `uv_request`): `uv pip
 * install|sync|compile`, `uv add`, `uv tool install|run`, `uvx`, `uv run`, and the project
 * commands that lock or sync (`uv sync|lock|remove|tree|export`); null for the commands listed
 * as harmless; any other command is refused (deny by default). */
export function uvRequest(
  args: string[],
  context: CommandContext
): InstallRequest | null {
  const moved = [
    ...new Set(
      args
        .map(a => a.split('=')[0])
        .filter(a => UV_DIRECTORY_OPTIONS.includes(a))
    )
  ].sort();
  let request = uvCommand(args, context);
  if (moved.length) {
    request = request ?? newRequest('uv', 'uv');
    request.problems.push({
      text: `uv ${moved.join(', ')} makes uv read its project and config from another folder, which Warden does not follow: run the install from that folder`,
      place: context.place
    });
  }
  return request;
}

/** `uv <global options> <command>`: the command, then the global options applied to it. */
function uvAfterGlobalOptions(
  leading: string[],
  rest: string[],
  context: CommandContext
): InstallRequest | null {
  const request = uvCommand(rest, context);
  if (!request) {
    return null;
  }
  for (const [name, value] of optionWords(
    request,
    'uv',
    leading,
    UV_VALUED,
    context.place
  )) {
    if (name === '--config-file') {
      request.problems.push({
        text: "uv --config-file: Warden does not read uv's configuration files (its index settings could point anywhere)",
        place: context.place
      });
    } else if (
      name !== null &&
      name !== '--directory' &&
      name !== '--project'
    ) {
      applyUvOption(request, name, value, context);
    }
  }
  return request;
}

function uvCommand(
  args: string[],
  context: CommandContext
): InstallRequest | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  if (start > 0) {
    return uvAfterGlobalOptions(
      args.slice(0, start),
      args.slice(start),
      context
    );
  }
  if (!args.length || UV_HARMLESS.includes(args[0])) {
    return null; // `uv --version`, `uv help`, `uv cache clean`
  }
  const sub = args.slice(1).find(a => !a.startsWith('-'));
  if (sub !== undefined && (UV_HARMLESS_SUB.get(args[0]) ?? []).includes(sub)) {
    return null;
  }
  if (
    args[0] === 'version' &&
    args
      .slice(1)
      .every(a => ['--short', '--output-format', 'json', 'text'].includes(a))
  ) {
    return null; // shows the project version; with --bump or a value it locks and syncs
  }
  const seed = !['', '0', 'false', 'no', 'off'].includes(
    (context.env.UV_VENV_SEED ?? '').trim().toLowerCase()
  );
  if (
    args[0] === 'venv' &&
    !seed &&
    !args.slice(1).some(a => a.startsWith('--seed'))
  ) {
    return null; // an empty environment (--seed installs pip/setuptools from the index)
  }
  let request: InstallRequest;
  let positionalAreFiles = false;
  let rest: string[];
  if (args[0] === 'pip' && args.length > 1) {
    if (!['install', 'sync', 'compile'].includes(args[1])) {
      return uvRefused(`uv pip ${args[1]}`, context);
    }
    request = newRequest('uv', `uv pip ${args[1]}`);
    positionalAreFiles = args[1] !== 'install';
    rest = args.slice(2);
  } else if (args[0] === 'add') {
    request = newRequest('uv', 'uv add');
    rest = args.slice(1);
  } else if (
    (args[0] === 'tool' && ['install', 'run'].includes(args[1])) ||
    args[0] === 'x'
  ) {
    request = newRequest('uv', args[0] === 'x' ? 'uvx' : `uv tool ${args[1]}`);
    const first = uvLeading(
      request,
      args.slice(args[0] === 'x' ? 1 : 2),
      context
    );
    if (first !== null) {
      request.requirements.push(parseRequirement(first, context.place));
    }
    return request;
  } else if (args[0] === 'run') {
    return uvRun(args.slice(1), context);
  } else if (UV_PROJECT_COMMANDS.includes(args[0])) {
    return uvSync(args.slice(1), context, `uv ${args[0]}`);
  } else {
    return uvRefused(`uv ${args.slice(0, 2).join(' ')}`, context);
  }
  let files = 0;
  for (const [name, value] of optionWords(
    request,
    'uv',
    rest,
    UV_VALUED,
    context.place
  )) {
    if (name === null && positionalAreFiles) {
      files++;
      uvReadFile(request, value!, context);
    } else if (name === null) {
      request.requirements.push(parseRequirement(value!, context.place));
    } else {
      files += UV_FILE_OPTIONS.includes(name) ? 1 : 0;
      applyUvOption(request, name, value, context);
    }
  }
  if (!request.requirements.length && !files && !request.problems.length) {
    // Every installing uv command names a package or a file; finding neither means
    // Warden misread the options, so it cannot say what would be installed.
    request.problems.push({
      text: `no package found in \`${request.command}\``,
      place: context.place
    });
  }
  return request;
}

/** `uv sync` (and the commands that lock like it): the project's dependencies (or `--script
 * FILE`'s inline ones). Positional words (`uv remove P`) are ignored: the whole project is
 * decided (stricter). */
function uvSync(
  args: string[],
  context: CommandContext,
  command = 'uv sync'
): InstallRequest {
  const request = newRequest('uv', command);
  let script: string | null = null;
  for (const [name, value] of optionWords(
    request,
    'uv',
    args,
    UV_VALUED,
    context.place
  )) {
    if (name === '--script') {
      script = value;
    } else if (name !== null) {
      applyUvOption(request, name, value, context);
    }
  }
  if (script !== null) {
    if (!readScriptInto(request, script, context)) {
      request.problems.push({
        text: `${command} --script: ${path.basename(script)} has no \`# /// script\` block Warden can read`,
        place: context.place
      });
    }
  } else {
    readProjectInto(request, context);
  }
  return request;
}

/** `uv run [--with X] [--script] FILE|CMD`: a script's PEP 723 dependencies, else the project
 * uv syncs before running (unless `--no-project` / `--no-sync` / `--isolated`). */
function uvRun(args: string[], context: CommandContext): InstallRequest | null {
  const request = newRequest('uv', 'uv run');
  let target: string | null = null;
  let noProject = false;
  for (const [name, value] of optionWords(
    request,
    'uv',
    args,
    UV_RUN_VALUED,
    context.place
  )) {
    if (name === null) {
      target = value;
      break;
    }
    if (['--no-project', '--no-sync', '--isolated'].includes(name)) {
      noProject = true;
    }
    applyUvOption(request, name, value, context);
  }
  const isScript = target !== null && readScriptInto(request, target, context);
  if (!isScript && !noProject && findProject(context.cwd, context) !== null) {
    readProjectInto(request, context);
  }
  return request.requirements.length ||
    request.sources.length ||
    request.problems.length
    ? request
    : null;
}

/** The command `uv [global opts] run [opts] CMD...` runs, or null. */
export function uvRunCommand(args: string[]): string[] | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  if (args[start] !== 'run') {
    return null;
  }
  const rest = args.slice(start + 1);
  let i = 0;
  while (i < rest.length && rest[i].startsWith('-') && rest[i] !== '-') {
    const eq = rest[i].indexOf('=');
    const name = eq < 0 ? rest[i] : rest[i].slice(0, eq);
    if (name === '--') {
      i++;
      break;
    }
    i += UV_RUN_VALUED.has(name) && eq < 0 ? 2 : 1;
  }
  return rest.slice(i);
}

/** Options whose value is a file of requirements. */
const UV_FILE_OPTIONS = [
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '--override',
  '-b',
  '--build-constraints',
  '--build-constraint',
  '--with-requirements'
];

/**
 * `[option, value]` for each option (value null for a flag) and `[null, word]` for each
 * positional word of a uv or conda command line, values taken as `valued` says. Short
 * options may be bundled or carry their value (`-qU`, `-ihttps://...`, `-rreq.txt`), as clap
 * and argparse read them. A missing value, or another option where a value belongs
 * (Warden's table and the tool disagree), is a problem and ends the reading.
 */
function* optionWords(
  request: InstallRequest,
  tool: string,
  args: string[],
  valued: Set<string>,
  place: Place
): Generator<[string | null, string | null]> {
  for (let i = 0; i < args.length;) {
    const word = args[i++];
    if (!word.startsWith('-') || word === '-') {
      yield [null, word];
      continue;
    }
    let name: string | null = null;
    if (word.startsWith('--') || word.length === 2 || word[2] === '=') {
      const eq = word.indexOf('=');
      name = eq < 0 ? word : word.slice(0, eq);
      if (!valued.has(name)) {
        yield [name, null];
        continue;
      }
      if (eq >= 0) {
        yield [name, word.slice(eq + 1)];
        continue;
      }
    } else {
      for (let k = 1; k < word.length; k++) {
        const option = '-' + word[k];
        if (!valued.has(option)) {
          yield [option, null];
        } else if (k + 1 < word.length) {
          yield [option, word.slice(k + 1)];
          break;
        } else {
          name = option; // its value is the next word
        }
      }
      if (name === null) {
        continue;
      }
    }
    if (i >= args.length) {
      request.problems.push({
        text: `${tool} option ${name} needs a value`,
        place
      });
      return;
    }
    if (args[i].startsWith('-') && args[i] !== '-') {
      request.problems.push({
        text: `${tool} option ${name} is followed by ${args[i]}, not a value`,
        place
      });
      return;
    }
    yield [name, args[i++]];
  }
}

// uv's commands: those that install and those that do not, to find the command after global
// options (an unknown valued global option must not make `uv --x v pip install P` unread).
const UV_COMMANDS = new Set(
  `pip add tool x run sync lock remove tree venv python cache self version help init export
  build publish format generate-shell-completion auth check audit
  workspace`.split(/\s+/)
);
const CONDA_COMMANDS = new Set(
  `install create update upgrade env remove uninstall list info search config clean run init
  activate deactivate export shell self-update repoquery doctor notices package compare rename
  help`.split(/\s+/)
);
// options that only come before the command (micromamba's root prefix, config files)
const CONDA_GLOBAL_VALUED = new Set([
  ...CONDA_VALUED,
  '-r',
  '--root-prefix',
  '--rc-file',
  '--log-level'
]);

/**
 * Where the command starts after leading global options: past each option (and its value,
 * as `valued` says); a word that is no command there (the value of a valued option Warden
 * does not know) is skipped up to the next command word.
 */
function subcommandStart(
  args: string[],
  valued: Set<string>,
  commands: Set<string>
): number {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const eq = args[i].indexOf('=');
    const name = eq < 0 ? args[i] : args[i].slice(0, eq);
    i++;
    if (valued.has(name) && eq < 0) {
      i++;
    }
  }
  if (i === 0 || i >= args.length || commands.has(args[i])) {
    return i;
  }
  for (let j = i; j < args.length; j++) {
    if (commands.has(args[j])) {
      return j;
    }
  }
  return i;
}

function applyUvOption(
  request: InstallRequest,
  name: string,
  value: string | null,
  context: CommandContext
): void {
  if (name === '--no-index') {
    request.noIndex = true;
  } else if (name === '--no-config') {
    request.uvNoConfig = true;
  } else if (name === '--config-file') {
    // statically there is no machine to read uv's config from (the kernel reads it)
    request.problems.push({
      text: "uv --config-file: Warden does not read uv's configuration files statically (its index settings could point anywhere)",
      place: context.place
    });
  } else if (value !== null) {
    applyIndexOption(request, name, value, context);
  }
}

/** The uv command after the global options (`pip`, `run`, `x`, ...), or null. */
export function uvSubcommand(args: string[]): string | null {
  return args[subcommandStart(args, UV_VALUED, UV_COMMANDS)] ?? null;
}

/**
 * The command `uvx [opts] TOOL ARGS` / `uv [global opts] tool run [opts] TOOL ARGS` runs (`args`
 * as uvRequest takes them), or null: the tool's executable (TOOL's name without `@version`,
 * extras or specifier; with `--from SPEC`, TOOL itself) and ARGS. Red team 7 R7-6: `uvx uv pip
 * install --index-url EVIL x`.
 */
export function uvToolCommand(args: string[]): string[] | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  let rest: string[];
  if (args[start] === 'x') {
    rest = args.slice(start + 1);
  } else if (args[start] === 'tool' && args[start + 1] === 'run') {
    rest = args.slice(start + 2);
  } else {
    return null;
  }
  let i = 0;
  let hasFrom = false;
  while (i < rest.length) {
    const word = rest[i];
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      break;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    hasFrom ||= name === '--from';
    if (word.startsWith('--') || word.length === 2) {
      i += UV_VALUED.has(name) && eq < 0 ? 2 : 1;
      continue;
    }
    i++; // a bundle of short options: the first valued one takes the rest of the word
    for (let k = 1; k < word.length; k++) {
      if (UV_VALUED.has('-' + word[k])) {
        i += k + 1 === word.length ? 1 : 0;
        break;
      }
    }
  }
  if (i >= rest.length) {
    return null;
  }
  let tool = rest[i];
  if (!hasFrom) {
    const named = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(tool);
    if (named && '@[=<>!~; '.includes(tool.charAt(named[0].length))) {
      tool = named[0];
    }
  }
  return [tool, ...rest.slice(i + 1)];
}

/** Apply the leading options; return the first positional word (the tool or script). */
function uvLeading(
  request: InstallRequest,
  args: string[],
  context: CommandContext
): string | null {
  for (const [name, value] of optionWords(
    request,
    'uv',
    args,
    UV_VALUED,
    context.place
  )) {
    if (name === null) {
      return value;
    }
    applyUvOption(request, name, value, context);
  }
  return null;
}

/** `conda|mamba install|create|update` (`conda env create -f` files: see threat model). */
export function condaRequest(
  tool: 'conda' | 'mamba' | 'micromamba',
  args: string[],
  context: CommandContext,
  readEnvironmentFile?: (request: InstallRequest, fullPath: string) => void
): InstallRequest | null {
  const start = subcommandStart(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS);
  if (start > 0) {
    const request = condaRequest(
      tool,
      args.slice(start),
      context,
      readEnvironmentFile
    );
    if (request) {
      for (const [name] of optionWords(
        request,
        tool,
        args.slice(0, start),
        CONDA_GLOBAL_VALUED,
        context.place
      )) {
        if (name === '--rc-file') {
          request.problems.push({
            text: `${tool} --rc-file: Warden does not read conda configuration files (their channels could point anywhere)`,
            place: context.place
          });
        }
      }
    }
    return request;
  }
  let command: string;
  let rest: string[];
  let envFile = false;
  if (args[0] === 'env' && ['create', 'update'].includes(args[1])) {
    command = `${tool} env ${args[1]}`;
    rest = args.slice(2);
    envFile = true;
  } else if (args.length > 0 && CONDA_INSTALLING.includes(args[0])) {
    command = `${tool} ${args[0]}`;
    rest = args.slice(1);
  } else {
    return null;
  }
  const request = newRequest(tool, command);
  const place = context.place;
  for (const [name, value] of optionWords(
    request,
    tool,
    rest,
    CONDA_VALUED,
    place
  )) {
    if (name === null) {
      request.requirements.push(condaSpec(value!, place, request));
    } else if (name === '-c' || name === '--channel') {
      request.sources.push({ url: value!, role: 'channel', place });
    } else if ((name === '--file' || name === '-f') && envFile) {
      if (readEnvironmentFile) {
        readEnvironmentFile(request, path.resolve(context.cwd, value!));
      } else {
        condaSpecFile(request, path.resolve(context.cwd, value!), context);
      }
    } else if (name === '--file' || name === '-f') {
      // micromamba's -f is --file; conda has no -f here, so reading it is only stricter.
      condaSpecFile(request, path.resolve(context.cwd, value!), context);
    } else if (name === '--override-channels') {
      request.overrideChannels = true;
    }
  }
  return request;
}

/** `[channel::]name[=version[=build]]` or a match spec with an operator. */
export function condaSpec(
  raw: string,
  place: Place,
  request: InstallRequest
): Requirement {
  let word = raw;
  if (word.includes('::')) {
    const channel = word.slice(0, word.indexOf('::'));
    word = word.slice(word.indexOf('::') + 2);
    request.sources.push({ url: channel, role: 'channel', place });
  }
  const m = /^([A-Za-z0-9_.-]+)\s*(.*)$/s.exec(word.trim());
  if (!m) {
    return { text: word, name: null, kind: 'invalid', place, pin: null };
  }
  let pin = m[2].startsWith('=') ? m[2].replace(/^=+/, '') : null;
  if (pin && /[*<>,|]/.test(pin)) {
    pin = null;
  }
  return {
    text: word,
    name: normalize(m[1]),
    kind: 'conda',
    place,
    pin: pin ? pin.split('=')[0] : null
  };
}

function condaSpecFile(
  request: InstallRequest,
  fullPath: string,
  context: CommandContext
): void {
  let text: string;
  try {
    text = context.readFile(fullPath);
  } catch (e) {
    request.problems.push({
      text: `cannot read ${path.basename(fullPath)}: ${(e as Error).message}`,
      place: context.place
    });
    return;
  }
  const label = context.label(fullPath);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.split('#')[0].trim();
    if (line && !line.startsWith('@')) {
      const place = {
        file: label,
        line: i + 1,
        origin: `${label} line ${i + 1}`
      };
      request.requirements.push(condaSpec(line, place, request));
    }
  });
}

// --- where an installer looks besides its command line: the environment ----------------

const SOURCE_KEYS: Record<string, 'index' | 'extra-index' | 'find-links'> = {
  'index-url': 'index',
  'extra-index-url': 'extra-index',
  'find-links': 'find-links'
};
/** pip settings that change neither what is installed nor where it comes from. */
const INERT_KEYS = new Set(
  `no-cache-dir cache-dir disable-pip-version-check no-input quiet verbose timeout
  default-timeout retries progress-bar root-user-action no-color no-warn-script-location
  no-warn-conflicts require-virtualenv break-system-packages trusted-host cert client-cert
  proxy keyring-provider log log-file no-python-version-warning target user prefix root
  upgrade upgrade-strategy no-deps pre prefer-binary only-binary no-binary require-hashes
  no-compile compile exists-action src isolated config-file version help force-reinstall
  ignore-installed no-build-isolation use-pep517 no-clean dry-run use-feature use-deprecated
  format platform python-version implementation abi ignore-requires-python`.split(
    /\s+/
  )
);
const TRUE = ['1', 'true', 'yes', 'on', 'y', 't'];

const splitList = (value: string) =>
  value.replace(/,/g, ' ').split(/\s+/).filter(Boolean);

// uv's environment variables (the kernel's `sources.py`), each decided consciously: read
// (sources, files of requirements), read elsewhere, or inert; any other `UV_*` variable
// refuses the install (deny by default), as pip settings do.
const UV_SOURCE_VARS: Array<[string, 'index' | 'extra-index' | 'find-links']> =
  [
    ['UV_INDEX_URL', 'index'],
    ['UV_DEFAULT_INDEX', 'index'],
    ['UV_EXTRA_INDEX_URL', 'extra-index'],
    ['UV_INDEX', 'extra-index'],
    ['UV_FIND_LINKS', 'find-links']
  ];
/** space-separated files, read like --override / --constraint / --build-constraint files */
const UV_FILE_VARS = ['UV_OVERRIDE', 'UV_CONSTRAINT', 'UV_BUILD_CONSTRAINT'];
const UV_KNOWN_VARS = new Set([
  ...UV_SOURCE_VARS.map(([v]) => v),
  ...UV_FILE_VARS,
  'UV_NO_INDEX',
  'UV_CONFIG_FILE',
  'UV_NO_CONFIG'
]);
/** a uv command refuses these itself; for pipx's uv they are refused with the others */
const UV_DIRECTORY_VARS = ['UV_PROJECT', 'UV_WORKING_DIR'];
const UV_INERT_VARS = new Set(
  `UV_CACHE_DIR UV_NO_CACHE UV_LINK_MODE UV_COMPILE_BYTECODE UV_NO_PROGRESS UV_NO_WRAP
  UV_LOG_CONTEXT UV_STACK_SIZE UV_CONCURRENT_DOWNLOADS UV_CONCURRENT_BUILDS
  UV_CONCURRENT_INSTALLS UV_HTTP_TIMEOUT UV_REQUEST_TIMEOUT UV_HTTP_RETRIES UV_OFFLINE
  UV_NATIVE_TLS UV_SYSTEM_CERTS UV_INSECURE_HOST UV_KEYRING_PROVIDER UV_CREDENTIALS_DIR
  UV_GITHUB_TOKEN UV_NO_HF_TOKEN UV_S3_ENDPOINT_URL UV_GCS_ENDPOINT_URL UV_AZURE_ENDPOINT_URL
  UV_MALWARE_CHECK UV_INDEX_STRATEGY UV_RESOLUTION UV_PRERELEASE UV_FORK_STRATEGY
  UV_EXCLUDE_NEWER UV_EXCLUDE UV_NO_BINARY UV_NO_BINARY_PACKAGE UV_NO_BUILD
  UV_NO_BUILD_PACKAGE UV_NO_BUILD_ISOLATION UV_NO_BUILD_ISOLATION_PACKAGE UV_REQUIRE_HASHES
  UV_NO_VERIFY_HASHES UV_NO_SOURCES UV_NO_SOURCES_PACKAGE UV_NO_EDITABLE UV_UPGRADE
  UV_UPGRADE_PACKAGE UV_REINSTALL UV_REINSTALL_PACKAGE UV_FROZEN UV_LOCKED UV_NO_SYNC
  UV_NO_DEV UV_DEV UV_NO_GROUP UV_NO_DEFAULT_GROUPS UV_NO_INSTALL_PROJECT
  UV_NO_INSTALL_WORKSPACE UV_NO_INSTALL_LOCAL UV_NO_INSTALLER_METADATA UV_ISOLATED
  UV_SHOW_RESOLUTION UV_PREVIEW UV_PREVIEW_FEATURES UV_ENV_FILE UV_NO_ENV_FILE
  UV_RUN_RECURSION_DEPTH UV_CUSTOM_COMPILE_COMMAND UV_INIT_BUILD_BACKEND UV_VENV_CLEAR
  UV_VENV_RELOCATABLE UV_PYTHON UV_PYTHON_PREFERENCE UV_MANAGED_PYTHON UV_NO_MANAGED_PYTHON
  UV_PYTHON_DOWNLOADS UV_PYTHON_INSTALL_DIR UV_PYTHON_BIN_DIR UV_PYTHON_INSTALL_BIN
  UV_PYTHON_INSTALL_REGISTRY UV_PYTHON_CACHE_DIR UV_PYTHON_SEARCH_PATH UV_SYSTEM_PYTHON
  UV_BREAK_SYSTEM_PACKAGES UV_PROJECT_ENVIRONMENT UV_TOOL_DIR UV_TOOL_BIN_DIR
  UV_UNMANAGED_INSTALL UV_INSTALL_DIR UV_NO_MODIFY_PATH UV_CUDA_DRIVER_VERSION
  UV_AMD_GPU_ARCHITECTURE`.split(/\s+/)
);
const UV_INERT_VAR =
  /^(UV_INDEX_\w+_(USERNAME|PASSWORD)|UV_INTERNAL__\w*|UV_PUBLISH_\w+)$/;

/** pip's option name for an environment key (pip's `_normalize_name`). */
export function pipKey(name: string): string {
  const key = name.toLowerCase().replace(/_/g, '-');
  return key.startsWith('--') ? key.slice(2) : key;
}

/** Sources the environment adds, then pip's default index / conda's default channel. */
export function addImplicitSources(
  request: InstallRequest,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): void {
  if (request.tool === 'pip') {
    for (const variable of Object.keys(env).sort()) {
      if (variable.startsWith('PIP_') && variable.length > 4) {
        pipSetting(
          request,
          pipKey(variable.slice(4)),
          env[variable],
          variable,
          context
        );
      }
    }
  }
  if (request.tool === 'uv' || (request.tool === 'pip' && request.alsoUv)) {
    const noIndex = request.noIndex; // uv's UV_NO_INDEX does not stop pip using its index
    for (const [variable, role] of UV_SOURCE_VARS) {
      for (let url of splitList(env[variable] ?? '')) {
        const eq = url.indexOf('=');
        if (eq >= 0 && !url.slice(0, eq).includes('://')) {
          url = url.slice(eq + 1);
        }
        request.sources.push({ url, role, place: envPlace(variable, context) });
      }
    }
    if (TRUE.slice(0, 4).includes((env.UV_NO_INDEX ?? '').toLowerCase())) {
      request.noIndex = true;
    }
    for (const variable of UV_FILE_VARS) {
      for (const file of (env[variable] ?? '').split(/\s+/).filter(Boolean)) {
        uvReadFile(
          request,
          file,
          { ...context, place: envPlace(variable, context) },
          true
        );
      }
    }
    for (const variable of Object.keys(env).sort()) {
      if (
        variable.startsWith('UV_') &&
        env[variable].trim() &&
        !UV_KNOWN_VARS.has(variable) &&
        !(request.tool === 'uv' && UV_DIRECTORY_VARS.includes(variable)) &&
        !UV_INERT_VARS.has(variable) &&
        !UV_INERT_VAR.test(variable)
      ) {
        request.problems.push({
          text: `uv environment variable ${variable} is one Warden does not read; unset it or pass the option on the command line`,
          place: envPlace(variable, context)
        });
      }
    }
    if (!request.uvNoConfig) {
      // from the working directory, and from each folder pipx runs uv in (red6 F2)
      for (const cwd of new Set([
        context.cwd,
        ...(request.uvConfigDirs ?? [])
      ])) {
        readUvProjectConfig(request, { ...context, env, cwd });
      }
    }
    if (request.tool === 'pip') {
      request.noIndex = noIndex;
    }
  }
  if (request.tool !== 'pip' && request.tool !== 'uv') {
    if (request.overrideChannels) {
      if (!request.sources.some(s => s.role === 'channel')) {
        request.problems.push({
          text: '--override-channels without any -c channel',
          place: context.place
        });
      }
      return;
    }
    for (const channel of splitList(env.CONDA_CHANNELS ?? '')) {
      request.sources.push({
        url: channel,
        role: 'channel',
        place: envPlace('CONDA_CHANNELS', context)
      });
    }
    // no .condarc is read statically: conda's default channel, as with none configured
    request.sources.push({
      url: 'defaults',
      role: 'channel',
      place: { ...context.place, origin: "conda's default" }
    });
  }
  if ((request.tool === 'pip' || request.tool === 'uv') && !request.noIndex) {
    if (!request.sources.some(s => s.role === 'index')) {
      request.sources.push({
        url: 'https://pypi.org/simple',
        role: 'default-index',
        place: { ...context.place, origin: "pip's default" }
      });
    }
  }
}

function envPlace(variable: string, context: CommandContext): Place {
  return { ...context.place, origin: `environment variable ${variable}` };
}

function pipSetting(
  request: InstallRequest,
  key: string,
  value: string,
  variable: string,
  context: CommandContext
): void {
  const place = envPlace(variable, context);
  if (key in SOURCE_KEYS) {
    for (const url of splitList(value)) {
      request.sources.push({ url, role: SOURCE_KEYS[key], place });
    }
  } else if (key === 'no-index') {
    request.noIndex =
      request.noIndex || TRUE.includes(value.trim().toLowerCase());
  } else if (key === 'requirement' || key === 'constraint') {
    for (const p of value.split(/\s+/).filter(Boolean)) {
      readFileInto(
        request,
        path.resolve(context.cwd, p),
        context,
        place,
        key === 'constraint'
      );
    }
  } else if (key === 'editable') {
    for (const spec of value.split(/\s+/).filter(Boolean)) {
      request.requirements.push(parseRequirement(spec, place));
    }
  } else if (!INERT_KEYS.has(key)) {
    request.problems.push({
      text: `pip setting '${key}' (environment variable ${variable}) is one Warden does not read; remove it or pass the option on the command line`,
      place
    });
  }
}

export { COMMAND_LINE };
