/**
 * Local project folders an install builds, read as projects (red7 R7-8; a port of the
 * kernel's `installs/local_projects.py`).
 *
 * `uv pip install .`, `-e ./proj`, `/abs/proj`, `file:///abs/proj`, a path line in a
 * requirements file, `uv run --with ./proj`, `uv tool install .`, `uvx --from . x`, `uv add
 * ./sub`, `pipx install DIR` and a `[tool.uv.sources]` path: the installer builds the folder, so
 * it installs what the folder's pyproject.toml asks for — for uv the whole project as `uv sync`
 * reads it, for pip its metadata (dependencies, extras, `[build-system] requires`). A folder
 * with no pyproject.toml (setup.py only) runs its own build code, which Warden does not read
 * (docs/threat-model.md).
 */
import * as path from 'node:path';
import type { CommandContext } from './installers';
import { readProjectFolderInto } from './projectfiles';
import type { InstallRequest, Requirement } from './request';
import { pathReadings } from './pathreadings';
import { uvExpanded } from './requirements';

/** Path sources and workspace members: at most this many folders a request. */
const MAX_PROJECTS = 200;

/** Read every local folder `request` installs (pip and uv; conda builds none). */
export function addLocalProjects(
  request: InstallRequest,
  context: CommandContext
): void {
  if ((request.tool !== 'pip' && request.tool !== 'uv') || request.childReads) {
    return; // conda builds none; a pip's own guard reads them when pip starts (R10-3)
  }
  const uv = request.tool === 'uv' || request.alsoUv === true;
  const seen = new Set<string>();
  // grows: a project's path sources are appended
  for (let i = 0; i < request.requirements.length; i++) {
    const req = request.requirements[i];
    if (req.kind !== 'path') {
      continue;
    }
    // uv expands `${NAME}` in a requirement's path (R45a-2): both texts read for uv
    const written = req.written ?? req.text;
    const texts = new Set([written]);
    if (uv) {
      texts.add(uvExpanded(written, context.env));
    }
    const unplaced: string[] = [];
    const found = [...texts].flatMap(text =>
      folders({ ...req, written: text }, context, unplaced)
    );
    if (unplaced.length) {
      request.problems.push({
        text: `local project ${req.text.slice(0, 200)}: pip builds its file: URL's subdirectory '${unplaced[0].slice(0, 100)}', outside the URL's folder (an absolute path or '..'), which Warden does not place: write the folder's own path`,
        place: req.place
      });
      continue;
    }
    for (const folder of found) {
      if (seen.has(folder)) {
        continue;
      }
      seen.add(folder);
      if (seen.size > MAX_PROJECTS) {
        request.problems.push({
          text: `more than ${MAX_PROJECTS} local projects to read (path sources and workspace members): Warden stops reading`,
          place: req.place
        });
        return;
      }
      readProjectFolderInto(request, folder, uv, context);
    }
  }
}

/** The folders a path requirement may name: each installer's reading of its text
 * (`pathreadings.ts`, R48b-7), relative to the working folder (pip) and to its requirements
 * file's or project's folder (uv), all read when they differ. */
function folders(
  req: Requirement,
  context: CommandContext,
  unplaced: string[]
): string[] {
  const found: string[] = [];
  for (const [tool, reading] of pathReadings(req.written ?? req.text)) {
    let text = reading;
    const url = /^file:(?:\/\/[^/?#]*)?([^?#]*)/i.exec(text);
    if (url) {
      // the path as Python's urlsplit reads it (`file:proj` stays relative, as for the kernel)
      try {
        text = decodeURIComponent(url[1]);
      } catch {
        text = url[1]; // a stray `%`: Python's unquote keeps it too
      }
      // pip builds the URL's `subdirectory` below it (R50d-1: `Link.subdirectory_fragment`,
      // searched in the whole URL, not decoded); uv builds the URL's folder: both read
      const sub = /[#&]subdirectory=([^&]*)/.exec(reading)?.[1] ?? '';
      if (sub && tool === 'pip') {
        if (sub.startsWith('/') || sub.split('/').includes('..')) {
          unplaced.push(sub); // outside the URL's folder: refused by the caller
          continue;
        }
        text = path.posix.join(text, sub);
      }
    }
    if (text === '~' || text.startsWith('~/')) {
      text = (context.env.HOME ?? '~') + text.slice(1);
    }
    for (const base of [context.cwd, req.base]) {
      if (base) {
        const full = path.resolve(base, text);
        if (!found.includes(full)) {
          found.push(full);
        }
      }
    }
  }
  return found;
}
