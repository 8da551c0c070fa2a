/**
 * Requirement specifiers and pip requirements files, read the way pip reads them (a port of
 * the kernel's `installs/requirements.py`): each line decided like a command-line argument,
 * `-r`/`-c` includes followed relative to the file that names them, index options inside a
 * file counted as sources, `--hash` and environment markers read past (a requirement is
 * decided whatever its marker: some machine will install it). What Warden cannot read (a file
 * fetched from a URL, an unknown option, an unreadable file) is a problem: refused, saying why.
 */
import * as path from 'node:path';
import { pipDecode } from './pipdecode';
import { normalize } from './names';
import * as preference from './preference';
import {
  addTls,
  redactUrl,
  type InstallRequest,
  type Place,
  type Requirement
} from './request';
import { shellWords } from './words';

const NAME =
  /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;
/** PEP 508's `name [extras] @`: a whole name and extras before the `@`, nothing else */
const NAME_AT =
  /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[A-Za-z0-9_\s.,-]*\])?\s*@/;
const PIN = /^===?\s*([A-Za-z0-9._+!-]+)\s*$/;
/** pip's req_file.ENV_VAR_RE (upper case, digits, underscore); uv reads the same form */
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;
const PIP_URL = /^https?:/i;
const VCS = ['git+', 'hg+', 'svn+', 'bzr+'];
const ARCHIVES = ['.whl', '.tar.gz', '.zip', '.tar.bz2', '.tgz', '.tar'];
export const MAX_DEPTH = 10;

/** Options a requirements file may hold (pip's "requirement file format"): takes a value? */
const FILE_OPTIONS: Record<string, boolean> = {
  '-r': true,
  '--requirement': true,
  '-c': true,
  '--constraint': true,
  '-e': true,
  '--editable': true,
  '-i': true,
  '--index-url': true,
  '--extra-index-url': true,
  '--no-index': false,
  '-f': true,
  '--find-links': true,
  '--trusted-host': true,
  '--pre': false,
  '--prefer-binary': false,
  '--require-hashes': false,
  '--only-binary': true,
  '--no-binary': true,
  '--use-feature': true
};
/** Per-requirement options after a specifier on the same line. */
const LINE_OPTIONS = [
  '--hash',
  '--config-settings',
  '--global-option',
  '--install-option'
];

/** Reads a file's text for an include; throws with a short reason when it cannot. `decode`:
 * how the file's bytes become its text (a requirements file pip reads: `pipDecode`); a reader
 * with bytes MUST apply it (its own decoding is UTF-8). */
export type ReadFile = (
  fullPath: string,
  decode?: (bytes: Uint8Array) => string
) => string;

const startsWithAny = (s: string, prefixes: readonly string[]) =>
  prefixes.some(p => s.startsWith(p));

/** `req` given as an editable (`-e X`, `--with-editable X`, `pipx install -e X`): an editable
 * is a local folder or a VCS URL, never a name from an index, so pip and uv take a bare word
 * (`-e proj`) for the folder `proj` (read by `localprojects.ts`). */
export function editable(req: Requirement): Requirement {
  // the name is kept and decided too: where a tool takes `-e` for a flag (`uv tool install -e
  // NAME`) the word is a package from the index
  return req.kind === 'name'
    ? { ...req, kind: 'path', pin: null, specifier: '' }
    : req;
}

/** One specifier: `name[extras] op version ; marker`, `name @ url`, a URL, a VCS reference
 * or a local path (`name @ file:...` is one: a local folder is read as a project). */
