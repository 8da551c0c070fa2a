/**
 * The policy's decision on an install request: pure (a port of the kernel's
 * `installs/decide.py`; both pass schema/vectors/install-decision.json). Output: findings, one
 * per reason to stop or warn, each naming its rule (schema/rules.json) and the place it was
 * written; the caller turns each rule into the policy's action.
 *
 * Policy: `trusted_sources.package_indexes` (URL prefixes on path boundaries, credentials
 * ignored), `dependencies.conda_channels`, `dependencies.deny_packages` / `allow_packages`
 * (allow exempts from the imitation check only: a known-malicious name is refused always),
 * `dependencies.tls_unverified_hosts` (hosts an install may reach without checking their TLS
 * certificate; `*` any) and `dependencies.ca_bundles` (CA bundles it may trust instead of the
 * system's, whose own stores, SYSTEM_CA_PATHS, always may).
 */
import type { DepsData } from './data';
import type { AdvisoryEntry } from './advisories';
import { normalize } from './names';
import * as specifiers from './specifiers';
import {
  hasScheme,
  plainUrl,
  redactUrl,
  trimUrl,
  type InstallRequest,
  type Place,
  type Requirement
} from './request';

export const RULE_UNREADABLE = 'install-unreadable';
export const RULE_INDEX = 'install-index-not-allowed';
export const RULE_MALICIOUS = 'install-known-malicious';
export const RULE_IMITATION = 'install-imitation-name';
export const RULE_DIRECT = 'install-direct-reference';
export const RULE_DENIED = 'install-package-denied';
export const RULE_VULNERABLE = 'install-vulnerable-version';

export const DEFAULT_INDEXES = [
  'https://pypi.org/simple',
  'https://files.pythonhosted.org',
  'https://download.pytorch.org/whl',
  'https://download-r2.pytorch.org/whl'
];
export const DEFAULT_CHANNELS = [
  'defaults',
  'conda-forge',
  'pytorch',
  'nvidia'
];

/** The distributions' own trust stores (root-owned): naming one of them changes nothing. */
export const SYSTEM_CA_PATHS = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/ssl/certs',
  '/etc/ssl/cert.pem',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/tls/cert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'
];

export interface InstallFinding {
  ruleId: string;
  reason: string; // stable short code: "imitation:torcj~torch"
  message: string; // what is wrong, for the user
  remedy: string; // what to do
  subject: string; // the package or source it is about
  place: Place;
}

type Policy = Record<string, any> | null | undefined;

export function allowedIndexes(policy: Policy): string[] {
  const list = policy?.trusted_sources?.package_indexes;
  return Array.isArray(list) ? list.map(String) : [...DEFAULT_INDEXES];
}

function section(policy: Policy): Record<string, any> {
  const s = policy?.dependencies;
  return s && typeof s === 'object' && !Array.isArray(s) ? s : {};
}

function names(policy: Policy, key: string): Set<string> {
  const values = section(policy)[key];
  return new Set(
    Array.isArray(values) ? values.map(v => normalize(String(v))) : []
  );
}

function strings(policy: Policy, key: string): string[] {
  const values = section(policy)[key];
  return Array.isArray(values) ? values.map(String) : [];
}

/** A host as pip's --trusted-host / uv's --allow-insecure-host name it (`host`, `host:port`,
 * uv also a URL), lower case, without scheme, path or final slash. */
function tlsHost(value: string): string {
  let text = value.trim().toLowerCase();
  if (text.includes('://')) {
    text = text.slice(text.indexOf('://') + 3);
  }
  return text.split('/')[0];
}

export function tlsHostAllowed(host: string, policy: Policy): boolean {
  const allowed = new Set(strings(policy, 'tls_unverified_hosts').map(tlsHost));
  return allowed.has('*') || allowed.has(tlsHost(host));
}

export function caAllowed(file: string, policy: Policy): boolean {
  const listed = [...SYSTEM_CA_PATHS, ...strings(policy, 'ca_bundles')]
    .filter(p => p.startsWith('/'))
    .map(p => p.replace(/\/+$/, ''));
  return listed.includes(file.replace(/\/+$/, ''));
}

export function allowedChannels(policy: Policy): string[] {
  const channels = section(policy).conda_channels;
  return Array.isArray(channels) ? channels.map(String) : [...DEFAULT_CHANNELS];
}

