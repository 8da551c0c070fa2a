/**
 * Poetry's dependency tables read as requirements (a port of the kernel's `installs/poetry.py`;
 * red team 50c R50c-3).
 *
 * `pip install .` of a project whose backend is poetry-core installs what its metadata lists:
 * poetry-core 2.x takes `[tool.poetry.dependencies]` as the main dependencies when `[project]`
 * declares none, and lets it enrich the same names when it does. Every entry is decided
 * whatever `[project]` says (stricter). Groups and dev-dependencies are not in the metadata
 * (the manifest reader, `manifests.ts`, reads them for `poetry install`); `[tool.poetry.extras]`
 * only names entries of the table; `python` is the interpreter's version.
 *
 * An entry (a version, a table, a list of tables) is decided as the requirement it is: `git` /
 * `url` as the direct reference; `path` / `file` as a local project or archive in the project's
 * folder (`base`; the manifest reader gives none: decided by name); `source` as the `[[tool.poetry.source]]`
 * index it names (with `sources`: a name the file does not define, other than `pypi`, is
 * refused); a version by name only (`^` / `~` need no translation to deny or allow a name), a
 * bare exact version (`1.2.3`, `==1.2.3`) as that pin. A key that is no project name is
 * refused. Kept in step by the shared vectors (schema/vectors/install-decision.json).
 */
import type { InstallRequest, Place } from './request';
import { parseRequirement } from './requirements';

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
// poetry's bare version is an exact one (`1.2.3` means ==1.2.3); anything else is a range
const EXACT = /^(==)?\s*(\d[A-Za-z0-9_.+!-]*)$/;

type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table =>
  !!value && typeof value === 'object' && !Array.isArray(value);

export function poetryTable(doc: Table): Table {
  const tool = isTable(doc.tool) ? doc.tool : {};
  return isTable(tool.poetry) ? tool.poetry : {};
}

/** `[[tool.poetry.source]]` by lower-cased name: its URL (undefined: no URL given). */
export function poetrySources(poetry: Table): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const source of Array.isArray(poetry.source) ? poetry.source : []) {
    if (isTable(source) && typeof source.name === 'string') {
      found.set(source.name.toLowerCase(), source.url);
    }
  }
  return found;
}

/** The main dependencies of a project folder pip builds (`readProjectFolderInto`). */
export function addPoetryMain(
  request: InstallRequest,
  doc: Table,
  label: string,
  place: Place,
  base: string
): void {
  const poetry = poetryTable(doc);
  if (poetry.dependencies === undefined) {
    return;
  }
  if (!isTable(poetry.dependencies)) {
    request.problems.push({
      text: `${label} [tool.poetry.dependencies] is not a table`,
      place
    });
    return;
  }
  addPoetryDependencies(
    request,
    poetry.dependencies,
    label,
    () => place,
    base,
    poetrySources(poetry)
  );
}

/** One Poetry dependency table's entries (see the module doc). */
export function addPoetryDependencies(
  request: InstallRequest,
  deps: Table,
  label: string,
  placeOf: (name: string) => Place,
  base?: string,
  sources?: Map<string, unknown>
): void {
  for (const [name, spec] of Object.entries(deps)) {
    if (name.toLowerCase() === 'python') {
      continue; // the interpreter's version, not a package
    }
    const place = placeOf(name);
    if (!NAME.test(name)) {
      request.problems.push({
        text: `${label}: ${JSON.stringify(name.slice(0, 100))} is not a project name Warden can decide`,
        place
      });
      continue;
    }
    for (const entry of [spec].flat()) {
      addEntry(request, name, entry, label, place, base, sources);
    }
  }
}

function addEntry(
  request: InstallRequest,
  name: string,
  entry: unknown,
  label: string,
  place: Place,
  base?: string,
  sources?: Map<string, unknown>
): void {
  const table = isTable(entry) ? entry : {};
  const local =
    typeof table.path === 'string'
      ? table.path
      : typeof table.file === 'string'
        ? table.file
        : null;
  let text: string;
  if (typeof table.git === 'string') {
    text = `${name} @ git+${table.git}`;
  } else if (typeof table.url === 'string') {
    text = `${name} @ ${table.url}`;
  } else if (local !== null && base) {
    // poetry-core reads it from the project's folder: read there as a local project
    request.requirements.push({
      text: local,
      name: null,
      kind: 'path',
      place,
      pin: null,
      base
    });
    return;
  } else {
    const version = typeof entry === 'string' ? entry : table.version;
    const exact =
      typeof version === 'string' ? EXACT.exec(version.trim()) : null;
    text = exact ? `${name}==${exact[2]}` : name;
  }
  request.requirements.push(parseRequirement(text, place));
  const source = table.source;
  if (sources && typeof source === 'string') {
    const url = sources.get(source.toLowerCase());
    if (typeof url === 'string') {
      request.sources.push({ url, role: 'extra-index', place });
    } else if (
      !sources.has(source.toLowerCase()) &&
      source.toLowerCase() !== 'pypi'
    ) {
      request.problems.push({
        text: `${label} ${name}: source ${JSON.stringify(source.slice(0, 100))} is not a [[tool.poetry.source]] of the file`,
        place
      });
    }
  }
}
