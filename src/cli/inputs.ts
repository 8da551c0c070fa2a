/** Finding the .py and .ipynb files to scan and reading their code. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One file to scan: a .py file is one unit, a notebook one unit per code cell. */
export interface SourceFile {
  path: string;
  kind: 'python' | 'notebook';
  /** Code of each unit; for a notebook, index i is the i-th code cell (0-based). */
  units: string[];
  /** Kernel language a notebook declares (lower case), null when it declares none. */
  language: string | null;
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
export function collectFiles(paths: string[], errors: InputError[]): string[] {
  const files: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      errors.push(new InputError(p, describe(e)));
      return;
    }
    if (stat.isDirectory()) {
      let real: string;
      try {
        real = fs.realpathSync(p);
      } catch {
        real = p;
      }
      if (seenDirs.has(real)) {
        return;
      }
      seenDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs
          .readdirSync(p, { withFileTypes: true })
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (e) {
        errors.push(new InputError(p, describe(e)));
        return;
      }
      for (const entry of entries) {
        const name = entry.name;
        if (name.startsWith('.') || SKIPPED_DIRS.has(name)) {
          continue;
        }
        const child = path.join(p, name);
        if (entry.isFile()) {
          // The folder listing already says what it is: no stat per file.
          if (SCANNED.test(name)) {
            files.push(child);
          }
        } else if (
          entry.isDirectory() ||
          (entry.isSymbolicLink() && isDir(child))
        ) {
          visit(child, false);
        } else if (entry.isSymbolicLink() && SCANNED.test(name)) {
          visit(child, false);
        }
      }
    } else if (explicit || SCANNED.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) {
    visit(p, true);
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
export function readSource(p: string): SourceFile {
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw new InputError(p, describe(e));
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
): { units: string[]; language: string | null } {
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
    language: typeof lang === 'string' ? lang.toLowerCase() : null
  };
}