const UNPARSEABLE = '<unparseable>';

/** What every installer connects to: scheme, host, port and path of the plain form (user
 * info never counts); a value with no scheme is a local path, kept as written. */
export function urlKey(url: string): string {
  if (!hasScheme(url)) {
    return url.trim().replace(/\/+$/, '');
  }
  const parts = plainUrl(url);
  if (parts === null) {
    return UNPARSEABLE;
  }
  const netloc =
    parts.port === null ? parts.host : `${parts.host}:${parts.port}`;
  return `${parts.scheme}://${netloc}${parts.path}`.replace(/\/+$/, '');
}

/** A query or fragment on an index URL: only a trusted entry written exactly so passes. */
function hasExtras(url: string): boolean {
  const parts = plainUrl(url);
  return parts === null || parts.query !== null || parts.fragment !== null;
}

export function urlAllowed(url: string, allowed: readonly string[]): boolean {
  if (plainUrl(url) === null) {
    return false;
  }
  const key = urlKey(url);
  if (hasExtras(url)) {
    return allowed.some(entry => trimUrl(url) === trimUrl(String(entry)));
  }
  return allowed.some(prefix => {
    if (plainUrl(String(prefix)) === null || hasExtras(String(prefix))) {
      return false;
    }
    const base = urlKey(String(prefix));
    return key === base || key.startsWith(base + '/');
  });
}

/** A path on this machine (no URL scheme and no `://`), or a `file:` URL. */
export function isLocal(location: string): boolean {
  const text = trimUrl(location);
  return (
    (!hasScheme(text) && !text.includes('://')) ||
    text.toLowerCase().startsWith('file:')
  );
}

/** A source with no scheme that is not a plain path (red8 R8-1, the kernel's `unplain_path`):
 * `@host/simple`, `//host/x`, a `,` or blank in it; deny by default. */
export function unplainPath(location: string): boolean {
  const text = location.trim();
  if (hasScheme(text) || text.includes('://')) {
    return false;
  }
  return (
    text.startsWith('//') || text.startsWith('\\\\') || /[@,\s]/.test(text)
  );
}

/** A URL (not local) that is not in the plain form: installers may read another host in it. */
export function ambiguousUrl(location: string): boolean {
  return !isLocal(location) && plainUrl(location) === null;
}

/** Where conda's default configuration serves the allowed channel names, so a package URL
 * there (`conda list --explicit` output) is the allowed channel: NAME on `conda.anaconda.org`,
 * `defaults` as `repo.anaconda.com/pkgs/{main,r,msys2}` (the kernel's `_channel_urls`). */
function channelUrls(allowed: readonly string[]): string[] {
  return allowed
    .filter(c => !c.includes('://'))
    .map(c => c.replace(/^\/+|\/+$/g, '').toLowerCase())
    .flatMap(name =>
      name === 'defaults'
        ? ['main', 'r', 'msys2'].map(p => `https://repo.anaconda.com/pkgs/${p}`)
        : name && name !== 'local'
          ? [`https://conda.anaconda.org/${name}`]
          : []
    );
}

export function channelAllowed(
  channel: string,
  allowed: readonly string[]
): boolean {
  if (hasScheme(channel)) {
    if (
      channel.includes('://') &&
      DOT_SEGMENT.test(channel.slice(channel.indexOf('://') + 3))
    ) {
      return false; // `ALLOWED/../other`: the HTTP client removes it, the prefix test does not
    }
    const rest = channel.includes('://')
      ? channel.slice(channel.indexOf('://') + 3)
      : channel;
    if (rest.split('/', 1)[0].includes('@')) {
      return false; // user info (`https://$X@host`): conda may expand it into another host
    }
    return urlAllowed(channel, [
      ...allowed.filter(hasScheme),
      ...channelUrls(allowed)
    ]);
  }
  const strip = (c: string) => c.replace(/^\/+|\/+$/g, '').toLowerCase();
  let name = strip(channel);
  const slash = name.lastIndexOf('/');
  if (slash > 0 && CONDA_SUBDIRS.includes(name.slice(slash + 1))) {
    name = name.slice(0, slash);
  }
  return allowed
    .filter(c => !hasScheme(c))
    .map(strip)
    .includes(name);
}

