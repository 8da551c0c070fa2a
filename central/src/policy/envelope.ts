import { createHash } from 'node:crypto';
import type { Keyring } from './keyring.js';

// Pure apart from signing: the served policy document and its signed envelope.

export interface Envelope {
  alg: 'Ed25519';
  key_id: string;
  payload: string;
  signature: string;
}

/** Start of the issue window containing `now`: an unchanged policy is re-signed once per window. */
export function issueWindow(now: number, ttlMs: number): { issuedAt: number; expiresAt: number } {
  const window = Math.max(1000, Math.floor(ttlMs / 2));
  const issuedAt = Math.floor(now / window) * window;
  return { issuedAt, expiresAt: issuedAt + ttlMs };
}

/**
 * The document a caller receives: fixed header fields first, then the admin's settings.
 * `audience` names the lab it was signed for, so it cannot be replayed to another lab.
 */
export function servedDocument(
  adminDoc: Record<string, unknown> | undefined,
  headRevision: number,
  issuedAt: number,
  expiresAt: number,
  audience: string
): Record<string, unknown> {
  const rest = { ...(adminDoc ?? {}) };
  for (const k of ['schema_version', 'revision', 'issued_at', 'expires_at', 'audience', 'scope']) {
    delete rest[k];
  }
  return {
    schema_version: 1,
    revision: headRevision,
    issued_at: new Date(issuedAt).toISOString(),
    expires_at: new Date(expiresAt).toISOString(),
    audience,
    scope: (adminDoc?.scope as object) ?? {},
    ...rest
  };
}

export function signEnvelope(
  doc: Record<string, unknown>,
  keyring: Keyring
): { envelope: Envelope; etag: string } {
  const payload = Buffer.from(JSON.stringify(doc), 'utf8');
  const { key_id, signature } = keyring.sign(payload);
  const etag =
    '"' +
    createHash('sha256')
      .update(key_id)
      .update('.')
      .update(payload)
      .digest('base64url')
      .slice(0, 22) +
    '"';
  return {
    envelope: {
      alg: 'Ed25519',
      key_id,
      payload: payload.toString('base64url'),
      signature: signature.toString('base64url')
    },
    etag
  };
}

/** RFC 9110 If-None-Match: a list of entity tags or `*`; weak tags compare weakly here. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) {
    return false;
  }
  if (header.trim() === '*') {
    return true;
  }
  return header.split(',').some(t => t.trim().replace(/^W\//, '') === etag);
}
