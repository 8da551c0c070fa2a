/** Trusted package indexes and model hubs (policy `trusted_sources`), and URL checks. */
import type { AnalyzerOptions } from './types';

export const DEFAULT_TRUSTED_INDEXES: readonly string[] = [
  'https://pypi.org/simple',
  'https://files.pythonhosted.org'
];
export const DEFAULT_TRUSTED_MODEL_HUBS: readonly string[] = ['huggingface.co'];

export interface TrustedSources {
  indexes: readonly string[];
  hubs: readonly string[];
}

export function trustedSources(options: AnalyzerOptions): TrustedSources {
  return {
    indexes: (options.trustedIndexes ?? DEFAULT_TRUSTED_INDEXES).map(
      normalizeUrl
    ),
    hubs: (options.trustedModelHubs ?? DEFAULT_TRUSTED_MODEL_HUBS).map(h =>
      h
        .toLowerCase()
        .replace(/^[a-z]+:\/\//, '')
        .replace(/\/.*$/, '')
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
