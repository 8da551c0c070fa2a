/**
 * Version intervals: what a requirement's specifier set lets the resolver pick, and what an
 * advisory covers (a port of the kernel's `installs/specifiers.py`, red team 41b R41b-1,
 * R41b-3). Not a full PEP 440 matcher: `!=` clauses are ignored and `<V` admits V's
 * pre-releases, so an interval holds every version the specifier allows and maybe a few
 * more; callers flag a specifier only when that whole interval is affected.
 */
import { compareVersions, versionKey, type VersionKey } from './versions';

/** `lo`/`hi` null: unbounded (its flag is then false). */
export interface Interval {
  lo: VersionKey | null;
  loIn: boolean;
  hi: VersionKey | null;
  hiIn: boolean;
}

export const EVERY: Interval = { lo: null, loIn: false, hi: null, hiIn: false };
const CLAUSE = /^\s*(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9._+!*-]+)\s*$/;
const RELEASE = /^v?((?:\d+!)?)(\d+(?:\.\d+)*)/; // epoch, release

export function point(key: VersionKey): Interval {
  return { lo: key, loIn: true, hi: key, hiIn: true };
}

/** Python's `str.strip("()")`, then `strip()` first. */
function bare(specifier: string): string {
  return specifier.trim().replace(/^[()]+|[()]+$/g, '');
}

/** The versions `specifier` allows; EVERY for an empty one or one this cannot read. */
export function allowed(specifier: string): Interval {
  const text = bare(specifier);
  if (!text) {
    return EVERY;
  }
  let found = EVERY;
  for (const clause of text.split(',')) {
    const m = CLAUSE.exec(clause);
    const bounds = m ? clauseInterval(m[1], m[2]) : null;
    if (bounds === null) {
      return EVERY;
    }
    found = intersect(found, bounds);
  }
  return found;
}

function clauseInterval(op: string, version: string): Interval | null {
  if (op === '!=') {
    return EVERY; // a hole in the interval: ignored (the interval may only grow)
  }
  if (op === '==' && version.endsWith('.*')) {
    return prefix(version.slice(0, -2), 0);
  }
  if (op === '~=') {
    return compatible(version);
  }
  const key = versionKey(version);
  if (key === null) {
    return null;
  }
  switch (op) {
    case '<':
      return { lo: null, loIn: false, hi: key, hiIn: false };
    case '<=':
      return { lo: null, loIn: false, hi: key, hiIn: true };
    case '>':
      return { lo: key, loIn: false, hi: null, hiIn: false };
    case '>=':
      return { lo: key, loIn: true, hi: null, hiIn: false };
    default:
      return point(key); // == and ===
  }
}

/** `==RELEASE.*` (its last `drop` parts removed first): RELEASE.dev0 up to the next prefix's
 * dev0, exclusive. */
function prefix(release: string, drop: number): Interval | null {
  const m = RELEASE.exec(release.toLowerCase());
  if (!m || m[0] !== release.toLowerCase()) {
    return null;
  }
  const epoch = m[1];
  let parts = m[2].split('.');
  parts = drop ? parts.slice(0, parts.length - drop) : parts;
  if (parts.length === 0) {
    return null;
  }
  const upper = [...parts.slice(0, -1), plusOne(parts[parts.length - 1])];
  const lo = versionKey(epoch + parts.join('.') + '.dev0');
  const hi = versionKey(epoch + upper.join('.') + '.dev0');
  return lo === null || hi === null
    ? null
    : { lo, loIn: true, hi, hiIn: false };
}

/** `~=X.Y.Z`: `>=X.Y.Z, ==X.Y.*` (at least two release parts). */
function compatible(version: string): Interval | null {
  const key = versionKey(version);
  const m = RELEASE.exec(version.toLowerCase());
  if (key === null || !m || !m[2].includes('.')) {
    return null;
  }
  const upper = prefix(m[1] + m[2], 1);
  return upper === null
    ? null
    : intersect({ lo: key, loIn: true, hi: null, hiIn: false }, upper);
}