export function parseRequirement(raw: string, place: Place): Requirement {
  const text = raw.trim();
  const spec = isReference(text) ? text : text.split(';', 1)[0].trim();
  const req = (
    t: string,
    name: string | null,
    kind: Requirement['kind'],
    pin: string | null = null
  ): Requirement => ({ text: t, name, kind, place, pin });
  const named = NAME_AT.exec(spec);
  if (spec.includes(' @ ') || named) {
    if (named) {
      const ref = spec.slice(named[0].length).trim();
      // R50d-2: a REF with no scheme is uv's path (`name @ ./x`, `name@x`; pip refuses the
      // form), never a URL for being nothing else; any other scheme than file: or a VCS one
      // is a URL (uv takes a scheme it does not know for a path: refused as a URL, stricter)
      const kind = startsWithAny(ref, VCS)
        ? 'vcs'
        : ref.startsWith('file:') || !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(ref)
          ? 'path'
          : 'url';
      return {
        ...req(redactUrl(text), normalize(named[1]), kind),
        written: text,
        reference: ref,
        // pip and uv build the file (running an sdist's setup.py) before they compare its
        // metadata name with NAME: the file's own project name is decided too (R11-19)
        ...artifactOf(
          kind === 'vcs'
            ? null
            : artifactFile(ref, /^[A-Za-z][A-Za-z0-9+.-]+:/.test(ref))
        )
      };
    }
    if (!/^[A-Za-z][A-Za-z0-9+.-]+:/.test(spec)) {
      // an `@` after what is neither a name nor a URL
      return req(redactUrl(text), null, 'invalid');
    }
    // a bare URL whose fragment, user info or path holds ` @ `: pip and uv take the whole
    // text for the URL (pip's `is_url`), read below (red team 48b R48b-6)
  }
  if (startsWithAny(spec, VCS)) {
    return {
      ...req(redactUrl(text), eggName(spec), 'vcs'),
      written: text,
      reference: text
    };
  }
  // `ftp:/x`, `data:,x`: a URL, not a path (one letter is a Windows drive)
  if (spec.includes('://') || /^[A-Za-z][A-Za-z0-9+.-]+:/.test(spec)) {
    const file = artifactOf(artifactFile(spec, true));
    return {
      ...req(
        redactUrl(text),
        file.artifact ?? eggName(spec),
        spec.startsWith('file:') ? 'path' : 'url'
      ),
      written: text,
      reference: text,
      ...file
    };
  }
  if (looksLikePath(spec)) {
    const file = artifactOf(artifactFile(spec, false));
    return { ...req(text, file.artifact ?? eggName(spec), 'path'), ...file };
  }
  const m = NAME.exec(spec);
  if (!m || (m[3] && !/^(\(|[<>=!~]|$)/.test(m[3].trim()))) {
    return req(text, null, 'invalid');
  }
  const specifier = m[3].trim().replace(/^[()]+|[()]+$/g, ''); // Python's strip('()')
  const pin = PIN.exec(specifier);
  // the whole specifier is decided against the advisories (R41b-3)
  return {
    ...req(text, normalize(m[1]), 'name', pin ? pin[1] : null),
    specifier
  };
}

function isReference(text: string): boolean {
  return text.includes('://') || startsWithAny(text, VCS);
}

function looksLikePath(spec: string): boolean {
  return (
    startsWithAny(spec, ['.', '/', '~']) ||
    spec.includes('/') ||
    ARCHIVES.some(a => spec.toLowerCase().endsWith(a))
  );
}

function eggName(spec: string): string | null {
  const m = /[#&]egg=([A-Za-z0-9._-]+)/.exec(spec);
  return m ? normalize(m[1]) : null;
}

// The file name rules of the packaging specifications ("Binary distribution format", "Source
// distribution format"), as `packaging.utils.parse_wheel_filename` / `parse_sdist_filename`
// apply them, with the legacy sdist archives pip still builds (a port of the kernel's
// `requirements.artifact_name`).
const WHEEL_PART = /^[A-Za-z0-9._]+$/;
const SDIST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION_START = /^[vV]?[0-9]/;
// a URL's scheme and `//host` (up to a slash or backslash), before its path (one letter
// is a Windows drive: `C:/x`)
const URL_START = /^[A-Za-z][A-Za-z0-9+.-]+:(?:\/\/[^/\\]*)?/;

/** Python's `urllib.parse.unquote`: each valid `%XX` run decoded as UTF-8 (invalid bytes
 * replaced), anything else kept as written. */
function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, run => {
    const bytes = run
      .match(/%[0-9A-Fa-f]{2}/g)!
      .map(h => parseInt(h.slice(1), 16));
    return Buffer.from(bytes).toString('utf8');
  });
}

/** The project a wheel or sdist file names (`torch-2.6.0-cp311-...whl` -> `torch`,
 * `torcj-1.0.tar.gz` -> `torcj`), PEP 503 normalized; null when the last segment of `ref` (a
 * URL, read with its %-escapes decoded as pip and uv decode them, or a path) is no such file
 * name. */
export function artifactName(ref: string, url: boolean): string | null {
  return artifactFile(ref, url)?.[0] ?? null;
}

/** The project and version a direct reference's file names (R11-19): decided as that
 * project, and its version checked against the advisories as a pin is. */
export function artifactOf(
  file: [string, string] | null
): Pick<Requirement, 'artifact' | 'artifactVersion'> {
  return { artifact: file?.[0] ?? null, artifactVersion: file?.[1] ?? null };
}

