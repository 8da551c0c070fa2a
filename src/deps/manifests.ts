/**
 * Dependency manifests read into install requests, each requirement with its line:
 * `requirements*.txt` (pip's format, includes followed), `pyproject.toml` ([project]
 * dependencies and optional-dependencies, [build-system] requires, PEP 735
 * [dependency-groups], [tool.uv] settings (uvsettings.ts), sources, workspace and
 * dev-dependencies, Poetry's
 * dependencies, groups and sources) and conda's
 * `environment.yml` (channels, conda dependencies, the `pip:` list).
 *
 * A manifest says what gets installed, not from which machine: the indexes pip would use
 * by default (pip.conf, PyPI) are decided when an install runs (the kernel guard), so only the
 * sources a manifest names itself are decided here. A manifest Warden cannot parse is
 * install-unreadable (fail closed).
 */
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { LineIndex } from '../analyzer/positions';
import { condaSpec } from './installers';
import { newRequest, type InstallRequest, type Place } from './request';
import { pipDecode } from './pipdecode';
import {
  logicalLines,
  parseRequirement,
  PY_LINE_BREAK,
  readTextInto,
  type FileContext
} from './requirements';
import { addPoetryDependencies } from './poetry';
import { uvSettings } from './uvsettings';

export type ManifestKind = 'requirements' | 'pyproject' | 'environment';

/** The kind of dependency manifest a file name is, or null. */
export function manifestKind(file: string): ManifestKind | null {
  const name = path.basename(file).toLowerCase();
  if (/^requirements.*\.(txt|in)$/.test(name)) {
    return 'requirements';
  }
  if (name === 'pyproject.toml') {
    return 'pyproject';
  }
  if (/^environment.*\.ya?ml$/.test(name)) {
    return 'environment';
  }
  return null;
}

/** What a manifest asks to install: one request per installer it feeds. */
export function readManifest(
  kind: ManifestKind,
  fullPath: string,
  text: string,
  context: FileContext
): InstallRequest[] {
  if (kind === 'requirements') {
    const request = newRequest('pip', 'pip install -r');
    readTextInto(request, text, fullPath, context);
    return [request];
  }
  return kind === 'pyproject'
    ? readPyproject(fullPath, text, context)
    : readEnvironment(fullPath, text, context);
}

/** Lines of a manifest: the line of an offset, and where a written value first stands. */
class Lines {
  private readonly index: LineIndex;

  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
  }

  lineAt(offset: number): number {
    return this.index.position(offset).line;
  }

  /** The line of the first of `needles` found after `from` (fallback: the line of `from`). */
  find(needles: string[], from = 0): number {
    let best = -1;
    for (const n of needles) {
      const found = this.text.indexOf(n, from);
      const at = found >= 0 && n.startsWith('\n') ? found + 1 : found; // a needle at a line start
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
      }
    }
    return this.lineAt(best >= 0 ? best : from);
  }
}

function placeAt(label: string, line: number): Place {
  return { file: label, line, origin: `${label} line ${line}` };
}

const quoted = (s: string) => [`"${s}"`, `'${s}'`, s];

/** What uv's project reader takes from a pyproject.toml's `[tool.uv]` beside the project's
 * own metadata (workspace members, dev-dependencies, settings, sources): how `uv pip install
 * --group [PATH:]NAME` lowers the group it installs (red team 46a R46a-1; the kernel's
 * `toml_files.add_uv_project`). */
export function readPyprojectUv(
  fullPath: string,
  text: string,
  context: FileContext
): InstallRequest[] {
  return readPyproject(fullPath, text, context, true);
}

