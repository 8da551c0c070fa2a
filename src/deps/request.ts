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

/** 'conda': a name in conda's namespace (PyPI's popular-name list does not apply). */
export type RequirementKind =
  'name' | 'conda' | 'url' | 'vcs' | 'path' | 'invalid';

/** One thing to install: a package name, or a direct reference (URL, VCS, local path). */
export interface Requirement {
  text: string; // as written, any URL's credentials removed (redactUrl)
  name: string | null; // PEP 503 normalized, when known
  kind: RequirementKind;
  place: Place;
  pin: string | null; // the version of an exact `==` pin
  /** a relative path's other folder (its requirements file's, its project's) */
  base?: string;
}

export type SourceRole =
  'index' | 'extra-index' | 'find-links' | 'channel' | 'default-index';

/** A place packages come from: an index, a find-links location or a conda channel. */
export interface Source {
  url: string;
  role: SourceRole;
  place: Place;
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
  /** uv --no-config: uv's config files are not discovered */
  uvNoConfig?: boolean;
  /** a pip install that may run on uv (pipx's uv backend): uv's config is read too */
  alsoUv?: boolean;
  /** other folders uv runs in (pipx's venvs), whose uv config is read from there up */
  uvConfigDirs?: string[];
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
 * fragment replaced by markers, so the user still sees one was there). */
export function redactUrl(text: string): string {
  if (!text.includes('://')) {
    return text;
  }
  return text.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g, redactOne);
}

function redactOne(url: string): string {
  const parts = splitUrl(url.trim());
  if (parts === null) {
    return '<a URL Warden cannot parse>';
  }
  let shown = `${parts.scheme}://${parts.netloc.includes('@') ? '***@' : ''}${parts.host}`;
  shown += parts.port !== null ? `:${parts.port}` : '';
  shown += parts.path.includes('@') ? '/***' : parts.path;
  shown += parts.query ? '?***' : '';
  shown += parts.fragment ? '#***' : '';
  return shown;
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