/** (project, version) of the wheel or sdist file `ref` names (`artifactName`): the version
 * as written in the file name (`2.5.0+cpu`), null when it is no such file. */
export function artifactFile(
  ref: string,
  url: boolean
): [string, string] | null {
  let trimmed = ref.trim().split('#')[0].split('?')[0];
  // a URL's file is the last segment of its path: `file:torcj-1.0.tar.gz` names
  // torcj-1.0.tar.gz in the working folder, `https://torch-1.0.tar.gz` no file (R47c-8)
  trimmed = url ? trimmed.replace(URL_START, '') : trimmed;
  const slashed = trimmed.replace(/\/+$/, '').replace(/\\/g, '/');
  const raw = slashed.slice(slashed.lastIndexOf('/') + 1);
  const base = url ? unquote(raw) : raw;
  const low = base.toLowerCase();
  if (low.endsWith('.whl')) {
    const parts = base.slice(0, -4).split('-');
    if (
      (parts.length !== 5 && parts.length !== 6) ||
      parts.some(p => p === '') ||
      !WHEEL_PART.test(parts[0]) ||
      (parts.length === 6 && !/^[0-9]/.test(parts[2])) // a build tag starts with a digit
    ) {
      return null;
    }
    return VERSION_START.test(parts[1])
      ? [normalize(parts[0]), parts[1]]
      : null;
  }
  for (const suffix of ARCHIVES.slice(1)) {
    if (low.endsWith(suffix)) {
      const stem = base.slice(0, -suffix.length);
      const dash = stem.lastIndexOf('-');
      const name = stem.slice(0, Math.max(dash, 0));
      const ok =
        dash >= 0 &&
        SDIST_NAME.test(name) &&
        VERSION_START.test(stem.slice(dash + 1));
      return ok ? [normalize(name), stem.slice(dash + 1)] : null;
    }
  }
  return null;
}

/** Everything a requirements file read needs besides its text. */
export interface FileContext {
  env: Readonly<Record<string, string>>;
  readFile: ReadFile;
  /** Labels a file path for messages and places (the scan's own naming of it). */
  label: (fullPath: string) => string;
  /** The path with its links resolved, as a program's `getcwd()` names its folder (folders.ts);
   * absent where the reader has the text of files only. */
  realPath?: (fullPath: string) => string;
}

/** Add what the requirements (or constraints) file at `fullPath` asks for. */
/** Folders that name the process reading them (`/proc/self/cwd`, `/dev/fd/0`): Warden and
 * the installer each find their own (red team 11 R11-18; requirements.through_process, which
 * also follows links; here the path as written). */
const PROCESS_ROOTS = [
  '/proc',
  '/dev/fd',
  '/dev/stdin',
  '/dev/stdout',
  '/dev/stderr'
];
const PROCESS_PATH =
  "named through {} (a path that names the process reading it: Warden's and the " +
  "installer's differ); name the file by its own path";

export function throughProcess(fullPath: string): string {
  const parts: string[] = [];
  for (const part of fullPath.split('/')) {
    if (part === '..') {
      parts.pop();
    } else if (part !== '' && part !== '.') {
      parts.push(part);
    }
    const current = '/' + parts.join('/');
    if (fullPath.startsWith('/') && PROCESS_ROOTS.includes(current)) {
      return current;
    }
  }
  return '';
}

export function readFileInto(
  request: InstallRequest,
  fullPath: string,
  context: FileContext,
  from: Place,
  constraint = false,
  depth = 0
): void {
  const label = context.label(fullPath);
  if (fullPath.includes('://') || PIP_URL.test(fullPath)) {
    request.problems.push({
      text:
        `requirements file ${redactUrl(fullPath)} is fetched by pip from the network; ` +
        'Warden cannot read it before pip does: download it, review it and pass the local file',
      place: from
    });
    return;
  }
  if (request.childReads) {
    return; // the pip's own guard reads it when pip does (R10-3): it may not exist yet
  }
  if (depth > MAX_DEPTH) {
    request.problems.push({
      text: `requirements files nest deeper than ${MAX_DEPTH} levels`,
      place: from
    });
    return;
  }
  let text: string;
  try {
    const named = throughProcess(fullPath);
    if (named) {
      throw new Error(PROCESS_PATH.replace('{}', named));
    }
    // pip decodes the bytes by their coding line (R50c-1); uv reads UTF-8
    text = context.readFile(
      fullPath,
      request.tool === 'pip' ? pipDecode : undefined
    );
  } catch (e) {
    request.problems.push({
      text: `cannot read requirements file ${label}: ${(e as Error).message}`,
      place: from
    });
    return;
  }
  readTextInto(request, text, fullPath, context, constraint, depth);
}

