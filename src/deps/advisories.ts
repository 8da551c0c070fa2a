/**
 * The OSV advisory snapshot shipped with Warden (`jupyterlab_warden/kernel/deps/
 * osv-snapshot.json`, the one copy; a port of the kernel's `installs/advisories.py`).
 * `malicious(name)` answers whatever the version (OpenSSF `MAL-` records);
 * `affecting(name, version)` lists the advisories whose ranges hold that version. A version
 * Warden cannot read counts as affected (fail closed).
 */
import { normalize } from './names';
import { compareVersions, versionKey, type VersionKey } from './versions';

export interface AdvisoryEntry {
  id: string;
  summary: string;
  malicious: boolean;
  ranges: Array<{ type?: string; events?: Array<Record<string, string>> }>;
  versions: ReadonlySet<string>;
}

export class AdvisorySnapshot {
  readonly snapshotDate: string;
  private readonly byName = new Map<string, AdvisoryEntry[]>();

  constructor(document: unknown) {
    const doc = document as { advisories?: unknown; snapshot_date?: unknown };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.advisories)) {
      throw new Error("not an advisory snapshot: no 'advisories' list");
    }
    this.snapshotDate = String(doc.snapshot_date ?? '');
    for (const record of doc.advisories as Array<Record<string, any>>) {
      for (const affected of record.affected ?? []) {
        const pkg = affected.package ?? {};
        if (pkg.ecosystem !== 'PyPI' || !pkg.name) {
          continue;
        }
        const entry: AdvisoryEntry = {
          id: String(record.id),
          summary: String(record.summary ?? ''),
          malicious: isMalicious(record),
          ranges: affected.ranges ?? [],
          versions: new Set(affected.versions ?? [])
        };
        const key = normalize(pkg.name);
        const list = this.byName.get(key) ?? [];
        list.push(entry);
        this.byName.set(key, list);
      }
    }
  }

  malicious(name: string): AdvisoryEntry[] {
    return (this.byName.get(normalize(name)) ?? []).filter(e => e.malicious);
  }

  /** Ids of the advisories that hold `version` of `name`. */
  affecting(name: string, version: string): string[] {
    return (this.byName.get(normalize(name)) ?? [])
      .filter(
        e =>
          e.malicious || e.versions.has(version) || inRanges(version, e.ranges)
      )
      .map(e => e.id);
  }
}

function isMalicious(record: Record<string, any>): boolean {
  const kind = (record.database_specific ?? {}).warden_kind;
  return kind === 'malicious' || String(record.id ?? '').startsWith('MAL-');
}

function inRanges(version: string, ranges: AdvisoryEntry['ranges']): boolean {
  const key = versionKey(version);
  for (const range of ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') {
      continue;
    }
    if (key === null) {
      return true; // an unreadable version: assume affected
    }
    if (inEvents(key, range.events ?? [])) {
      return true;
    }
  }
  return false;
}

/** OSV: affected from each `introduced` up to the next `fixed` (exclusive) or
 * `last_affected` (inclusive). */
function inEvents(
  key: VersionKey,
  events: Array<Record<string, string>>
): boolean {
  const points: Array<[VersionKey, string]> = [];
  for (const event of events) {
    for (const [kind, value] of Object.entries(event)) {
      const bound = versionKey(
        kind === 'introduced' && value === '0' ? '0' : value
      );
      if (bound === null) {
        return true; // an advisory Warden cannot read: assume affected
      }
      points.push([bound, kind]);
    }
  }
  points.sort((a, b) => compareVersions(a[0], b[0]));
  let affected = false;
  for (const [bound, kind] of points) {
    const c = compareVersions(key, bound);
    if (kind === 'introduced' && c >= 0) {
      affected = true;
    } else if (kind === 'fixed' && c >= 0) {
      affected = false;
    } else if (kind === 'last_affected' && c > 0) {
      affected = false;
    }
  }
  return affected;
}
