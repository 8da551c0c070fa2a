import { type Database, num, numOrNull } from '../db/database.js';
import type { PackageSnapshot } from './packages.js';

// Lab inventory: when each lab was last heard from and what it last reported about itself.

/** The lab's running kernels and those without the guard (route schema: `kernelCoverage`). */
export interface KernelCoverage {
  total: number;
  guarded: number;
  truncated?: boolean;
  unguarded: {
    kernel: string;
    reason: string;
    since?: string | null;
    mode?: string | null;
    policy_revision?: number | null;
  }[];
}

export interface LabStatus {
  policy_revision?: number | null;
  queue_depth?: number | null;
  dropped?: Record<string, number>;
  warden_version?: string | null;
  /** Absent when the lab does not report it (older labs): coverage unknown. */
  kernels?: KernelCoverage;
  /** Installed and imported packages (schema/package-inventory.schema.json); kept apart. */
  packages?: PackageSnapshot;
}

/** Pure: checks a status body; returns an error message or the cleaned status. */
export function parseStatus(body: unknown): { error: string } | { status: LabStatus } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'body must be a JSON object' };
  }
  const b = body as Record<string, unknown>;
  const out: LabStatus = {};
  const intField = (k: 'policy_revision' | 'queue_depth') => {
    const v = b[k];
    if (v === undefined) {
      return null;
    }
    if (v !== null && !(Number.isSafeInteger(v) && (v as number) >= 0)) {
      return `${k} must be an integer >= 0 or null`;
    }
    out[k] = v as number | null;
    return null;
  };
  const e1 = intField('policy_revision') ?? intField('queue_depth');
  if (e1) {
    return { error: e1 };
  }
  if (b.dropped !== undefined) {
    if (!b.dropped || typeof b.dropped !== 'object' || Array.isArray(b.dropped)) {
      return { error: 'dropped must be an object of reason -> count' };
    }
    const entries = Object.entries(b.dropped as Record<string, unknown>);
    if (entries.length > 64) {
      return { error: 'dropped has more than 64 reasons' };
    }
    for (const [k, v] of entries) {
      if (!/^[a-z0-9_.-]{1,64}$/.test(k)) {
        return { error: `dropped reason '${k.slice(0, 70)}' must match ^[a-z0-9_.-]{1,64}$` };
      }
      if (!(Number.isSafeInteger(v) && (v as number) >= 0)) {
        return { error: `dropped.${k} must be an integer >= 0` };
      }
    }
    out.dropped = Object.fromEntries(entries) as Record<string, number>;
  }
  if (b.warden_version !== undefined) {
    if (
      b.warden_version !== null &&
      (typeof b.warden_version !== 'string' || b.warden_version.length > 100)
    ) {
      return { error: 'warden_version must be a string of at most 100 characters' };
    }
    out.warden_version = b.warden_version as string | null;
  }
  if (b.kernels !== undefined) {
    // Its shape is checked by the route schema (kernelCoverage), before this runs.
    const k = b.kernels as KernelCoverage;
    if (k.guarded > k.total || k.unguarded.length > k.total - k.guarded) {
      return { error: 'kernels: guarded and unguarded kernels do not add up to total' };
    }
    out.kernels = k;
  }
  if (b.packages !== undefined) {
    // Checked by the route schema (package-inventory.schema.json) before this runs.
    out.packages = b.packages as PackageSnapshot;
  }
  return { status: out };
}

export class LabInventory {
  private lastWrite = new Map<string, number>();

  constructor(
    private readonly db: Database,
    /** last_seen is written at most this often per lab and replica: it is a hot row. */
    private readonly seenEveryMs = 10_000
  ) {}

  async seen(lab: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastWrite.get(lab) ?? 0) < this.seenEveryMs) {
      return;
    }
    if (this.lastWrite.size > 100_000) {
      this.lastWrite.clear();
    }
    this.lastWrite.set(lab, now);
    await this.db.query(
      `INSERT INTO labs (lab, last_seen) VALUES ($1, $2) ON CONFLICT (lab) DO UPDATE SET
        last_seen = excluded.last_seen`,
      [lab, Date.now()]
    );
  }

  async report(lab: string, s: LabStatus): Promise<void> {
    const now = Date.now();
    // A report without kernels leaves coverage unknown (NULL), never "all guarded".
    const unguarded = s.kernels ? s.kernels.total - s.kernels.guarded : null;
    await this.db.query(
      `INSERT INTO labs (lab, last_seen, policy_revision, queue_depth, dropped_json,
        warden_version, status_at, kernels_json, kernels_unguarded)
       VALUES ($1, $2, $3, $4, $5, $6, $2, $7, $8)
       ON CONFLICT (lab) DO UPDATE SET last_seen = excluded.last_seen, policy_revision =
         excluded.policy_revision,
         queue_depth = excluded.queue_depth, dropped_json = excluded.dropped_json,
         warden_version = excluded.warden_version, status_at = excluded.status_at,
         kernels_json = excluded.kernels_json, kernels_unguarded = excluded.kernels_unguarded`,
      [
        lab,
        now,
        s.policy_revision ?? null,
        s.queue_depth ?? null,
        JSON.stringify(s.dropped ?? {}),
        s.warden_version ?? null,
        s.kernels ? JSON.stringify(s.kernels) : null,
        unguarded
      ]
    );
  }

  /** Labs with unguarded kernels first (most first), then by name. */
  async list(eventCounts: Map<string, number>) {
    const rows = await this.db.query(
      `SELECT * FROM labs ORDER BY CASE WHEN kernels_unguarded > 0 THEN 0 ELSE 1 END,
        COALESCE(kernels_unguarded, 0) DESC, lab`
    );
    return rows.map(r => ({
      lab: String(r.lab),
      last_seen: new Date(num(r.last_seen)).toISOString(),
      policy_revision: numOrNull(r.policy_revision),
      queue_depth: numOrNull(r.queue_depth),
      dropped: JSON.parse(String(r.dropped_json ?? '{}')) as Record<string, number>,
      warden_version: (r.warden_version as string) ?? null,
      status_at: r.status_at === null ? null : new Date(num(r.status_at)).toISOString(),
      event_count: eventCounts.get(String(r.lab)) ?? 0,
      unguarded_kernels: numOrNull(r.kernels_unguarded),
      kernels:
        r.kernels_json === null || r.kernels_json === undefined
          ? null
          : (JSON.parse(String(r.kernels_json)) as KernelCoverage)
    }));
  }
}
