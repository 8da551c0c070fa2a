/**
 * The policy's decision on an install request: pure (a port of the kernel's
 * `installs/decide.py`; both pass schema/vectors/install-decision.json). Output: findings, one
 * per reason to stop or warn, each naming its rule (schema/rules.json) and the place it was
 * written; the caller turns each rule into the policy's action.
 *
 * Policy: `trusted_sources.package_indexes` (URL prefixes on path boundaries, credentials
 * ignored), `dependencies.conda_channels`, `dependencies.deny_packages` / `allow_packages`
 * (allow exempts from the imitation check only: a known-malicious name is refused always).
 */
import type { DepsData } from './data';
import { normalize } from './names';
import {
  redactUrl,
  splitUrl,
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

export function allowedChannels(policy: Policy): string[] {
  const channels = section(policy).conda_channels;
  return Array.isArray(channels) ? channels.map(String) : [...DEFAULT_CHANNELS];
}

const UNPARSEABLE = '<unparseable>';

/** What pip connects to: scheme, host, port and path (user info never counts). */
export function urlKey(url: string): string {
  const text = url.trim();
  if (!text.includes('://')) {
    return text.replace(/\/+$/, '');
  }
  const parts = splitUrl(text);
  if (parts === null) {
    return UNPARSEABLE;
  }
  const scheme = parts.scheme.toLowerCase();
  const defaultPort = scheme === 'https' ? 443 : scheme === 'http' ? 80 : null;
  const netloc =
    parts.port === null || parts.port === defaultPort
      ? parts.host
      : `${parts.host}:${parts.port}`;
  return `${scheme}://${netloc}${parts.path}`.replace(/\/+$/, '');
}

/** A query or fragment on an index URL: only a trusted entry written exactly so passes. */
function hasExtras(url: string): boolean {
  const parts = splitUrl(url.trim());
  if (parts === null) {
    return true;
  }
  return (
    Boolean(parts.query || parts.fragment) || url.split('@').length - 1 > 1
  );
}

export function urlAllowed(url: string, allowed: readonly string[]): boolean {
  const key = urlKey(url);
  if (key === UNPARSEABLE) {
    return false;
  }
  if (hasExtras(url)) {
    return allowed.some(entry => url.trim() === String(entry).trim());
  }
  return allowed.some(prefix => {
    const base = urlKey(prefix);
    if (base === UNPARSEABLE || hasExtras(prefix)) {
      return false;
    }
    return key === base || key.startsWith(base + '/');
  });
}

export function isLocal(location: string): boolean {
  return (
    !location.includes('://') || location.toLowerCase().startsWith('file:')
  );
}

export function channelAllowed(
  channel: string,
  allowed: readonly string[]
): boolean {
  if (channel.includes('://')) {
    return urlAllowed(
      channel,
      allowed.filter(c => c.includes('://'))
    );
  }
  const strip = (c: string) => c.replace(/^\/+|\/+$/g, '').toLowerCase();
  return allowed
    .filter(c => !c.includes('://'))
    .map(strip)
    .includes(strip(channel));
}

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
      message: `Warden cannot check this install: ${problem.text}`,
      remedy:
        'Write the install as a plain command (no shell expansions) with local files ' +
        'Warden can read, or ask your admin.',
      subject: request.command,
      place: problem.place
    });
  }
  findings.push(...sources(request, policy));
  const deny = names(policy, 'deny_packages');
  const allow = names(policy, 'allow_packages');
  for (const req of request.requirements) {
    findings.push(...requirement(req, policy, data, deny, allow));
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
    return out;
  }
  const allowed = allowedIndexes(policy);
  for (const source of request.sources) {
    if (
      request.noIndex &&
      (source.role === 'index' ||
        source.role === 'extra-index' ||
        source.role === 'default-index')
    ) {
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

function requirement(
  req: Requirement,
  policy: Policy,
  data: DepsData,
  deny: Set<string>,
  allow: Set<string>
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
    const directOk =
      req.kind === 'url' &&
      urlAllowed(refUrl(req.text), allowedIndexes(policy));
    if (!directOk) {
      const what =
        req.kind === 'vcs' ? 'a version-control reference' : 'a direct URL';
      out.push({
        ruleId: RULE_DIRECT,
        reason: `direct:${req.kind}:${urlKey(refUrl(req.text))}`,
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
  if (!name) {
    return out;
  }
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
  if (req.kind !== 'conda' && !allow.has(name) && malicious.length === 0) {
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
  if (req.pin) {
    // reported above, as malicious
    const malware = new Set(malicious.map(e => e.id));
    const ids = data.advisories(name, req.pin).filter(i => !malware.has(i));
    if (ids.length > 0) {
      out.push({
        ruleId: RULE_VULNERABLE,
        reason: `vulnerable:${name}==${req.pin}`,
        message: `${name} ${req.pin}${where} is affected by ${ids.join(', ')}`,
        remedy: `Install a version of ${name} that is not affected (see the advisories).`,
        subject: `${name}==${req.pin}`,
        place
      });
    }
  }
  return out;
}

function refUrl(text: string): string {
  let ref =
    text.includes(' @ ') || text.includes('@ ')
      ? text.slice(text.indexOf('@') + 1).trim()
      : text;
  for (const prefix of ['git+', 'hg+', 'svn+', 'bzr+']) {
    if (ref.startsWith(prefix)) {
      ref = ref.slice(prefix.length);
    }
  }
  return ref.split('#')[0].split(';')[0].trim();
}
