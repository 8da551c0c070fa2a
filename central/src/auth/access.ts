import type { Identity } from '../identity.js';

// Pure: who may call a route. Every route declares one of these in its config (`auth`);
// the decision is made on the route the router matched, never on how the path was spelled.

export const ACCESS = ['public', 'any', 'lab', 'admin', 'session'] as const;
export type Access = (typeof ACCESS)[number];

export function isAccess(v: unknown): v is Access {
  return typeof v === 'string' && (ACCESS as readonly string[]).includes(v);
}

export type Decision = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * public: no credential needed (dashboard files only). any: any valid credential.
 * lab: a credential that names a lab (lab token or Hub user). admin: role admin.
 * session: a dashboard session token (to end it).
 */
export function decide(access: Access, who: Identity | undefined): Decision {
  if (access === 'public') {
    return { ok: true };
  }
  if (!who) {
    return { ok: false, status: 401, message: 'a credential is required' };
  }
  switch (access) {
    case 'any':
      return { ok: true };
    case 'lab':
      return who.lab
        ? { ok: true }
        : { ok: false, status: 403, message: 'this endpoint is for lab credentials' };
    case 'admin':
      return who.role === 'admin'
        ? { ok: true }
        : { ok: false, status: 403, message: 'only admins may use this endpoint' };
    case 'session':
      return who.via === 'session'
        ? { ok: true }
        : { ok: false, status: 403, message: 'not signed in with a session token' };
  }
}
