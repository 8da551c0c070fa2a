/**
 * The path a path requirement's text names, as each installer reads it (red team 48b
 * R48b-7; a port of the kernel's `installs/path_readings.py`, whose doc gives the rules with
 * their sources: pip 23.2's `parse_req_from_line` and `parse_editable`, uv-pep508's
 * `parse_url` / `parse_unnamed_url`, checked with uv 0.13.9).
 *
 * pip ends a path's marker at its first `;`, a URL's only at `"; "`; uv ends a path or URL at
 * white space before `;`/`#` or at a `;`/`#` before white space, so `./x;y` is the folder
 * `x;y` for uv, and `file:///W/x;y` for both. White space before `[extras]` is kept by both
 * (`./x [y]` is the folder `x `). Every reading is read (`localprojects.ts`).
 */
import * as path from 'node:path';

/** `name [extras] @ file:...`: a named reference to a local file or folder. */
const NAMED_FILE = /^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*@\s*(file:[\s\S]*)$/;
/** `name [extras] @ REF`: uv takes a REF that is no URL for a path (R50d-2). */
const NAMED = /^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\])?\s*@\s*([\s\S]*)$/;
/** pip's `_strip_extras`. */
const PIP_EXTRAS = /^([\s\S]+)(\[[^\]]+\])$/;
/** uv's `split_extras`: the last `[` after any `]`, extras possibly empty. */
const UV_EXTRAS = /^([\s\S]*)\[[^\]]*\]$/;
/** pip's `is_url`: a scheme it fetches (a path requirement has only `file:`). */
const PIP_SCHEMES = ['file', 'http', 'https', 'git', 'hg', 'svn', 'bzr'];
/** White space as uv reads it (Rust's `char::is_whitespace`, Unicode White_Space): the
 * kernel's `_UV_WHITE`. Not JavaScript's (which counts U+FEFF and not U+0085). */
const UV_WHITE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
/** Python's `str.isspace` (pip's reading): uv's white space and the separators
 * U+001C..U+001F, which uv keeps in a path (red team 49a R49a-4). */
const isSpace = (c: string) =>
  UV_WHITE.test(c) || (c.length === 1 && c >= '\u001c' && c <= '\u001f');
const isUvSpace = (c: string) => UV_WHITE.test(c);

/** `text` without the white space (`space`, Python's by default) at its start. */
function lstrip(text: string, space: (c: string) => boolean = isSpace): string {
  let i = 0;
  while (i < text.length && space(text[i])) {
    i += 1;
  }
  return text.slice(i);
}

/** Each distinct [tool, path text] `text` names: pip's line and editable readings, then
 * uv's. A URL's fragment is kept (its URL reading drops it). */
export function pathReadings(text: string): Array<['pip' | 'uv', string]> {
  const found: Array<['pip' | 'uv', string]> = [];
  for (const [tool, p] of [
    ['pip', pipLine(text)],
    ['pip', pipEditable(text)],
    ['uv', uvPath(text)]
  ] as Array<['pip' | 'uv', string]>) {
    if (!found.some(([t, q]) => t === tool && q === p)) {
      found.push([tool, p]);
    }
  }
  return found;
}

/** pip's reading of a requirement line or argument. */
export function pipLine(raw: string): string {
  let text = pyStrip(raw);
  const scheme = text.includes(':') ? text.split(':', 1)[0].toLowerCase() : '';
  const isUrl = scheme !== '' && PIP_SCHEMES.includes(scheme.split('+')[0]);
  const sep = isUrl ? '; ' : ';';
  const at = text.indexOf(sep);
  text = pyStrip(at >= 0 ? text.slice(0, at) : text);
  const named = NAMED_FILE.exec(text);
  if (isUrl || named) {
    return named ? pyStrip(named[1]) : text;
  }
  const normal = text ? normpath(text) : text;
  const cut = PIP_EXTRAS.exec(normal);
  return cut ? cut[1] : normal;
}

/** pip's reading of `-e TEXT`: no marker, the final `[extras]` cut. */
export function pipEditable(text: string): string {
  const cut = PIP_EXTRAS.exec(text);
  return cut ? cut[1] : text;
}

/** uv's reading: a bare path's extras and fragment cut. */
export function uvPath(raw: string): string {
  const text = lstrip(raw, isUvSpace);
  const named = NAMED.exec(text);
  if (named) {
    // a named URL keeps any `[...]`; a named path (R50d-2) loses its fragment
    const ref = uvUrl(named[1], false);
    return ref.startsWith('file:') ? ref : ref.split('#')[0];
  }
  let p = uvUrl(text, true);
  const cut = UV_EXTRAS.exec(p);
  p = cut ? cut[1] : p;
  return p.startsWith('file:') ? p : p.split('#')[0];
}

/** Where uv-pep508 ends a URL or path that starts `text`. */
function uvUrl(text: string, brackets: boolean): string {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      break;
    }
    if (brackets && (c === '[' || c === ']')) {
      depth = c === '[' ? depth + 1 : Math.max(depth - 1, 0);
    }
    if (depth === 0 && isUvSpace(c)) {
      const rest = lstrip(text.slice(i), isUvSpace);
      if (!rest || rest[0] === ';' || rest[0] === '#') {
        break;
      }
    }
    i += 1;
    const after = text[i + 1] ?? '';
    if (
      depth === 0 &&
      (text[i] === ';' || text[i] === '#') &&
      after &&
      isUvSpace(after)
    ) {
      break;
    }
  }
  return text.slice(0, i);
}

/** Python's `str.strip()`. */
function pyStrip(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) {
    end -= 1;
  }
  return lstrip(text.slice(0, end));
}

/** Python's `os.path.normpath` (POSIX): `path.posix.normalize` keeps a trailing slash, which
 * normpath drops (`./x[e]/` is `x[e]`, so pip cuts `[e]`), and folds a leading `//`, which
 * normpath keeps. */
function normpath(text: string): string {
  const doubled = text.startsWith('//') && !text.startsWith('///');
  let out = path.posix.normalize(text);
  if (out.length > 1 && out.endsWith('/')) {
    out = out.slice(0, -1);
  }
  return doubled ? '/' + out : out;
}
