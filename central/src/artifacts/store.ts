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

/**
 * A condition true while `lab` holds fewer than `cap` rows in `table` (0: no cap). The count
 * reads at most `cap` index entries; concurrent transactions of one lab on PostgreSQL may
 * each pass it once, so a lab's rows stay within cap + its concurrent batches.
 */
function underCap(
  table: 'artifacts' | 'artifact_sources' | 'artifact_loads',
  labParam: string,
  cap: number
): string {
  return cap > 0
    ? `(SELECT COUNT(*) FROM (SELECT 1 FROM ${table} WHERE lab = CAST(${labParam} AS TEXT)
        LIMIT ${cap}) q) < ${cap}`
    : '1 = 1';
}

export class ArtifactStore {
  constructor(
    private readonly db: Database,
    /** New rows per lab and table; 0 = no cap (config artifactRowsPerLab). */
    private readonly rowsPerLab = 0
  ) {}

  /**
   * Records a lab's reports in one transaction; `who` comes from the credential. New rows past
   * the lab's quota are not stored (`dropped` counts the reports that lost a row); repeats of
   * stored rows are still counted.
   */
  async record(
    who: Reporter,
    reports: ArtifactReport[],
    now = Date.now()
  ): Promise<{ dropped: number }> {
    // One order for every writer: two replicas never lock the same rows in opposite orders.
    const sorted = [...reports].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    const user = who.user ?? '';
    const cap = Math.max(0, Math.floor(this.rowsPerLab));
    let dropped = 0;
    await this.db.transaction(async tx => {
      for (const r of sorted) {
        let lost = false;
        // The first report names the file: a later lab cannot rename (or resize) a row other
        // labs and the admins already saw; a row an admin created by a decision is filled in.
        const known = await tx.query(
          `UPDATE artifacts SET name = COALESCE(name, $2), size = COALESCE(size, $3),
             kind = COALESCE(kind, $4), last_seen = $5 WHERE sha256 = $1 RETURNING id`,
          [r.sha256, r.name, r.size, r.kind, now]
        );
        if (!known.length) {
          await tx.query(
            `INSERT INTO artifacts (sha256, name, size, kind, first_seen, last_seen, lab)
             SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS TEXT),
               CAST($5 AS BIGINT), CAST($5 AS BIGINT), CAST($6 AS TEXT)
             WHERE ${underCap('artifacts', '$6', cap)}
             ON CONFLICT (sha256) DO UPDATE SET last_seen = excluded.last_seen`,
            [r.sha256, r.name, r.size, r.kind, now, who.lab]
          );
        }
        const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
        const cur = (
          await tx.query(
            `SELECT scan_verdict, scan_version, sig_status FROM artifacts WHERE sha256 = $1${lock}`,
            [r.sha256]
          )
        )[0];
        if (!cur) {
          dropped++; // over the lab's quota: nothing of this file is stored
          continue;
        }
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
          const key = [
            r.sha256,
            hub.repo,
            hub.revision ?? '',
            hub.commit ?? '',
            hub.filename ?? '',
            who.lab,
            user,
            r.source?.kernel ?? '',
            r.source?.cell ?? ''
          ];
          const seen = await tx.query(
            `UPDATE artifact_sources SET last_at = $10, count = count + 1
             WHERE sha256 = $1 AND repo = $2 AND revision = $3 AND commit_sha = $4
               AND filename = $5 AND lab = $6 AND user_name = $7 AND kernel = $8 AND cell = $9
             RETURNING id`,
            [...key, at]
          );
          if (!seen.length) {
            const added = await tx.query(
              `INSERT INTO artifact_sources (sha256, repo, revision, commit_sha, filename, lab,
                 user_name, kernel, cell, first_at, last_at, count)
               SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT),
                 CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), CAST($8 AS TEXT),
                 CAST($9 AS TEXT),
                 CAST($10 AS BIGINT), CAST($10 AS BIGINT), 1
               WHERE ${underCap('artifact_sources', '$6', cap)}
               ON CONFLICT (sha256, repo, revision, commit_sha, filename, lab, user_name, kernel,
                 cell) DO UPDATE SET last_at = excluded.last_at,
                 count = artifact_sources.count + 1
               RETURNING id`,
              [...key, at]
            );
            lost ||= !added.length;
          }
        }
        if (r.load) {
          const at = reportedTime(r.load.at, now);
          const key = [r.sha256, who.lab, user, r.load.kernel, r.load.cell ?? '', r.load.decision];
          const seen = await tx.query(
            `UPDATE artifact_loads SET last_at = $7, count = count + 1
             WHERE sha256 = $1 AND lab = $2 AND user_name = $3 AND kernel = $4 AND cell = $5
               AND decision = $6 RETURNING id`,
            [...key, at]
          );
          if (!seen.length) {
            const added = await tx.query(
              `INSERT INTO artifact_loads (sha256, lab, user_name, kernel, cell, decision,
                 first_at, last_at, count)
               SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT),
                 CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS BIGINT), CAST($7 AS BIGINT), 1
               WHERE ${underCap('artifact_loads', '$2', cap)}
               ON CONFLICT (sha256, lab, user_name, kernel, cell, decision) DO UPDATE SET
                 last_at = excluded.last_at, count = artifact_loads.count + 1
               RETURNING id`,
              [...key, at]
            );
            lost ||= !added.length;
          }
        }
        if (lost) {
          dropped++;
        }
      }
    });
    return { dropped };
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

  /**
   * The most recent CHAIN_LIMIT rows of a chain table per sha256, cut in SQL (a window per
   * file): a file loaded in thousands of kernels costs the dashboard CHAIN_LIMIT rows.
   */
  private async chainRows(table: 'artifact_sources' | 'artifact_loads', shas: string[]) {
    const out = new Map<string, Row[]>();
    if (!shas.length) {
      return out;
    }
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT t.*, ROW_NUMBER() OVER (PARTITION BY sha256 ORDER BY last_at DESC, id DESC) AS rn
         FROM ${table} t WHERE sha256 IN (${shas.map((_, i) => `$${i + 1}`).join(', ')})
       ) ranked WHERE rn <= ${CHAIN_LIMIT} ORDER BY sha256, rn`,
      shas
    );
    for (const r of rows) {
      const list = out.get(String(r.sha256)) ?? [];
      list.push(r);
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