const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?#\\]|$)/i;
/** conda's platform folders: `conda-forge/linux-64` is the channel conda-forge, read for one
 * platform (conda's `context.known_subdirs`; the kernel's `decide.CONDA_SUBDIRS`). */
const CONDA_SUBDIRS =
  `noarch linux-32 linux-64 linux-aarch64 linux-armv6l linux-armv7l
  linux-ppc64 linux-ppc64le linux-riscv64 linux-s390x osx-64 osx-arm64 win-32 win-64 win-arm64
  zos-z freebsd-64 emscripten-wasm32 wasi-wasm32`.split(/\s+/);

/** A reason often names its own way out (`give the full path`, `add a folder with sys.path`,
 * `remove it from the environment`): the remedy defers to it rather than contradict it. */
const UNREADABLE_REMEDY =
  'Do what the reason above says where it names a way; otherwise write the command plainly ' +
  '(no shell expansions) with local files Warden can read, or ask your admin.';

/**
 * Everything wrong with `request` under `policy`; empty when it may run. A throw inside the
 * decision (a bug, or input it cannot handle) is a refusal with its reason, never a crash that
 * leaves the install unreported or a pass (fail closed; the kernel's gate._decided).
 */
export function decideInstall(
  request: InstallRequest,
  policy: Policy,
  shipped: DepsData,
  where: Place
): InstallFinding[] {
  try {
    return decideUnguarded(request, policy, shipped, where);
  } catch (e) {
    const command =
      typeof request?.command === 'string' ? request.command : 'install';
    return [
      {
        ruleId: RULE_UNREADABLE,
        reason: 'decision-failed',
        message: `Warden could not decide on this install (${errorName(e)})`,
        remedy:
          'Report this to your Jupyter Warden admin; the install stays refused until then.',
        subject: command,
        place: where
      }
    ];
  }
}

/** The error's class name only: its message may quote the input (a URL with a token). */
function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

function decideUnguarded(
  request: InstallRequest,
  policy: Policy,
  shipped: DepsData,
  where: Place
): InstallFinding[] {
  const data = shipped.withPolicy(policy); // the shipped advisories plus the organisation's
  const findings: InstallFinding[] = [];
  const problems = [
    ...request.problems,
    ...data.problems.map(text => ({ text, place: where }))
  ];
  for (const problem of problems) {
    findings.push({
      ruleId: RULE_UNREADABLE,
      reason: 'unreadable',
      message: `Warden cannot check this command: ${problem.text}`,
      remedy: UNREADABLE_REMEDY,
      subject: request.command,
      place: problem.place
    });
  }
  findings.push(...sources(request, policy));
  findings.push(...tls(request, policy));
  const lists: NameLists = {
    data,
    deny: names(policy, 'deny_packages'),
    allow: names(policy, 'allow_packages'),
    order: request.order ?? [],
    pre: (request.pre ?? []).length > 0
  };
  for (const req of request.requirements) {
    findings.push(...requirement(req, policy, lists));
  }
  return findings;
}

function sources(request: InstallRequest, policy: Policy): InstallFinding[] {
  const out: InstallFinding[] = [];
  if (
    request.tool === 'conda' ||
    request.tool === 'mamba' ||
    request.tool === 'micromamba'
  ) {
    const allowed = allowedChannels(policy);
    for (const source of request.sources) {
      if (source.role === 'channel' && !channelAllowed(source.url, allowed)) {
        const shown = redactUrl(source.url);
        out.push({
          ruleId: RULE_INDEX,
          reason: `channel:${shown}`,
          message: `conda channel '${shown}' (${source.place.origin}) is not one of the channels your organisation allows`,
          remedy:
            'Install from an allowed channel (dependencies.conda_channels in the policy) or ' +
            'ask your admin to add this one.',
          subject: shown,
          place: source.place
        });
      }
    }
  }
  const allowed = allowedIndexes(policy);
  for (const source of request.sources) {
    if (source.role === 'channel') {
      continue; // a conda channel, decided above
    }
    if (
      request.noIndex &&
      (source.role === 'index' ||
        source.role === 'extra-index' ||
        source.role === 'default-index')
    ) {
      continue;
    }
    if (ambiguousUrl(source.url) || unplainPath(source.url)) {
      out.push(
        ambiguous(
          source.url,
          `${source.role} (${source.place.origin})`,
          request,
          source.place
        )
      );
      continue;
    }
    if (isLocal(source.url) || urlAllowed(source.url, allowed)) {
      continue; // a directory on this machine is not a download
    }
    const shown = redactUrl(source.url);
    const confusion =
      source.role === 'extra-index'
        ? '. With an extra index pip takes the highest version of a name from ANY index, so ' +
          'a public package can replace a private one (dependency confusion), or the reverse'
        : '';
    out.push({
      ruleId: RULE_INDEX,
      reason: `index:${urlKey(shown)}`,
      message: `package index ${shown} (${source.place.origin}) is not one of the indexes your organisation trusts${confusion}`,
      remedy:
        'Install from a trusted index (trusted_sources.package_indexes: ' +
        allowed.slice(0, 4).join(', ') +
        ') or ask your admin to add this one.',
      subject: shown,
      place: source.place
    });
  }
  return out;
}

