/**
 * uv's settings tables, read the one way for every file that holds one (a port of the kernel's
 * `toml_files` uv part): `uv.toml`, its `[pip]`, a pyproject.toml's `[tool.uv]` (and
 * `[tool.uv.pip]`, which uv applies to every `uv pip` command) and a PEP 723 script's
 * `[tool.uv]`. The manifest scan and the command reader both call `uvSettings`, so a setting
 * one of them decides the other cannot pass over (red team 45c R45c-6).
 */
import * as preference from './preference';
import {
  addTls,
  requirementIdentity,
  type InstallRequest,
  type Place,
  type Source
} from './request';
import { parseRequirement } from './requirements';

type Doc = Record<string, any>;

/** Where a value of the table is written (`null`: the table itself). */
export type Placer = (value: string | null) => Place;

function placer(placed: Place | Placer): Placer {
  return typeof placed === 'function' ? placed : () => placed;
}

const UV_REQUIREMENT_KEYS = [
  'override-dependencies',
  'constraint-dependencies',
  'build-constraint-dependencies'
];
/** uv settings that change neither what is installed nor where it comes from, and the
 * project keys the project reader decides (the kernel's `toml_files.UV_INERT_SETTINGS`). */
const UV_INERT_SETTINGS = new Set(
  `add-bounds all-extras allow-empty-requirements annotation-style
  break-system-packages build-backend cache-dir cache-keys check-url compile-bytecode
  concurrent-builds concurrent-downloads concurrent-installs conflicts
  custom-compile-command default-groups dependency-groups dev-dependencies
  emit-build-options emit-find-links emit-index-annotation emit-index-url
  emit-marker-expression environments exclude-dependencies exclude-newer
  exclude-newer-package extra fork-strategy generate-hashes group index-strategy
  keyring-provider link-mode managed native-tls no-annotate no-binary no-binary-package
  no-build no-build-isolation no-build-isolation-package no-build-package no-cache
  no-deps no-emit-package no-extra no-header no-sources no-strip-extras
  no-strip-markers offline only-binary output-file package prefix prerelease preview
  publish-url python python-downloads python-platform python-preference python-version
  reinstall reinstall-package require-hashes required-environments required-version
  resolution sources strict system system-certs target trusted-publishing universal
  upgrade upgrade-package verify-hashes workspace`.split(/\s+/)
);
const UV_READ_SETTINGS = new Set([
  'index-url',
  'extra-index-url',
  'find-links',
  'index',
  'no-index',
  'pip',
  'extra-build-dependencies',
  'dependency-metadata',
  'allow-insecure-host',
  ...UV_REQUIREMENT_KEYS
]);

/** uv's settings in a settings table (uv.toml, `[pip]`, `[tool.uv]`): indexes as sources,
 * override / constraint / build-constraint dependencies as requirements (uv follows them in
 * every install), any other key not known to be inert refused. `base`: the folder of the file
 * holding the table, from which uv takes a relative index or find-links path (installerpaths). */
export function uvSettings(
  request: InstallRequest,
  table: Doc,
  placed: Place | Placer,
  base?: string
): void {
  const at = placer(placed);
  const place = at(null);
  const urls = (value: unknown) =>
    (typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value
        : []
    ).filter((u): u is string => typeof u === 'string');
  for (const url of urls(table['index-url'])) {
    request.sources.push({ url, role: 'index', place: at(url), base });
  }
  for (const url of urls(table['extra-index-url'])) {
    request.sources.push({ url, role: 'extra-index', place: at(url), base });
  }
  for (const url of urls(table['find-links'])) {
    request.sources.push({ url, role: 'find-links', place: at(url), base });
  }
  for (const index of Array.isArray(table.index) ? table.index : []) {
    if (typeof index?.url === 'string') {
      request.sources.push({
        url: index.url,
        role: index.default === true ? 'index' : 'extra-index',
        place: at(index.url),
        base
      });
    } else {
      request.problems.push({
        text: 'an [[index]] entry without a url',
        place
      });
    }
  }
  const insecure = table['allow-insecure-host'];
  for (const host of Array.isArray(insecure)
    ? insecure
    : insecure === undefined
      ? []
      : [insecure]) {
    addTls(request, 'insecure-host', String(host), at(String(host)));
  }
  if (table['no-index'] === true) {
    request.noIndex = true;
  }
  for (const key of UV_REQUIREMENT_KEYS) {
    const values = table[key];
    if (values !== undefined && !Array.isArray(values)) {
      request.problems.push({ text: `${key} is not a list`, place });
    }
    for (const value of Array.isArray(values) ? values : []) {
      if (typeof value === 'string') {
        request.requirements.push(parseRequirement(value, at(value)));
      } else {
        request.problems.push({
          text: `an entry of ${key} is not a requirement string`,
          place
        });
      }
    }
  }
  uvBuildRequirements(request, table, at);
  for (const [key, value] of Object.entries(table)) {
    if (key !== 'pip') {
      // resolution, exclude-newer, prerelease (R43b-1)
      preference.note(request, 'uv', key, value, place.origin);
    }
  }
  for (const key of Object.keys(table)) {
    if (!UV_READ_SETTINGS.has(key) && !UV_INERT_SETTINGS.has(key)) {
      request.problems.push({
        text: `uv setting '${key}' (${place.origin}) is one Warden does not read; remove it or pass the option on the command line`,
        place
      });
    }
  }
  if (table.pip && typeof table.pip === 'object') {
    uvSettings(request, table.pip, placed, base);
  }
}

