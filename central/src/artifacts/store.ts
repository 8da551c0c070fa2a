import { recordAudit } from '../audit.js';
import { type Database, type Row, num, numOrNull } from '../db/database.js';
import { reportedTime, scanReplaces, signatureReplaces } from './merge.js';
import type {
  ArtifactFilter,
  ArtifactReport,
  ArtifactVerdict,
  DecisionEntry,
  FleetDecision
} from './types.js';

// The fleet artifact registry's storage (issue 19): verdicts per sha256, where each file came
// from and where it was loaded, and the admins' decisions with their revision. Same SQL on
// SQLite and PostgreSQL. '' stands for "not known" in the UNIQUE keys of sources and loads.

const iso = (ms: unknown) => new Date(num(ms)).toISOString();

/** At most this many sources and loads are listed per artifact (the most recent). */
export const CHAIN_LIMIT = 50;

export interface Reporter {
  lab: string;
  user: string | null;
}

export class ArtifactStore {
  constructor(private readonly db: Database) {}

  /** Records a lab's reports in one transaction; `who` comes from the credential. */
  async record(who: Reporter, reports: ArtifactReport[], now = Date.now()): Promise<void> {
    // One order for every writer: two replicas never lock the same rows in opposite orders.
    const sorted = [...reports].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    const user = who.user ?? '';
    await this.db.transaction(async tx => {
      for (const r of sorted) {
        // The first report names the file: a later lab cannot rename (or resize) a row other
        // labs and the admins already saw; a row an admin created by a decision is filled in.
        await tx.query(
          `INSERT INTO artifacts (sha256, name, size, kind, first_seen, last_seen)
           VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (sha256) DO UPDATE SET
             name = COALESCE(artifacts.name, excluded.name),
             size = COALESCE(artifacts.size, excluded.size),
             kind = COALESCE(artifacts.kind, excluded.kind), last_seen = excluded.last_seen`,
          [r.sha256, r.name, r.size, r.kind, now]
        );
        const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
        const cur = (
          await tx.query(
            `SELECT scan_verdict, scan_version, sig_status FROM artifacts WHERE sha256 = $1${lock}`,
            [r.sha256]
          )
        )[0];
        if (r.scan) {
          const stored =
            cur && cur.scan_verdict !== null
              ? { verdict: String(cur.scan_verdict), scanner_version: String(cur.scan_version) }
              : null;
          if (scanReplaces(stored, r.scan)) {
            await tx.query(
              `UPDATE artifacts SET scan_verdict = $2, scan_version = $3, scan_rules_json = $4,
                scan_at = $5, scan_lab = $6 WHERE sha256 = $1`,
              [
                r.sha256,
                r.scan.verdict,
                r.scan.scanner_version,
                JSON.stringify(r.scan.rules ?? []),
                now,
                who.lab
              ]
            );
          }
        }
        const sigStored =
          cur?.sig_status === null || cur?.sig_status === undefined ? null : String(cur.sig_status);
        if (r.signature && signatureReplaces(sigStored, r.signature.status)) {
          await tx.query(
            `UPDATE artifacts SET sig_status = $2, sig_signer = $3, sig_at = $4
             WHERE sha256 = $1`,
            [r.sha256, r.signature.status, r.signature.signer ?? null, now]
          );
        }
        const hub = r.source?.hub;
        if (hub) {
          const at = reportedTime(r.source?.at, now);
          await tx.query(
            `INSERT INTO artifact_sources (sha256, repo, revision, commit_sha, filename, lab,
               user_name, kernel, cell, first_at, last_at, count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)
             ON CONFLICT (sha256, repo, revision, commit_sha, filename, lab, user_name, kernel,
               cell) DO UPDATE SET last_at = excluded.last_at,
               count = artifact_sources.count + 1`,
            [
              r.sha256,
              hub.repo,
              hub.revision ?? '',
              hub.commit ?? '',
              hub.filename ?? '',
              who.lab,
              user,
              r.source?.kernel ?? '',
              r.source?.cell ?? '',
              at
            ]
          );
        }
        if (r.load) {
          const at = reportedTime(r.load.at, now);
          await tx.query(
            `INSERT INTO artifact_loads (sha256, lab, user_name, kernel, cell, decision,
               first_at, last_at, count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)
             ON CONFLICT (sha256, lab, user_name, kernel, cell, decision) DO UPDATE SET
               last_at = excluded.last_at, count = artifact_loads.count + 1`,
            [r.sha256, who.lab, user, r.load.kernel, r.load.cell ?? '', r.load.decision, at]
          );
        }
      }
    });
  }