/** TLS settings that let whoever sits on the network path (a proxy, a hostile Wi-Fi) or
 * wrote a CA file serve any package as if from a trusted index. */
function tls(request: InstallRequest, policy: Policy): InstallFinding[] {
  const out: InstallFinding[] = [];
  for (const { kind, value, place } of request.tls ?? []) {
    if (kind === 'insecure-host' && !tlsHostAllowed(value, policy)) {
      const host = value === '*' ? 'every host' : tlsHost(value);
      out.push({
        ruleId: RULE_INDEX,
        reason: `tls-unverified:${host}`,
        message: `the install reaches '${host}' (${place.origin}) without checking its TLS certificate: a proxy or anyone on the network path can then serve any package as if it came from a trusted index`,
        remedy:
          'Remove the setting (pip --trusted-host, PIP_TRUSTED_HOST, pip.conf trusted-host; ' +
          'uv --allow-insecure-host, UV_INSECURE_HOST, allow-insecure-host; conda ' +
          'ssl_verify), or ask your admin to list the host in ' +
          'dependencies.tls_unverified_hosts.',
        subject: host,
        place
      });
    } else if (kind === 'ca' && !caAllowed(value, policy)) {
      out.push({
        ruleId: RULE_INDEX,
        reason: `tls-ca:${value}`,
        message: `the install trusts the certificates in '${value}' (${place.origin}) instead of the system's: whoever wrote that file can pose as any index`,
        remedy:
          'Unset it (pip --cert, PIP_CERT, pip.conf cert, REQUESTS_CA_BUNDLE, ' +
          'CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR, conda ssl_verify), or ask your ' +
          'admin to list the bundle in dependencies.ca_bundles.',
        subject: value,
        place
      });
    }
  }
  return out;
}

function ambiguous(
  url: string,
  where: string,
  request: InstallRequest,
  place: Place
): InstallFinding {
  return {
    ruleId: RULE_UNREADABLE,
    reason: 'unreadable-url',
    message:
      `Warden cannot tell which host the URL '${redactUrl(url).slice(0, 200)}' (${where}) reaches: ` +
      "pip and uv may read it differently (a backslash, a scheme without '//', a space or " +
      "control character, a '%' or a trailing dot in the host, a '.' or '..' segment...)",
    remedy:
      'Write the URL plainly as https://host[:port]/path, or ask your admin.',
    subject: request.command,
    place
  };
}

/** What a project name is checked against: the shipped data and the policy's name lists. */
interface NameLists {
  data: DepsData;
  deny: Set<string>;
  allow: Set<string>;
  /** the request's settings that change which release is taken (R43b-1, R43b-5) */
  order: string[];
  pre: boolean;
}