function readPyproject(
  fullPath: string,
  text: string,
  context: FileContext,
  uvOnly = false
): InstallRequest[] {
  const label = context.label(fullPath);
  const request = newRequest('pip', 'pip install (pyproject.toml)');
  let doc: Record<string, any>;
  try {
    doc = parseToml(text) as Record<string, any>;
  } catch (e) {
    const line = (e as { line?: number }).line ?? 1;
    request.problems.push({
      text: `${label} is not valid TOML (line ${line}): Warden cannot read its dependencies`,
      place: placeAt(label, line)
    });
    return [request];
  }
  const lines = new Lines(text);
  const header = (name: string) => {
    const m = new RegExp(
      `^\\s*\\[\\s*${name.replace(/\./g, '\\s*\\.\\s*')}\\s*\\]`,
      'm'
    ).exec(text);
    return m ? m.index : 0;
  };
  const addList = (values: unknown, sectionName: string, what: string) => {
    if (values === undefined) {
      return;
    }
    const start = header(sectionName);
    if (!Array.isArray(values)) {
      request.problems.push({
        text: `${label}: ${what} is not a list`,
        place: placeAt(label, lines.lineAt(start))
      });
      return;
    }
    for (const value of values) {
      if (typeof value === 'string') {
        request.requirements.push(
          parseRequirement(
            value,
            placeAt(label, lines.find(quoted(value), start))
          )
        );
      } else if (!(
        value &&
        typeof value === 'object' &&
        'include-group' in value
      )) {
        request.problems.push({
          text: `${label}: an entry of ${what} is not a requirement string`,
          place: placeAt(label, lines.lineAt(start))
        });
      }
    }
  };
  const project = doc.project ?? {};
  if (!uvOnly) {
    addList(project.dependencies, 'project', '[project] dependencies');
    for (const [extra, deps] of Object.entries(
      project['optional-dependencies'] ?? {}
    )) {
      addList(
        deps,
        'project.optional-dependencies',
        `optional-dependencies.${extra}`
      );
    }
    addList(
      doc['build-system']?.requires,
      'build-system',
      '[build-system] requires'
    );
    for (const [group, deps] of Object.entries(
      doc['dependency-groups'] ?? {}
    )) {
      addList(deps, 'dependency-groups', `dependency-groups.${group}`);
    }
  }
  const uv = doc.tool?.uv ?? {};
  // the project reader's own keys: dev-dependencies (uv installs them with the project) and
  // the workspace's members
  addList(uv['dev-dependencies'], 'tool.uv', '[tool.uv] dev-dependencies');
  const uvStart = header('tool.uv');
  if (uv.workspace !== undefined) {
    addWorkspace(
      request,
      uv.workspace,
      label,
      path.dirname(fullPath),
      placeAt(label, lines.lineAt(header('tool.uv.workspace')))
    );
  }
  // every other uv setting (indexes, [tool.uv.pip], insecure hosts, overrides, constraints,
  // build dependencies, dependency metadata) through the one reader of a uv settings table
  // the command reader uses too, which refuses a key it does not know (red team 45c R45c-6)
  if (uv && typeof uv === 'object' && !Array.isArray(uv)) {
    uvSettings(
      request,
      uv,
      value =>
        placeAt(
          label,
          value === null
            ? lines.lineAt(uvStart)
            : lines.find(quoted(value), uvStart)
        ),
      path.dirname(fullPath) // uv reads a relative path from here (installerpaths)
    );
  } else {
    request.problems.push({
      text: `${label}: [tool.uv] is not a table`,
      place: placeAt(label, lines.lineAt(uvStart))
    });
  }
  addUvSources(
    request,
    uv.sources,
    name =>
      placeAt(
        label,
        lines.find(
          [`${name} =`, `${name}=`, `"${name}"`],
          header('tool.uv.sources')
        )
      ),
    path.dirname(fullPath)
  );
  if (!uvOnly) {
    readPoetry(doc.tool?.poetry ?? {}, request, label, lines, header);
  }
  return [request];
}

/** `[tool.uv.workspace] members`: uv locks and syncs every member, so each is a local project
 * (read by `localprojects.ts`). A member given as a glob pattern is refused: both sides must
 * see the same folders, and the static side cannot list folders (red team F6). */