  /** What the fleet knows of each given sha256; unknown ones are absent. */
  async lookup(shas: string[]): Promise<Record<string, ArtifactVerdict>> {
    const unique = [...new Set(shas)];
    const out: Record<string, ArtifactVerdict> = {};
    if (!unique.length) {
      return out;
    }
    const rows = await this.db.query(
      `SELECT * FROM artifacts WHERE sha256 IN (${unique.map((_, i) => `$${i + 1}`).join(', ')})`,
      unique
    );
    for (const r of rows) {
      out[String(r.sha256)] = verdictOf(r);
    }
    return out;
  }

  async head(): Promise<{ revision: number; changed_at: number }> {
    const r = (
      await this.db.query('SELECT revision, changed_at FROM artifact_head WHERE id = 1')
    )[0];
    return { revision: num(r?.revision), changed_at: num(r?.changed_at) };
  }

  /**
   * Every current decision, by sha256, with the revision they are at. One statement, so one
   * snapshot on PostgreSQL too: a revision is never signed with another revision's decisions
   * (labs refuse a second, different document under a revision they hold: equivocation).
   */
  async decisions(): Promise<{ revision: number; artifacts: DecisionEntry[] }> {
    const rows = await this.db.query(
      `SELECT h.revision AS head_revision, a.sha256, a.decision, a.decision_note, a.decision_at
       FROM artifact_head h LEFT JOIN artifacts a ON a.decision IS NOT NULL
       WHERE h.id = 1 ORDER BY a.sha256`
    );
    return {
      revision: num(rows[0]?.head_revision),
      artifacts: rows
        .filter(r => r.sha256 !== null && r.sha256 !== undefined)
        .map(r => ({
          sha256: String(r.sha256),
          decision: String(r.decision) as FleetDecision,
          note: String(r.decision_note ?? ''),
          at: iso(r.decision_at)
        }))
    };
  }

  /**
   * Sets (or clears, with null) the fleet decision on a file, known or not yet reported, and
   * moves the decisions' revision on; audit-logged in the same transaction.
   */
  async decide(
    sha256: string,
    decision: FleetDecision | null,
    note: string,
    actor: string,
    now = Date.now()
  ): Promise<{ revision: number; previous: FleetDecision | null }> {
    return this.db.transaction(async tx => {
      await tx.query(
        'UPDATE artifact_head SET revision = revision + 1, changed_at = $1 WHERE id = 1',
        [now]
      );
      const revision = num(
        (await tx.query('SELECT revision FROM artifact_head WHERE id = 1'))[0].revision
      );
      const before = (
        await tx.query('SELECT decision FROM artifacts WHERE sha256 = $1', [sha256])
      )[0];
      const previous = (before?.decision ?? null) as FleetDecision | null;
      await tx.query(
        `INSERT INTO artifacts (sha256, first_seen, last_seen, decision, decision_note,
           decision_at, decision_by)
         VALUES ($1, $2, $2, $3, $4, $2, $5)
         ON CONFLICT (sha256) DO UPDATE SET decision = excluded.decision,
           decision_note = excluded.decision_note, decision_at = excluded.decision_at,
           decision_by = excluded.decision_by`,
        [sha256, now, decision, note, actor]
      );
      await recordAudit(tx, actor, 'artifact.decision', sha256, {
        decision,
        previous,
        note,
        revision
      });
      return { revision, previous };
    });
  }