function requirement(
  req: Requirement,
  policy: Policy,
  lists: NameLists
): InstallFinding[] {
  const out: InstallFinding[] = [];
  const place = req.place;
  if (req.kind === 'invalid') {
    return [
      {
        ruleId: RULE_UNREADABLE,
        reason: 'unreadable-requirement',
        message: `Warden cannot read the requirement '${req.text.slice(0, 100)}' (${place.origin})`,
        remedy:
          'Write it as a plain requirement (name, version specifier) Warden can check.',
        subject: req.text.slice(0, 100),
        place
      }
    ];
  }
  if (req.kind === 'url' || req.kind === 'vcs') {
    // decided on the URL pip and uv fetch, as written (its token is part of a trusted
    // index's path); shown and keyed by its redacted spelling. A direct reference not read
    // by `parseRequirement` (a uv.lock's url) is a bare URL, taken whole.
    const fetched = fetchedUrl(req.reference ?? req.written ?? req.text);
    const directOk =
      req.kind === 'url' && urlAllowed(fetched, allowedIndexes(policy));
    if (!directOk) {
      const what =
        req.kind === 'vcs' ? 'a version-control reference' : 'a direct URL';
      out.push({
        ruleId: RULE_DIRECT,
        reason: `direct:${req.kind}:${urlKey(redactUrl(fetched))}`,
        message: `'${req.text.slice(0, 200)}' (${place.origin}) installs ${what}, bypassing the trusted indexes and their checks`,
        remedy:
          'Install the package by name from a trusted index, or ask your admin to publish it ' +
          'to one.',
        subject: req.text.slice(0, 200),
        place
      });
    }
  }
  const name = req.name;
  const artifact = req.artifact ?? null;
  if (name && artifact && artifact !== name) {
    out.push({
      ruleId: RULE_DIRECT,
      reason: `direct:artifact:${artifact}~${name}`,
      message:
        `'${req.text.slice(0, 200)}' (${place.origin}) names '${name}', but its file is the ` +
        `project '${artifact}', not '${name}': pip and uv build that file (running its setup ` +
        'code) before they compare the names',
      remedy: `Install '${name}' by name from a trusted index, or use the file of '${name}'.`,
      subject: req.text.slice(0, 200),
      place
    });
  }
  // a direct reference's file is decided under its own project name too (red team 11 R11-19)
  for (const checked of new Set([name, artifact])) {
    if (checked) {
      out.push(...named(req, checked, lists));
    }
  }
  return out;
}

/** The name checks (malicious, deny list, imitation, advisories) of one project name. */
function named(
  req: Requirement,
  name: string,
  lists: NameLists
): InstallFinding[] {
  const { data, deny, allow } = lists;
  const out: InstallFinding[] = [];
  const place = req.place;
  const where = place.file === null ? '' : ` (${place.origin})`;
  const malicious = data.malicious(name);
  for (const entry of malicious) {
    out.push({
      ruleId: RULE_MALICIOUS,
      reason: `malicious:${name}`,
      message: `'${name}'${where} is a known-malicious package (${entry.id}: ${entry.summary})`,
      remedy:
        'Do not install it. If you meant another package, check its exact name on the index; ' +
        'tell your security team if you found this name in instructions.',
      subject: name,
      place
    });
  }
  if (deny.has(name)) {
    out.push({
      ruleId: RULE_DENIED,
      reason: `denied:${name}`,
      message: `'${name}'${where} is on your organisation's deny list (dependencies.deny_packages)`,
      remedy: 'Use an approved alternative, or ask your admin.',
      subject: name,
      place
    });
  }
  // the popular names are PyPI's ranking: conda's own names (python, cudatoolkit) are not
  // imitations of PyPI packages (ipython, cuda-toolkit)
  // nor is a project folder the user builds (R45a-8): its name is fetched from no index
  const own = req.kind === 'offered' && req.own === true;
  if (
    req.kind !== 'conda' &&
    !own &&
    !allow.has(name) &&
    malicious.length === 0
  ) {
    const target = data.imitated(name);
    if (target) {
      out.push({
        ruleId: RULE_IMITATION,
        reason: `imitation:${name}~${target}`,
        message: `'${name}'${where} looks like an imitation of the popular package '${target}' (typosquatting)`,
        remedy: `Check the spelling: did you mean '${target}'? If '${name}' is really what you need, ask your admin to add it to dependencies.allow_packages.`,
        subject: name,
        place
      });
    }
  }
  return [...out, ...versionFindings(req, name, lists, where)];
}

/** The advisories of the versions the requirement may install: the version a pin names and
 * the one a direct reference's file names (R11-19 gap: torch-2.5.0-...whl is a torch 2.5.0
 * whatever the line pins), else the whole specifier set (R41b-3; the kernel's `_versions`),
 * read with the request's settings that change which release is taken (R43b-1, R43b-5). */
