/**
 * How uv reads a file given to `-r`/`--with-requirements` (and `-c`/`--override`/`-b`,
 * `UV_CONSTRAINT`...), by its name, as uv 0.13.9 does (red team 11 R11-7). A port of the
 * kernel's `jupyterlab_warden/kernel/guard/installs/uv_inputs.py`, whose docstring states the
 * rule; keep the two equal (the install-decision vectors pin it).
 */
import pythonTable from '../../schema/uv-python.json';

/** What Warden does with each kind: read as requirements text, as project metadata, as
 * requirements unless the text holds a PEP 723 block, or refuse (metadata uv builds, a
 * script's inline metadata, a lock, a name uv rejects). */
export type UvFileKind =
  | 'requirements'
  | 'pyproject'
  | 'sniffed'
  | 'metadata'
  | 'script'
  | 'lock'
  | 'rejected';

/** A PEP 723 block's opening line (loosely: a near-miss is refused, not read as lines). */
export const PEP723_OPENING = /^#\s*\/\/\//m;

/** Rust's `Path::extension`: null without a dot or for a dot file with no other dot. */
function extension(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : null;
}

/** PEP 751's names: `pylock.toml`, `pylock.<name>.toml` (a name without dots). */
function isPylock(name: string): boolean {
  if (name === 'pylock.toml') {
    return true;
  }
  if (!name.startsWith('pylock.') || !name.endsWith('.toml')) {
    return false;
  }
  const middle = name.slice('pylock.'.length, -'.toml'.length);
  return middle.length > 0 && !middle.includes('.');
}

/** The kind of input uv makes of the local file `file`; `requirementsOnly` for the
 * constraint-like options, read as requirements text whatever the name. */
export function uvFileKind(file: string, requirementsOnly = false): UvFileKind {
  const trimmed = file.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const ext = extension(name)?.toLowerCase() ?? null;
  if (requirementsOnly) {
    if (
      ['pyproject.toml', 'setup.py', 'setup.cfg'].includes(name) ||
      isPylock(name) ||
      ext === 'toml'
    ) {
      return 'rejected';
    }
    return 'requirements';
  }
  if (name === 'pyproject.toml') {
    return 'pyproject';
  }
  if (name === 'setup.py' || name === 'setup.cfg') {
    return 'metadata';
  }
  if (name === 'environment.yml') {
    return 'rejected';
  }
  if (isPylock(name)) {
    return 'lock';
  }
  if (ext === 'py' || ext === 'pyw') {
    return 'script';
  }
  if (ext === 'toml') {
    return 'rejected';
  }
  return ext === null ? 'sniffed' : 'requirements';
}

/** Why Warden does not read a file of this kind ('' for the kinds it reads). */
export function uvUnread(kind: UvFileKind, base: string): string {
  switch (kind) {
    case 'metadata':
      return `uv reads ${base} as project metadata, which Warden cannot read without running it: list the requirements in a requirements file or a pyproject.toml`;
    case 'script':
      return `uv reads ${base} as a script's inline metadata (by its .py/.pyw extension, in any case), which Warden does not read here: list the requirements in a .txt file`;
    case 'lock':
      return `uv reads ${base} as a PEP 751 lock file, which Warden does not read: list the requirements in a .txt file`;
    case 'rejected':
      return `uv does not take ${base} here (by its name); Warden does not read it either`;
    default:
      return '';
  }
}

// -- the interpreter uv runs (red team 17 R17-6) ---------------------------------------------

const PLAIN_REQUEST = new RegExp(pythonTable.plain_request);

/** uv's options naming the Python it runs, and the variable that does (schema/uv-python.json). */
export const UV_PYTHON_OPTIONS: readonly string[] = pythonTable.options;
export const UV_PYTHON_VARIABLE: string = pythonTable.variable;

/** Whether uv reads `value` as a version request (`3.11`, `cpython@3.11`...), which names no
 * file; any other value is a path or a name uv looks up on PATH. As the kernel's. */
export function plainPythonRequest(value: string): boolean {
  return PLAIN_REQUEST.test(value.trim().toLowerCase());
}

/** The first request of the nearest .python-version(s) file from `cwd` up, as uv finds it, and
 * that file; null when none is given. The static side sees the files it is given only. */
export function versionFileRequest(
  cwd: string,
  readFile: (fullPath: string) => string
): [string, string] | null {
  let folder = cwd;
  for (;;) {
    for (const name of pythonTable.version_files) {
      const file = folder.endsWith('/') ? folder + name : `${folder}/${name}`;
      let text: string;
      try {
        text = readFile(file);
      } catch {
        continue;
      }
      const found = text
        .split(/\r?\n/)
        .map(line => line.trim())
        .filter(line => line && !line.startsWith('#'));
      return [found[0] ?? '', file];
    }
    const parent = folder.slice(0, Math.max(folder.lastIndexOf('/'), 1));
    if (parent === folder || !folder.includes('/')) {
      return null;
    }
    folder = parent;
  }
}
