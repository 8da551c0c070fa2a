import { createHash } from 'node:crypto';
import { type Database, num } from '../db/database.js';

// Package inventory (issue 20): the packages each lab last reported in its status post
// (`packages`, route schema `packageInventory`), and the admin's view across the fleet.

export interface PackageItem {
  name: string;
  version: string;
  imported: boolean;
  kernels: number;
  advisories: string[];
}

export interface PackageSnapshot {
  truncated: boolean;
  items: PackageItem[];
}

/**
 * Pure: one item per (name, version); repeats (one per environment) are merged: imported if
 * any says so, kernels added, advisories united. Sorted, so equal snapshots hash equal.
 */
export function mergeSnapshot(s: PackageSnapshot): PackageSnapshot {
  const byKey = new Map<string, PackageItem>();
  for (const it of s.items) {
    const key = `${it.name}\u0000${it.version}`;
    const had = byKey.get(key);
    byKey.set(
      key,
      had
        ? {
            ...had,
            imported: had.imported || it.imported,
            kernels: had.kernels + it.kernels,
            advisories: [...new Set([...had.advisories, ...it.advisories])]
          }
        : { ...it, advisories: [...new Set(it.advisories)] }
    );
  }
  const items = [...byKey.values()]
    .map(it => ({ ...it, advisories: [...it.advisories].sort() }))
    .sort((a, b) =>
      a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1
    );
  return { truncated: s.truncated, items };
}

/** PEP 503 normalisation, for the admin's name filter. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export interface PackageRow {
  name: string;
  version: string;
  advisories: string[];
  flagged: boolean;
  labs: {
    lab: string;
    user: string | null;
    last_seen: string;
    imported: boolean;
    kernels: number;
  }[];
}

/** Labs listed per (name, version), the most recently reporting first. */
export const LABS_PER_PACKAGE = 200;
/** Labs listed with their snapshot's state. */
export const SNAPSHOTS_LISTED = 1000;

export class PackageInventory {
  constructor(private readonly db: Database) {}

  /** Replaces the lab's snapshot; an unchanged one (same digest) only refreshes its time. */
  async report(lab: string, user: string | null, snapshot: PackageSnapshot, now = Date.now()) {
    const s = mergeSnapshot(snapshot);
    const digest = createHash('sha256').update(JSON.stringify(s)).digest('hex');
    await this.db.transaction(async tx => {
      const cur = (await tx.query('SELECT digest FROM package_snapshots WHERE lab = $1', [lab]))[0];
      await tx.query(
        `INSERT INTO package_snapshots (lab, user_name, digest, truncated, reported_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (lab) DO UPDATE SET
           user_name = excluded.user_name, digest = excluded.digest,
           truncated = excluded.truncated, reported_at = excluded.reported_at`,
        [lab, user, digest, s.truncated ? 1 : 0, now]
      );
      if (cur && String(cur.digest) === digest) {
        return;
      }
      await tx.query('DELETE FROM lab_packages WHERE lab = $1', [lab]);
      // Many rows a statement: a snapshot of 2000 packages is 20 statements, not 2000.
      for (let i = 0; i < s.items.length; i += 100) {
        const chunk = s.items.slice(i, i + 100);
        const params: unknown[] = [];
        const values = chunk.map(it => {
          params.push(
            lab,
            it.name,
            it.version,
            it.imported ? 1 : 0,
            it.kernels,
            JSON.stringify(it.advisories),
            it.advisories.length ? 1 : 0
          );
          const b = params.length - 7;
          return `(${Array.from({ length: 7 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
        });
        await tx.query(
          `INSERT INTO lab_packages (lab, name, version, imported, kernels, advisories_json,
            flagged) VALUES ${values.join(', ')}`,
          params
        );
      }
    });
  }

  /**
   * One row per (name, version) across the fleet, with the labs that reported it; `limit`
   * bounds the rows (`truncated` says when more matched).
   */
  async query(filter: { name?: string; flagged?: boolean }, limit: number) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.name) {
      params.push(normalizeName(filter.name));
      where.push(`p.name = $${params.length}`);
    }
    if (filter.flagged !== undefined) {
      params.push(filter.flagged ? 1 : 0);
      where.push(`p.flagged = $${params.length}`);
    }
    // Bounded in SQL: at most limit + 1 (name, version) keys (the extra one says "truncated")
    // and the most recent LABS_PER_PACKAGE labs of each, so a large fleet costs the
    // dashboard a bounded answer rather than every lab's every package.
    const rows = await this.db.query(
      `WITH keys AS (
         SELECT DISTINCT p.name, p.version FROM lab_packages p
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY p.name, p.version LIMIT ${Math.floor(limit) + 1}
       )
       SELECT * FROM (
         SELECT p.*, s.user_name, s.reported_at, ROW_NUMBER() OVER (
           PARTITION BY p.name, p.version ORDER BY s.reported_at DESC, p.lab) AS rn
         FROM lab_packages p JOIN keys k ON k.name = p.name AND k.version = p.version
         JOIN package_snapshots s ON s.lab = p.lab
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ) ranked WHERE rn <= ${LABS_PER_PACKAGE}
       ORDER BY name, version, lab`,
      params
    );
    const out = new Map<string, PackageRow>();
    let truncated = false;
    for (const r of rows) {
      const key = `${r.name}\u0000${r.version}`;
      let row = out.get(key);
      if (!row) {
        if (out.size >= limit) {
          truncated = true;
          break;
        }
        row = {
          name: String(r.name),
          version: String(r.version),
          advisories: [],
          flagged: false,
          labs: []
        };
        out.set(key, row);
      }
      const advisories = JSON.parse(String(r.advisories_json)) as string[];
      row.advisories = [...new Set([...row.advisories, ...advisories])].sort();
      row.flagged = row.advisories.length > 0;
      row.labs.push({
        lab: String(r.lab),
        user: (r.user_name as string) ?? null,
        last_seen: new Date(num(r.reported_at)).toISOString(),
        imported: num(r.imported) === 1,
        kernels: num(r.kernels)
      });
    }
    const snapshots = await this.db.query(
      `SELECT lab, truncated, reported_at FROM package_snapshots ORDER BY lab
       LIMIT ${SNAPSHOTS_LISTED}`
    );
    return {
      packages: [...out.values()],
      truncated,
      labs: snapshots.map(s => ({
        lab: String(s.lab),
        truncated: num(s.truncated) === 1,
        reported_at: new Date(num(s.reported_at)).toISOString()
      }))
    };
  }
}
