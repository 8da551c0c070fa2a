import type { Database } from './types.js';

// One schema for both engines. `{{serial}}` is the only dialect difference.
// Times are epoch milliseconds (BIGINT) so range queries and buckets are plain integer maths.
const MIGRATIONS: { version: number; sql: string[] }[] = [
  {
    version: 1,
    sql: [
      `CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        lab TEXT,
        user_name TEXT,
        groups_json TEXT NOT NULL DEFAULT '[]',
        created_at BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at BIGINT,
        revoked_at BIGINT,
        last_used_at BIGINT
      )`,
      `CREATE TABLE policy_head (
        id INTEGER PRIMARY KEY,
        revision BIGINT NOT NULL,
        changed_at BIGINT NOT NULL
      )`,
      `INSERT INTO policy_head (id, revision, changed_at) VALUES (1, 0, 0)`,
      `CREATE TABLE policies (
        name TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        revision BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        updated_by TEXT NOT NULL
      )`,
      `CREATE TABLE policy_revisions (
        revision BIGINT PRIMARY KEY,
        name TEXT NOT NULL,
        document TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        comment TEXT
      )`,
      `CREATE INDEX policy_revisions_name ON policy_revisions (name, revision)`,
      `CREATE TABLE events (
        id {{serial}},
        lab TEXT NOT NULL,
        event_id TEXT NOT NULL,
        user_name TEXT,
        time_ms BIGINT NOT NULL,
        received_ms BIGINT NOT NULL,
        kind TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        severity_rank INTEGER NOT NULL,
        action TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (lab, event_id)
      )`,
      `CREATE INDEX events_time ON events (time_ms, id)`,
      `CREATE INDEX events_rule ON events (rule_id, time_ms)`,
      `CREATE INDEX events_user ON events (user_name, time_ms)`,
      `CREATE TABLE labs (
        lab TEXT PRIMARY KEY,
        last_seen BIGINT NOT NULL,
        policy_revision BIGINT,
        queue_depth BIGINT,
        dropped_json TEXT NOT NULL DEFAULT '{}',
        warden_version TEXT,
        status_at BIGINT
      )`,
      `CREATE TABLE audit (
        id {{serial}},
        time_ms BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      )`,
      `CREATE TABLE outbox (
        id {{serial}},
        sink TEXT NOT NULL,
        event_pk BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms BIGINT NOT NULL,
        lease_until_ms BIGINT NOT NULL DEFAULT 0,
        last_error TEXT
      )`,
      `CREATE INDEX outbox_due ON outbox (sink, next_attempt_ms)`
    ]
  },
  {
    // Bounded storage: each event's size, running totals per lab (quotas, size retention)
    // and an index for age retention.
    version: 2,
    sql: [
      `ALTER TABLE events ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0`,
      `UPDATE events SET size_bytes = LENGTH(body)`,
      `CREATE INDEX events_received ON events (received_ms, id)`,
      `CREATE INDEX outbox_event ON outbox (event_pk)`,
      `CREATE TABLE lab_usage (
        lab TEXT PRIMARY KEY,
        events BIGINT NOT NULL,
        bytes BIGINT NOT NULL
      )`,
      `INSERT INTO lab_usage (lab, events, bytes)
       SELECT lab, COUNT(*), COALESCE(SUM(size_bytes), 0) FROM events GROUP BY lab`
    ]
  },
  {
    // Sessions remember the admin token that opened them, so revoking it ends them too;
    // size retention evicts per lab.
    version: 3,
    sql: [
      `ALTER TABLE tokens ADD COLUMN parent_id TEXT`,
      `CREATE INDEX tokens_parent ON tokens (parent_id)`,
      // Fair size retention takes the oldest events of one lab.
      `CREATE INDEX events_lab ON events (lab, id)`
    ]
  },
  {
    // Kernel guard coverage each lab last reported (NULL: never reported, unknown).
    version: 4,
    sql: [
      `ALTER TABLE labs ADD COLUMN kernels_json TEXT`,
      `ALTER TABLE labs ADD COLUMN kernels_unguarded INTEGER`
    ]
  },
  {
    // Fleet artifact registry (issue 19): one row per file (sha256) with the fleet's verdicts
    // and the admins' decision, where it came from and where it was loaded (collapsed
    // repeats: '' stands for "not known" so the UNIQUE keys hold), and the decisions' revision.
    // Package inventory (issue 20): each lab's last package snapshot.
    version: 5,
    sql: [
      `CREATE TABLE artifacts (
        id {{serial}},
        sha256 TEXT NOT NULL UNIQUE,
        name TEXT,
        size BIGINT,
        kind TEXT,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        scan_verdict TEXT,
        scan_version TEXT,
        scan_rules_json TEXT,
        scan_at BIGINT,
        scan_lab TEXT,
        sig_status TEXT,
        sig_signer TEXT,
        sig_at BIGINT,
        decision TEXT,
        decision_note TEXT,
        decision_at BIGINT,
        decision_by TEXT
      )`,
      `CREATE INDEX artifacts_decision ON artifacts (decision)`,
      `CREATE TABLE artifact_sources (
        id {{serial}},
        sha256 TEXT NOT NULL,
        repo TEXT NOT NULL,
        revision TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        filename TEXT NOT NULL,
        lab TEXT NOT NULL,
        user_name TEXT NOT NULL,
        kernel TEXT NOT NULL,
        cell TEXT NOT NULL,
        first_at BIGINT NOT NULL,
        last_at BIGINT NOT NULL,
        count BIGINT NOT NULL,
        UNIQUE (sha256, repo, revision, commit_sha, filename, lab, user_name, kernel, cell)
      )`,
      `CREATE INDEX artifact_sources_repo ON artifact_sources (repo, sha256)`,
      `CREATE TABLE artifact_loads (
        id {{serial}},
        sha256 TEXT NOT NULL,
        lab TEXT NOT NULL,
        user_name TEXT NOT NULL,
        kernel TEXT NOT NULL,
        cell TEXT NOT NULL,
        decision TEXT NOT NULL,
        first_at BIGINT NOT NULL,
        last_at BIGINT NOT NULL,
        count BIGINT NOT NULL,
        UNIQUE (sha256, lab, user_name, kernel, cell, decision)
      )`,
      `CREATE TABLE artifact_head (
        id INTEGER PRIMARY KEY,
        revision BIGINT NOT NULL,
        changed_at BIGINT NOT NULL
      )`,
      `INSERT INTO artifact_head (id, revision, changed_at) VALUES (1, 0, 0)`,
      `CREATE TABLE package_snapshots (
        lab TEXT PRIMARY KEY,
        user_name TEXT,
        digest TEXT NOT NULL,
        truncated INTEGER NOT NULL,
        reported_at BIGINT NOT NULL
      )`,
      `CREATE TABLE lab_packages (
        lab TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        imported INTEGER NOT NULL,
        kernels INTEGER NOT NULL,
        advisories_json TEXT NOT NULL,
        flagged INTEGER NOT NULL,
        PRIMARY KEY (lab, name, version)
      )`,
      `CREATE INDEX lab_packages_name ON lab_packages (name, version)`
    ]
  },
  {
    // Registry quotas and retention: the lab whose report created an artifact row (its quota
    // counts it), and indexes for the per-lab counts and the age-based deletes.
    version: 6,
    sql: [
      `ALTER TABLE artifacts ADD COLUMN lab TEXT`,
      `UPDATE artifacts SET lab = scan_lab WHERE decision IS NULL`,
      `CREATE INDEX artifacts_lab ON artifacts (lab)`,
      `CREATE INDEX artifacts_last_seen ON artifacts (last_seen)`,
      `CREATE INDEX artifact_sources_lab ON artifact_sources (lab)`,
      `CREATE INDEX artifact_sources_sha ON artifact_sources (sha256, last_at)`,
      `CREATE INDEX artifact_sources_last ON artifact_sources (last_at)`,
      `CREATE INDEX artifact_loads_lab ON artifact_loads (lab)`,
      `CREATE INDEX artifact_loads_sha ON artifact_loads (sha256, last_at)`,
      `CREATE INDEX artifact_loads_last ON artifact_loads (last_at)`,
      `CREATE INDEX package_snapshots_reported ON package_snapshots (reported_at)`
    ]
  }
];

function render(sql: string, db: Database): string {
  const serial =
    db.dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return sql.replaceAll('{{serial}}', serial);
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Brings the schema up to date. Safe when several replicas start at once: the whole
 * migration, including creating its own bookkeeping table, runs under one lock.
 * Each migration only adds (columns with defaults, tables, indexes), so replicas still
 * running the previous version keep working while a newer one migrates.
 */
export async function migrate(db: Database): Promise<number> {
  let applied = 0;
  await db.transaction(async tx => {
    // Replicas racing to migrate queue on this lock (SQLite: BEGIN IMMEDIATE already
    // serialises). Taken before CREATE TABLE IF NOT EXISTS, which is not race-safe in PostgreSQL.
    if (tx.dialect === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock(727274)');
    }
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at
        BIGINT NOT NULL)`
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map(r =>
        Number(r.version)
      )
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) {
        continue;
      }
      for (const stmt of m.sql) {
        await tx.query(render(stmt, tx));
      }
      await tx.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        m.version,
        Date.now()
      ]);
      applied++;
    }
  });
  return applied;
}