/** A release part plus one, on its digits (any length, as versionKey). */
function plusOne(text: string): string {
  return (BigInt(text.replace(/^0+/, '') || '0') + 1n).toString();
}

function cmp(a: VersionKey, b: VersionKey): number {
  return compareVersions(a, b);
}

export function intersect(a: Interval, b: Interval): Interval {
  let lo = a.lo;
  let loIn = a.loIn;
  if (a.lo === null || (b.lo !== null && cmp(b.lo, a.lo) > 0)) {
    [lo, loIn] = [b.lo, b.loIn];
  } else if (b.lo !== null && cmp(b.lo, a.lo) === 0) {
    loIn = a.loIn && b.loIn;
  }
  let hi = a.hi;
  let hiIn = a.hiIn;
  if (a.hi === null || (b.hi !== null && cmp(b.hi, a.hi) < 0)) {
    [hi, hiIn] = [b.hi, b.hiIn];
  } else if (b.hi !== null && cmp(b.hi, a.hi) === 0) {
    hiIn = a.hiIn && b.hiIn;
  }
  return { lo, loIn, hi, hiIn };
}

export function empty(i: Interval): boolean {
  if (i.lo === null || i.hi === null) {
    return false;
  }
  const c = cmp(i.lo, i.hi);
  return c > 0 || (c === 0 && !(i.loIn && i.hiIn));
}

function same(a: Interval, b: Interval): boolean {
  const bound = (x: VersionKey | null, y: VersionKey | null) =>
    x === null || y === null ? x === y : cmp(x, y) === 0;
  return (
    bound(a.lo, b.lo) &&
    bound(a.hi, b.hi) &&
    a.loIn === b.loIn &&
    a.hiIn === b.hiIn
  );
}

/** Every version of `i` is in `span`. */
export function within(i: Interval, span: Interval): boolean {
  return same(intersect(i, span), i);
}

/** The resolver may pick a version of `span` for `i` (the kernel's `reaches`): they meet, and
 * `i` has an upper bound or `span` has none (with no upper bound the newest release wins). */
export function reaches(i: Interval, span: Interval): boolean {
  return !empty(intersect(i, span)) && (i.hi !== null || span.hi === null);
}

/** The one version `i` allows, if it is a single version. */
export function exact(i: Interval): VersionKey | null {
  return i.lo !== null &&
    i.hi !== null &&
    i.loIn &&
    i.hiIn &&
    cmp(i.lo, i.hi) === 0
    ? i.lo
    : null;
}

/** The version an exact `==`/`===` clause of `specifier` names (`==1.0,<3`). */
export function pinned(specifier: string): string | null {
  for (const clause of bare(specifier).split(',')) {
    const m = CLAUSE.exec(clause);
    if (m && (m[1] === '==' || m[1] === '===') && !m[2].endsWith('.*')) {
      return m[2];
    }
  }
  return null;
}

/** The intervals an OSV range's (readable) events cover: from each `introduced` up to the
 * next `fixed` (exclusive) or `last_affected` (inclusive); `introduced: 0` unbounded below. */
export function spans(events: Array<Record<string, string>>): Interval[] {
  const points: Array<[VersionKey | null, string]> = [];
  for (const event of events) {
    for (const [kind, value] of Object.entries(event)) {
      points.push([
        kind === 'introduced' && value === '0' ? null : versionKey(value),
        kind
      ]);
    }
  }
  points.sort((a, b) =>
    a[0] === null || b[0] === null
      ? (a[0] === null ? 0 : 1) - (b[0] === null ? 0 : 1)
      : cmp(a[0], b[0])
  );
  const out: Interval[] = [];
  let start: VersionKey | null = null;
  let opened = false;
  for (const [bound, kind] of points) {
    if (kind === 'introduced' && !opened) {
      [start, opened] = [bound, true];
    } else if ((kind === 'fixed' || kind === 'last_affected') && opened) {
      out.push({
        lo: start,
        loIn: start !== null,
        hi: bound,
        hiIn: kind === 'last_affected'
      });
      opened = false;
    }
  }
  if (opened) {
    out.push({ lo: start, loIn: start !== null, hi: null, hiIn: false });
  }
  return out;
}