function addWorkspace(
  request: InstallRequest,
  workspace: unknown,
  label: string,
  base: string,
  place: Place
): void {
  const members =
    workspace && typeof workspace === 'object'
      ? (workspace as Record<string, unknown>).members
      : undefined;
  if (!workspace || typeof workspace !== 'object') {
    request.problems.push({
      text: `${label}: uv workspace members are not read by Warden here`,
      place
    });
    return;
  }
  if (members !== undefined && !Array.isArray(members)) {
    request.problems.push({
      text: `${label}: [tool.uv.workspace] members is not a list`,
      place
    });
  }
  for (const member of Array.isArray(members) ? members : []) {
    if (typeof member !== 'string' || /[*?[\]{}]/.test(member)) {
      request.problems.push({
        text: `${label}: uv workspace member ${JSON.stringify(member)} is a pattern Warden does not expand; list the member folders by name`,
        place
      });
    } else {
      request.requirements.push({
        text: member,
        name: null,
        kind: 'path',
        place,
        pin: null,
        base
      });
    }
  }
}

/** `[tool.uv.sources]` direct references (`git`, `url`) of a project or a PEP 723 script,
 * and (given the folder of the file naming them, `base`) its `path` sources as local paths, which
 * `localprojects.ts` reads as projects: uv builds them with their own sources (a workspace
 * member or a named index is no direct reference; the index itself is decided from
 * `[[tool.uv.index]]`). */
export function addUvSources(
  request: InstallRequest,
  sources: unknown,
  placeOf: (name: string) => Place,
  base = ''
): void {
  const table =
    sources && typeof sources === 'object'
      ? (sources as Record<string, unknown>)
      : {};
  for (const [name, spec] of Object.entries(table)) {
    for (const entry of [spec].flat() as Array<Record<string, unknown>>) {
      if (typeof entry?.git === 'string') {
        request.requirements.push(
          parseRequirement(`${name} @ git+${entry.git}`, placeOf(name))
        );
      } else if (typeof entry?.url === 'string') {
        request.requirements.push(
          parseRequirement(`${name} @ ${entry.url}`, placeOf(name))
        );
      } else if (typeof entry?.path === 'string' && base) {
        request.requirements.push({
          text: entry.path,
          name: null,
          kind: 'path',
          place: placeOf(name),
          pin: null,
          base
        });
      } else if (typeof entry?.path === 'string') {
        // without the folder of the file naming it Warden cannot tell what uv installs:
        // refused, never decided as the bare name (red team 40b R40b-1)
        request.problems.push({
          text: `${name}: Warden cannot place the path source '${entry.path}' to read what it installs; install the local project or wheel by its path on the command line`,
          place: placeOf(name)
        });
      }
    }
  }
}

/** Poetry: `[tool.poetry.dependencies]`, dev-dependencies and groups (each entry read by
 * `poetry.ts`, as pip's reading of a project folder reads the main table), and every
 * `[[tool.poetry.source]]` index (`poetry install` may use any of them). */
function readPoetry(
  poetry: Record<string, any>,
  request: InstallRequest,
  label: string,
  lines: Lines,
  header: (name: string) => number
): void {
  const tables: Array<[string, unknown]> = [
    ['tool.poetry.dependencies', poetry.dependencies],
    ['tool.poetry.dev-dependencies', poetry['dev-dependencies']]
  ];
  for (const [group, body] of Object.entries(poetry.group ?? {})) {
    tables.push([
      `tool.poetry.group.${group}.dependencies`,
      (body as any)?.dependencies
    ]);
  }
  for (const [section, deps] of tables) {
    if (!deps || typeof deps !== 'object') {
      continue;
    }
    const start = header(section);
    addPoetryDependencies(
      request,
      deps as Record<string, unknown>,
      `${label} [${section}]`,
      name =>
        placeAt(
          label,
          lines.find([`\n${name} =`, `\n${name}=`, `\n"${name}"`], start)
        )
    );
  }
  const start = header('tool.poetry');
  for (const source of Array.isArray(poetry.source) ? poetry.source : []) {
    if (typeof source?.url === 'string') {
      const primary = ['primary', 'default'].includes(
        String(source.priority ?? 'primary')
      );
      request.sources.push({
        url: source.url,
        role: primary ? 'index' : 'extra-index',
        place: placeAt(label, lines.find(quoted(source.url), start))
      });
    }
  }
}

