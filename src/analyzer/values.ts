/**
 * Literal values the analyzer remembers besides dotted paths: string constants
 * (`model_dir = "out/bert"`), keyword-argument dicts (`kw = {"weights_only": True}`), the
 * project's own classes, and folders the code writes (`save_pretrained("m")`). They live in
 * the same scope map as the paths (one map, carried from cell to cell and through the server
 * gate as [name, value] string pairs), told apart by a first character no dotted path has:
 *
 *   name -> "=s:<text>"        a string constant
 *   name -> "=kw:<json>"       a dict of keyword arguments, key -> KeywordFact
 *   name -> "=own"             a class defined here, or imported from the project itself
 *   "dir:<folder>" -> "=dir"   a folder written earlier (not a Python name: ':' cannot be one)
 */

/** What is known of one keyword's value: a bool, None, a constant string, or unknown. */
export type KeywordFact = boolean | null | { s: string } | '?';

/** Keys of a kwargs dict with an unknown part (`{**other}`, a computed key). */
export const UNKNOWN_KEYS = '*';

export const OWN = '=own';
export const WRITTEN_DIR = '=dir';
const STRING = '=s:';
const KWARGS = '=kw:';
const DIR_KEY = 'dir:';

/** Longer string constants are not remembered (model ids and paths are short). */
const MAX_STRING = 400;

export function isLiteralValue(path: string): boolean {
  return path.charCodeAt(0) === 61; // '='
}

/** Scope keys that are not names (written folders): the relevance filter never looks for them. */
export function isFactKey(key: string): boolean {
  return key.startsWith(DIR_KEY);
}

export function stringValue(s: string): string | null {
  return s.length <= MAX_STRING ? STRING + s : null;
}

export function readString(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.startsWith(STRING)
    ? value.slice(STRING.length)
    : null;
}

export function kwargsValue(facts: Record<string, KeywordFact>): string {
  return KWARGS + JSON.stringify(facts);
}

export function readKwargs(
  value: string | null | undefined
): Record<string, KeywordFact> | null {
  if (typeof value !== 'string' || !value.startsWith(KWARGS)) {
    return null;
  }
  try {
    return JSON.parse(value.slice(KWARGS.length)) as Record<
      string,
      KeywordFact
    >;
  } catch {
    return null;
  }
}

/**
 * The facts two branches (`a if c else b`) agree on: a key set the same in every branch
 * that sets it keeps its value, a key set differently becomes unknown.
 */
export function mergeKwargs(
  a: Record<string, KeywordFact>,
  b: Record<string, KeywordFact>
): Record<string, KeywordFact> {
  const out: Record<string, KeywordFact> = { ...a };
  for (const [key, fact] of Object.entries(b)) {
    out[key] =
      key in out && JSON.stringify(out[key]) !== JSON.stringify(fact)
        ? '?'
        : fact;
  }
  return out;
}

/** `./out/m/`, `out/m` and `out//m` are the same folder. */
export function normalizeFolder(folder: string): string {
  return folder
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
}

export function writtenFolderKey(folder: string): string {
  return DIR_KEY + normalizeFolder(folder);
}

/** The folder itself and each folder above it (`m/checkpoint-500` -> itself, `m`). */
export function folderAndParents(folder: string): string[] {
  const parts = normalizeFolder(folder).split('/');
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) {
    out.push(parts.slice(0, n).join('/'));
  }
  return out;
}
