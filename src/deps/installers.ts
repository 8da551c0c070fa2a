/**
 * The arguments of pip, uv, conda and mamba, read into an `InstallRequest` (a port of the
 * kernel's `installs/arguments.py` and the environment part of `installs/sources.py`).
 *
 * pip's optparse accepts any unambiguous prefix of a long option (`--extra-index` is
 * `--extra-index-url`); Warden resolves prefixes against the same table, and an option it does
 * not know is a problem (refused, saying so) rather than a guess. Statically there is no
 * machine to read the user's or system's pip.conf or .condarc from: the environment a command
 * line sets (and the one a caller passes) is read, and the pip config files the project shows
 * (`pipconfig.ts`); pip's default index (PyPI) and conda's `defaults` channel are decided like
 * any other source.
 */
import * as path from 'node:path';
import uvRunTable from '../../schema/uv-run-cli.json';
import uvCliTable from '../../schema/uv-cli.json';
import readersTable from '../../schema/installer-readers.json';
import { locationPaths } from './installerpaths';
import { normalize } from './names';
import { pipConfigSettings } from './pipconfig';
import * as preference from './preference';
import {
  addTls,
  COMMAND_LINE,
  hasScheme,
  namedIndexUrl,
  newRequest,
  redactUrl,
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
  readScriptLockInto,
  readUvProjectConfig
} from './projectfiles';
import {
  editable,
  parseRequirement,
  readFileInto,
  requirementsFilePath,
  type FileContext
} from './requirements';
import {
  PEP723_OPENING,
  UV_PYTHON_OPTIONS,
  UV_PYTHON_VARIABLE,
  plainPythonRequest,
  uvFileKind,
  uvUnread,
  versionFileRequest
} from './uvinputs';

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
  no-warn-conflicts user no-user dry-run no-clean only-deps isolated require-virtualenv verbose
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
  --project --config-file --with --with-editable --with-requirements --from --group --extra
  --optional
  --package --exclude-newer --link-mode -C --config-setting --python-platform
  --python-version --color --allow-insecure-host --trusted-host --cert --script --branch --tag --rev
  --marker -m -b --build-constraints --build-constraint`.split(/\s+/)
);
// `uv run`'s own options, as uv's help lists them (schema/uv-run-cli.json)
const UV_RUN_VALUED: ReadonlySet<string> = new Set(uvRunTable.valued);
const UV_RUN_FLAGS: ReadonlySet<string> = new Set(uvRunTable.flags);
// uv's own option table (schema/uv-cli.json, from the help of the uv commands Warden reads)
// and `uv run`'s: an option in none of them is refused rather than read as a flag, which made
// its value one more word and left a file it names unread (red team 9 R9-3: `uv pip install
// --requirements r.txt`, uv's own spelling). An option valued in one command and a flag in
// another (`--no-binary`) stays a flag: its value is read as one more requirement, stricter.
// The spellings clap hides are read as the name Warden's readers use (UV_ALIASES).
const UV_ALIASES: Readonly<Record<string, string>> = uvCliTable.aliases;
// clap takes both spellings of each pair wherever it takes one (red team 42b R42b-4: `uv pip
// install --constraint c.txt`, the help's `--constraints`, was refused as unknown): every
// option set below holds both, so no reader (the known check, the valued check, uvx's tool
// word) depends on which spelling the table or the user wrote. One a command does not take
// passes Warden and is refused by uv, which then installs nothing.
const UV_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ...Object.entries(UV_ALIASES),
  ...Object.entries(UV_ALIASES).map(([alias, name]): [string, string] => [
    name,
    alias
  ])
]);

/** `options` with the other spelling of each (UV_ALIASES, both ways). */
function withAliases(options: Iterable<string>): Set<string> {
  const out = new Set(options);
  for (const option of [...out]) {
    const other = UV_SPELLINGS.get(option);
    if (other !== undefined) {
      out.add(other);
    }
  }
  return out;
}

for (const name of uvCliTable.valued) {
  if (!uvCliTable.flags.includes(name)) {
    UV_VALUED.add(name);
  }
}
for (const name of withAliases(UV_VALUED)) {
  UV_VALUED.add(name);
}
const UV_KNOWN: ReadonlySet<string> = withAliases([
  ...UV_VALUED,
  ...uvCliTable.flags,
  ...Object.keys(UV_ALIASES),
  ...UV_RUN_VALUED,
  ...UV_RUN_FLAGS
]);
// Each uv command's own closed option set (schema/uv-cli.json `by_command`: its help and the
// options the real uv takes that the help hides). Red team 15 R15-14: a valued option Warden
// read as a flag (or did not know) made its value uvx's TOOL and the index options after it
// the tool's own words; a command's options are read with its own set, deny by default: an
// option word in neither its valued nor its flag set is refused.
const UV_BY_COMMAND: ReadonlyMap<
  string,
  { valued: Set<string>; known: ReadonlySet<string> }
> = new Map(
  Object.entries(
    uvCliTable.by_command as Record<
      string,
      { valued: string[]; flags: string[] }
    >
  ).map(([command, own]) => [
    command,
    {
      valued: withAliases(own.valued),
      known: withAliases([...own.valued, ...own.flags])
    }
  ])
);
const CONDA_VALUED = new Set(
  `-n --name -p --prefix -c --channel --file -f --repodata-fn --solver --experimental
  --subdir --platform --ssl-verify --cacert-path --clone --revision
  --channel-alias`.split(/\s+/)
);
const CONDA_INSTALLING = ['install', 'create', 'update', 'upgrade'];
/** conda's long options for install/create/update/env (argparse: any unique prefix is one;
 * micromamba's `--channel-alias` is not here: micromamba takes no abbreviations). */
const CONDA_LONG =
  `--name --prefix --channel --file --repodata-fn --solver --experimental
  --subdir --platform --use-local --override-channels --clone --revision --dev --no-lock
  --repodata-use-zst --strict-channel-priority --no-channel-priority --no-deps --only-deps
  --no-pin --copy --no-shortcuts --shortcuts-only --clobber --force-reinstall
  --freeze-installed --update-deps --satisfied-skip-solve --update-all --all --update-specs
  --offline --json --console --verbose --quiet --dry-run --yes --download-only
  --show-channel-urls --insecure --mkdir --no-default-packages --prune --help`.split(
    /\s+/
  );

/** Where the command is, for the findings its arguments give (a cell's line, a file's). */
export interface CommandContext extends FileContext {
  cwd: string;
  place: Place;
  /** the program the install starts, as the command names it (`venv/bin/pip`, `python3`):
   * its prefix is the site whose pip.conf pip reads (pipconfig.ts) */
  program?: string;
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

/**
 * The relative paths in `pip <args>` that pip resolves from its working directory: requirement
 * and constraint files, `--group`'s pyproject.toml, editable and positional local paths
 * (`file:` URLs and `name @ file:...` too); `~` counts as relative (pip does not expand it).
 * The kernel's `arguments.pip_paths_from_cwd`.
 */
export function pipPathsFromCwd(args: string[]): string[] {
  const words = pipWords(args);
  if (typeof words === 'string') {
    return [];
  }
  const found: string[] = [];
  let seenCommand = false;
  for (const [kind, option, value] of words) {
    if (kind === 'arg' ? seenCommand : option === '--editable') {
      const text = kind === 'arg' ? option : value!;
      const reference = parseRequirement(text, COMMAND_LINE);
      const place = text.slice(text.lastIndexOf('@') + 1).trim();
      if (
        (reference.kind === 'path' || reference.kind === 'url') &&
        relativePlace(place)
      ) {
        found.push(text);
      }
    } else if (
      kind === 'opt' &&
      (option === '--requirement' || option === '--constraint')
    ) {
      if (relativePlace(value!)) {
        found.push(value!);
      }
    } else if (kind === 'opt' && option === '--group') {
      const colon = value!.lastIndexOf(':');
      const file =
        colon < 0
          ? 'pyproject.toml'
          : value!.slice(0, colon) || 'pyproject.toml';
      if (relativePlace(file)) {
        found.push(file);
      }
    }
    seenCommand = seenCommand || kind === 'arg';
  }
  return found;
}

/** A path (or `file:` URL) that does not start at `/`; any other URL is not a path. */
function relativePlace(place: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(place);
  if (scheme) {
    return (
      scheme[1].toLowerCase() === 'file' && !place.slice(5).startsWith('/')
    );
  }
  return !place.startsWith('/');
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
/** pip's command word when the options before it are ones Warden reads (whatever follows
 * it), else null: the options after it are that command's own. */
function leadingCommand(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word.startsWith('-') || word === '-') {
      return typeof pipWords(args.slice(0, i)) === 'string' ? null : word;
    }
    if (word === '--') {
      return null;
    }
  }
  return null;
}

/** The install `pip <args>` would run, or null when the command installs nothing.
 * `childReads`: its files are left to the guard the pip inherits (`InstallRequest`). */
