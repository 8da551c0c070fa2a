/**
 * What an install asks for, once its command line or file is read (the shape of the kernel's
 * `installs/request.py`), with the place in a file each part was written, for reports.
 */

/** Where a part of an install was written: a file and a 1-based line, or a command line. */
export interface Place {
  /** The file's path as the scan names it; null for a command line. */
  file: string | null;
  line: number;
  /** What a message says: "requirements.txt line 3", "command line". */
  origin: string;
}

/** 'conda': a name in conda's namespace (PyPI's popular-name list does not apply);
 * 'offered': a file or local project an install may take without naming it (offered.ts),
 * decided by its `artifact` and `artifactVersion`. */
export type RequirementKind =
  'name' | 'conda' | 'url' | 'vcs' | 'path' | 'offered' | 'invalid';

/** One thing to install: a package name, or a direct reference (URL, VCS, local path). */
export interface Requirement {
  /** as written, any URL's credentials removed (redactUrl): what every message, finding
   * and report shows; a URL is checked against the policy as `written` */
  text: string;
  /** a direct reference's text as written, for the decision only, never shown (the kernel's
   * `Requirement.written`): `text` masks a token, so a URL under a trusted index written with
   * its token (`/t/<token>`, a Cloudsmith or Gemfury first segment) would be decided as from
   * an unknown place (fix54spell) */
  written?: string;
  /** what a direct reference (a URL, a VCS URL) names, as written, marker not cut: the text
   * after its `name @` where the parser split it (PEP 508: the first `@` after the name and
   * extras), or a bare URL's whole text (the kernel's `Requirement.reference`). Never found
   * again by searching the text for an `@`: a bare URL's fragment, user info or path may hold
   * one (red team 48b R48b-6). For the decision only, never shown. */
  reference?: string;
  name: string | null; // PEP 503 normalized, when known
  kind: RequirementKind;
  place: Place;
  pin: string | null; // the version of an exact `==` pin
  /** a name's whole version specifier (`>=1.0,<2`), decided against the advisories (R41b-3) */
  specifier?: string;
  /** a relative path's other folder (its requirements file's, its project's) */
  base?: string;
  /** the project its wheel or sdist file names (a direct reference), when it names one */
  artifact?: string | null;
  /** and the version that file names (R11-19: checked against the advisories) */
  artifactVersion?: string | null;
  /** an 'offered' project folder the user builds (R45a-8): its name is the folder's own,
   * fetched from no index, so no imitation of one (the kernel's `Requirement.own`) */
  own?: boolean;
}

/** Everything a decision reads of a requirement (the kernel's `Requirement.identity`): two
 * equal in all of it decide alike, so one may stand for the other. Never the text alone: the
 * same text is a pin, a local path or an offered file (red team 45a R45a-1). */
export function requirementIdentity(r: Requirement): string {
  return JSON.stringify([
    r.text,
    r.name,
    r.kind,
    r.pin,
    r.specifier ?? '',
    r.base ?? null,
    r.artifact ?? null,
    r.artifactVersion ?? null,
    r.own ?? false,
    r.written ?? null,
    r.reference ?? null
  ]);
}

export type SourceRole =
  'index' | 'extra-index' | 'find-links' | 'channel' | 'default-index';

/** A place packages come from: an index, a find-links location or a conda channel. */
export interface Source {
  url: string;
  role: SourceRole;
  place: Place;
  /** a relative path's other folder: the folder of the requirements file or uv config that
   * named it (pip and uv read a file's find-links from there: `installerpaths.ts`), besides
   * the working folder */
  base?: string;
}

export interface InstallRequest {
  tool: 'pip' | 'uv' | 'conda' | 'mamba' | 'micromamba' | 'shell' | 'unknown';
  command: string;
  requirements: Requirement[];
  sources: Source[];
  /** What Warden could not read, each with where: the install is refused (fail closed). */
  problems: Array<{ text: string; place: Place }>;
  noIndex: boolean;
  overrideChannels: boolean;
  /** a conda environment file's `pip:` list: conda runs `pip install` on it */
  condaPip?: boolean;
  /** uv --no-config: uv's config files are not discovered */
  uvNoConfig?: boolean;
  /** a pip install that may run on uv (pipx's uv backend): uv's config is read too */
  alsoUv?: boolean;
  /** other folders uv runs in (pipx's venvs), whose uv config is read from there up */
  uvConfigDirs?: string[];
  /** TLS settings that weaken the index's certificate check (the kernel's `request.tls`) */
  tls?: TlsSetting[];
  /** a pip after a command on its shell line that may write its files (red team 10 R10-3):
   * its requirements files, local projects and local index pages are read by the guard the
   * pip inherits when it starts, not before the line runs (commands.ts `Invocation`) */
  childReads?: boolean;
  /** settings that change which release is taken (preference.ts, red team 43b R43b-1):
   * "what (where)"; with any, every specifier set counts as bounded (`reaches`) */
  order?: string[];
  /** settings that let pre-releases be taken where a final release fits (R43b-5) */
  pre?: string[];
}