  /** The admin list, newest first, each file with its chain (sources and loads). */
  async list(filter: ArtifactFilter, limit: number, cursor?: number) {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.sha256) {
      where.push(`a.sha256 = ${p(filter.sha256)}`);
    }
    if (filter.decision === 'none') {
      where.push('a.decision IS NULL');
    } else if (filter.decision) {
      where.push(`a.decision = ${p(filter.decision)}`);
    }
    if (filter.verdict === 'none') {
      where.push('a.scan_verdict IS NULL');
    } else if (filter.verdict) {
      where.push(`a.scan_verdict = ${p(filter.verdict)}`);
    }
    if (filter.repo) {
      where.push(
        `EXISTS (SELECT 1 FROM artifact_sources s WHERE s.sha256 = a.sha256 AND s.repo = ${p(
          filter.repo
        )})`
      );
    }
    if (cursor !== undefined) {
      where.push(`a.id < ${p(cursor)}`);
    }
    const rows = await this.db.query(
      `SELECT a.* FROM artifacts a ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY a.id DESC LIMIT ${p(limit)}`,
      params
    );
    const shas = rows.map(r => String(r.sha256));
    const sources = await this.chainRows('artifact_sources', shas);
    const loads = await this.chainRows('artifact_loads', shas);
    const artifacts = rows.map(r => {
      const sha = String(r.sha256);
      return {
        ...verdictOf(r),
        name: (r.name as string) ?? null,
        size: numOrNull(r.size),
        kind: (r.kind as string) ?? null,
        last_seen: iso(r.last_seen),
        decision:
          r.decision === null || r.decision === undefined
            ? null
            : {
                decision: String(r.decision),
                note: String(r.decision_note ?? ''),
                at: iso(r.decision_at),
                by: String(r.decision_by ?? '')
              },
        scan_detail:
          r.scan_verdict === null || r.scan_verdict === undefined
            ? null
            : {
                rules: JSON.parse(String(r.scan_rules_json ?? '[]')) as string[],
                lab: String(r.scan_lab ?? '')
              },
        sources: (sources.get(sha) ?? []).map(s => ({
          repo: String(s.repo),
          revision: orNull(s.revision),
          commit: orNull(s.commit_sha),
          filename: orNull(s.filename),
          lab: String(s.lab),
          user: orNull(s.user_name),
          kernel: orNull(s.kernel),
          cell: orNull(s.cell),
          first_at: iso(s.first_at),
          last_at: iso(s.last_at),
          count: num(s.count)
        })),
        loads: (loads.get(sha) ?? []).map(l => ({
          decision: String(l.decision),
          lab: String(l.lab),
          user: orNull(l.user_name),
          kernel: orNull(l.kernel),
          cell: orNull(l.cell),
          first_at: iso(l.first_at),
          last_at: iso(l.last_at),
          count: num(l.count)
        }))
      };
    });
    return {
      artifacts,
      next_cursor: rows.length === limit ? String(num(rows[rows.length - 1].id)) : null
    };
  }

  /** The most recent CHAIN_LIMIT rows of a chain table per sha256. */
  private async chainRows(table: 'artifact_sources' | 'artifact_loads', shas: string[]) {
    const out = new Map<string, Row[]>();
    if (!shas.length) {
      return out;
    }
    const rows = await this.db.query(
      `SELECT * FROM ${table} WHERE sha256 IN (${shas.map((_, i) => `$${i + 1}`).join(', ')})
       ORDER BY last_at DESC, id DESC`,
      shas
    );
    for (const r of rows) {
      const list = out.get(String(r.sha256)) ?? [];
      if (list.length < CHAIN_LIMIT) {
        list.push(r);
      }
      out.set(String(r.sha256), list);
    }
    return out;
  }
}

const orNull = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

function verdictOf(r: Row): ArtifactVerdict {
  return {
    sha256: String(r.sha256),
    fleet_decision: (r.decision ?? null) as FleetDecision | null,
    scan:
      r.scan_verdict === null || r.scan_verdict === undefined
        ? null
        : {
            verdict: String(r.scan_verdict),
            scanner_version: String(r.scan_version),
            at: iso(r.scan_at)
          },
    signature:
      r.sig_status === null || r.sig_status === undefined
        ? null
        : { status: String(r.sig_status), signer: (r.sig_signer as string) ?? null },
    first_seen: iso(r.first_seen)
  };
}