/** Add what a requirements file's `text` asks for; its lines are its places. `constraint`:
 * the file is given as constraints (pip `-c`, uv's constraints, overrides and build
 * constraints): its lines are decided as requirements are (red team 42b R42b-1: a constraint
 * forces the release it pins, an override replaces the requirement), named "constraints file"
 * lines so a user sees why a package they did not ask for is decided. */
export function readTextInto(
  request: InstallRequest,
  text: string,
  fullPath: string,
  context: FileContext,
  constraint = false,
  depth = 0
): void {
  const label = context.label(fullPath);
  for (const [number, rawLine] of logicalLines(text)) {
    const place: Place = {
      file: label,
      line: number,
      origin: `${constraint ? 'constraints file ' : ''}${label} line ${number}`
    };
    for (const line of expandedLines(request, rawLine, context.env)) {
      const left = leftVariable(line);
      if (left) {
        // pip (uv) fills it in where the install runs, from an environment Warden does not
        // see: a URL, a path or, pip expanding before it splits the line, options of their own
        // (red team 52b R52b-1/2; the kernel expands from its real environment)
        request.problems.push({
          text:
            `${place.origin}: ${left} is not set here, and ${request.tool} fills it in ` +
            'from the environment the install runs in (a kernel sets it with %env or ' +
            'os.environ, which Warden does not follow): it cannot tell what the line installs; ' +
            `write the value out, or assign it on the install's line (${left.slice(2, -1)}=... pip install ...)`,
          place
        });
        continue;
      }
      const [spec, options] = splitLine(line);
      let words: string[];
      try {
        words = shellWords(options);
      } catch {
        request.problems.push({
          text: `${place.origin}: cannot parse the line`,
          place
        });
        continue;
      }
      if (!spec) {
        if (words.length > 0) {
          fileOption(
            request,
            words,
            place,
            path.dirname(fullPath),
            context,
            depth
          );
        }
        continue;
      }
      requirementOptions(request, words, place);
      const req = parseRequirement(spec, place);
      req.base = path.dirname(fullPath); // a local path: pip takes it from the cwd, uv from here
      request.requirements.push(req);
    }
  }
}

/**
 * The first `${NAME}` (pip's `ENV_VAR_RE`) left in an expanded line where it can change what
 * the line installs: anywhere but a name requirement's marker (pip cuts the name at the first
 * `;` before the marker is read: a value there can only change where it applies, and Warden
 * decides a requirement whatever its marker) and a `--hash` value after a requirement (a hash
 * only narrows what is accepted; options the value would bring after a requirement are ignored
 * by pip but for the per-requirement ones, which Warden lets through when written). On an
 * option line no word is spared: pip expands before it splits (`--pre ${X}`, X=`-i URL`).
 */
export function leftVariable(line: string): string | null {
  const [spec, options] = splitLine(line);
  const cut = spec.indexOf(';');
  const name =
    cut >= 0 && !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(spec.trim())
      ? spec.slice(0, cut)
      : spec;
  const inSpec = name.match(ENV_VAR);
  if (inSpec) {
    return inSpec[0];
  }
  if (!spec.trim()) {
    return options.match(ENV_VAR)?.[0] ?? null;
  }
  let words: string[];
  try {
    words = shellWords(options);
  } catch {
    return options.match(ENV_VAR)?.[0] ?? null;
  }
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '--hash') {
      i++; // its value
    } else if (!words[i].startsWith('--hash=')) {
      const found = words[i].match(ENV_VAR);
      if (found) {
        return found[0];
      }
    }
  }
  return null;
}

/** `line` with its `${VAR}` expanded as the request's installer expands it, each distinct
 * result once (red team 43a R43a-3; the kernel's `requirements.expanded_lines`). pip 23.2:
 * each variable of the ORIGINAL line, in order, replaced in the line as it stands, unless it
 * is unset or EMPTY (kept as written). uv: a set variable, even "", replaced. */