export function pipRequest(
  args: string[],
  context: CommandContext,
  tool: 'pip' | 'uv' = 'pip',
  childReads = false
): InstallRequest | null {
  const words = pipWords(args);
  if (typeof words === 'string') {
    const leading = leadingCommand(args);
    if (leading !== null && !PIP_INSTALLING.includes(leading)) {
      return null; // `pip uninstall -y x`: another command's options, nothing installed
    }
    const request = newRequest(tool, 'pip');
    request.problems.push({ text: words, place: context.place });
    return request;
  }
  const command = words.find(w => w[0] === 'arg')?.[1];
  if (command === undefined || !PIP_INSTALLING.includes(command)) {
    return null;
  }
  const request = newRequest(tool, `pip ${command}`);
  if (childReads) {
    request.childReads = true;
  }
  let seenCommand = false;
  for (const [kind, option, value] of words) {
    if (kind === 'arg') {
      if (seenCommand) {
        request.requirements.push(parseRequirement(option, context.place));
      }
      seenCommand = true;
      continue;
    }
    preference.note(request, 'pip', option, value, 'command line');
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
  const file = () => requirementsFilePath(value, context.cwd);
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
  } else if (
    ['--editable', '-e', '--with', '--with-editable', '--from'].includes(option)
  ) {
    const parts = option.startsWith('--with') ? value.split(',') : [value];
    for (const raw of parts) {
      const part =
        option === '--from' && request.tool === 'uv' ? uvToolSpec(raw) : raw;
      const req = parseRequirement(part, place);
      request.requirements.push(
        ['--editable', '-e', '--with-editable'].includes(option)
          ? editable(req)
          : req
      );
    }
  } else if (option === '--index-url' || option === '-i') {
    request.sources.push({ url: value, role: 'index', place });
  } else if (option === '--default-index') {
    // uv: [name=]url
    request.sources.push({ url: namedIndexUrl(value), role: 'index', place });
  } else if (option === '--extra-index-url') {
    request.sources.push({ url: value, role: 'extra-index', place });
  } else if (option === '--index') {
    // uv: [name=]url
    request.sources.push({
      url: namedIndexUrl(value),
      role: 'extra-index',
      place
    });
  } else if (option === '--find-links' || option === '-f') {
    request.sources.push({ url: value, role: 'find-links', place });
  } else if (option === '--no-index') {
    request.noIndex = true;
  } else if (
    option === '--trusted-host' ||
    option === '--allow-insecure-host'
  ) {
    addTls(request, 'insecure-host', value, place); // uv: an alias of each other
  } else if (option === '--cert') {
    addCa(request, value, place, context.cwd);
  } else if (option === '--group' && request.tool === 'pip') {
    readGroupInto(request, value, context);
  } else if (option === '--group' && request.command.startsWith('uv pip ')) {
    uvGroup(request, value, context); // elsewhere (`uv add --group G`) it names no file
  }
}

/** `uv pip install --group [PATH:]NAME`: a PEP 735 group of ./pyproject.toml, or of the
 * pyproject.toml or pylock.toml PATH (red team 45a R45a-5). Unlike pip's, uv lowers the group
 * with the file's `[tool.uv.sources]`, indexes and workspace root, so the file is read as
 * `-r pyproject.toml` is, for that group only (red team 46a R46a-1); a pylock.toml's is
 * refused, as `-r pylock.toml` is (the kernel's `arguments._uv_group`). */
function uvGroup(
  request: InstallRequest,
  value: string,
  context: CommandContext
): void {
  const colon = value.lastIndexOf(':');
  const file = (colon >= 0 ? value.slice(0, colon) : '') || 'pyproject.toml';
  const kind = uvFileKind(file);
  if (kind === 'pyproject') {
    const name = colon >= 0 ? value.slice(colon + 1) : value;
    readPyprojectInto(request, path.resolve(context.cwd, file), context, name);
    return;
  }
  const trimmed = file.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  request.problems.push({
    text:
      kind === 'lock'
        ? uvUnread(kind, name)
        : `uv --group reads a pyproject.toml or a pylock.toml, not ${JSON.stringify(name.slice(0, 200))}`,
    place: context.place
  });
}

/** A file given to uv's `-r`/`-c`/`--override`/`--with-requirements`, read as uv reads it:
 * uv picks the format by the file name (`uvinputs.ts`), so a `pyproject.toml` is project
 * metadata (its dependencies, not its lines); setup.py/setup.cfg, scripts' inline metadata
 * (`s.py`, `s.PYW`, an extensionless file with a `# /// script` block), locks and names uv
 * rejects are refused rather than read as lines (red team 11 R11-7). */
function uvReadFile(
  request: InstallRequest,
  value: string,
  context: CommandContext,
  constraint = false
): void {
  const full = requirementsFilePath(value, context.cwd);
  if (full.includes('://') || /^(https?|file):/i.test(value)) {
    readFileInto(request, full, context, context.place, constraint); // refused there
    return;
  }
  const base = path.basename(value);
  const kind = uvFileKind(value, constraint);
  if (kind === 'pyproject') {
    readPyprojectInto(request, full, context);
  } else if (kind === 'sniffed' && holdsPep723Block(full, context)) {
    request.problems.push({
      text: `uv reads ${base} (a file without an extension holding a \`# ///\` block) as a script's inline metadata, which Warden does not read here: name it .txt`,
      place: context.place
    });
  } else if (kind === 'requirements' || kind === 'sniffed') {
    readFileInto(request, full, context, context.place, constraint);
  } else {
    request.problems.push({ text: uvUnread(kind, base), place: context.place });
  }
}

