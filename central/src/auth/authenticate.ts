import { createHash } from 'node:crypto';
import type { Identity } from '../identity.js';
import { FailureLimiter } from './failures.js';
import { HubBusy, remember, type HubClient } from './hub.js';
import type { TokenRecord, TokenStore } from './tokens.js';

// Turns an Authorization header into an Identity. Token look-ups are cached for a few
// seconds per replica; revocation through this replica drops the entry at once.

export type AuthResult =
  | { identity: Identity }
  | { error: 'unauthorized' | 'unavailable'; message: string }
  | { error: 'busy'; message: string; retryAfterSeconds: number };

export interface Authenticator {
  /** `source` is the caller's address: failed credentials are limited per address. */
  authenticate(header: string | undefined, source?: string): Promise<AuthResult>;
  forget(token: string): void;
  forgetAll(): void;
}

export function identityFromToken(t: TokenRecord): Identity {
  const role = t.kind === 'lab' ? 'lab' : 'admin';
  return {
    key: `tok:${t.id}`,
    role,
    via: t.kind === 'lab' ? 'lab-token' : t.kind === 'admin' ? 'admin-token' : 'session',
    lab: t.kind === 'lab' ? t.lab : null,
    user: t.user,
    groups: t.groups,
    actor: t.kind === 'lab' ? `lab:${t.lab}` : `${t.kind}:${t.name}`,
    tokenId: t.id
  };
}

export function createAuthenticator(
  tokens: TokenStore,
  hub: HubClient | undefined,
  hubAdminGroups: string[],
  cacheMs = 5000,
  failuresPerMinute = 60
): Authenticator {
  // Only live tokens are cached: unknown ones are bounded by the failure limit instead, and
  // so cannot push a genuine token out of the cache.
  const cache = new Map<string, { rec: TokenRecord; until: number }>();
  const touched = new Map<string, number>();
  const failures = new FailureLimiter(failuresPerMinute);
  const keyOf = (t: string) => createHash('sha256').update(t).digest('hex');

  function cachedToken(token: string): TokenRecord | undefined {
    const now = Date.now();
    const hit = cache.get(keyOf(token));
    if (hit && hit.until > now && (!hit.rec.expires_at || Date.parse(hit.rec.expires_at) > now)) {
      return hit.rec;
    }
    return undefined;
  }

  async function lookup(token: string): Promise<TokenRecord | undefined> {
    const hit = cachedToken(token);
    if (hit) {
      return hit;
    }
    const now = Date.now();
    const rec = await tokens.lookup(token);
    if (rec) {
      remember(cache, keyOf(token), { rec, until: now + cacheMs });
    }
    // last_used_at is informational: write it at most once a minute per token.
    if (rec && (touched.get(rec.id) ?? 0) < now - 60_000) {
      touched.set(rec.id, now);
      await tokens.touch(rec.id);
    }
    return rec;
  }

  return {
    forget(token: string) {
      cache.delete(keyOf(token));
    },
    forgetAll() {
      cache.clear();
    },
    async authenticate(header, source = '') {
      const r = await check(header, source);
      if ('error' in r && r.error === 'unauthorized' && header) {
        failures.fail(source);
      }
      return r;
    }
  };

  async function check(header: string | undefined, source: string): Promise<AuthResult> {
    if (!header) {
      return { error: 'unauthorized', message: 'missing Authorization header' };
    }
    const m = /^(Bearer|token)\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      return {
        error: 'unauthorized',
        message: "Authorization must be 'Bearer <token>' or 'token <jupyterhub token>'"
      };
    }
    const scheme = m[1].toLowerCase();
    const value = m[2];
    const bearer = scheme === 'bearer' || /^wd[las]_/.test(value);
    // Before any look-up that costs a query or a Hub call: an address that keeps presenting
    // bad credentials waits (a credential already cached still passes, it costs nothing).
    const isCached = bearer ? cachedToken(value) : hub?.cached(value);
    if (!isCached) {
      const wait = failures.blockedFor(source);
      if (wait > 0) {
        return {
          error: 'busy',
          message: `too many failed credentials from this address; retry in ${wait} s`,
          retryAfterSeconds: wait
        };
      }
    }
    if (bearer) {
      try {
        const rec = await lookup(value);
        if (rec) {
          return { identity: identityFromToken(rec) };
        }
      } catch {
        return { error: 'unavailable', message: 'credential store unavailable' };
      }
      return { error: 'unauthorized', message: 'unknown, revoked or expired token' };
    }
    if (!hub) {
      return {
        error: 'unauthorized',
        message: 'JupyterHub tokens are not accepted (no Hub URL configured)'
      };
    }
    let user;
    try {
      user = await hub.check(value, source);
    } catch (e) {
      if (e instanceof HubBusy) {
        return { error: 'busy', message: e.message, retryAfterSeconds: 1 };
      }
      return {
        error: 'unavailable',
        message: 'JupyterHub could not be reached to check the token'
      };
    }
    if (!user) {
      return { error: 'unauthorized', message: 'JupyterHub did not accept the token' };
    }
    const admin = user.groups.some(g => hubAdminGroups.includes(g));
    return {
      identity: {
        key: `hub:${user.name}`,
        role: admin ? 'admin' : 'lab',
        via: 'hub',
        lab: `hub/${user.name}`,
        user: user.name,
        groups: user.groups,
        actor: `hub:${user.name}`
      }
    };
  }
}
