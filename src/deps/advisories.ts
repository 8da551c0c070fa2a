/**
 * The OSV advisory snapshot shipped with Warden (`jupyterlab_warden/kernel/deps/
 * osv-snapshot.json`, the one copy; a port of the kernel's `installs/advisories.py`).
 * `malicious(name)` answers whatever the version (OpenSSF `MAL-` records);
 * `affecting(name, version)` lists the advisories whose ranges hold that version. A version
 * Warden cannot read counts as affected (fail closed).
 *
 * `withRecords` adds the policy's own records (`dependencies.advisories`): a union, so a
 * policy can add advisories and never remove or narrow a shipped one (a policy record reusing
 * a shipped id is one more entry; the shipped entry still applies).
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
    this.add(doc.advisories as unknown[]);
  }

  /** Index `records`; throws on a record of the wrong shape, so a caller refuses. */
  private add(records: unknown[]): void {
    for (const raw of records) {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new Error('an advisory is not an OSV record');
      }
      const record = raw as Record<string, any>;
      for (const affected of record.affected ?? []) {
        const pkg = affected.package ?? {};
        if (pkg.ecosystem !== 'PyPI' || !pkg.name) {
          continue;
        }
        if (record.id === undefined || record.id === null) {
          throw new Error('an advisory has no id');
        }
        const entry: AdvisoryEntry = {
          id: String(record.id),
          summary: String(record.summary ?? ''),
          malicious: isMalicious(record),
          ranges: [...(affected.ranges ?? [])],
          versions: new Set(affected.versions ?? [])
        };
        entry.ranges.forEach(checkRange);
        const key = normalize(pkg.name);
        const list = this.byName.get(key) ?? [];
        list.push(entry);
        this.byName.set(key, list);
      }
    }
  }

  /** A new snapshot: this one's entries plus `records` (the policy's); throws like the
   * constructor on a malformed record. */
  withRecords(records: unknown): AdvisorySnapshot {
    if (!Array.isArray(records)) {
      throw new Error('the advisories are not a list');
    }
    const merged = new AdvisorySnapshot({
      snapshot_date: this.snapshotDate,
      advisories: []
    });
    for (const [name, entries] of this.byName) {
      merged.byName.set(name, [...entries]);
    }
    merged.add(records);
    return merged;
  }

  /** The malicious records of `name`, one per id (the first of a repeated id). */
  malicious(name: string): AdvisoryEntry[] {
    const seen = new Set<string>();
    return (this.byName.get(normalize(name)) ?? []).filter(e => {
      if (!e.malicious || seen.has(e.id)) {
        return false;
      }
      seen.add(e.id);
      return true;
    });
  }

  /** Ids of the advisories that hold `version` of `name` (each id once, in order). */
  affecting(name: string, version: string): string[] {
    const ids: string[] = [];
    for (const e of this.byName.get(normalize(name)) ?? []) {
      if (
        !ids.includes(e.id) &&
        (e.malicious || e.versions.has(version) || inRanges(version, e.ranges))
      ) {
        ids.push(e.id);
      }
    }
    return ids;
  }
}

/** The policy's own advisories (`dependencies.advisories`); [] when it has none. Throws on a
 * section of the wrong shape (the policy was validated; the decision still refuses rather
 * than guessing). */
export function policyRecords(policy: unknown): unknown[] {
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) {
    return [];
  }
  const section = (policy as Record<string, unknown>).dependencies;
  if (section === undefined || section === null) {
    return [];
  }
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new Error("the policy's dependencies section is not an object");
  }
  const records = (section as Record<string, unknown>).advisories;
  if (records === undefined || records === null) {
    return [];
  }
  if (
    !Array.isArray(records) ||
    !records.every(r => r && typeof r === 'object' && !Array.isArray(r))
  ) {
    throw new Error(
      "the policy's dependencies.advisories is not a list of records"
    );
  }
  return records;
}

/** The range types placed by version (GIT ranges name commits). */
const VERSION_RANGES = new Set(['ECOSYSTEM', 'SEMVER']);

function checkRange(range: unknown): void {
  const r = range as { events?: unknown };
  if (!range || typeof range !== 'object' || !Array.isArray(r.events ?? [])) {
    throw new Error('an advisory range is not an OSV range');
  }
  for (const event of (r.events as unknown[]) ?? []) {
    if (
      !event ||
      typeof event !== 'object' ||
      !Object.values(event).every(v => typeof v === 'string')
    ) {
      throw new Error('an advisory range event is not an OSV event');
    }
    if (
      VERSION_RANGES.has(String((range as { type?: unknown }).type)) &&
      Object.values(event as Record<string, string>).some(
        v => versionKey(v) === null
      )
    ) {
      // refused when loaded, not at each decision (as the kernel's advisories.py)
      throw new Error(
        'an advisory range bound is not a version Warden can read'
      );
    }
  }
}

function isMalicious(record: Record<string, any>): boolean {
  const kind = (record.database_specific ?? {}).warden_kind;
  return kind === 'malicious' || String(record.id ?? '').startsWith('MAL-');
}

function inRanges(version: string, ranges: AdvisoryEntry['ranges']): boolean {
  const key = versionKey(version);
  for (const range of ranges) {
    if (!VERSION_RANGES.has(String(range.type))) {
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
