import { recordAudit } from '../audit.js';
import { type Database, num, queryOne } from '../db/database.js';
import { POLICY_CHANNEL } from './changes.js';
import type { NamedPolicy } from './selection.js';

// Named policies, their full revision history, and the fleet-wide head revision.
// Every create/update/delete bumps the head, so a served revision never goes backwards.

export class PolicyConflict extends Error {}
export class PolicyNotFound extends Error {}

export interface PolicyRow extends NamedPolicy {
  updated_at: string;
  updated_by: string;
}

export interface PolicyRevision {
  revision: number;
  name: string;
  document: Record<string, unknown> | null;
  deleted: boolean;
  created_at: string;
  created_by: string;
  comment: string | null;
}

export interface PolicySnapshot {
  head: number;
  policies: NamedPolicy[];
  readAt: number;
}

export class PolicyStore {
  private snapshot: PolicySnapshot | undefined;

  constructor(
    private readonly db: Database,
    /** How long a snapshot may be reused; other replicas' changes show within this. */
    private readonly cacheMs = 1000,
    /** Called after a change made through this store committed. */
    private readonly onChange: () => void = () => undefined
  ) {}

  async head(): Promise<number> {
    const row = await queryOne(this.db, 'SELECT revision FROM policy_head WHERE id = 1');
    return num(row?.revision);
  }

  async current(): Promise<PolicySnapshot> {
    if (this.snapshot && Date.now() - this.snapshot.readAt < this.cacheMs) {
      return this.snapshot;
    }
    // Concurrent callers share one refresh instead of each querying the database.
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private refreshing: Promise<PolicySnapshot> | undefined;

  private async refresh(): Promise<PolicySnapshot> {
    const now = Date.now();
    const head = await this.head();
    if (this.snapshot && this.snapshot.head === head) {
      this.snapshot = { ...this.snapshot, readAt: now };
      return this.snapshot;
    }
    const policies = (await this.list()).map(({ name, document, revision }) => ({
      name,
      document,
      revision
    }));
    this.snapshot = { head, policies, readAt: now };
    return this.snapshot;
  }

  invalidate() {
    this.snapshot = undefined;
    this.refreshing = undefined;
  }

  async list(): Promise<PolicyRow[]> {
    const rows = await this.db.query('SELECT * FROM policies ORDER BY name');
    return rows.map(r => ({
      name: String(r.name),
      document: JSON.parse(String(r.document)),
      revision: num(r.revision),
      updated_at: new Date(num(r.updated_at)).toISOString(),
      updated_by: String(r.updated_by)
    }));
  }

  async get(name: string): Promise<PolicyRow | undefined> {
    return (await this.list()).find(p => p.name === name);
  }

  async revisions(name: string): Promise<PolicyRevision[]> {
    const rows = await this.db.query(
      'SELECT * FROM policy_revisions WHERE name = $1 ORDER BY revision DESC',
      [name]
    );
    return rows.map(r => ({
      revision: num(r.revision),
      name: String(r.name),
      document: r.document === null ? null : JSON.parse(String(r.document)),
      deleted: num(r.deleted) === 1,
      created_at: new Date(num(r.created_at)).toISOString(),
      created_by: String(r.created_by),
      comment: (r.comment as string) ?? null
    }));
  }

  private async bump(tx: Database, now: number): Promise<number> {
    // A row lock on the head (PostgreSQL) / the write transaction (SQLite) serialises writers.
    await tx.query('UPDATE policy_head SET revision = revision + 1, changed_at = $1 WHERE id = 1', [
      now
    ]);
    const head = await this.headIn(tx);
    // Delivered to every replica's listener when (and only if) the transaction commits.
    if (tx.dialect === 'postgres') {
      await tx.query('SELECT pg_notify($1, $2)', [POLICY_CHANNEL, String(head)]);
    }
    return head;
  }

  private async headIn(tx: Database): Promise<number> {
    return num((await queryOne(tx, 'SELECT revision FROM policy_head WHERE id = 1'))?.revision);
  }

  /** Creates (mode 'create') or replaces (mode 'update') a policy; `doc` is already validated. */
  async write(
    mode: 'create' | 'update',
    name: string,
    doc: Record<string, unknown>,
    actor: string,
    opts: { baseRevision?: number; comment?: string } = {}
  ): Promise<PolicyRow> {
    const now = Date.now();
    const out = await this.db.transaction(async tx => {
      const existing = await queryOne(
        tx,
        'SELECT revision, document FROM policies WHERE name = $1',
        [name]
      );
      if (mode === 'create' && existing) {
        throw new PolicyConflict(`policy '${name}' already exists`);
      }
      if (mode === 'update' && !existing) {
        throw new PolicyNotFound(`policy '${name}' not found`);
      }
      if (
        opts.baseRevision !== undefined &&
        existing &&
        num(existing.revision) !== opts.baseRevision
      ) {
        throw new PolicyConflict(
          `policy '${name}' changed since revision ${opts.baseRevision} ` +
            `(now ${num(existing.revision)})`
        );
      }
      const revision = await this.bump(tx, now);
      const stored = { schema_version: 1, revision, ...doc };
      stored.schema_version = 1;
      stored.revision = revision;
      const text = JSON.stringify(stored);
      if (existing) {
        await tx.query(
          `UPDATE policies SET document = $1, revision = $2, updated_at = $3, updated_by = $4
            WHERE name = $5`,
          [text, revision, now, actor, name]
        );
      } else {
        await tx.query(
          `INSERT INTO policies (name, document, revision, updated_at, updated_by) VALUES ($1,
            $2, $3, $4, $5)`,
          [name, text, revision, now, actor]
        );
      }
      await tx.query(
        `INSERT INTO policy_revisions (revision, name, document, deleted, created_at,
          created_by, comment) VALUES ($1, $2, $3, 0, $4, $5, $6)`,
        [revision, name, text, now, actor, opts.comment ?? null]
      );
      await recordAudit(tx, actor, mode === 'create' ? 'policy.create' : 'policy.update', name, {
        revision,
        previous_revision: existing ? num(existing.revision) : null,
        comment: opts.comment ?? null
      });
      return {
        name,
        document: stored,
        revision,
        updated_at: new Date(now).toISOString(),
        updated_by: actor
      };
    });
    this.invalidate();
    this.onChange();
    return out;
  }

  async remove(name: string, actor: string): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async tx => {
      const existing = await queryOne(tx, 'SELECT revision FROM policies WHERE name = $1', [name]);
      if (!existing) {
        throw new PolicyNotFound(`policy '${name}' not found`);
      }
      const revision = await this.bump(tx, now);
      await tx.query('DELETE FROM policies WHERE name = $1', [name]);
      await tx.query(
        `INSERT INTO policy_revisions (revision, name, document, deleted, created_at,
          created_by, comment) VALUES ($1, $2, NULL, 1, $3, $4, NULL)`,
        [revision, name, now, actor]
      );
      await recordAudit(tx, actor, 'policy.delete', name, {
        revision,
        previous_revision: num(existing.revision)
      });
    });
    this.invalidate();
    this.onChange();
  }
}
