import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Database, num, numOrNull, queryOne } from '../db/database.js';

// Tokens are 32 random bytes shown once; only their sha256 is stored.

export type TokenKind = 'lab' | 'admin' | 'session';
const PREFIX: Record<TokenKind, string> = { lab: 'wdl_', admin: 'wda_', session: 'wds_' };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newTokenValue(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export interface TokenRecord {
  id: string;
  kind: TokenKind;
  name: string;
  lab: string | null;
  user: string | null;
  groups: string[];
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(num(v)).toISOString());

function toRecord(r: Record<string, unknown>): TokenRecord {
  return {
    id: String(r.id),
    kind: r.kind as TokenKind,
    name: String(r.name),
    lab: (r.lab as string) ?? null,
    user: (r.user_name as string) ?? null,
    groups: JSON.parse(String(r.groups_json ?? '[]')),
    created_at: iso(r.created_at)!,
    created_by: String(r.created_by),
    expires_at: iso(r.expires_at),
    revoked_at: iso(r.revoked_at),
    last_used_at: iso(r.last_used_at)
  };
}

export class TokenStore {
  constructor(private readonly db: Database) {}

  async issue(opts: {
    kind: TokenKind;
    name: string;
    lab?: string | null;
    user?: string | null;
    groups?: string[];
    createdBy: string;
    ttlMs?: number;
  }): Promise<{ id: string; token: string; expires_at: string | null }> {
    const token = newTokenValue(opts.kind);
    const id = randomUUID();
    const now = Date.now();
    const expires = opts.ttlMs ? now + opts.ttlMs : null;
    const lab = opts.kind === 'lab' ? (opts.lab ?? opts.name) : null;
    await this.db.query(
      `INSERT INTO tokens (id, kind, name, token_hash, lab, user_name, groups_json, created_at,
        created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        opts.kind,
        opts.name,
        hashToken(token),
        lab,
        opts.user ?? null,
        JSON.stringify(opts.groups ?? []),
        now,
        opts.createdBy,
        expires
      ]
    );
    return { id, token, expires_at: expires ? new Date(expires).toISOString() : null };
  }

  /** The live record for a presented token, or undefined if unknown, revoked or expired. */
  async lookup(token: string): Promise<TokenRecord | undefined> {
    const row = await queryOne(this.db, 'SELECT * FROM tokens WHERE token_hash = $1', [
      hashToken(token)
    ]);
    if (!row || row.revoked_at !== null) {
      return undefined;
    }
    const exp = numOrNull(row.expires_at);
    if (exp !== null && exp <= Date.now()) {
      return undefined;
    }
    return toRecord(row);
  }

  async touch(id: string): Promise<void> {
    await this.db.query('UPDATE tokens SET last_used_at = $1 WHERE id = $2', [Date.now(), id]);
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM tokens WHERE kind <> 'session' ORDER BY created_at DESC`
    );
    return rows.map(toRecord);
  }

  async revoke(id: string): Promise<TokenRecord | undefined> {
    const row = await queryOne(this.db, 'SELECT * FROM tokens WHERE id = $1', [id]);
    if (!row) {
      return undefined;
    }
    await this.db.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
      Date.now(),
      id
    ]);
    return toRecord(row);
  }

  async revokeByValue(token: string): Promise<void> {
    await this.db.query('UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2', [
      Date.now(),
      hashToken(token)
    ]);
  }
}