export function expandedLines(
  request: InstallRequest,
  line: string,
  env: Readonly<Record<string, string>>
): string[] {
  let pip = line;
  for (const [variable, name] of line.matchAll(ENV_VAR)) {
    if (env[name]) {
      pip = pip.split(variable).join(env[name]);
    }
  }
  const uv = uvExpanded(line, env);
  const found = request.tool === 'uv' ? [uv] : [pip];
  return request.tool === 'pip' && request.alsoUv && uv !== pip
    ? [pip, uv]
    : found;
}

/** `text` with its `${VAR}` expanded as uv expands a requirements file's line and every PEP 508
 * path or URL it parses (red team 45a R45a-2; the kernel's `requirements.uv_expanded`): a set
 * variable, even "", replaced in one pass, an unset one kept. */
export function uvExpanded(
  text: string,
  env: Readonly<Record<string, string>>
): string {
  return text.replace(ENV_VAR, (all, name: string) => env[name] ?? all);
}

/** The file pip and uv open for a `-r`/`-c` NAME given from the folder `base`: a `file:` URL
 * is fetched as a URL by both (red team 43a R43a-4: `file:/W/r.txt` is /W/r.txt, a path with
 * no `//` rooted, `.`/`..` folded, %-escapes decoded; the kernel's
 * `installer_paths.requirements_file`); another host, or an http(s) name, stays a URL
 * (refused by `readFileInto`). */
export function requirementsFilePath(value: string, base: string): string {
  if (!/^file:/i.test(value)) {
    return value.includes('://') || PIP_URL.test(value)
      ? value
      : path.resolve(base, value);
  }
  let rest = value.slice(5).replace(/\\/g, '/').split('#')[0].split('?')[0];
  if (rest.startsWith('//')) {
    const cut = rest.indexOf('/', 2);
    const host = rest.slice(2, cut < 0 ? rest.length : cut).toLowerCase();
    if (host !== '' && host !== 'localhost') {
      return value.includes('://') ? value : `file://${host}/`;
    }
    rest = cut < 0 ? '/' : rest.slice(cut);
  }
  const segments = rest.split('/').map(s => s.replace(/%2e/gi, '.'));
  return unquote(path.posix.resolve('/', segments.join('/')));
}

/**
 * [requirement, options] as pip's `req_file.break_args_options` splits a line: the words
 * (split at single spaces, not shell words: markers hold quotes) up to the first that starts
 * with `-` are the requirement, the rest its options. `aiohtt==1.0 -i URL` names aiohtt; read
 * whole, the URL would hide the name (red-team finding F10).
 */
export function splitLine(line: string): [string, string] {
  const tokens = line.split(' ');
  const i = tokens.findIndex(token => token.startsWith('-'));
  return i < 0
    ? [line, '']
    : [tokens.slice(0, i).join(' '), tokens.slice(i).join(' ')];
}

/**
 * The options after a requirement: pip applies only the per-requirement ones (`--hash`,
 * `--config-settings`, `--global-option`) and silently ignores any other it knows (`-i`,
 * `-r`...), which then does not do what the line seems to say: refused, saying so. Stray
 * words are ignored, as pip's option parser leaves them.
 */
function requirementOptions(
  request: InstallRequest,
  words: string[],
  place: Place
): void {
  let skip = false;
  for (const word of words) {
    if (skip) {
      skip = false;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      continue;
    }
    const option = word.split('=', 1)[0];
    if (LINE_OPTIONS.includes(option)) {
      skip = !word.includes('=');
      continue;
    }
    request.problems.push({
      text:
        `${place.origin}: ${option} after a requirement is not applied by pip (only ` +
        `${LINE_OPTIONS.slice(0, 3).join(', ')} are); put it on a line of its own`,
      place
    });
    return;
  }
}

/** Python's str.isspace() characters (pip's regexes and strip() use them, not JavaScript's). */
const PY_SPACE =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** pip's req_file.COMMENT_RE: a comment starts a line or follows white space. */
const COMMENT = new RegExp(`(^|[${PY_SPACE}]+)#.*$`, 's');
const WHOLE_LINE_COMMENT = new RegExp(`^([${PY_SPACE}]+)?#`);
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
/** Python's str.splitlines() line boundaries. */
// eslint-disable-next-line no-control-regex -- the control characters Python splits lines at
export const PY_LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/;

/**
 * The lines pip reads, as its `req_file.preprocess` makes them: a line ending in a backslash
 * joins the next (backslashes stripped, no space added) unless the whole line is a comment;
 * comments are cut after joining (a port of the kernel's `_logical_lines`).
 */