/** "insecure-host": a host reached without checking its certificate ("*": every host);
 * "ca": a CA bundle file or folder trusted instead of the system's (an absolute path). */
export interface TlsSetting {
  kind: 'insecure-host' | 'ca';
  value: string;
  place: Place;
}

export function addTls(
  request: InstallRequest,
  kind: TlsSetting['kind'],
  value: string,
  place: Place
): void {
  (request.tls ??= []).push({ kind, value, place });
}

export function newRequest(
  tool: InstallRequest['tool'],
  command: string
): InstallRequest {
  return {
    tool,
    command,
    requirements: [],
    sources: [],
    problems: [],
    noIndex: false,
    overrideChannels: false
  };
}

export const COMMAND_LINE: Place = {
  file: null,
  line: 0,
  origin: 'command line'
};

/** `text` with each URL in it reduced to scheme, host, port and path (credentials, query and
 * fragment replaced by markers, so the user still sees one was there), and any other
 * scheme-prefixed word holding an `@` (a URL not in the plain form, maybe with credentials)
 * replaced by a marker. Findings use this spelling as their reason (fingerprint, confirmation
 * key) too. The kernel's twin is `redact_url` (request.py); schema/vectors/redact-url.json
 * holds both to the same cases. */
export function redactUrl(text: string): string {
  if (!text.includes(':')) {
    return text;
  }
  return text
    .replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g, redactOne)
    .replace(HIDDEN_USERINFO, UNPARSED);
}

// anaconda.org's token form (conda's and mamba's): the credential is a path segment,
// `https://conda.anaconda.org/t/<token>/channel` (conda masks it the same way:
// `conda.common.url.split_anaconda_token`)
const PATH_TOKEN = /(?<=\/t\/)[^/]+/g;

// Hosts whose index URLs carry the credential as the first path segment (red team 46b
// R46b-3): Cloudsmith `https://dl.cloudsmith.io/<token>/org/repo/python/simple/` and Gemfury
// `https://pypi.fury.io/<token>/user/`. The one table on this side (request.py's
// TOKEN_PATH_HOSTS is its twin).
export const TOKEN_PATH_HOSTS: readonly string[] = [
  'dl.cloudsmith.io',
  'pypi.fury.io'
];

const UNPARSED = '<a URL Warden cannot parse>';
// What is left after the `scheme://` URLs: a scheme-like prefix not followed by `//` and an
// `@` later in the same word (`https:\\u:TOKEN@host`, `https:/u:TOKEN@host`,
// `https:u:TOKEN@host`: a WHATWG reader such as uv's takes each for `https://u:TOKEN@host`).
// Not a plain URL, so never shown raw (red team 46b R46b-2). Two letters at least: `c:` is a
// drive.
const HIDDEN_USERINFO = /[A-Za-z][A-Za-z0-9+.-]+:(?!\/\/)\S*@\S*/g;

function redactOne(url: string): string {
  let body = trimUrl(url);
  let scheme = body.split(':', 1)[0].toLowerCase();
  if (scheme.includes('+')) {
    // git+https://
    scheme = scheme.slice(scheme.indexOf('+') + 1);
    body = body.slice(body.indexOf('+') + 1);
  }
  if ((scheme === 'http' || scheme === 'https') && plainUrl(body) === null) {
    return UNPARSED; // and must not read as a plain, allowed one
  }
  const parts = splitUrl(url.trim());
  if (parts === null) {
    return UNPARSED;
  }
  let shown = `${parts.scheme}://${parts.netloc.includes('@') ? '***@' : ''}${parts.host}`;
  shown += parts.port !== null ? `:${parts.port}` : '';
  const path = TOKEN_PATH_HOSTS.includes(parts.host.toLowerCase())
    ? parts.path.replace(/^\/[^/]+/, '/***')
    : parts.path;
  shown += path.includes('@') ? '/***' : path.replace(PATH_TOKEN, '***');
  shown += parts.query ? '?***' : '';
  shown += parts.fragment ? '#***' : '';
  return shown;
}

