/**
 * The OSV advisory snapshot shipped with Warden (`jupyterlab_warden/kernel/deps/
 * osv-snapshot.json`, the one copy; a port of the kernel's `installs/advisories.py`).
 * `malicious(name)` answers whatever the version: the malicious records (OpenSSF `MAL-`)
 * covering every version (nothing listed, or a range open at both ends); a malicious record
 * listing some releases condemns those only (red team 41b R41b-1): `affected`, `covering` and
 * `reached` answer by version. Listed versions and ranges compare as PEP 440 versions
 * (`1.0.0` is `1.0`, R41b-2). A version Warden cannot read counts as affected (fail closed).
 *
 * `withRecords` adds the policy's own records (`dependencies.advisories`): a union, so a
 * policy can add advisories and never remove or narrow a shipped one (a policy record reusing
 * a shipped id is one more entry; the shipped entry still applies).
 */
import { normalize } from './names';
import * as specifiers from './specifiers';
import type { Interval, Versions } from './specifiers';
import { versionKey } from './versions';

export interface AdvisoryEntry {
  id: string;
  summary: string;
  malicious: boolean;
  ranges: Array<{ type?: string; events?: Array<Record<string, string>> }>;
  versions: ReadonlySet<string>;
  /** each listed version a point, each version range its intervals (built once) */
  spans: Interval[];
  /** listed strings that are no version (matched as written) */
  unplaced: ReadonlySet<string>;
  /** a malicious entry covering every version of its project */
  whole: boolean;
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
        const ranges = [...(affected.ranges ?? [])];
        ranges.forEach(checkRange);
        const entry = placed({
          id: String(record.id),
          summary: String(record.summary ?? ''),
          malicious: isMalicious(record),
          ranges,
          versions: new Set(affected.versions ?? [])
        });
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

  /** The malicious records covering every version of `name`, one per id. */
  malicious(name: string): AdvisoryEntry[] {
    return firstOfEach(this.entries(name).filter(e => e.whole));
  }

  /** The entries that hold `version` of `name`, one per id, in order. */
  affected(name: string, version: string): AdvisoryEntry[] {
    const key = versionKey(version);
    return firstOfEach(this.entries(name).filter(e => holds(e, key, version)));
  }

  /** Ids of the advisories that hold `version` of `name` (each id once, in order). */
  affecting(name: string, version: string): string[] {
    return this.affected(name, version).map(e => e.id);
  }

  /** The entries holding EVERY version in `allowed` (a specifier set's versions,
   * `specifiers.covered`). */
  covering(name: string, allowed: Versions): AdvisoryEntry[] {
    return firstOfEach(
      this.entries(name).filter(
        e => e.whole || e.spans.some(s => specifiers.covered(allowed, s))
      )
    );
  }

  /** The malicious entries (not whole-project) the resolver may land in for `allowed`; an
   * entry with listed strings Warden cannot place counts as reached (fail closed). */
  reached(
    name: string,
    allowed: Versions,
    newest = true,
    pre = false
  ): AdvisoryEntry[] {
    return firstOfEach(
      this.entries(name).filter(
        e =>
          e.malicious &&
          !e.whole &&
          (e.unplaced.size > 0 ||
            e.spans.some(s => specifiers.reaches(allowed, s, newest, pre)))
      )
    );
  }

  private entries(name: string): AdvisoryEntry[] {
    return this.byName.get(normalize(name)) ?? [];
  }
}

function firstOfEach(entries: AdvisoryEntry[]): AdvisoryEntry[] {
  const seen = new Set<string>();
  return entries.filter(e => {
    if (seen.has(e.id)) {
      return false;
    }
    seen.add(e.id);
    return true;
  });
}

/** The entry with its versions placed as intervals (the kernel's `_place`). */
function placed(
  base: Omit<AdvisoryEntry, 'spans' | 'unplaced' | 'whole'>
): AdvisoryEntry {
  const spans: Interval[] = [];
  const unplaced = new Set<string>();
  for (const text of base.versions) {
    const key = versionKey(String(text));
    if (key === null) {
      unplaced.add(String(text));
    } else {
      spans.push(specifiers.point(key));
    }
  }
  for (const range of base.ranges) {
    if (VERSION_RANGES.has(String(range.type))) {
      spans.push(...specifiers.spans(range.events ?? []));
    }
  }
  // nothing placeable (GIT ranges only, no listed version Warden can read): every version
  const whole =
    base.malicious &&
    (spans.length === 0 || spans.some(s => s.lo === null && s.hi === null));
  return { ...base, spans, unplaced, whole };
}

function versionRanged(entry: AdvisoryEntry): boolean {
  return entry.ranges.some(r => VERSION_RANGES.has(String(r.type)));
}

/** `entry` holds the version `text` (`key`: its versionKey, null if unreadable). */
function holds(
  entry: AdvisoryEntry,
  key: ReturnType<typeof versionKey>,
  text: string
): boolean {
  if (entry.whole || entry.versions.has(text) || entry.unplaced.has(text)) {
    return true;
  }
  if (key === null) {
    return versionRanged(entry); // an unreadable version: assume affected
  }
  return entry.spans.some(s => specifiers.within(specifiers.point(key), s));
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