export function logicalLines(text: string): Array<[number, string]> {
  const lines = text.split(PY_LINE_BREAK);
  if (lines[lines.length - 1] === '') {
    lines.pop(); // Python's splitlines: no empty last line
  }
  const joined: Array<[number, string]> = [];
  let parts: string[] = [];
  let start = 0;
  lines.forEach((raw, i) => {
    let line = raw;
    const comment = WHOLE_LINE_COMMENT.test(line);
    if (!line.endsWith('\\') || comment) {
      if (comment) {
        line = ' ' + line;
      }
      if (parts.length) {
        parts.push(line);
        joined.push([start, parts.join('')]);
        parts = [];
      } else {
        joined.push([i + 1, line]);
      }
    } else {
      if (!parts.length) {
        start = i + 1;
      }
      parts.push(line.replace(/^\\+|\\+$/g, ''));
    }
  });
  if (parts.length) {
    joined.push([start, parts.join('')]);
  }
  return joined.map(([n, line]) => [
    n,
    line.replace(COMMENT, '').replace(PY_STRIP, '')
  ]);
}

/** An option line: EVERY option on it counts, as pip's optparse reads the whole line
 * (`--pre --index-url EVIL` sets the index). */
export function fileOption(
  request: InstallRequest,
  words: string[],
  place: Place,
  base: string,
  context: FileContext,
  depth: number
): void {
  let i = 0;
  while (i < words.length) {
    const word = words[i++];
    let value: string | null = null;
    if (!word.startsWith('-') || word === '-') {
      continue; // pip ignores a stray word on an option line
    }
    let option = word;
    if (word.startsWith('--') && word.includes('=')) {
      option = word.slice(0, word.indexOf('='));
      value = word.slice(word.indexOf('=') + 1);
    } else if (word.length > 2 && !word.startsWith('--')) {
      option = word.slice(0, 2);
      value = word.slice(2); // -rfile.txt
    }
    const takesValue =
      option in FILE_OPTIONS
        ? FILE_OPTIONS[option]
        : LINE_OPTIONS.includes(option)
          ? true
          : null;
    if (takesValue === null) {
      request.problems.push({
        text: `${place.origin}: unknown option ${option}`,
        place
      });
      return;
    }
    if (takesValue && value === null) {
      if (i >= words.length) {
        request.problems.push({
          text: `${place.origin}: ${option} needs a value`,
          place
        });
        return;
      }
      value = words[i++];
    } else if (!takesValue && value !== null) {
      request.problems.push({
        text: `${place.origin}: ${option} takes no value`,
        place
      });
      return;
    }
    applyFileOption(request, option, value ?? '', place, base, context, depth);
  }
}

/** The options whose value names where packages come from (an index, a find-links page, a
 * host spared TLS checks). */
const SOURCE_OPTIONS = [
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host'
];

function applyFileOption(
  request: InstallRequest,
  option: string,
  value: string,
  place: Place,
  base: string,
  context: FileContext,
  depth: number
): void {
  // a file's --pre, --prefer-binary, --only-binary apply to the whole install (R43b-1)
  preference.note(request, 'pip', option, value, place.origin);
  const unset = SOURCE_OPTIONS.includes(option) ? value.match(ENV_VAR) : null;
  if (unset) {
    // pip keeps a variable unset (or empty) where Warden reads the file as written and then
    // expands it where the install runs, from an environment Warden may not see (R50c-2)
    request.problems.push({
      text: `${place.origin}: ${option} names ${unset[0]}, which is not set here: Warden cannot tell the source pip uses; write it out`,
      place
    });
    return;
  }
  const include = (constraint: boolean) =>
    readFileInto(
      request,
      requirementsFilePath(value, base),
      context,
      place,
      constraint,
      depth + 1
    );
  if (option === '-r' || option === '--requirement') {
    include(false);
  } else if (option === '-c' || option === '--constraint') {
    include(true);
  } else if (option === '-e' || option === '--editable') {
    request.requirements.push({
      ...editable(parseRequirement(value, place)),
      base
    });
  } else if (option === '-i' || option === '--index-url') {
    // a relative location is also read from this file's folder (installerpaths.ts)
    request.sources.push({ url: value, role: 'index', place, base });
  } else if (option === '--extra-index-url') {
    request.sources.push({ url: value, role: 'extra-index', place, base });
  } else if (option === '-f' || option === '--find-links') {
    request.sources.push({ url: value, role: 'find-links', place, base });
  } else if (option === '--trusted-host') {
    addTls(request, 'insecure-host', value, place);
  } else if (option === '--no-index') {
    request.noIndex = true;
  }
}