function holdsPep723Block(full: string, context: CommandContext): boolean {
  try {
    return PEP723_OPENING.test(context.readFile(full));
  } catch {
    return false; // readFileInto reports what it cannot read
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

// uv commands that never look for an interpreter (so never download one); `uv pip` ones only
// without --python (red7 R7-15)
const UV_NO_INTERPRETER = [
  'help',
  'cache',
  'generate-shell-completion',
  'version',
  'self'
];
const UV_NO_INTERPRETER_SUB = new Map([
  ['tool', ['list', 'uninstall', 'dir', 'update-shell']],
  ['python', ['list', 'find', 'dir', 'uninstall']]
]);

/** For a uv command that installs nothing but may find, and so download, an interpreter (`uv
 * venv`, `uv run` with nothing to sync, `uv pip list --python X`): an empty request whose uv
 * environment and config are then read as an install's are, so that a download source Warden
 * does not read (UV_PYTHON_DOWNLOADS_JSON_URL, a mirror, uv.toml's python-install-mirror...)
 * still refuses it (red7 R7-15). null for the others. */
/** The -p/--python values of a uv command line, up to the program a `uv run`, `uvx` or `uv
 * tool run` starts (its own words are its own). As the kernel's. */
function uvPythonOptions(args: string[], place: Place): string[] {
  const values: string[] = [];
  const positional: string[] = [];
  const reading = newRequest('uv', 'uv');
  for (const [name, value] of optionWords(
    reading,
    'uv',
    args,
    UV_VALUED,
    place
  )) {
    if (name === null) {
      positional.push(value!);
      const [first, second] = positional;
      if ((first === 'run' || first === 'x') && positional.length === 2) {
        break;
      }
      if (first === 'tool' && second === 'run' && positional.length === 3) {
        break;
      }
      if (
        first === 'python' &&
        (second === 'find' || second === 'pin' || second === 'list') &&
        positional.length === 3
      ) {
        values.push(value!); // `uv python find|pin|list REQUEST` queries what it names (R81-6)
      }
    } else if (UV_PYTHON_OPTIONS.includes(name) && value !== null) {
      values.push(value);
    }
  }
  return values;
}

/** uv commands that never look for a Python (`uv python find|list` do: they query what they
 * find). */
const UV_NO_PYTHON = ['help', 'cache', 'generate-shell-completion', 'self'];

/**
 * Why the interpreter uv runs to query it is refused (red team 17 R17-6): -p/--python, else
 * UV_PYTHON, else the nearest .python-version. uv RUNS it (`-I -B -c CODE`), so it is a program
 * start; the kernel reads the file, a notebook's text does not show it: anything but a plain
 * version request (`3.11`, `cpython@3.11`) is refused here. Without one, uv looks for a Python
 * on its own: `lineProblem` (why an earlier command on the shell line may write the files uv
 * reads) refuses it, as the kernel's uv_inputs.interpreter_problem does. '' when none is.
 */
export function uvPythonProblem(
  args: string[],
  context: CommandContext,
  lineProblem = ''
): string {
  const command = args.slice(subcommandStart(args, UV_VALUED, UV_COMMANDS));
  if (!command.length || UV_NO_PYTHON.includes(command[0])) {
    return '';
  }
  const given = uvPythonOptions(args, context.place);
  let requests: [string, string][] = given.map(v => [v, '-p/--python']);
  const variable = (context.env[UV_PYTHON_VARIABLE] ?? '').trim();
  if (!requests.length && variable) {
    requests = [[variable, UV_PYTHON_VARIABLE]];
  }
  if (!requests.length) {
    const found = versionFileRequest(context.cwd, context.readFile);
    requests = found && found[0] ? [[found[0], context.label(found[1])]] : [];
  }
  const named = requests.find(([value]) => !plainPythonRequest(value));
  if (named) {
    return `uv runs '${named[0].slice(0, 60)}' (${named[1]}) to query it, a file the notebook does not show: give uv a Python version (-p 3.11), or run the line in a kernel, where Warden reads that file`;
  }
  // without a file named, uv looks for a Python on its own: an earlier writer on the line may
  // put one where it looks (a cell's `.venv/bin/python`) after Warden read the places
  return lineProblem
    ? `uv looks for a Python on its own and runs what it finds: ${lineProblem}`
    : '';
}

export function uvInterpreterRequest(
  args: string[],
  context: CommandContext
): InstallRequest | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  const command = args.slice(start);
  if (!command.length || UV_NO_INTERPRETER.includes(command[0])) {
    return null;
  }
  const sub = command.slice(1).find(a => !a.startsWith('-'));
  if (
    sub !== undefined &&
    (UV_NO_INTERPRETER_SUB.get(command[0]) ?? []).includes(sub)
  ) {
    return null;
  }
  const python = args.some(
    a => ['-p', '--python'].includes(a.split('=')[0]) || a.startsWith('-p')
  );
  if (command[0] === 'pip' && !python) {
    return null;
  }
  const request = newRequest('uv', `uv ${command[0]}`);
  for (const [name, value] of optionWords(
    request,
    'uv',
    args.slice(0, start),
    UV_VALUED,
    context.place
  )) {
    if (name === '--no-config' || name === '--config-file') {
      applyUvOption(request, name, value, context);
    }
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
    return uvAdd(args.slice(1), context);
  } else if (
    (args[0] === 'tool' && ['install', 'run'].includes(args[1])) ||
    args[0] === 'x'
  ) {
    request = newRequest('uv', args[0] === 'x' ? 'uvx' : `uv tool ${args[1]}`);
    if (request.command === 'uv tool install') {
      // clap reads options after the package too (red team 9 R9-8: `uv tool install x
      // --index-url URL`, `--with P` after the package went unread): every word is read
      for (const [name, value] of optionWords(
        request,
        'uv',
        args.slice(2),
        UV_VALUED,
        context.place
      )) {
        if (name === null) {
          request.requirements.push(
            parseRequirement(uvToolSpec(value as string), context.place)
          );
        } else {
          applyUvOption(request, name, value, context);
        }
      }
      return request;
    }
    const first = uvLeading(
      request,
      args.slice(args[0] === 'x' ? 1 : 2),
      context
    );
    if (first !== null && !uvPythonTool(first)) {
      request.requirements.push(
        parseRequirement(uvToolSpec(first), context.place)
      );
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
  // uv pip compile's -o/--output-file names where it WRITES, not an input (red8 R8-2)
  const output =
    request.command === 'uv pip compile' ? ['-o', '--output-file'] : [];
  for (const [name, value] of optionWords(
    request,
    'uv',
    rest,
    new Set([...UV_VALUED, ...output]),
    context.place
  )) {
    if (name !== null && output.includes(name)) {
      continue;
    }
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
    readScriptLockInto(request, script, context);
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

/** `uv add P...` (and `--script FILE`): the packages named, and what uv then locks and syncs:
 * the whole project (or the script's inline metadata), whatever the flags (with `--frozen` /
 * `--no-sync` it still builds the packages it adds: stricter). Without a project uv refuses
 * to add, so only the names are decided (red7 R7-9). */
function uvAdd(args: string[], context: CommandContext): InstallRequest {
  const request = newRequest('uv', 'uv add');
  let script: string | null = null;
  let files = 0;
  for (const [name, value] of optionWords(
    request,
    'uv',
    args,
    UV_VALUED,
    context.place
  )) {
    if (name === null) {
      request.requirements.push(parseRequirement(value!, context.place));
    } else if (name === '--script') {
      script = value;
    } else {
      files += UV_FILE_OPTIONS.includes(name) ? 1 : 0;
      applyUvOption(request, name, value, context);
    }
  }
  if (script !== null) {
    readScriptInto(request, script, context); // no block yet: uv writes one
    readScriptLockInto(request, script, context);
  } else if (findProject(context.cwd, context) !== null) {
    readProjectInto(request, context);
  }
  if (!request.requirements.length && !files && !request.problems.length) {
    request.problems.push({
      text: 'no package found in `uv add`',
      place: context.place
    });
  }
  return request;
}

/** `uv run [OPTIONS] [TARGET ARGS...]` read as uv's clap parser reads it (the kernel's
 * `UvRunLine`): options up to the first word that is none (or `--`); `mode` "module" (`-m`),
 * "script" (`-s`, `--gui-script`) or "command". */
export interface UvRunLine {
  options: [string, string | null][];
  problems: string[];
  mode: 'module' | 'script' | 'command';
  target: string | null;
  args: string[];
}

const UV_RUN_MODES: [UvRunLine['mode'], string[]][] = [
  ['module', ['-m', '--module']],
  ['script', ['-s', '--script', '--gui-script']]
];
// uv's short spellings of the long options Warden reads
const UV_SHORT: Record<string, string> = {
  '-w': '--with',
  '-i': '--index-url',
  '-f': '--find-links',
  '-p': '--python'
};

/** Whether clap takes `word` as an option's value (an option-like word is an error). */
function uvValue(word: string): boolean {
  return word === '-' || !word.startsWith('-');
}

export function uvRunLine(args: string[]): UvRunLine {
  const options: [string, string | null][] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-') {
    const word = args[i++];
    if (word === '--') {
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      let value: string | null = eq < 0 ? null : word.slice(eq + 1);
      if (UV_RUN_VALUED.has(name) && eq < 0 && i < args.length) {
        value = args[i++];
      }
      if (UV_RUN_VALUED.has(name) && value !== null && !uvValue(value)) {
        problems.push(`uv run option ${name} is followed by ${value}`);
      } else if (UV_RUN_VALUED.has(name) && value !== null) {
        options.push([name, value]);
      } else if (UV_RUN_FLAGS.has(name) && eq < 0) {
        options.push([name, null]);
      } else {
        problems.push(`uv run option ${word} is not one Warden reads`);
      }
      continue;
    }
    // short options, bundled (-qn) or with a value (-p3.12)
    for (let k = 1; k < word.length; k++) {
      const option = '-' + word[k];
      if (UV_RUN_FLAGS.has(option)) {
        options.push([option, null]);
        continue;
      }
      if (UV_RUN_VALUED.has(option)) {
        let value = word.slice(k + 1).replace(/^=/, '');
        if (!value && i < args.length && uvValue(args[i])) {
          value = args[i++];
        }
        if (value) {
          options.push([option, value]);
          break;
        }
      }
      problems.push(`uv run option ${option} is not one Warden reads`);
      break;
    }
  }
  const names = new Set(options.map(([name]) => name));
  const modes = UV_RUN_MODES.filter(([, spelled]) =>
    spelled.some(n => names.has(n))
  ).map(([mode]) => mode);
  if (modes.length > 1) {
    problems.push('uv run: --module and --script together');
  }
  return {
    options,
    problems,
    mode: modes[0] ?? 'command',
    target: i < args.length ? args[i] : null,
    args: args.slice(i + 1)
  };
}

/** uv's tool syntax TOOL@VERSION / TOOL@latest (`uvx ruff@latest`, `--from black@24.1.0`):
 * the name, and `==VERSION` (red8 R8-11, the kernel's `uv_tool_spec`); `name @ URL` stays a
 * direct reference. */
const UV_TOOL_AT =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,-]*\])?)@(latest|[0-9][A-Za-z0-9.+!_-]*)$/;

function uvToolSpec(spec: string): string {
  const match = UV_TOOL_AT.exec(spec);
  if (match === null) {
    return spec;
  }
  return match[2] === 'latest' ? match[1] : `${match[1]}==${match[2]}`;
}

/** `uv run [--with X] [--script|-m] TARGET ARGS`: a script's PEP 723 dependencies, else the
 * project uv syncs before running (unless `--no-project` / `--no-sync`; `--isolated` syncs it
 * into a fresh environment: red8 R8-10). A
 * target uv would read a script from and Warden cannot read (stdin, a URL, a pipe or device,
 * a missing `--script` file) is refused (red7 R7-2, R7-3). */
function uvRun(args: string[], context: CommandContext): InstallRequest | null {
  const request = newRequest('uv', 'uv run');
  const line = uvRunLine(args);
  for (const text of line.problems) {
    request.problems.push({ text, place: context.place });
  }
  let noProject = false;
  for (const [option, value] of line.options) {
    if (['--no-project', '--no-sync'].includes(option)) {
      noProject = true;
    }
    applyUvOption(request, UV_SHORT[option] ?? option, value, context);
  }
  const isScript =
    line.target !== null &&
    uvRunScript(request, line.target, line.mode, context);
  if (isScript) {
    readScriptLockInto(request, line.target!, context); // red7 R7-18: s.py.lock
  }
  if (!isScript && !noProject && findProject(context.cwd, context) !== null) {
    readProjectInto(request, context);
  }
  return request.requirements.length ||
    request.sources.length ||
    request.problems.length
    ? request
    : null;
}

