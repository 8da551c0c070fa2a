/**
 * The folders uv searches up from (a port of the kernel's `installs/folders.py`). uv finds its
 * config (`uv.toml`, `pyproject.toml [tool.uv]`) and its project from the folder it runs in as
 * `getcwd()` names it: the PHYSICAL folder, links resolved (red team 11 R11-2: `cd link && uv
 * pip install ...`, link to far/sub, read far/uv.toml; the path as written walked link's
 * parents). A reader that cannot resolve links (no `realPath` in its context: the text is all
 * it has) walks the path as written, as before.
 */
import * as path from 'node:path';
import type { FileContext } from './requirements';

/** The folder a program running in `folder` finds itself in (`getcwd()`). */
export function childFolder(folder: string, context: FileContext): string {
  const absolute = path.resolve(folder);
  if (!context.realPath) {
    return absolute;
  }
  try {
    return context.realPath(absolute);
  } catch {
    return absolute; // a folder that is not there: the install fails to start in it
  }
}

/** `childFolder(folder)` and each parent up to the root, nearest first. */
export function upward(folder: string, context: FileContext): string[] {
  return chain(childFolder(folder, context));
}

/** `upward(folder)` and, when it differs, the walk from the path as written (uv normalizes a
 * project path it is GIVEN as text before it looks for a workspace above it): each chain is
 * read to its own nearest hit. */
export function chains(folder: string, context: FileContext): string[][] {
  const physical = upward(folder, context);
  const written = chain(path.resolve(folder));
  return physical.join('\0') === written.join('\0')
    ? [physical]
    : [physical, written];
}

function chain(here: string): string[] {
  const found = [here];
  while (path.dirname(here) !== here) {
    here = path.dirname(here);
    found.push(here);
  }
  return found;
}