/** `extra-build-dependencies` (package -> requirements uv adds to its build, a string or
 * `{requirement = ...}`) and `dependency-metadata` (`requires-dist` uv takes as a package's
 * dependencies): each decided like a requirement. */
function uvBuildRequirements(
  request: InstallRequest,
  table: Doc,
  at: Placer
): void {
  const place = at(null);
  const add = (value: unknown, what: string) => {
    const text =
      value && typeof value === 'object'
        ? (value as Record<string, unknown>).requirement
        : value;
    if (typeof text === 'string') {
      request.requirements.push(parseRequirement(text, at(text)));
    } else {
      request.problems.push({
        text: `an entry of ${what} is not a requirement`,
        place
      });
    }
  };
  const extra = table['extra-build-dependencies'];
  if (
    extra !== undefined &&
    (typeof extra !== 'object' || Array.isArray(extra))
  ) {
    request.problems.push({
      text: 'extra-build-dependencies is not a table',
      place
    });
  }
  for (const [pkg, values] of Object.entries(
    extra && typeof extra === 'object' && !Array.isArray(extra) ? extra : {}
  )) {
    const what = `extra-build-dependencies.${pkg}`;
    if (!Array.isArray(values)) {
      request.problems.push({ text: `${what} is not a list`, place });
    }
    for (const value of Array.isArray(values) ? values : []) {
      add(value, what);
    }
  }
  const metadata = table['dependency-metadata'];
  if (metadata !== undefined && !Array.isArray(metadata)) {
    request.problems.push({ text: 'dependency-metadata is not a list', place });
  }
  for (const entry of Array.isArray(metadata) ? metadata : []) {
    const requires =
      entry && typeof entry === 'object' ? entry['requires-dist'] : null;
    if (!entry || typeof entry !== 'object') {
      request.problems.push({
        text: 'an entry of dependency-metadata is not a table',
        place
      });
    } else if (requires !== undefined && !Array.isArray(requires)) {
      request.problems.push({ text: 'requires-dist is not a list', place });
    }
    for (const value of Array.isArray(requires) ? requires : []) {
      add(value, 'requires-dist');
    }
  }
}

/** `uvSettings`, keeping what the project reader already took from the same pyproject.toml
 * (its `[tool.uv]` indexes, override / constraint dependencies, refused keys) once each. */
export function uvSettingsOnce(
  request: InstallRequest,
  table: Doc,
  place: Place,
  base: string
): void {
  const before = request.sources.length;
  const beforeRequirements = request.requirements.length;
  const beforeProblems = request.problems.length;
  uvSettings(request, table, place, base);
  // a setting the project reader refused already, named with another origin
  const unnamed = (text: string) => text.replace(/ \([^()]*\)(?= is one)/, '');
  const addedProblems = request.problems.splice(beforeProblems);
  request.problems.push(
    ...addedProblems.filter(
      a => !request.problems.some(p => unnamed(p.text) === unnamed(a.text))
    )
  );
  const added = request.sources.splice(before);
  const same = (a: Source, s: Source) =>
    s.url === a.url && s.role === a.role && s.base === a.base;
  request.sources.push(
    ...added.filter(a => !request.sources.some(s => same(a, s)))
  );
  // kept once per whole identity, never per text (R45a-1: a path spelled as a pin hid it)
  const addedRequirements = request.requirements.splice(beforeRequirements);
  const kept = new Set(request.requirements.map(requirementIdentity));
  request.requirements.push(
    ...addedRequirements.filter(a => !kept.has(requirementIdentity(a)))
  );
}