// line breaks of YAML 1.1 (PyYAML, ruamel.yaml) that YAML 1.2 (js-yaml) reads as text
const YAML_11_BREAKS = /[\u0085\u2028\u2029]/;

function readEnvironment(
  fullPath: string,
  text: string,
  context: FileContext
): InstallRequest[] {
  const label = context.label(fullPath);
  const conda = newRequest('conda', 'conda env create');
  const pip = newRequest('pip', 'pip install (environment.yml)');
  const oddBreak = text.search(YAML_11_BREAKS);
  if (oddBreak >= 0) {
    // conda's loader (ruamel.yaml, like PyYAML: YAML 1.1) breaks lines at NEL, LS and PS;
    // js-yaml (YAML 1.2) does not, so the two would read different documents (red team 47c
    // R47c-6): refused rather than read one way
    const line = text.slice(0, oddBreak).split('\n').length;
    conda.problems.push({
      text:
        `${label} holds a line break (U+0085, U+2028 or U+2029) that conda's YAML reader ` +
        'breaks lines at and this reader does not: Warden cannot read its dependencies ' +
        'as conda would; write its lines with plain newlines',
      place: placeAt(label, line)
    });
    return [conda];
  }
  let doc: unknown;
  let anchorLine = 0;
  try {
    // the failsafe schema: strings, lists and maps only (no tags, no type guessing)
    doc = yaml.load(text, {
      schema: yaml.FAILSAFE_SCHEMA,
      // an anchor (`&b`) is what an alias (`*b`) or a merge key (`<<: *b`) reads from
      listener: (event, state) => {
        if (event === 'close' && state.anchor && anchorLine === 0) {
          anchorLine = state.line + 1;
        }
      }
    });
  } catch (e) {
    const line = ((e as yaml.YAMLException).mark?.line ?? 0) + 1;
    conda.problems.push({
      text: `${label} is not valid YAML (line ${line}): Warden cannot read its dependencies`,
      place: placeAt(label, line)
    });
    return [conda];
  }
  if (doc === null || doc === undefined) {
    return [];
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    conda.problems.push({
      text: `${label} is not a conda environment file`,
      place: placeAt(label, 1)
    });
    return [conda];
  }
  const env = doc as Record<string, unknown>;
  const lines = new Lines(text);
  // conda's loader (ruamel.yaml's safe loader, as PyYAML's) applies merge keys and aliases,
  // where the failsafe schema keeps `<<` as a plain key (red team 45c R45c-5): a file using
  // them is refused, as the kernel's reader refuses it (environment_file._yaml_beyond_reader)
  const merge = anchorLine > 0 ? anchorLine : mergeKeyLine(doc, lines);
  if (merge > 0) {
    conda.problems.push({
      text: `${label} line ${merge}: YAML Warden does not read (anchors, aliases, merge keys)`,
      place: placeAt(label, merge)
    });
    return [conda];
  }
  const top = (key: string) => {
    const m = new RegExp(`^${key}\\s*:`, 'm').exec(text);
    return m ? m.index : 0;
  };
  const list = (key: string): unknown[] => {
    const value = env[key];
    if (value === undefined) {
      return [];
    }
    if (!Array.isArray(value)) {
      conda.problems.push({
        text: `${label}: ${key} is not a list`,
        place: placeAt(label, lines.lineAt(top(key)))
      });
      return [];
    }
    return value;
  };
  const itemLine = (item: string, from: number) =>
    lines.find([`- ${item}`, `- "${item}"`, `- '${item}'`, item], from);
  for (const channel of list('channels')) {
    if (channel === 'nodefaults') {
      // conda: "Including 'nodefaults' in the channels list disables the defaults": it names
      // no channel and drops the configured list, as --override-channels does
      conda.overrideChannels = true;
    } else if (typeof channel === 'string') {
      conda.sources.push({
        url: channel,
        role: 'channel',
        place: placeAt(label, itemLine(channel, top('channels')))
      });
    }
  }
  const depsStart = top('dependencies');
  for (const dep of list('dependencies')) {
    if (typeof dep === 'string') {
      conda.requirements.push(
        condaSpec(dep, placeAt(label, itemLine(dep, depsStart)), conda)
      );
      continue;
    }
    const pipList =
      dep && typeof dep === 'object'
        ? (dep as Record<string, unknown>).pip
        : undefined;
    if (!Array.isArray(pipList)) {
      conda.problems.push({
        text: `${label}: a dependency Warden cannot read`,
        place: placeAt(label, lines.lineAt(depsStart))
      });
      continue;
    }
    const pipStart = Math.max(depsStart, text.indexOf('pip:', depsStart));
    // conda keeps the last `- pip:` map; each is read, so every one is decided
    const items = pipList.filter(
      (item): item is string => typeof item === 'string'
    );
    readPipList(
      pip,
      items,
      items.map(item => itemLine(item, pipStart)),
      fullPath,
      context
    );
  }
  return pip.requirements.length || pip.sources.length || pip.problems.length
    ? [conda, pip]
    : [conda];
}

