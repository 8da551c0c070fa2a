import { createHash } from 'node:crypto';
import type { Identity } from '../identity.js';
import type { HubClient } from './hub.js';
import type { TokenRecord, TokenStore } from './tokens.js';

// Turns an Authorization header into an Identity. Token look-ups are cached for a few
// seconds per replica; revocation through this replica drops the entry at once.

export type AuthResult =
  { identity: Identity } | { error: 'unauthorized' | 'unavailable'; message: string };

export interface Authenticator {
  authenticate(header: string | undefined): Promise<AuthResult>;
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
  cacheMs = 5000
): Authenticator {
  const cache = new Map<string, { rec: TokenRecord | undefined; until: number }>();
  const touched = new Map<string, number>();
  const keyOf = (t: string) => createHash('sha256').update(t).digest('hex');

  async function lookup(token: string): Promise<TokenRecord | undefined> {
    const k = keyOf(token);
    const now = Date.now();
    const hit = cache.get(k);
    if (hit && hit.until > now && (!hit.rec?.expires_at || Date.parse(hit.rec.expires_at) > now)) {
      return hit.rec;
    }
    const rec = await tokens.lookup(token);
    if (cache.size > 10_000) {
      cache.clear();
    }
    cache.set(k, { rec, until: now + cacheMs });
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
    async authenticate(header) {
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
      if (scheme === 'bearer' || /^wd[las]_/.test(value)) {
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
        user = await hub.check(value);
      } catch {
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
  };
}
