/** Trusted package indexes and model hubs (policy `trusted_sources`), and URL checks. */
import type { AnalyzerOptions } from './types';

export const DEFAULT_TRUSTED_INDEXES: readonly string[] = [
  'https://pypi.org/simple',
  'https://files.pythonhosted.org',
  // PyTorch's official wheel index (CUDA/CPU builds are published only there) and the host
  // its pages link the wheel files to (a uv.lock records those file URLs)
  'https://download.pytorch.org/whl',
  'https://download-r2.pytorch.org/whl'
];
export const DEFAULT_TRUSTED_MODEL_HUBS: readonly string[] = ['huggingface.co'];

export interface TrustedSources {
  indexes: readonly string[];
  hubs: readonly string[];
}

type ListCache = WeakMap<readonly string[], readonly string[]>;
const INDEX_CACHE: ListCache = new WeakMap();
const HUB_CACHE: ListCache = new WeakMap();

/**
 * Normalised lists, computed once per list object: a notebook reuses one options object for
 * every cell. Option lists are treated as immutable.
 */
function normalized(
  cache: ListCache,
  list: readonly string[],
  normalize: (s: string) => string
): readonly string[] {
  let done = cache.get(list);
  if (done === undefined) {
    done = list.map(normalize);
    cache.set(list, done);
  }
  return done;
}

const normalizeHost = (h: string) =>
  h
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/.*$/, '');

export function trustedSources(options: AnalyzerOptions): TrustedSources {
  return {
    indexes: normalized(
      INDEX_CACHE,
      options.trustedIndexes ?? DEFAULT_TRUSTED_INDEXES,
      normalizeUrl
    ),
    hubs: normalized(
      HUB_CACHE,
      options.trustedModelHubs ?? DEFAULT_TRUSTED_MODEL_HUBS,
      normalizeHost
    )
  };
}

/** Lower-case scheme and host, credentials and trailing slashes removed. */
export function normalizeUrl(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/?#]*)(.*)$/.exec(
    url.trim()
  );
  if (!m) {
    return url.trim().replace(/\/+$/, '');
  }
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}${m[3]}`.replace(
    /\/+$/,
    ''
  );
}

export function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url.trim());
}

/** True when `url` is one of the trusted index URLs or below one of them. */
export function isTrustedIndex(url: string, trusted: TrustedSources): boolean {
  const u = normalizeUrl(url);
  return trusted.indexes.some(t => u === t || u.startsWith(t + '/'));
}

/** Host of an http(s) URL, lower case, without credentials or port; null if not a URL. */
export function urlHost(url: string): string | null {
  const m = /^https?:\/\/(?:[^@/]*@)?([^/?#:]+)/i.exec(url.trim());
  return m ? m[1].toLowerCase() : null;
}

/** A model URL is trusted when it is https and its host is a trusted hub or a subdomain of one. */
export function isTrustedModelUrl(
  url: string,
  trusted: TrustedSources
): boolean {
  const host = urlHost(url);
  if (host === null || isPlainHttp(url)) {
    return false;
  }
  return trusted.hubs.some(h => host === h || host.endsWith('.' + h));
}