/*
 * A URL is matched against the policy only in one plain spelling that every installer reads
 * alike: pip (urllib.parse, urllib3), uv (the WHATWG `url` crate), conda (requests). The grammar
 * (the kernel's request.py documents it; both sides pass the same vectors) accepts nothing
 * else, and here Node's WHATWG `URL` reads every accepted URL a second time: scheme, host,
 * port and path must agree, or the URL is not plain.
 */
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]+:/; // one letter: a drive (`c:\x`)
const PCHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})";
const PLAIN_URL = new RegExp(
  '^(?<scheme>https?)://' +
    "(?:(?<userinfo>(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*)@)?" +
    '(?<host>[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)' +
    '(?::(?<port>[0-9]{1,5}))?' +
    `(?<path>(?:/${PCHAR}+)*/?)` +
    `(?:\\?(?<query>(?:${PCHAR}|[/?])*))?` +
    `(?:#(?<fragment>(?:${PCHAR}|[/?])*))?$`
);
const NUMERIC_LABEL = /^(?:[0-9]+|0[xX][0-9A-Fa-f]*)$/;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);
const BAD_ESCAPE = /%(?:2[eEfF]|5[cC]|[01][0-9A-Fa-f]|7[fF])/;

export interface PlainUrl {
  scheme: string;
  host: string; // lower case
  port: number | null; // null: the scheme's default
  path: string;
  query: string | null;
  fragment: string | null;
}

/** `text` without the C0 controls and spaces every reader trims from both ends. */
export function trimUrl(text: string): string {
  const kept = (c: string) => c.charCodeAt(0) > 0x20;
  let start = 0;
  let end = text.length;
  while (start < end && !kept(text[start])) {
    start++;
  }
  while (end > start && !kept(text[end - 1])) {
    end--;
  }
  return text.slice(start, end);
}

/** The URL of uv's `[name=]url` (`--index`, `--default-index`, `UV_INDEX`): uv splits at the
 * first `=` when the part before has no `:`, and a valid name is only these characters;
 * otherwise the whole value is the URL (`https://evil/x=https://pypi.org/simple` is evil's). */
export function namedIndexUrl(value: string): string {
  const text = value.trim();
  const m = /^[A-Za-z0-9._-]+=/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** `value` names a URL scheme (`http:`, `git+https:`), not a path. */
export function hasScheme(value: string): boolean {
  return SCHEME_PREFIX.test(trimUrl(value));
}

/** `value` in the plain form, or null. */
export function plainUrl(value: string): PlainUrl | null {
  const text = trimUrl(value);
  const m = PLAIN_URL.exec(text);
  if (!m?.groups) {
    return null;
  }
  const g = m.groups;
  const host = g.host.toLowerCase();
  const last = host.slice(host.lastIndexOf('.') + 1);
  if (NUMERIC_LABEL.test(last) && !IPV4.test(host)) {
    return null;
  }
  const path = g.path;
  if (
    path.split('/').some(s => s === '.' || s === '..') ||
    BAD_ESCAPE.test(path)
  ) {
    return null;
  }
  let port = g.port === undefined ? null : Number(g.port);
  if (port !== null && port > 65535) {
    return null;
  }
  if (port === (g.scheme === 'https' ? 443 : 80)) {
    port = null;
  }
  let whatwg: URL;
  try {
    whatwg = new URL(text);
  } catch {
    return null;
  }
  if (
    whatwg.protocol !== `${g.scheme}:` ||
    whatwg.hostname !== host ||
    whatwg.port !== (port === null ? '' : String(port)) ||
    whatwg.pathname.replace(/\/+$/, '') !== path.replace(/\/+$/, '')
  ) {
    return null; // the second reader disagrees
  }
  return {
    scheme: g.scheme,
    host,
    port,
    path,
    query: g.query ?? null,
    fragment: g.fragment ?? null
  };
}

export interface UrlParts {
  scheme: string;
  netloc: string;
  host: string; // lower case; an IPv6 literal in brackets
  port: number | null;
  path: string;
  query: string;
  fragment: string;
}

/** A URL split as Python's `urllib.parse.urlsplit` splits it (what pip uses); null when
 * the port is not a number, as urlsplit raises. */
export function splitUrl(url: string): UrlParts | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(url);
  if (!m) {
    return {
      scheme: '',
      netloc: '',
      host: '',
      port: null,
      path: url,
      query: '',
      fragment: ''
    };
  }
  let rest = m[2];
  let fragment = '';
  let query = '';
  let netloc = '';
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const end = rest.search(/[/?#]/);
    netloc = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const hostport = netloc.slice(netloc.lastIndexOf('@') + 1);
  let host = hostport;
  let portText = '';
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  if (v6) {
    host = `[${v6[1].toLowerCase()}]`;
    portText = v6[2] ?? '';
  } else if (hostport.includes(':')) {
    host = hostport.slice(0, hostport.indexOf(':'));
    portText = hostport.slice(hostport.indexOf(':') + 1);
  }
  let port: number | null = null;
  if (portText) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      return null;
    }
    port = Number(portText);
  }
  return {
    scheme: m[1],
    netloc,
    host: v6 ? host : host.toLowerCase(),
    port,
    path: rest,
    query,
    fragment
  };
}
