/**
 * The project and version of a file or local project an install takes without naming it by
 * index (the static part of the kernel's `installs/offered.py`, red team 43b R43b-4, 44a
 * R44a-2): a uv.lock entry's `filename`/`path`, and a uv.lock package locked from a local
 * source. Each is decided as a requirement of kind `offered`: its project against the
 * malicious list, the deny list and the imitation names, its version (when known) against the
 * advisories, as a pin is. The static side reads file names only (no wheel's METADATA).
 */
import { normalize } from './names';
import type { InstallRequest, Place } from './request';
import { artifactFile } from './requirements';
import { versionKey } from './versions';

/** What pip (`SUPPORTED_EXTENSIONS`) and uv (`SourceDistExtension`) take as an sdist. */
const SDIST_SUFFIXES = [
  '.tar.gz',
  '.tgz',
  '.zip',
  '.tar',
  '.tar.bz2',
  '.tbz',
  '.tar.xz',
  '.txz',
  '.tar.lz',
  '.tlz',
  '.tar.lzma',
  '.tar.zst'
];
/** a project name as PEP 508 writes it */
const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Every (project, version) the sdist file name may give: each split at a `-` whose right
 * part is a PEP 440 version and left part a project name (pip and uv split at the project
 * they look for, so `a-b-1.0-2.tar.gz` is `a-b` 1.0-2 and `a-b-1.0` 2). */
export function releases(filename: string): Array<[string, string]> {
  const low = filename.toLowerCase();
  const suffix = SDIST_SUFFIXES.find(s => low.endsWith(s));
  if (suffix === undefined) {
    return [];
  }
  const stem = filename.slice(0, -suffix.length);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < stem.length; i++) {
    const [name, version] = [stem.slice(0, i), stem.slice(i + 1)];
    if (
      stem[i] === '-' &&
      PROJECT_NAME.test(name) &&
      versionKey(version) !== null
    ) {
      out.push([normalize(name), version]);
    }
  }
  return out;
}

/** A wheel or sdist `place` names by its file name only (a uv.lock entry's `filename` or
 * `path`: uv installs that file), decided by the project and version the name gives; a name
 * Warden cannot place is a problem (it cannot tell what uv installs). */
export function addNamed(
  request: InstallRequest,
  filename: string,
  place: Place
): void {
  const base = filename.replace(/\\/g, '/').split('/').pop() ?? filename;
  const low = base.toLowerCase();
  if (SDIST_SUFFIXES.some(s => low.endsWith(s))) {
    const found = releases(base);
    if (!found.length) {
      request.problems.push({
        text: `${place.origin} offers ${base}, an archive whose name Warden cannot read as a source distribution's (name-version.tar.gz): it cannot tell which project and version pip or uv would take it for; rename or remove the file`,
        place
      });
    }
    for (const [name, version] of found) {
      add(request, base, place, name, version);
    }
    return;
  }
  const wheel = artifactFile(base, false);
  if (wheel === null || !low.endsWith('.whl')) {
    request.problems.push({
      text: `${place.origin} offers ${base}, which is not a wheel file name Warden can read (name-version-tags.whl): it cannot tell which project and version it installs; rename or remove the file`,
      place
    });
    return;
  }
  add(request, base, place, ...wheel);
}

/** Project `name` at `version` (null: unknown) that `place` installs from a local source (a
 * uv.lock package locked from a path, directory, editable or virtual source). `own`: a folder
 * the user builds (directory, editable, virtual), not a wheel or sdist file (path): the
 * imitation names do not apply to it (R45a-8; the kernel's `offered.add_locked` says why). */
export function addLocked(
  request: InstallRequest,
  name: string,
  version: string | null,
  place: Place,
  own: boolean
): void {
  const text = version ? `${name} ${version}` : `${name} (local)`;
  add(request, text, place, normalize(name), version, own);
}

function add(
  request: InstallRequest,
  text: string,
  place: Place,
  name: string,
  version: string | null,
  own = false
): void {
  // without a version only the name is decided (malicious, deny list, imitation): an
  // index's newest release says nothing of a local file's
  request.requirements.push({
    ...(own ? { own } : {}),
    text,
    name: version ? name : null,
    kind: 'offered',
    place: { ...place, origin: `${place.origin} offers ${text}` },
    pin: null,
    artifact: name,
    artifactVersion: version
  });
}
