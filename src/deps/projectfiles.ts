/**
 * Project files an install command reads besides its own arguments (a port of the kernel's
 * `installs/toml_files.py`): the project `uv sync` / `uv run` install (the nearest
 * pyproject.toml up from the working directory, with its uv.lock), a script's PEP 723
 * `# /// script` block (`uv run FILE`), pip's `--group [PATH:]NAME` (PEP 735) and the
 * environment file of `conda env create|update -f`. A file that cannot be read or parsed is a
 * problem (install-unreadable), never an empty install.
 */
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { chains, upward } from './folders';
import type { CommandContext } from './installers';
import { addUvSources, readManifest, readPyprojectUv } from './manifests';
import { normalize } from './names';
import { addLocked, addNamed } from './offered';
import { addPoetryMain } from './poetry';
import { addTls, redactUrl, type InstallRequest, type Place } from './request';
import { artifactFile, artifactOf, parseRequirement } from './requirements';
import { uvSettings, uvSettingsOnce } from './uvsettings';

// PEP 723's reference regex (uv reads the same way: the block ends at its last `# ///` line)
// and pipx's `script._INLINE_METADATA` (the block ends at its first); both want exact marker
// lines, no trailing blanks.
const SCRIPT_BLOCK =
  /^# \/\/\/ (?<type>[a-zA-Z0-9-]+)$\s(?<content>(^#(| .*)$\s)+)^# \/\/\/$/gm;
const SCRIPT_BLOCK_FIRST_END =
  /^# \/\/\/ (?<type>[a-zA-Z0-9-]+)$\s(?<content>(^#(| .*)$\s)+?)^# \/\/\/$/gm;
