/** Finding the .py and .ipynb files to scan and reading their code. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notebookIgnores } from '../analyzer';
import { manifestKind } from '../deps/manifests';

/** One file to scan: a .py file is one unit, a notebook one unit per code cell. */
export interface SourceFile {
  path: string;
  kind: 'python' | 'notebook';
  /** Code of each unit; for a notebook, index i is the i-th code cell (0-based). */
  units: string[];
  /** Kernel language a notebook declares (lower case), null when it declares none. */
  language: string | null;
  /** Rules the notebook's metadata.warden.ignore names, with their reasons. */
  ignores?: Map<string, string>;
}

/** --include / --exclude globs, matched against paths relative to the folder given. */
export interface PathFilter {
  include?: string[];
  exclude?: string[];
}

/**
 * A glob as a regular expression over '/'-separated relative paths: `**` any number of
 * folders, `*` and `?` within one name. A pattern without '/' matches a name at any depth.
 */
export function globPattern(glob: string): RegExp {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!g.includes('/')) {
    g = `**/${g}`;
  }
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  // A folder pattern also matches everything below it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

function filterFunction(filter: PathFilter): (rel: string) => boolean {
  const inc = (filter.include ?? []).map(globPattern);
  const exc = (filter.exclude ?? []).map(globPattern);
  return rel =>
    (inc.length === 0 || inc.some(r => r.test(rel))) &&
    !exc.some(r => r.test(rel));
}

export class InputError extends Error {
  constructor(
    readonly path: string,
    message: string
  ) {
    super(`${path}: ${message}`);
  }
}

/** Folders never descended into: hidden ones (.git, .ipynb_checkpoints, .venv) and caches. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'site-packages']);

const SCANNED = /\.(py|ipynb)$/i;

/**
 * Expand the PATH arguments into files. Files named explicitly are scanned whatever their
 * extension; folders contribute their .py and .ipynb files, sorted, recursively.
 */
export function collectFiles(
  paths: string[],
  errors: InputError[],
  filter: PathFilter = {}
): string[] {
  const files: string[] = [];
  const seenDirs = new Set<string>();
  const keep = filterFunction(filter);
  const excluded = (filter.exclude ?? []).map(globPattern);
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      errors.push(new InputError(p, describe(e)));
      continue;
    }
    if (!stat.isDirectory()) {
      // Files named explicitly are scanned whatever their extension.
      files.push(p);
      continue;
    }
    let rootReal: string;
    try {
      rootReal = fs.realpathSync(p);
    } catch (e) {
      errors.push(new InputError(p, describe(e)));
      continue;
    }
    const inside = (real: string) =>
      real === rootReal || real.startsWith(rootReal + path.sep);
    const visit = (dir: string, rel: string) => {
      let real: string;
      try {
        real = fs.realpathSync(dir);
      } catch {
        return;
      }
      if (seenDirs.has(real)) {
        return;
      }
      seenDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs
          .readdirSync(dir, { withFileTypes: true })
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (e) {
        errors.push(new InputError(dir, describe(e)));
        return;
      }
      for (const entry of entries) {
        const name = entry.name;
        if (name.startsWith('.') || SKIPPED_DIRS.has(name)) {
          continue;
        }
        const child = path.join(dir, name);
        const childRel = rel ? `${rel}/${name}` : name;
        let isFile = entry.isFile();
        let isDirectory = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          // Symlinks are followed only when they stay inside the folder given.
          let target: string;
          try {
            target = fs.realpathSync(child);
          } catch {
            continue;
          }
          if (!inside(target)) {
            continue;
          }
          isFile = !isDir(target);
          isDirectory = !isFile;
        }
        if (isDirectory) {
          if (!excluded.some(r => r.test(childRel))) {
            visit(child, childRel);
          }
        } else if (
          isFile &&
          (SCANNED.test(name) || manifestKind(name) !== null) && // dependency manifests: src/deps
          keep(childRel)
        ) {
          files.push(child);
        }
      }
    };
    visit(p, '');
  }
  return files;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') {
    return 'no such file or directory';
  }
  if (err.code === 'EACCES') {
    return 'permission denied';
  }
  return err.message ?? String(e);
}

/** Read one file; throws InputError with a message naming the file and the problem. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function readSource(p: string): SourceFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(p);
  } catch (e) {
    throw new InputError(p, describe(e));
  }
  // A source with NUL bytes or invalid UTF-8 is not text: say so rather than pass it.
  let text: string;
  try {
    if (bytes.subarray(0, 8192).includes(0)) {
      throw new Error('NUL byte');
    }
    text = UTF8.decode(bytes);
  } catch {
    throw new InputError(p, 'not text (binary data or not UTF-8): not scanned');
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (!/\.ipynb$/i.test(p)) {
    return { path: p, kind: 'python', units: [text], language: 'python' };
  }
  return { path: p, kind: 'notebook', ...parseNotebook(p, text) };
}

/** Code cells of an nbformat 4 notebook, in order, and its kernel language. */
export function parseNotebook(
  p: string,
  text: string
): { units: string[]; language: string | null; ignores: Map<string, string> } {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      p,
      `not a valid notebook: invalid JSON (${(e as Error).message})`
    );
  }
  if (
    typeof nb !== 'object' ||
    nb === null ||
    !Array.isArray((nb as { cells?: unknown }).cells)
  ) {
    throw new InputError(
      p,
      'not a valid notebook: no "cells" list (only nbformat 4 is supported)'
    );
  }
  const cells = (nb as { cells: unknown[] }).cells;
  const code: string[] = [];
  cells.forEach((cell, i) => {
    if (typeof cell !== 'object' || cell === null) {
      throw new InputError(
        p,
        `not a valid notebook: cell ${i} is not an object`
      );
    }
    const c = cell as { cell_type?: unknown; source?: unknown };
    if (c.cell_type !== 'code') {
      return;
    }
    if (typeof c.source === 'string') {
      code.push(c.source);
    } else if (
      Array.isArray(c.source) &&
      c.source.every(s => typeof s === 'string')
    ) {
      code.push(c.source.join(''));
    } else {
      throw new InputError(
        p,
        `not a valid notebook: cell ${i} has no source text`
      );
    }
  });
  const meta = (
    nb as {
      metadata?: {
        kernelspec?: { language?: unknown };
        language_info?: { name?: unknown };
      };
    }
  ).metadata;
  const lang = meta?.language_info?.name ?? meta?.kernelspec?.language;
  return {
    units: code,
    language: typeof lang === 'string' ? lang.toLowerCase() : null,
    ignores: notebookIgnores(meta)
  };
}