/** Whether `uv run TARGET` runs a script (its block read into `request`, or refused). uv
 * reads a script from `-` (stdin), an http(s) URL (even under `-m`), a `.py`/`.pyc`/`.pyw`
 * file and any path under `--script`; Warden also reads any other file the target names (a
 * `#!/usr/bin/env -S uv run --script` file uv executes). */
function uvRunScript(
  request: InstallRequest,
  target: string,
  mode: UvRunLine['mode'],
  context: CommandContext
): boolean {
  const full = path.resolve(context.cwd, target);
  let unreadable: string | null = null;
  if (target === '-') {
    unreadable = 'reads the script from standard input';
  } else if (
    /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) &&
    !exists(full, context)
  ) {
    unreadable = 'fetches the script by its URL';
  } else if (mode === 'module') {
    return false;
  } else if (/^\/(dev|proc)\//.test(full)) {
    unreadable = 'names a pipe, device or /proc entry';
  } else if (mode === 'script' && !isRegularFile(full, context)) {
    unreadable = 'names no regular file';
  }
  if (unreadable !== null) {
    request.problems.push({
      text: `uv run ${redactUrl(target)}: uv ${unreadable}, and installs the PEP 723 dependencies of a script Warden cannot read before it runs: save the script to a file and run that`,
      place: context.place
    });
    return true;
  }
  return isRegularFile(full, context) && readScriptInto(request, full, context);
}

/** Whether `context.readFile` reads `file` (a folder, a missing file: no). */
function isRegularFile(file: string, context: CommandContext): boolean {
  try {
    context.readFile(file);
    return true;
  } catch {
    return false;
  }
}

/** Whether `file` exists as far as `context.readFile` tells: read, or a folder (EISDIR). */
function exists(file: string, context: CommandContext): boolean {
  try {
    context.readFile(file);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EISDIR';
  }
}

/** `[files, command]` when `uv [global opts] run` loads dotenv files into the command it runs
 * (`--env-file F`, repeatable, or the space-separated `UV_ENV_FILE`; none under
 * `--no-env-file` / `UV_NO_ENV_FILE`), else null. */
export function uvRunEnvFiles(
  args: string[],
  env: Readonly<Record<string, string>>
): [string[], string[]] | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  if (args[start] !== 'run') {
    return null;
  }
  const line = uvRunLine(args.slice(start + 1));
  let files = line.options
    .filter(([name]) => name === '--env-file')
    .map(([, value]) => value!);
  if (!files.length) {
    files = (env.UV_ENV_FILE ?? '').split(/\s+/).filter(Boolean);
  }
  const off = ['1', 'true', 'yes', 'on'].includes(
    (env.UV_NO_ENV_FILE ?? '').trim().toLowerCase()
  );
  const command = uvRunCommand(args);
  if (
    !files.length ||
    off ||
    line.options.some(([name]) => name === '--no-env-file') ||
    !command?.length
  ) {
    return null;
  }
  return [files, command];
}

/** The command `uv [global opts] run [opts] CMD...` runs (`-m MOD` as `python -m MOD`), or
 * null. */