/**
 * A `pip:` list read as the requirements file conda writes from it and pip reads
 * (conda/env/installers/pip.py `_pip_install_via_requirements`): the items joined by `\n`,
 * written as UTF-8, read by `pip install -U -r`. pip decodes the whole list (`pipDecode`: a
 * coding line among its first two items, fix60conda) and joins an item ending in a backslash
 * with the next; each logical line is read as any requirements file's, at the environment
 * file's line of its first item (`lines`). The kernel's twin: environment_file._read_pip_list.
 */
function readPipList(
  pip: InstallRequest,
  items: string[],
  lines: number[],
  fullPath: string,
  context: FileContext
): void {
  if (items.length === 0) {
    return;
  }
  const label = context.label(fullPath);
  const written = items.join('\n');
  let read: string;
  try {
    read = pipDecode(new TextEncoder().encode(written));
  } catch {
    read = '';
  }
  if (read !== written || items.some(item => PY_LINE_BREAK.test(item))) {
    // a byte-order mark, a coding line or an item holding a line break (a YAML escape) makes
    // pip read other lines than the items: refused rather than read one way
    pip.problems.push({
      text:
        `${label} line ${lines[0]}: pip reads the requirements file conda writes from ` +
        'the pip: list in another encoding or with other lines (a byte-order mark, a ' +
        'coding line among its first items, an item holding a line break)',
      place: placeAt(label, lines[0])
    });
    return;
  }
  for (const [first, line] of logicalLines(written)) {
    const at = lines[first - 1];
    if (line.endsWith('\\')) {
      pip.problems.push({
        text: `${label} line ${at}: cannot parse the line`,
        place: placeAt(label, at)
      });
      continue;
    }
    readTextInto(pip, '\n'.repeat(at - 1) + line, fullPath, context);
  }
}

/** The line of a YAML merge key (`<<`) anywhere in `doc` (the failsafe schema leaves it a
 * plain key), or 0. */
function mergeKeyLine(doc: unknown, lines: Lines): number {
  const walk = (node: unknown): boolean =>
    Array.isArray(node)
      ? node.some(walk)
      : node !== null && typeof node === 'object'
        ? Object.keys(node).includes('<<') ||
          Object.values(node as Record<string, unknown>).some(walk)
        : false;
  return walk(doc) ? lines.find(['<<'], 0) || 1 : 0;
}