function versionFindings(
  req: Requirement,
  name: string,
  { data, order, pre }: NameLists,
  where: string
): InstallFinding[] {
  // reported by named, as malicious
  const malware = new Set(data.malicious(name).map(e => e.id));
  const notMalware = (entries: AdvisoryEntry[]) =>
    entries.filter(e => !malware.has(e.id));
  const specifier = name === req.name ? (req.specifier ?? '') : '';
  const allowed =
    name === req.name ? specifiers.allowed(specifier) : specifiers.ANY;
  const versions: Array<string | null> = [
    name === req.name ? req.pin : null,
    name === req.artifact ? (req.artifactVersion ?? null) : null
  ];
  if (specifiers.exact(allowed) !== null && !versions.some(v => v)) {
    versions.push(specifiers.pinned(specifier)); // `==1.0,<3`: decided as a pin
  }
  const out: InstallFinding[] = [];
  for (const version of new Set(versions)) {
    if (version) {
      out.push(
        ...affectedFindings(
          req,
          name,
          version,
          notMalware(data.affected(name, version)),
          where
        )
      );
    }
  }
  if (versions.some(v => v) || name !== req.name) {
    return out;
  }
  const covering = notMalware(data.covering(name, allowed));
  out.push(
    ...affectedFindings(
      req,
      name,
      specifier || '(any version)',
      covering.filter(e => !e.malicious),
      where
    )
  );
  const reached = notMalware(
    data.reached(
      name,
      allowed,
      order.length === 0,
      pre || specifiers.namesPre(specifier)
    )
  );
  if (reached.length > 0) {
    const ids = reached.map(e => e.id).join(', ');
    const why =
      order.length > 0
        ? `: ${order[0]} makes the installer take a release other than the newest`
        : '';
    out.push({
      ruleId: RULE_MALICIOUS,
      reason: `malicious-release:${name}${specifier}`,
      message: `'${name}${specifier}'${where} may install a known-malicious release of ${name} (${reached.map(e => `${e.id}: ${e.summary}`).join('; ')})${why}`,
      remedy: `Pin a release of ${name} that ${ids} does not list (pip install '${name}==VERSION'), after checking the advisory.`,
      subject: name,
      place: req.place
    });
  }
  return out;
}

/** The findings for the advisory `entries` holding `version` of `name` (a version, or a
 * specifier every version of which they hold): malicious ones refuse it as malware, the
 * others as vulnerable (the kernel's `_affected`). */
function affectedFindings(
  req: Requirement,
  name: string,
  version: string,
  entries: AdvisoryEntry[],
  where: string
): InstallFinding[] {
  const out: InstallFinding[] = [];
  const shown = '<>=!~('.includes(version[0]) ? version : `==${version}`;
  const bad = entries.filter(e => e.malicious);
  if (bad.length > 0) {
    const ids = bad.map(e => e.id).join(', ');
    out.push({
      ruleId: RULE_MALICIOUS,
      reason: `malicious-release:${name}${shown}`,
      message: `${name} ${version}${where} is a known-malicious release (${bad.map(e => `${e.id}: ${e.summary}`).join('; ')})`,
      remedy: `Do not install it: pin a release of ${name} that ${ids} does not list, after checking the advisory.`,
      subject: `${name}${shown}`,
      place: req.place
    });
  }
  const ids = entries.filter(e => !e.malicious).map(e => e.id);
  if (ids.length > 0) {
    out.push({
      ruleId: RULE_VULNERABLE,
      reason: `vulnerable:${name}${shown}`,
      message: `${name} ${version}${where} is affected by ${ids.join(', ')}`,
      remedy: `Install a version of ${name} that is not affected (see the advisories).`,
      subject: `${name}${shown}`,
      place: req.place
    });
  }
  return out;
}

/** The URL pip and uv fetch for a direct reference (`Requirement.reference`): its VCS prefix
 * dropped, cut at its fragment (the first `#`: never sent, so an `@ URL` in it is not where the
 * file comes from: R48b-6) and at pip's bare-URL marker split (the first `; `). Every other
 * reading ends there or sooner, or runs on through `;x` and white space (uv): this is the
 * longest, and where installers differ it holds a blank or a `..` segment, so it is refused.
 * The kernel's `decide._fetched_url`. */
function fetchedUrl(reference: string): string {
  let ref = reference.trim();
  for (const prefix of ['git+', 'hg+', 'svn+', 'bzr+']) {
    if (ref.startsWith(prefix)) {
      ref = ref.slice(prefix.length);
    }
  }
  return ref.split('#')[0].split('; ')[0].trim();
}