export function uvRunCommand(args: string[]): string[] | null {
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  if (args[start] !== 'run') {
    return null;
  }
  const line = uvRunLine(args.slice(start + 1));
  if (line.target === null || line.mode === 'script') {
    return null;
  }
  return line.mode === 'module'
    ? ['python', '-m', line.target, ...line.args]
    : [line.target, ...line.args];
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
 * (Warden's table and the tool disagree), is a problem and ends the reading. A uv command
 * with its own set (UV_BY_COMMAND) is read with it alone.
 */
function* optionWords(
  request: InstallRequest,
  tool: string,
  args: string[],
  tableValued: Set<string>,
  place: Place
): Generator<[string | null, string | null]> {
  const own = tool === 'uv' ? UV_BY_COMMAND.get(request.command) : undefined;
  const valued =
    own?.valued ?? (tool === 'uv' ? withAliases(tableValued) : tableValued);
  const unknown = (option: string): boolean =>
    tool === 'uv' &&
    (own
      ? !own.known.has(option)
      : !UV_KNOWN.has(option) && !valued.has(option));
  const canonical = (option: string): string =>
    tool === 'uv' ? (UV_ALIASES[option] ?? option) : option;
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
      if (name !== '--' && unknown(name)) {
        request.problems.push({
          text: `uv option ${name} is not one Warden knows`,
          place
        });
        return;
      }
      if (!valued.has(name)) {
        yield [canonical(name), null];
        continue;
      }
      if (eq >= 0) {
        yield [canonical(name), word.slice(eq + 1)];
        continue;
      }
      name = canonical(name);
    } else {
      for (let k = 1; k < word.length; k++) {
        const option = '-' + word[k];
        if (unknown(option)) {
          request.problems.push({
            text: `uv option ${option} is not one Warden knows`,
            place
          });
          return;
        }
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
  // every uv command reads uv's short spellings as the long options (red team 14 R14-38:
  // `uvx -w SPEC`, `uv tool install -w SPEC` went unread where only `uv run` mapped them)
  name = UV_SHORT[name] ?? name;
  preference.note(request, 'uv', name, value, 'command line');
  if (name === '--torch-backend') {
    // like UV_TORCH_BACKEND: PyTorch indexes chosen by the machine's GPU (red team 9 R9-4)
    request.problems.push({
      text: 'uv --torch-backend adds the PyTorch indexes uv picks for this machine, which Warden does not read: name the index with --index-url instead',
      place: context.place
    });
  } else if (name === '--env-file' && request.command !== 'uv run') {
    request.problems.push({
      text: `\`${request.command} --env-file\` loads variables into the command uv runs, which Warden reads only for uv run: set them on the command line instead`,
      place: context.place
    });
  } else if (name === '--no-index') {
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

const PIP_COMMANDS = new Set(
  'install download wheel lock uninstall freeze list show check config search cache index inspect hash completion debug help'.split(
    ' '
  )
);

/**
 * Whether an installer's command writes files a later command on the line may read (red team
 * 50a R50a-5; the kernel's `_plain_install`): `pip download`, `pip wheel`, and any `uv pip
 * compile` (a later `uv pip sync F` reads what it writes, F named by its words or settings).
 */
export function installerWritesFiles(tool: string, args: string[]): boolean {
  if (tool === 'pip') {
    const valued = new Set(
      [...PIP_LONG].filter(([, takes]) => takes).map(([n]) => n)
    );
    const command = args[subcommandStart(args, valued, PIP_COMMANDS)];
    return command === 'download' || command === 'wheel';
  }
  if (tool !== 'uv') {
    return false;
  }
  const start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
  // any compile, whatever its words: uv takes its output file from -o in any spelling (red
  // team 52a R52a-2) or from its settings (`[pip] output-file`, red team 53a R53a-2): the
  // kernel's `commands._uv_compile_writes`
  return args[start] === 'pip' && args.slice(start + 1).includes('compile');
}

// The reading commands of each installer ('': no command, `pip --version`) and the options each
// takes that write nothing (schema/installer-readers.json, the kernel's `installer_writes`)
interface OptionTable {
  flags: ReadonlySet<string>;
  valued: ReadonlySet<string>;
}
interface OwnOptions {
  flags: string[];
  valued: string[];
}
const optionTable = (...parts: OwnOptions[]): OptionTable => ({
  flags: new Set(parts.flatMap(p => p.flags)),
  valued: new Set(parts.flatMap(p => p.valued))
});
const readerTables = (
  commands: Record<string, OwnOptions>,
  general?: OwnOptions
): Map<string, OptionTable> =>
  new Map(
    Object.entries(commands).map(([c, own]) => [
      c,
      general ? optionTable(general, own) : optionTable(own)
    ])
  );
const PIP_READERS = readerTables(
  readersTable.pip.commands,
  readersTable.pip.general
);
const UV_READERS = readerTables(readersTable.uv.commands);
const CONDA_READERS = readerTables(
  readersTable.conda.commands,
  readersTable.conda.general
);
// the words a command's reading form starts with (`conda config --show`), where listed
const CONDA_FIRST = new Map(
  Object.entries(
    readersTable.conda.commands as Record<string, { first?: string[] }>
  ).flatMap(([c, own]) => (own.first ? [[c, own.first] as const] : []))
);
// pip settings (PIP_<NAME>) inert in a reading command beside the options its table lists
// (deny by default: red team 56c R56c-2, `PIP_KEYRING_PROVIDER=subprocess pip list`)
const PIP_INERT_SETTINGS = new Set<string>(readersTable.pip.inert_settings);
const VERSION_CHECK = readersTable.pip.version_check;

/** pip's settings among `env` (option name -> value), or null when one is neither an option
 * of the command's table nor inert (the kernel's `installer_writes._pip_settings`). */
function pipSettings(
  table: OptionTable,
  env: Readonly<Record<string, string>>
): Map<string, string> | null {
  const found = new Map<string, string>();
  for (const [v, value] of Object.entries(env)) {
    if (v.startsWith('PIP_')) {
      found.set(pipSettingName(v.slice(4)), value);
    }
  }
  const listed = (name: string): boolean =>
    PIP_INERT_SETTINGS.has(name) ||
    table.flags.has('--' + name) ||
    table.valued.has('--' + name);
  if ([...found.keys()].some(name => !listed(name))) {
    return null;
  }
  for (const [name, value] of [...found]) {
    if (
      ['0', 'false', 'no', 'off', 'n', 'f'].includes(value.trim().toLowerCase())
    ) {
      found.delete(name); // a switch set false
    }
  }
  return found;
}

/**
 * Whether `pip list`'s self-version check (it fetches pip's page from the index and, on a 401
 * answer, asks keyring: its module or a `keyring` program on PATH) is directed anywhere but
 * PyPI over the machine's TLS: an index, proxy, certificate or trusted-host option or setting,
 * a proxy or CA variable; off by `--disable-pip-version-check` or its setting (the kernel's
 * `installer_writes._version_check_steered`).
 */
function versionCheckSteered(
  command: string,
  words: string[],
  env: Readonly<Record<string, string>>,
  settings: Map<string, string>
): boolean {
  if (!VERSION_CHECK.commands.includes(command)) {
    return false;
  }
  if (
    words.includes(VERSION_CHECK.off) ||
    settings.has(VERSION_CHECK.off.slice(2))
  ) {
    return false;
  }
  const given = new Set(
    words.filter(w => w.startsWith('--')).map(w => w.split('=')[0])
  );
  return (
    VERSION_CHECK.steering.some(o => given.has(o)) ||
    VERSION_CHECK.steering.some(o => {
      const value = settings.get(o.slice(2));
      return (
        value !== undefined &&
        !(
          o === '--index-url' &&
          value.trim().replace(/\/+$/, '') === 'https://pypi.org/simple'
        )
      );
    }) ||
    VERSION_CHECK.variables.some(v => (env[v] ?? '').trim() !== '')
  );
}

/**
 * Whether every option among `words` is one of `table` (exact names; a short option cluster
 * letter by letter, as optparse and clap read `-qq`): an abbreviation, a flag given a value
 * or an option not listed may write (deny by default; the kernel's `_options_write_nothing`).
 */
function optionsWriteNothing(words: string[], table: OptionTable): boolean {
  let i = 0;
  while (i < words.length) {
    const word = words[i++];
    if (word === '--') {
      return true; // the rest are operands
    }
    if (!word.startsWith('-') || word === '-') {
      continue; // an operand: a package, a path
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      if (table.valued.has(name)) {
        i += eq < 0 ? 1 : 0;
      } else if (eq >= 0 || !table.flags.has(name)) {
        return false;
      }
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const letter = '-' + word[k];
      if (table.valued.has(letter)) {
        i += k === word.length - 1 ? 1 : 0; // its value: the rest, or the next word
        break;
      }
      if (!table.flags.has(letter)) {
        return false;
      }
    }
  }
  return true;
}

/**
 * Whether an installer's command writes no file a later install on the line may read (red
 * team 54a; the kernel's `installer_writes.writes_nothing`): only pip, uv and conda's reading
 * commands (an allow-list), each with only options known to write nothing (red team 55b
 * R55b-3: `pip list --log pyproject.toml`; R55b-7: `uv venv --clear d`), and no variable of
 * `env` (the environment it starts with) that makes it write (`PIP_LOG`, `PIP_CACHE_DIR`,
 * `UV_VENV_CLEAR`...). An install unpacks its packages' files where it installs and may run a
 * project's build code; `conda config` writes a .condarc; `pip download`, `uv pip compile`,
 * `uv run`, pipx, poetry and front ends write or run a command. Statically there is no pip.conf
 * of the machine nor `uv venv`'s folder to look at: the kernel reads those when the line runs.
 */
export function installerWritesNothing(
  tool: string,
  args: string[],
  env: Readonly<Record<string, string>> = {}
): boolean {
  const command = (start: number): string => {
    const word = args[start] ?? '';
    return word.startsWith('-') ? '-' : word;
  };
  // the words but the command's own: its options before and after it, its operands
  const words = (start: number, own: number): string[] =>
    start >= args.length
      ? [...args]
      : [...args.slice(0, start), ...args.slice(start + own)];
  if (tool === 'pip') {
    const valued = new Set(
      [...PIP_LONG].filter(([, takes]) => takes).map(([n]) => n)
    );
    const start = subcommandStart(args, valued, PIP_COMMANDS);
    const name = command(start);
    const table = PIP_READERS.get(name);
    if (table === undefined || !optionsWriteNothing(words(start, 1), table)) {
      return false;
    }
    const settings = pipSettings(table, env);
    return (
      settings !== null &&
      !versionCheckSteered(name, words(start, 1), env, settings)
    );
  }
  if (tool === 'uv') {
    let start = subcommandStart(args, UV_VALUED, UV_COMMANDS);
    let name = command(start);
    if (name === 'pip') {
      start += 1;
      name = 'pip ' + command(start);
    }
    const table = UV_READERS.get(name);
    if (
      table === undefined ||
      !optionsWriteNothing(words(start, name === '' ? 0 : 1), table)
    ) {
      return false;
    }
    // `uv venv` set to clear or seed by its variables (anything but clap's false values)
    return (
      name !== 'venv' ||
      !readersTable.uv.uv_venv_variables.some(
        v =>
          v in env &&
          !readersTable.uv.falsy.includes(env[v].trim().toLowerCase())
      )
    );
  }
  if (['conda', 'mamba', 'micromamba'].includes(tool)) {
    const start = subcommandStart(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS);
    // a command path (`env list`, R56c-3): the group's word alone is no reader
    const path = command(start) + ' ' + command(start + 1);
    const two = CONDA_READERS.has(path);
    const table = CONDA_READERS.get(two ? path : command(start));
    const first = CONDA_FIRST.get(two ? path : command(start));
    if (first !== undefined && !first.includes(args[start + 1] ?? '')) {
      return false; // `micromamba config append ...`: config's reading options first
    }
    return (
      table !== undefined &&
      optionsWriteNothing(words(start, two ? 2 : 1), table)
    );
  }
  return false; // pipx, poetry, pdm, front ends: each installs or runs a command
}

/** pip's option name for an environment key after `PIP_` (pip's `_normalize_name`). */
function pipSettingName(name: string): string {
  const key = name.toLowerCase().replace(/_/g, '-');
  return key.startsWith('--') ? key.slice(2) : key;
}

/**
 * The short options a word of uv's names as clap reads a bundle: each letter a flag until one
 * in `valued` (that command's valued options), whose value is the rest of the word or the next
 * word (`-qo F`, `-qoF`: `['-q', '-o']`); [] for a word that is no short option.
 */
export function uvShortNames(
  word: string,
  valued: ReadonlySet<string>
): string[] {
  if (!word.startsWith('-') || word.startsWith('--') || word === '-') {
    return [];
  }
  const names: string[] = [];
  for (const letter of word.slice(1)) {
    names.push('-' + letter);
    if (valued.has('-' + letter)) {
      break;
    }
  }
  return names;
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
  const valued = UV_BY_COMMAND.get('uv tool run')?.valued ?? UV_VALUED;
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
      i += valued.has(name) && eq < 0 ? 2 : 1;
      continue;
    }
    i++; // a bundle of short options: the first valued one takes the rest of the word
    for (let k = 1; k < word.length; k++) {
      if (valued.has('-' + word[k])) {
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

// `uvx python ARGS` (`python3`, `python3.12`, `python@3.12`): uv runs a Python interpreter
// (found, or downloaded as `uv python install` does) in an environment of the --with packages
// alone, no package named python (uv 0.13.9: `uvx python -c ...` offline with an empty cache
// runs it; `uvx pythonw` and `uvx ipython` resolve a package). With --from SPEC, python is an
// executable of SPEC's environment, SPEC the package (read as --from's value). Either way the
// word is no requirement (it was read as one, refused as an imitation of ipython).
const UV_PYTHON_TOOL = /^python(?:[0-9]+(?:\.[0-9]+)*|@[0-9]+(?:\.[0-9]+)*)?$/;

/** Whether uvx's tool word `word` is uv's request for a Python interpreter. */
export function uvPythonTool(word: string): boolean {
  return UV_PYTHON_TOOL.test(word);
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
        if (name === '--rc-file' || name === '--channel-alias') {
          request.problems.push({
            text: `${tool} ${name}: Warden does not read conda configuration given so (its channels could point anywhere)`,
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
  if (
    envFile &&
    readEnvironmentFile &&
    !rest.some(w => w === '-f' || w === '--file' || /^(--file=|-f)/.test(w))
  ) {
    // conda env create|update without --file reads ./environment.yml
    for (const name of ['environment.yml', 'environment.yaml']) {
      const full = path.resolve(context.cwd, name);
      let found = true;
      try {
        context.readFile(full);
      } catch {
        found = false;
      }
      if (found) {
        readEnvironmentFile(request, full);
      }
    }
  }
  for (const [name, value] of optionWords(
    request,
    tool,
    rest.map(condaLongOption),
    CONDA_VALUED,
    place
  )) {
    if (name === null) {
      request.requirements.push(condaSpec(value!, place, request));
    } else if (name === '-c' || name === '--channel') {
      request.sources.push({ url: value!, role: 'channel', place });
    } else if (name === '--insecure' || name === '-k') {
      addTls(request, 'insecure-host', '*', place); // no certificate checked, any host
    } else if (name === '--ssl-verify') {
      condaSslVerify(request, value!, place, context.cwd); // micromamba, mamba 2
    } else if (name === '--cacert-path') {
      addCa(request, value!, place, context.cwd);
    } else if (name === '--use-local') {
      // conda-build's output folder on this machine, as the channel named "local"
      request.sources.push({
        url: 'local',
        role: 'channel',
        place: { ...place, origin: 'command line --use-local' }
      });
    } else if (name === '--clone' || name === '--revision') {
      request.problems.push({
        text: `${tool} ${name} installs the packages another environment or an earlier revision recorded (their channels and URLs), which Warden does not read: install by package name instead`,
        place
      });
    } else if (
      (name === '--file' || name === '-f') &&
      (/\.ya?ml$/.test(value!) || (envFile && !value!.endsWith('.txt'))) &&
      readEnvironmentFile
    ) {
      // an environment file: `conda env create -f`, and `micromamba|conda create|install
      // -f env.yml`, which read YAML by the file's name
      readEnvironmentFile(request, path.resolve(context.cwd, value!));
    } else if (name === '--file' || name === '-f') {
      // micromamba's -f is --file; conda has no -f here, so reading it is only stricter.
      // `conda env create -f x.txt` reads a spec file, not YAML.
      condaSpecFile(request, path.resolve(context.cwd, value!), context);
    } else if (name === '--override-channels') {
      request.overrideChannels = true;
    } else if (name === '--channel-alias') {
      request.problems.push({
        text: `${tool} --channel-alias points every channel name elsewhere, which Warden does not follow: pass the channels as URLs`,
        place
      });
    }
  }
  return request;
}

/** `word` with a long option abbreviated as argparse allows (`--chan URL` is `--channel URL`
 * to conda) written out; any other word unchanged. */
function condaLongOption(word: string): string {
  if (!word.startsWith('--') || word === '--') {
    return word;
  }
  const eq = word.indexOf('=');
  const name = eq < 0 ? word : word.slice(0, eq);
  if (CONDA_LONG.includes(name)) {
    return word;
  }
  const matches = CONDA_LONG.filter(option => option.startsWith(name));
  return matches.length === 1
    ? matches[0] + (eq < 0 ? '' : word.slice(eq))
    : word;
}

// conda's package files: a spec naming one is installed from that file or URL, no index
const CONDA_PACKAGE_FILE = /(\.conda|\.tar\.bz2)$/;
// MatchSpec bracket keys that only narrow which record of the decided channels matches
const CONDA_FILTER_KEYS = new Set(
  `name version build build_string build_number md5 sha256 license license_family
  track_features features subdir fn`.split(/\s+/)
);
const CONDA_BRACKETS = /^.*(\[.*\])/;
const CONDA_BRACKET_ITEM = /([a-zA-Z0-9_-]+?)=(["']?)([^'"]*?)(\2)(?:[, ]|$)/g;
const CONDA_PLAIN_VALUE = /^[A-Za-z0-9_.+*-]+$/;

/**
 * One conda MatchSpec, read as conda's `_parse_spec_str` reads it (the kernel's
 * `arguments.conda_spec`): a package file or URL (`*.conda`, `*.tar.bz2`) is a channel of its
 * own; `channel[/subdir]::name`; `name[key=value, ...]` brackets, where `channel` and `url`
 * name a channel and any key that is not a filter is unreadable; then `name[ version[ build]]`.
 */
export function condaSpec(
  raw: string,
  place: Place,
  request: InstallRequest
): Requirement {
  const invalid: Requirement = {
    text: raw,
    name: null,
    kind: 'invalid',
    place,
    pin: null
  };
  if (/[^\x20-\x7e]/.test(raw)) {
    return invalid; // control characters, tabs, non-ASCII: split and matched differently
  }
  let spec = raw.split('#')[0].split(' if ')[0].trim();
  if (CONDA_PACKAGE_FILE.test(spec)) {
    request.sources.push({
      url: spec,
      role: 'channel',
      place: { ...place, origin: `${place.origin}, a package file` }
    });
    const stem = spec
      .replace(/\\/g, '/')
      .split('/')
      .pop()!
      .replace(CONDA_PACKAGE_FILE, '');
    const parts = rsplit(stem, '-', 2);
    const name = parts.length === 3 && parts[0] ? normalize(parts[0]) : null;
    return { text: raw, name, kind: 'conda', place, pin: null };
  }
  const brackets = CONDA_BRACKETS.exec(spec);
  if (brackets) {
    spec = spec.split(brackets[1]).join('');
    const body = brackets[1].slice(1, -1);
    if (body.replace(CONDA_BRACKET_ITEM, '').replace(/^[, ]+|[, ]+$/g, '')) {
      return invalid; // text conda's key=value reader would skip over
    }
    for (const m of body.matchAll(CONDA_BRACKET_ITEM)) {
      const [key, value] = [m[1], m[3]];
      if ((key === 'channel' || key === 'url') && value) {
        request.sources.push({
          url: value,
          role: 'channel',
          place: { ...place, origin: `${place.origin}, [${key}=...]` }
        });
      } else if (!CONDA_FILTER_KEYS.has(key) || !value) {
        return invalid;
      } else if (
        (key === 'subdir' || key === 'fn') &&
        !CONDA_PLAIN_VALUE.test(value)
      ) {
        return invalid;
      }
    }
  }
  if (/[[\]()]/.test(spec)) {
    return invalid; // a second bracket section, or conda's (optional) parens
  }
  const parts = rsplit(spec, ':', 2);
  if (parts.length === 2 || (parts.length === 3 && parts[1])) {
    return invalid; // conda's namespace (ignored by conda, read otherwise by mamba)
  }
  if (parts.length === 3) {
    if (parts[0]) {
      request.sources.push({ url: parts[0], role: 'channel', place });
    }
    spec = parts[2];
  }
  // conda's name split (Step 6): the name runs to the first blank or operator
  const m = /^([^ =<>!~]+)([><!=~ ].*)?$/.exec(spec.trim());
  if (!m || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(m[1])) {
    return invalid; // no name, or one with a glob, a slash...: not a package Warden can name
  }
  const rest = (m[2] ?? '').trim();
  let pin = rest.startsWith('=') ? rest.replace(/^=+/, '') : null;
  if (pin && /[*<>,|]/.test(pin)) {
    pin = null;
  }
  return {
    text: raw,
    name: normalize(m[1]),
    kind: 'conda',
    place,
    pin: pin ? pin.split('=')[0] : null
  };
}

/** Python's `text.rsplit(sep, max)`. */
function rsplit(text: string, sep: string, max: number): string[] {
  const parts = text.split(sep);
  return parts.length <= max + 1
    ? parts
    : [parts.slice(0, parts.length - max).join(sep), ...parts.slice(-max)];
}

/** `--file F`: one spec a line, or conda's explicit format (`@EXPLICIT` and then one package
 * URL or path a line, each a channel of its own). */
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
  let explicit = false;
  // conda reads the file in text mode: lines end at \n, \r\n or \r
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, ''); // any other blank: unreadable
    const place = {
      file: label,
      line: i + 1,
      origin: `${label} line ${i + 1}`
    };
    if (!line || line.startsWith('#')) {
      return;
    }
    if (line === '@EXPLICIT') {
      explicit = true;
    } else if (explicit) {
      request.sources.push({
        url: line.split('#')[0].trim(),
        role: 'channel',
        place: { ...place, origin: `${place.origin}, a package file` }
      });
    } else {
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
  no-warn-conflicts require-virtualenv break-system-packages client-cert
  proxy keyring-provider log log-file no-python-version-warning target user prefix root
  upgrade upgrade-strategy no-deps pre prefer-binary only-binary no-binary require-hashes
  no-compile compile exists-action src isolated config-file version help force-reinstall
  ignore-installed no-build-isolation use-pep517 no-clean dry-run use-feature use-deprecated
  format platform python-version implementation abi ignore-requires-python
  no-user build-tracker`.split(/\s+/)
);
const TRUE = ['1', 'true', 'yes', 'on', 'y', 't'];

const splitList = (value: string) =>
  value.replace(/,/g, ' ').split(/\s+/).filter(Boolean);

type Delimiter = null | ' ' | ',';
/** A source setting's pieces, split only where the tool splits it (red8 R8-1, the kernel's
 * `split_setting`): a `,` is part of a URL's user info to pip and uv. */
function splitSetting(value: string, delimiter: Delimiter): string[] {
  if (delimiter === null) {
    return value.trim() ? [value.trim()] : [];
  }
  if (delimiter === ' ') {
    return value.split(/\s+/).filter(Boolean);
  }
  return value
    .split(delimiter)
    .map(v => v.trim())
    .filter(Boolean);
}
/** how pip splits a list option from the environment (`split()`); index-url is one value */
const PIP_DELIMITER: Record<string, Delimiter> = {
  'index-url': null,
  'extra-index-url': ' ',
  'find-links': ' '
};

// uv's environment variables (the kernel's `sources.py`), each decided consciously: read
// (sources, files of requirements), read elsewhere, or inert; any other `UV_*` variable
// refuses the install (deny by default), as pip settings do.
/** (variable, role, how uv splits it: its clap `value_delimiter`) */
const UV_SOURCE_VARS: Array<
  [string, 'index' | 'extra-index' | 'find-links', Delimiter]
> = [
  ['UV_INDEX_URL', 'index', null],
  ['UV_DEFAULT_INDEX', 'index', null],
  ['UV_EXTRA_INDEX_URL', 'extra-index', ' '],
  ['UV_INDEX', 'extra-index', ' '],
  ['UV_FIND_LINKS', 'find-links', ',']
];
/** space-separated files, read like --override / --constraint / --build-constraint files */
const UV_FILE_VARS = ['UV_OVERRIDE', 'UV_CONSTRAINT', 'UV_BUILD_CONSTRAINT'];
const UV_KNOWN_VARS = new Set([
  ...UV_SOURCE_VARS.map(([v]) => v),
  ...UV_FILE_VARS,
  // no UV_NO_INDEX: no uv variable (uv uses the index under it), refused as unknown (R8-9)
  'UV_CONFIG_FILE',
  'UV_NO_CONFIG',
  'UV_INSECURE_HOST', // a TLS setting: read in uvEnvironment
  'UV_ENV_FILE', // uv run's dotenv files: read in commands.ts (red7 R7-4)
  'UV_VENV_SEED' // uv venv's seeding: read in uvCommand
]);
/** a uv command refuses these itself; for pipx's uv they are refused with the others */
const UV_DIRECTORY_VARS = ['UV_PROJECT', 'UV_WORKING_DIR'];
const UV_INERT_VARS = new Set(
  `UV_CACHE_DIR UV_NO_CACHE UV_LINK_MODE UV_COMPILE_BYTECODE UV_NO_PROGRESS UV_NO_WRAP
  UV_LOG_CONTEXT UV_STACK_SIZE UV_CONCURRENT_DOWNLOADS UV_CONCURRENT_BUILDS
  UV_CONCURRENT_INSTALLS UV_HTTP_TIMEOUT UV_REQUEST_TIMEOUT UV_HTTP_RETRIES UV_OFFLINE
  UV_NATIVE_TLS UV_SYSTEM_CERTS UV_KEYRING_PROVIDER UV_CREDENTIALS_DIR
  UV_GITHUB_TOKEN UV_NO_HF_TOKEN UV_S3_ENDPOINT_URL UV_GCS_ENDPOINT_URL UV_AZURE_ENDPOINT_URL
  UV_MALWARE_CHECK UV_INDEX_STRATEGY UV_RESOLUTION UV_PRERELEASE UV_FORK_STRATEGY
  UV_EXCLUDE_NEWER UV_EXCLUDE UV_NO_BINARY UV_NO_BINARY_PACKAGE UV_NO_BUILD
  UV_NO_BUILD_PACKAGE UV_NO_BUILD_ISOLATION UV_NO_BUILD_ISOLATION_PACKAGE UV_REQUIRE_HASHES
  UV_NO_VERIFY_HASHES UV_NO_SOURCES UV_NO_SOURCES_PACKAGE UV_NO_EDITABLE UV_UPGRADE
  UV_UPGRADE_PACKAGE UV_REINSTALL UV_REINSTALL_PACKAGE UV_FROZEN UV_LOCKED UV_NO_SYNC
  UV_NO_DEV UV_DEV UV_NO_GROUP UV_NO_DEFAULT_GROUPS UV_NO_INSTALL_PROJECT
  UV_NO_INSTALL_WORKSPACE UV_NO_INSTALL_LOCAL UV_NO_INSTALLER_METADATA UV_ISOLATED
  UV_SHOW_RESOLUTION UV_PREVIEW UV_PREVIEW_FEATURES UV_NO_ENV_FILE
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

/** Where the TLS libraries the installers use take trust roots from besides the system's
 * (the kernel's `sources.CA_VARS`): requests (pip, conda), OpenSSL and rustls (uv). A proxy
 * alone (HTTPS_PROXY) stays allowed; uv's system store (UV_SYSTEM_CERTS) is inert. */
const CA_VARS = [
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR'
];

function addCa(
  request: InstallRequest,
  value: string,
  place: Place,
  cwd: string
): void {
  if (value.trim()) {
    // `..` is not folded as text: the kernel reads it after the link before it
    // (`/tmp/l/../../etc/ssl/cert.pem`, l a link, is a file of the cell's), so such a path
    // is kept as written and matches no listed one (as the kernel's `sources.add_ca`)
    const text = value.trim();
    const given = text.startsWith('/')
      ? text
      : `${cwd.replace(/\/+$/, '')}/${text}`;
    const dotdot = given.split('/').includes('..');
    addTls(request, 'ca', dotdot ? given : path.resolve(given), place);
  }
}

/** conda's `ssl_verify`: true (the default), false (no certificate checked, every host), or
 * the path of a CA bundle (`truststore`: the system's store). */
function condaSslVerify(
  request: InstallRequest,
  value: string,
  place: Place,
  cwd: string
): void {
  const text = value.trim().replace(/^['"]+|['"]+$/g, '');
  const lower = text.toLowerCase();
  if (!text || ['true', 'yes', 'on', '1', 'truststore'].includes(lower)) {
    return;
  }
  if (['false', 'no', 'off', '0'].includes(lower)) {
    addTls(request, 'insecure-host', '*', place);
  } else {
    addCa(request, text, place, cwd);
  }
}

/** pip's option name for an environment key (pip's `_normalize_name`). */
export function pipKey(name: string): string {
  const key = name.toLowerCase().replace(/_/g, '-');
  return key.startsWith('--') ? key.slice(2) : key;
}

/** Settings that change where a channel name points (an alias, the `defaults` list, custom
 * channel maps): conda reads any setting from `CONDA_<KEY>`, mamba from `MAMBA_<KEY>`. */
/** conda's and mamba's environment variables, decided consciously (the kernel's
 * `sources.CONDA_INERT_VARS`): read (`CONDA_READ_VARS`) or inert; any other `CONDA_*` /
 * `MAMBA_*` variable refuses the install (deny by default: channel settings, the package
 * cache conda trusts, the specs it adds, every setting not listed; red8 L8-5). */
const CONDA_READ_VARS = new Set(
  `CONDA_CHANNELS CONDA_SSL_VERIFY MAMBA_SSL_VERIFY MAMBA_CACERT_PATH CONDA_ROOT
  CONDA_PREFIX MAMBA_ROOT_PREFIX`.split(/\s+/)
);
const CONDA_INERT_VARS = new Set(
  `CONDA_DEFAULT_ENV CONDA_EXE CONDA_PYTHON_EXE CONDA_SHLVL CONDA_PROMPT_MODIFIER MAMBA_EXE
  CONDA_CHANGEPS1 CONDA_AUTO_ACTIVATE_BASE CONDA_AUTO_ACTIVATE CONDA_DIR CONDA_BUILD_SYSROOT
  CONDA_TOOLCHAIN_HOST CONDA_TOOLCHAIN_BUILD CONDA_MKL_INTERFACE_LAYER_BACKUP CONDA_ALWAYS_YES
  MAMBA_ALWAYS_YES CONDA_QUIET CONDA_JSON CONDA_VERBOSITY CONDA_DRY_RUN MAMBA_NO_BANNER
  MAMBA_NO_PROMPT CONDA_NUMBER_CHANNEL_NOTICES CONDA_NOTIFY_OUTDATED_CONDA
  CONDA_AUTO_UPDATE_CONDA CONDA_REPORT_ERRORS MAMBA_LOG_LEVEL MAMBA_NO_RC
  CONDA_REMOTE_CONNECT_TIMEOUT_SECS CONDA_REMOTE_READ_TIMEOUT_SECS CONDA_REMOTE_MAX_RETRIES
  CONDA_REMOTE_BACKOFF_FACTOR CONDA_CHANNEL_PRIORITY CONDA_SOLVER CONDA_SUBDIR
  CONDA_SAFETY_CHECKS CONDA_EXTRA_SAFETY_CHECKS CONDA_UPDATE_MODIFIER
  CONDA_DEPS_MODIFIER`.split(/\s+/)
);
const CONDA_INERT_VAR =
  /^(?:CONDA_PREFIX_\d+|CONDA_BACKUP_\w+|CONDA_OVERRIDE_\w+)$/;

/** Sources the environment adds, then pip's default index / conda's default channel. */
export function addImplicitSources(
  request: InstallRequest,
  env: Readonly<Record<string, string>>,
  context: CommandContext
): void {
  for (const variable of CA_VARS) {
    addCa(
      request,
      env[variable] ?? '',
      envPlace(variable, context),
      context.cwd
    );
  }
  // conda runs `pip install` on an environment file's pip list: pip's settings apply
  if (request.tool === 'pip' || request.condaPip) {
    for (const variable of Object.keys(env).sort()) {
      if (variable.startsWith('PIP_') && variable.length > 4) {
        const origin = `environment variable ${variable}`;
        pipSetting(request, pipKey(variable.slice(4)), env[variable], origin, {
          ...context,
          place: envPlace(variable, context)
        });
      }
    }
  }
  if (request.tool === 'pip' || request.condaPip) {
    // the pip.conf files the project shows (pipconfig.ts), read with the same keys; conda's
    // pip list is `pip install`, whatever conda's own command (`env create`) is (R46b-6)
    const section = request.tool === 'pip' ? undefined : 'install';
    for (const setting of pipConfigSettings(
      request,
      { ...context, env },
      section
    )) {
      pipSetting(request, pipKey(setting.key), setting.value, setting.origin, {
        ...context,
        place: setting.place
      });
    }
  }
  if (request.tool === 'uv' || (request.tool === 'pip' && request.alsoUv)) {
    const noIndex = request.noIndex; // uv's no-index setting does not stop pip using its index
    for (const [variable, role, delimiter] of UV_SOURCE_VARS) {
      for (const value of splitSetting(env[variable] ?? '', delimiter)) {
        // UV_INDEX, UV_DEFAULT_INDEX: [name=]url
        const url = namedIndexUrl(value);
        request.sources.push({ url, role, place: envPlace(variable, context) });
      }
    }
    // inert for sources, not for which release is taken (R43b-1)
    for (const [variable, key] of Object.entries(preference.UV_VARS)) {
      if ((env[variable] ?? '').trim()) {
        preference.note(
          request,
          'uv',
          key,
          env[variable],
          `environment variable ${variable}`
        );
      }
    }
    for (const host of splitList(env.UV_INSECURE_HOST ?? '')) {
      addTls(
        request,
        'insecure-host',
        host,
        envPlace('UV_INSECURE_HOST', context)
      );
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
    for (const variable of ['CONDA_SSL_VERIFY', 'MAMBA_SSL_VERIFY']) {
      condaSslVerify(
        request,
        env[variable] ?? '',
        envPlace(variable, context),
        env.PWD || context.cwd
      );
    }
    addCa(
      request,
      env.MAMBA_CACERT_PATH ?? '',
      envPlace('MAMBA_CACERT_PATH', context),
      env.PWD || context.cwd
    );
    if (
      request.overrideChannels &&
      !request.sources.some(s => s.role === 'channel')
    ) {
      request.problems.push({
        text: '--override-channels without any -c channel',
        place: context.place
      });
    }
    if (!request.overrideChannels) {
      for (const channel of splitList(env.CONDA_CHANNELS ?? '')) {
        request.sources.push({
          url: channel,
          role: 'channel',
          place: envPlace('CONDA_CHANNELS', context)
        });
      }
    }
    // --override-channels drops the configured channel list only: an alias or custom channel
    // still says where the -c names point
    for (const variable of Object.keys(env).sort()) {
      if (
        (variable.startsWith('CONDA_') || variable.startsWith('MAMBA_')) &&
        env[variable].trim() &&
        !CONDA_READ_VARS.has(variable) &&
        !CONDA_INERT_VARS.has(variable) &&
        !CONDA_INERT_VAR.test(variable)
      ) {
        request.problems.push({
          text: `environment variable ${variable} is a conda/mamba setting Warden does not read (it may change conda's channels, its package cache or the packages it adds): unset it`,
          place: envPlace(variable, context)
        });
      }
    }
    if (!request.overrideChannels) {
      // no .condarc is read statically: conda's default channel, as with none configured
      request.sources.push({
        url: 'defaults',
        role: 'channel',
        place: { ...context.place, origin: "conda's default" }
      });
    }
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
  if (
    (request.tool === 'pip' || request.tool === 'uv') &&
    !request.childReads
  ) {
    readLocalPages(request, context); // else the pip's own guard reads them (R10-3)
  }
}

const PAGE_LINK = /(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const JSON_URL = /"url"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  sol: '/'
};

function unescapeHtml(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi,
    (whole, body: string) => {
      if (body[0] === '#') {
        const code =
          body[1] === 'x' || body[1] === 'X'
            ? parseInt(body.slice(2), 16)
            : parseInt(body.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[body.toLowerCase()] ?? whole;
    }
  );
}

function pageLinks(text: string): string[] {
  const out: string[] = [];
  for (const body of new Set([text, unescapeHtml(text)])) {
    for (const match of body.matchAll(PAGE_LINK)) {
      out.push(match[1] ?? match[2] ?? match[3] ?? '');
    }
    for (const match of body.matchAll(JSON_URL)) {
      try {
        out.push(JSON.parse(`"${match[1]}"`) as string);
      } catch {
        out.push(match[1]);
      }
    }
  }
  return out;
}

/** A local index or find-links location is read, not skipped (red8 R8-15, the kernel's
 * `read_local_pages`): pip and uv download from the links its pages hold. The static side
 * cannot list a folder, so it reads the page itself (a find-links HTML file), and a
 * folder's `index.html` and `NAME/index.html` for each name asked for. */
function readLocalPages(
  request: InstallRequest,
  context: CommandContext
): void {
  const names = request.requirements
    .map(r => r.name)
    .filter((n): n is string => Boolean(n));
  for (const source of [...request.sources]) {
    if (
      !['index', 'extra-index', 'default-index', 'find-links'].includes(
        source.role
      )
    ) {
      continue;
    }
    const text = source.url.trim();
    const isFile = text.toLowerCase().startsWith('file:');
    if (!text || (!isFile && (hasScheme(text) || text.includes('://')))) {
      continue;
    }
    // a `file:` value is read both as the URL's path and as the path it is written as (red
    // team 44a R44a-3: pip tests a location as a path before its scheme, in any spelling; uv
    // 0.13.9 takes a command-line `FILE:///W/x` for the relative path `./FILE:/W/x`), and a
    // requirements file's or uv config's relative location from that file's folder too
    const bases = locationPaths(text, context.cwd, source.base);
    if (bases === null) {
      request.problems.push({
        text: `local ${source.role} ${text.slice(0, 200)} names another host; Warden cannot read it`,
        place: source.place
      });
      continue;
    }
    const pages = bases.flatMap(base => [
      base,
      path.join(base, 'index.html'),
      ...names.map(n => path.join(base, n, 'index.html'))
    ]);
    for (const page of pages) {
      let body: string;
      try {
        body = context.readFile(page);
      } catch {
        continue; // a folder, or no such page
      }
      for (const raw of pageLinks(body)) {
        const link = raw.trim();
        if (!link || link.startsWith('#')) {
          continue;
        }
        if (
          (hasScheme(link) && !link.toLowerCase().startsWith('file:')) ||
          link.startsWith('//') ||
          link.startsWith('\\\\') ||
          link.includes('://')
        ) {
          request.sources.push({
            url: link,
            role: 'find-links',
            place: {
              ...source.place,
              origin: `a link on the local page ${context.label(page)}`
            }
          });
        }
      }
    }
  }
}

function envPlace(variable: string, context: CommandContext): Place {
  return { ...context.place, origin: `environment variable ${variable}` };
}

/** One pip setting (`key`, pip's option name) from the environment or a config file
 * (`origin` says which; `context.place` is where). */
function pipSetting(
  request: InstallRequest,
  key: string,
  value: string,
  origin: string,
  context: CommandContext
): void {
  const place = context.place;
  // --pre, --prefer-binary... (R43b-1)
  preference.note(request, 'pip', key, value, origin);
  if (key in SOURCE_KEYS) {
    for (const url of splitSetting(value, PIP_DELIMITER[key])) {
      request.sources.push({ url, role: SOURCE_KEYS[key], place });
    }
  } else if (key === 'no-index') {
    request.noIndex =
      request.noIndex || TRUE.includes(value.trim().toLowerCase());
  } else if (key === 'trusted-host') {
    for (const host of value.split(/\s+/).filter(Boolean)) {
      addTls(request, 'insecure-host', host, place);
    }
  } else if (key === 'cert') {
    addCa(request, value, place, context.cwd);
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
      text: `pip setting '${key}' (${origin}) is one Warden does not read; remove it or pass the option on the command line`,
      place
    });
  }
}

export { COMMAND_LINE };