// Any line a reader could take for a block marker, however spaced
const LOOSE_MARKER = /^[ \t]*#[ \t]*\/\/\//;
// Whether a file holds a script block for ANY of its readers, decided on the loosest reading:
// uv takes `# /// script` after a lone CR, pipx after a BOM (red7 R7-1, R7-11), so `///` and
// `script` anywhere, spaced by any character JavaScript or Python calls a blank, in any case.
// A file this finds is read by `scriptBlockContent` or refused, never run as a plain script.
const LOOSE_SCRIPT_START =
  // eslint-disable-next-line no-control-regex -- the blanks Python's str.isspace knows
  /\/\/\/[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*script/i;
const STRICT_MARKER = /^# \/\/\/( [a-zA-Z0-9-]+)?$/;
const MAX_INCLUDE_DEPTH = 10;

type Doc = Record<string, any>;

function merge(into: InstallRequest, from: InstallRequest[]): void {
  for (const request of from) {
    into.requirements.push(...request.requirements);
    into.sources.push(...request.sources);
    into.problems.push(...request.problems);
    for (const t of request.tls ?? []) {
      addTls(into, t.kind, t.value, t.place);
    }
    into.noIndex = into.noIndex || request.noIndex;
    into.overrideChannels = into.overrideChannels || request.overrideChannels;
  }
}

function readText(
  request: InstallRequest,
  fullPath: string,
  context: CommandContext
): string | null {
  try {
    return context.readFile(fullPath);
  } catch (e) {
    request.problems.push({
      text: `cannot read ${path.basename(fullPath)}: ${(e as Error).message}`,
      place: context.place
    });
    return null;
  }
}

function exists(fullPath: string, context: CommandContext): boolean {
  try {
    context.readFile(fullPath);
    return true;
  } catch {
    return false;
  }
}

function toml(
  request: InstallRequest,
  text: string,
  label: string,
  place: Place
): Doc | null {
  try {
    return parseToml(text) as Doc;
  } catch {
    request.problems.push({
      text: `${label} is not valid TOML: Warden cannot read it`,
      place
    });
    return null;
  }
}

/** `conda env create|update -f FILE`: the environment file's channels and packages. */
export function readEnvironmentInto(
  request: InstallRequest,
  fullPath: string,
  context: CommandContext
): void {
  const text = readText(request, fullPath, context);
  if (text !== null) {
    const read = readManifest('environment', fullPath, text, context);
    // the file's pip list: conda runs `pip install` on it, with pip's settings
    request.condaPip = request.condaPip || read.some(r => r.tool === 'pip');
    merge(request, read);
  }
}

/** The nearest pyproject.toml from `cwd` up, or null. */
export function findProject(
  cwd: string,
  context: CommandContext
): string | null {
  // from the physical folder uv runs in (red team 11 R11-2)
  for (const here of upward(cwd, context)) {
    const candidate = path.join(here, 'pyproject.toml');
    if (exists(candidate, context)) {
      return candidate;
    }
  }
  return null;
}

/** A `pyproject.toml` given to uv's `-r`/`-c`/`--with-requirements`: uv reads it as project
 * metadata (its dependencies, its `[[tool.uv.index]]` for the sources naming one), not as
 * requirement lines; in a workspace member, the workspace root above it too, whose members
 * its `{ workspace = true }` sources build (red team 45a R45a-4, R45a-7; the kernel's
 * `toml_files.add_requirements_project`). `group`: `uv pip install --group [PATH:]NAME`
 * instead, which installs only that group (and its include-groups) but lowers it as `-r`
 * does, with the file's sources, indexes and workspace root (red team 46a R46a-1). */
export function readPyprojectInto(
  request: InstallRequest,
  file: string,
  context: CommandContext,
  group: string | null = null
): void {
  const text = readText(request, file, context);
  if (text !== null) {
    merge(
      request,
      group === null
        ? readManifest('pyproject', file, text, context)
        : readPyprojectUv(file, text, context)
    );
    const label = context.label(file);
    let doc: Doc | null = null;
    try {
      doc = parseToml(text) as Doc;
    } catch {
      // reported by the manifest reader
    }
    if (doc && group !== null) {
      addGroup(request, doc, group, label, context, 0);
    }
    if (doc && isTable(doc.tool?.uv)) {
      const noIndex = request.noIndex; // uv takes no setting of the install from this file
      const place = { file: label, line: 1, origin: `${label} [tool.uv]` };
      uvSettingsOnce(request, doc.tool.uv, place, path.dirname(file));
      request.noIndex = noIndex;
    }
  }
  for (const root of findWorkspaceRoots(request, path.dirname(file), context)) {
    request.requirements.push({
      text: path.dirname(root),
      name: null,
      kind: 'path',
      place: {
        ...context.place,
        origin: `${context.label(file)} workspace root`
      },
      pin: null
    });
  }
}

/** The project `uv sync` installs: its pyproject.toml (every extra and group) and uv.lock; in
 * a workspace member, the workspace root above it too (uv locks and syncs the whole
 * workspace, red team F6). */
export function readProjectInto(
  request: InstallRequest,
  context: CommandContext
): void {
  const project = findProject(context.cwd, context);
  if (project === null) {
    request.problems.push({
      text: `\`${request.command}\` found no pyproject.toml to read`,
      place: context.place
    });
    return;
  }
  readProjectFileInto(request, project, context);
  for (const root of findWorkspaceRoots(
    request,
    path.dirname(project),
    context
  )) {
    readProjectFileInto(request, root, context);
  }
}

/** The pyproject.toml of the uv workspace root above project `folder`, on each chain uv may
 * walk (folders.chains: the physical one, the path as written); [] when none. One on the way
 * up that cannot be parsed is a problem (uv reads them too). */
export function findWorkspaceRoots(
  request: InstallRequest,
  folder: string,
  context: CommandContext
): string[] {
  const roots: string[] = [];
  for (const walk of chains(folder, context)) {
    for (const here of walk.slice(1)) {
      const candidate = path.join(here, 'pyproject.toml');
      if (!exists(candidate, context)) {
        continue;
      }
      const label = context.label(candidate);
      const doc = toml(
        request,
        readText(request, candidate, context) ?? '',
        label,
        { file: label, line: 1, origin: label }
      );
      if (doc && isTable(doc.tool?.uv) && 'workspace' in doc.tool.uv) {
        if (!roots.includes(candidate)) {
          roots.push(candidate);
        }
        break;
      }
    }
  }
  return roots;
}

function readProjectFileInto(
  request: InstallRequest,
  project: string,
  context: CommandContext
): void {
  const text = readText(request, project, context);
  if (text !== null) {
    merge(request, readManifest('pyproject', project, text, context));
  }
  const lock = path.join(path.dirname(project), 'uv.lock');
  if (exists(lock, context)) {
    readLock(request, lock, context);
  }
}

/** A PEP 723 script's own lock (`uv lock --script s.py` writes `s.py.lock`), which `uv run
 * s.py` / `--script` commands install from when it is current: read as a uv.lock. */
export function readScriptLockInto(
  request: InstallRequest,
  script: string,
  context: CommandContext
): void {
  const lock = path.resolve(context.cwd, script) + '.lock';
  if (exists(lock, context)) {
    readLock(request, lock, context);
  }
}

// uv.lock's keys (uv's lock format, version 1): any other key of a package, its sdist or a
// wheel may be one more place uv fetches from, so it refuses the install (deny by default;
// the kernel's `toml_files._LOCK_*_KEYS`).
const LOCK_PACKAGE_KEYS = new Set(
  `name version source sdist wheels dependencies optional-dependencies dev-dependencies
  metadata resolution-markers`.split(/\s+/)
);
const LOCK_KEYS = new Set(
  `version revision requires-python resolution-markers supported-markers required-markers
  environment-markers conflicts options manifest package distribution`.split(
    /\s+/
  )
);
const LOCK_FILE_KEYS = new Set([
  'url',
  'path',
  'filename',
  'hash',
  'size',
  'upload-time'
]);
const LOCK_SOURCE_KEYS = new Set(
  `registry url git path directory editable virtual subdirectory`.split(/\s+/)
);

const isTable = (value: unknown): value is Doc =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** uv.lock: each locked package's name and where it is fetched from: its source (registry,
 * URL, git) and every file URL uv downloads (`sdist.url`, `wheels[].url`: what uv actually
 * fetches, checked only against the hash beside it; red7 R7-18), each a direct reference
 * unless it lies under a trusted index (PyPI's files host is one by default). A registry
 * package is decided as a pin of its locked version; a local one (`path`, `directory`,
 * `editable`, `virtual`) as the release it is locked as, and read from the lock's folder as
 * a local project; every file an entry names by `filename` or `path` by its file name's
 * project and version (red team 44a R44a-2, the kernel's `toml_files.add_lock`). */
function readLock(
  request: InstallRequest,
  lock: string,
  context: CommandContext
): void {
  const label = context.label(lock);
  const place = { file: label, line: 1, origin: label };
  const doc = toml(
    request,
    readText(request, lock, context) ?? '',
    label,
    place
  );
  const unknown = Object.keys(doc ?? {})
    .filter(k => !LOCK_KEYS.has(k))
    .sort();
  if (unknown.length) {
    request.problems.push({
      text: `${label}: ${unknown.join(', ')} is not something Warden reads in a uv.lock`,
      place
    });
  }
  // uv takes `[[distribution]]` (the format's older name) as `[[package]]`
  const packages: unknown[] = [];
  for (const key of ['package', 'distribution']) {
    const list = doc?.[key];
    if (list !== undefined && !Array.isArray(list)) {
      request.problems.push({
        text: `${label}: [[${key}]] is not a list`,
        place
      });
    }
    packages.push(...(Array.isArray(list) ? list : []));
  }
  for (const pkg of packages) {
    if (!isTable(pkg)) {
      request.problems.push({
        text: `${label}: a [[package]] entry is not a table`,
        place
      });
      continue;
    }
    const name = pkg.name;
    const origin = { ...place, origin: `${label} package ${String(name)}` };
    const unknown = Object.keys(pkg)
      .filter(k => !LOCK_PACKAGE_KEYS.has(k))
      .sort();
    if (isTable(pkg.source)) {
      unknown.push(
        ...Object.keys(pkg.source)
          .filter(k => !LOCK_SOURCE_KEYS.has(k))
          .sort()
      );
    }
    if (unknown.length || !isTable(pkg.source) || typeof name !== 'string') {
      request.problems.push({
        text: `${origin.origin}: ${unknown.join(', ') || 'its name or source'} is not something Warden reads in a uv.lock`,
        place: origin
      });
    }
    const source: Doc = isTable(pkg.source) ? pkg.source : {};
    if (typeof source.registry === 'string') {
      // a local registry (a flat index locked as `registry = "wheels"`) lies in the lock's
      // folder, wherever uv runs from (red team 45a R45a-3)
      request.sources.push({
        url: source.registry,
        role: 'extra-index',
        place: origin,
        base: path.dirname(lock)
      });
    }
    const version = typeof pkg.version === 'string' ? pkg.version : null;
    let text = '';
    if (typeof source.url === 'string') {
      text = `${name} @ ${source.url}`;
    } else if (typeof source.git === 'string') {
      text = `${name} @ git+${source.git}`;
    } else if (
      typeof name === 'string' &&
      !LOCAL_SOURCES.some(k => k in source)
    ) {
      // the locked release is what uv installs: a pin, not the index's newest (R44a-2)
      text = version ? `${name}==${version}` : name;
    }
    if (text) {
      request.requirements.push(parseRequirement(text, origin));
    } else if (typeof name === 'string') {
      // a local source: the release it is locked as (R44a-2)
      addLocked(request, name, version, origin, !('path' in source));
    }
    addLockSource(request, source, origin, path.dirname(lock));
    lockFiles(request, pkg, origin);
  }
}

// a uv.lock source uv builds or unpacks from the lock's own folder (uv's `Source::Path`,
// `Directory`, `Editable`, `Virtual`): read as a local project (R44a-2)
const LOCAL_SOURCES = ['path', 'directory', 'editable', 'virtual'];

/** A locked package's local source, placed in the lock's folder (`base`) as a path
 * requirement `localprojects.ts` reads (the kernel's `toml_files._add_lock_source`). */
function addLockSource(
  request: InstallRequest,
  source: Doc,
  origin: Place,
  base: string
): void {
  for (const key of LOCAL_SOURCES) {
    const value = source[key];
    if (value === undefined) {
      continue;
    }
    const place = { ...origin, origin: `${origin.origin} ${key} source` };
    if (typeof value !== 'string') {
      request.problems.push({
        text: `${origin.origin}: its ${key} source is not a path`,
        place
      });
      continue;
    }
    request.requirements.push({
      text: value,
      name: null,
      kind: 'path',
      place,
      pin: null,
      base
    });
  }
}

/** A locked package's `sdist` and `wheels`: each URL decided as a direct reference
 * (nameless: the package's name is decided once, above); each `filename` / `path` by the
 * project and version its file name gives (the kernel's `toml_files._lock_files`). */
function lockFiles(request: InstallRequest, pkg: Doc, origin: Place): void {
  const entries: Array<[string, unknown]> =
    pkg.sdist !== undefined ? [['sdist', pkg.sdist]] : [];
  if (pkg.wheels !== undefined && !Array.isArray(pkg.wheels)) {
    request.problems.push({
      text: `${origin.origin}: wheels is not a list`,
      place: origin
    });
  }
  for (const wheel of Array.isArray(pkg.wheels) ? pkg.wheels : []) {
    entries.push(['wheels', wheel]);
  }
  for (const [what, entry] of entries) {
    const extra = isTable(entry)
      ? Object.keys(entry)
          .filter(k => !LOCK_FILE_KEYS.has(k))
          .sort()
      : [];
    if (!isTable(entry) || extra.length) {
      request.problems.push({
        text: `${origin.origin}: ${what} ${extra.join(', ') || 'entry'} is not something Warden reads in a uv.lock`,
        place: origin
      });
      continue;
    }
    const where = { ...origin, origin: `${origin.origin} ${what}` };
    if (entry.url !== undefined && typeof entry.url !== 'string') {
      request.problems.push({
        text: `${origin.origin}: a ${what} url is not a string`,
        place: origin
      });
    } else if (typeof entry.url === 'string') {
      request.requirements.push({
        text: redactUrl(entry.url),
        written: entry.url, // decided as written (a trusted index's token path)
        name: null,
        kind: 'url',
        place: where,
        pin: null,
        ...artifactOf(artifactFile(entry.url, true)) // its file's project (R11-19)
      });
    }
    // the file a local source installs: decided by its name's project and version (R44a-2)
    for (const key of ['filename', 'path']) {
      const named = entry[key];
      if (named !== undefined && typeof named !== 'string') {
        request.problems.push({
          text: `${origin.origin}: a ${what} ${key} is not a string`,
          place: origin
        });
      } else if (typeof named === 'string') {
        addNamed(request, named, where);
      }
    }
  }
}

const MENTIONS_UV = /(^|[^A-Za-z0-9_-])uv([^A-Za-z0-9_-]|$)|\\[uU]/;

/**
 * uv's project config (the kernel's `uv_config.py`, project part): `uv.toml` and
 * `pyproject.toml [tool.uv]` from the working directory up. The user's and system's uv.toml
 * belong to the machine the install runs on: the kernel reads those.
 */
export function readUvProjectConfig(
  request: InstallRequest,
  context: CommandContext
): void {
  if (TRUE.includes((context.env.UV_NO_CONFIG ?? '').toLowerCase())) {
    return;
  }
  // walked up from the physical folder uv runs in, as uv does (red team 11 R11-2)
  for (const here of upward(context.cwd, context)) {
    for (const name of ['uv.toml', 'pyproject.toml']) {
      const file = path.join(here, name);
      if (!exists(file, context)) {
        continue;
      }
      const text = readText(request, file, context);
      if (
        text === null ||
        (name === 'pyproject.toml' && !MENTIONS_UV.test(text))
      ) {
        continue;
      }
      const label = context.label(file);
      const place = { file: label, line: 1, origin: `uv config ${label}` };
      const doc = toml(request, text, label, place);
      if (doc) {
        uvSettingsOnce(
          request,
          name === 'uv.toml' ? doc : (doc.tool?.uv ?? {}),
          place,
          here
        );
      }
    }
  }
}

const TRUE = ['1', 'true', 'yes', 'on', 'y', 't'];

/**
 * A script's PEP 723 dependencies and `[tool.uv]` (settings, sources); false when the file has no
 * `# /// script` block (or is no readable file: uv runs it as a command).
 */
/**
 * The content lines of a PEP 723 `# /// script` block, or null when the consuming tools
 * could read the file differently: pipx (first `# ///` ends the block, two blocks are an
 * error) and uv (the last one ends it) must see the same one block, and no marker line may
 * be spelled loosely (`# /// script  ` is no block for pipx: a decoy for a reader that
 * accepts it). Newlines are normalised as both tools do (BOM dropped, CRLF read as LF); a
 * lone CR (and U+2028/U+2029, line ends for a JavaScript regex) is refused, as is a block
 * holding another character Python's `str.splitlines` breaks at.
 */
function scriptBlockContent(raw: string): string | null {
  const text = raw.replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  if (/[\r\u2028\u2029]/.test(text)) {
    return null;
  }
  const markers = text.split('\n').filter(line => LOOSE_MARKER.test(line));
  if (markers.some(line => !STRICT_MARKER.test(line))) {
    return null;
  }
  if (markers.filter(line => line === '# /// script').length !== 1) {
    return null;
  }
  const blocks = [...text.matchAll(SCRIPT_BLOCK)].filter(
    m => m.groups?.type === 'script'
  );
  const firstEnd = [...text.matchAll(SCRIPT_BLOCK_FIRST_END)].filter(
    m => m.groups?.type === 'script'
  );
  if (
    blocks.length !== 1 ||
    firstEnd.length !== 1 ||
    blocks[0].groups!.content !== firstEnd[0].groups!.content
  ) {
    return null;
  }
  const content = blocks[0].groups!.content;
  const otherBreaks = ['\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85'];
  return otherBreaks.some(c => content.includes(c)) ? null : content;
}

export function readScriptInto(
  request: InstallRequest,
  file: string,
  context: CommandContext
): boolean {
  const fullPath = path.resolve(context.cwd, file);
  let text: string;
  try {
    text = context.readFile(fullPath);
  } catch {
    return false;
  }
  if (!LOOSE_SCRIPT_START.test(text)) {
    return false;
  }
  const label = context.label(fullPath);
  const place = { file: label, line: 1, origin: `${label} script metadata` };
  const content = scriptBlockContent(text);
  if (content === null) {
    request.problems.push({
      text: `${label}: its \`# /// script\` block is not one Warden can read`,
      place
    });
    return true;
  }
  const metadata = content
    .split(/(?<=\n)/)
    .map(line => (line.startsWith('# ') ? line.slice(2) : line.slice(1)))
    .join('');
  const doc = toml(
    request,
    metadata,
    `${label} (inline script metadata)`,
    place
  );
  if (doc) {
    const deps = doc.dependencies;
    if (deps !== undefined && !Array.isArray(deps)) {
      request.problems.push({
        text: `${label}: dependencies is not a list`,
        place
      });
    }
    for (const dep of Array.isArray(deps) ? deps : []) {
      if (typeof dep === 'string') {
        request.requirements.push(parseRequirement(dep, place));
      } else {
        request.problems.push({
          text: `${label}: a dependency is not a requirement string`,
          place
        });
      }
    }
    // the script's [tool.uv] is read as a project's is: settings and sources (red6 F7)
    const uv = doc.tool?.uv;
    if (uv && typeof uv === 'object') {
      uvSettings(request, uv, place, path.dirname(fullPath));
      // its path sources lie beside the script: uv reads them from the script's folder
      addUvSources(request, uv.sources, () => place, path.dirname(fullPath));
    }
  }
  return true;
}

/** pip's `--group [PATH:]NAME`: a PEP 735 group with its `include-group` entries. */
export function readGroupInto(
  request: InstallRequest,
  value: string,
  context: CommandContext
): void {
  const colon = value.lastIndexOf(':');
  const file = colon >= 0 ? value.slice(0, colon) : 'pyproject.toml';
  const name = colon >= 0 ? value.slice(colon + 1) : value;
  const fullPath = path.resolve(context.cwd, file || 'pyproject.toml');
  const label = context.label(fullPath);
  const text = readText(request, fullPath, context);
  const doc = text === null ? null : toml(request, text, label, context.place);
  if (doc) {
    addGroup(request, doc, name, label, context, 0);
  }
}

function addGroup(
  request: InstallRequest,
  doc: Doc,
  name: string,
  label: string,
  context: CommandContext,
  depth: number
): void {
  const groups =
    doc['dependency-groups'] && typeof doc['dependency-groups'] === 'object'
      ? (doc['dependency-groups'] as Doc)
      : {};
  const key = Object.keys(groups).find(k => normalize(k) === normalize(name));
  const place = {
    ...context.place,
    origin: `${label} [dependency-groups] ${name}`
  };
  if (depth > MAX_INCLUDE_DEPTH) {
    request.problems.push({
      text: `${label}: dependency groups include each other too deeply`,
      place
    });
    return;
  }
  if (key === undefined || !Array.isArray(groups[key])) {
    request.problems.push({
      text: `${label} has no dependency group '${name}'`,
      place
    });
    return;
  }
  for (const entry of groups[key] as unknown[]) {
    if (typeof entry === 'string') {
      request.requirements.push(parseRequirement(entry, place));
    } else if (
      entry &&
      typeof entry === 'object' &&
      typeof (entry as Doc)['include-group'] === 'string'
    ) {
      addGroup(
        request,
        doc,
        (entry as Doc)['include-group'],
        label,
        context,
        depth + 1
      );
    } else {
      request.problems.push({
        text: `${label}: an entry of dependency group ${name} is not a requirement string`,
        place
      });
    }
  }
}

/**
 * A local project folder an install builds (`localprojects.ts`): for uv (and pipx on uv) the
 * whole project as `uv sync` reads it (its pyproject.toml as a manifest, with its `[tool.uv]`
 * settings); for pip the metadata pip builds from (dependencies, every extra, a Poetry
 * project's main dependencies: `poetry.ts`, `[build-system] requires`). False when the folder has no pyproject.toml to read (setup.py only: the
 * folder's own build code, see the threat model).
 */
export function readProjectFolderInto(
  request: InstallRequest,
  folder: string,
  uv: boolean,
  context: CommandContext
): boolean {
  const file = path.join(folder, 'pyproject.toml');
  let text: string;
  try {
    text = context.readFile(file);
  } catch {
    return false;
  }
  const label = context.label(file);
  const place = { file: label, line: 1, origin: label };
  if (uv) {
    const [manifest] = readManifest('pyproject', file, text, context);
    merge(request, [manifest]);
    // a workspace member: uv finds its `{ workspace = true }` sources from the root above
    for (const root of findWorkspaceRoots(request, folder, context)) {
      request.requirements.push({
        text: path.dirname(root),
        name: null,
        kind: 'path',
        place,
        pin: null
      });
    }
    // its [tool.uv] settings: read by the manifest reader (uvsettings.ts)
    return true;
  }
  const doc = toml(request, text, label, place);
  if (!doc) {
    return true;
  }
  const add = (values: unknown, what: string) => {
    if (values === undefined) {
      return;
    }
    if (!Array.isArray(values)) {
      request.problems.push({ text: `${label}: ${what} is not a list`, place });
      return;
    }
    for (const value of values) {
      if (typeof value === 'string') {
        request.requirements.push(parseRequirement(value, place));
      } else {
        request.problems.push({
          text: `${label}: an entry of ${what} is not a requirement string`,
          place
        });
      }
    }
  };
  const project: Doc = isTable(doc.project) ? doc.project : {};
  add(project.dependencies, 'dependencies');
  // the main dependencies poetry-core writes into the metadata (red team 50c R50c-3)
  addPoetryMain(request, doc, label, place, folder);
  const extras = project['optional-dependencies'];
  for (const [extra, values] of Object.entries(isTable(extras) ? extras : {})) {
    add(values, `optional-dependencies.${extra}`);
  }
  const build = doc['build-system'];
  if (build !== undefined && !isTable(build)) {
    request.problems.push({
      text: `${label}: [build-system] is not a table`,
      place
    });
  }
  add(isTable(build) ? build.requires : undefined, '[build-system] requires');
  return true;
}
