/**
 * Version sets: what a requirement's specifier set lets the resolver pick, and what an
 * advisory covers (a port of the kernel's `installs/specifiers.py`, red team 41b R41b-1,
 * R41b-3; 42b R42b-2, R42b-3). A set is an array of disjoint intervals in order; a specifier
 * set is read as PEP 440 reads it (`!=` holes, `<V` without V's pre-releases, `>V` without
 * its post releases) into two sets: `over` (every version it may allow) and `under` (versions
 * it certainly allows, whatever their local label and whichever packaging version reads it).
 * schema/vectors/specifier-sets.json holds both sides to the same sets and answers.
 */
import {
  compareVersions,
  dev0,
  finalOfRelease,
  firstOfRelease,
  isDev,
  isPost,
  isPre,
  pastPosts,
  versionKey,
  type VersionKey
} from './versions';

/** `lo`/`hi` null: unbounded (its flag is then false). */
export interface Interval {
  lo: VersionKey | null;
  loIn: boolean;
  hi: VersionKey | null;
  hiIn: boolean;
}

/** What a specifier set allows: `over` may hold more, `under` holds only what it allows. */
export interface Versions {
  over: Interval[];
  under: Interval[];
}

export const EVERY: Interval = { lo: null, loIn: false, hi: null, hiIn: false };
/** No specifier. */
export const ANY: Versions = { over: [EVERY], under: [EVERY] };
/** A specifier this cannot read: anything, certainly nothing (`reaches` fails closed). */
export const UNREAD: Versions = { over: [EVERY], under: [] };
const CLAUSE = /^\s*(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9._+!*-]+)\s*$/;
const RELEASE = /^v?((?:\d+!)?)(\d+(?:\.\d+)*)/; // epoch, release
/** A release as a normalized version writes it: no `v`, no zero epoch, no leading zeros. */
const NORMALIZED = /^(?:[1-9]\d*!)?(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*$/;

export function point(key: VersionKey): Interval {
  return { lo: key, loIn: true, hi: key, hiIn: true };
}

/** Python's `str.strip("()")`, then `strip()` first. */
function bare(specifier: string): string {
  return specifier.trim().replace(/^[()]+|[()]+$/g, '');
}

/** The versions `specifier` allows; ANY for an empty one, UNREAD for one this cannot read. */
export function allowed(specifier: string): Versions {
  let { over, under } = ANY;
  for (const clause of bare(specifier).split(',')) {
    if (!clause.trim()) {
      continue; // `>=1.0,`: packaging's SpecifierSet skips an empty clause
    }
    const m = CLAUSE.exec(clause);
    const sets = m ? clauseSets(m[1], m[2]) : null;
    if (sets === null) {
      return UNREAD;
    }
    over = meet(over, sets.over);
    under = meet(under, sets.under);
  }
  return { over, under };
}

function both(found: Interval[]): Versions {
  return { over: found, under: found };
}

/** One clause's sets; null when it is no PEP 440 clause. */
function clauseSets(op: string, version: string): Versions | null {
  if (version.endsWith('.*')) {
    const span =
      op === '==' || op === '!=' ? prefix(version.slice(0, -2), 0) : null;
    return span === null ? null : prefixSets(op, version.slice(0, -2), span);
  }
  const key = versionKey(version);
  if (key === null) {
    return null;
  }
  if (op === '===') {
    return { over: [point(key)], under: [] }; // the one spelling, drawn as its version
  }
  if (version.includes('+')) {
    // a local label: `==`/`!=` only (pip refuses the others)
    if (op === '==') {
      return { over: [point(key)], under: [] };
    }
    return op === '!='
      ? { over: [EVERY], under: complement([point(key)]) }
      : null;
  }
  switch (op) {
    case '~=': {
      const span = compatible(version);
      return span === null ? null : both([span]);
    }
    case '<':
      return below(key);
    case '>':
      return above(key);
    case '==':
      return both([point(key)]);
    case '!=':
      return both(complement([point(key)]));
    case '<=':
      return both([{ lo: null, loIn: false, hi: key, hiIn: true }]);
    default: // >=
      return both([{ lo: key, loIn: true, hi: null, hiIn: false }]);
  }
}

/** `<V`: not V's pre-releases unless V is one (the kernel's `_below`). */
function below(key: VersionKey): Versions {
  if (isPre(key)) {
    return both([{ lo: null, loIn: false, hi: key, hiIn: false }]);
  }
  const under: Interval = {
    lo: null,
    loIn: false,
    hi: firstOfRelease(key),
    hiIn: false
  };
  if (!isPost(key)) {
    return both([under]);
  }
  const over = [{ lo: null, loIn: false, hi: dev0(key), hiIn: false }];
  return { over, under: meet(over, [under, point(finalOfRelease(key))]) };
}

/** `>V`: not V's post releases unless V is one (the kernel's `_above`). */
function above(key: VersionKey): Versions {
  const past: Interval = {
    lo: pastPosts(key, false),
    loIn: false,
    hi: null,
    hiIn: false
  };
  const over: Interval =
    isPost(key) || isDev(key)
      ? { lo: key, loIn: false, hi: null, hiIn: false }
      : { lo: pastPosts(key, true), loIn: false, hi: null, hiIn: false };
  return { over: [over], under: [past] };
}

/** `==RELEASE.*` / `!=RELEASE.*`: PEP 440's span (packaging 22+) and what pip's vendored
 * packaging 21.3 reads, comparing the clause's TEXT with the candidate's normalized text
 * (red team 43b R43b-2; the kernel's `_prefix_clause`): a release not written normalized
 * (`00`, `v0`, `0!0`, `0.09`) matches nothing, and a candidate written with fewer parts than
 * a RELEASE ending in `.0` keeps its pre/post/dev part (`1rc1` is not in `1.0.*`), with an
 * epoch its whole text. `kept`: the span's versions 21.3 does not match. */
function prefixSets(op: string, release: string, span: Interval): Versions {
  let kept: Interval[] = [];
  const key = versionKey(release);
  if (!NORMALIZED.test(release) || key === null) {
    kept = [EVERY];
  } else {
    const whole: Interval = {
      lo: firstOfRelease(key),
      loIn: true,
      hi: pastPosts(key, false),
      hiIn: false
    };
    const parts = release.split('!').pop()!.split('.');
    const epoch = release.includes('!');
    if (epoch && (parts.length === 1 || parts[parts.length - 1] === '0')) {
      kept = [whole];
    } else if (parts.length > 1 && parts[parts.length - 1] === '0') {
      kept = meet([whole], complement([point(finalOfRelease(key))]));
    }
  }
  kept = meet(kept, [span]);
  if (op === '==') {
    return { over: [span], under: meet([span], complement(kept)) };
  }
  const hole = complement([span]);
  return {
    over: complement(meet(complement(hole), complement(kept))),
    under: hole
  };
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

/** The versions in both sets. */
export function meet(a: Interval[], b: Interval[]): Interval[] {
  const found: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const i = intersect(x, y);
      if (!empty(i)) {
        found.push(i);
      }
    }
  }
  return joined(found.sort(byLower));
}

/** The versions not in set `a`. */
export function complement(a: Interval[]): Interval[] {
  const out: Interval[] = [];
  let lo: VersionKey | null = null;
  let loIn = false;
  for (const i of a) {
    if (i.lo !== null) {
      out.push({ lo, loIn, hi: i.lo, hiIn: !i.loIn });
    }
    if (i.hi === null) {
      return out.filter(g => !empty(g));
    }
    [lo, loIn] = [i.hi, !i.hiIn];
  }
  out.push({ lo, loIn, hi: null, hiIn: false });
  return out.filter(g => !empty(g));
}

/** The kernel's `_from`: unbounded first, then by lower end, inclusive first. */
function byLower(a: Interval, b: Interval): number {
  if (a.lo === null || b.lo === null) {
    return (a.lo === null ? 0 : 1) - (b.lo === null ? 0 : 1);
  }
  return cmp(a.lo, b.lo) || (a.loIn === b.loIn ? 0 : a.loIn ? -1 : 1);
}

/** Sorted intervals, overlapping or touching ones joined (the kernel's `_joined`). */
function joined(ordered: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of ordered) {
    const last = out.length ? out[out.length - 1] : null;
    if (
      last !== null &&
      (last.hi === null ||
        i.lo === null ||
        cmp(last.hi, i.lo) > 0 ||
        (cmp(last.hi, i.lo) === 0 && (last.hiIn || i.loIn)))
    ) {
      out[out.length - 1] = { ...last, ...upperMax(last, i) };
    } else {
      out.push(i);
    }
  }
  return out;
}

function upperMax(
  a: Interval,
  b: Interval
): { hi: VersionKey | null; hiIn: boolean } {
  if (a.hi === null || b.hi === null) {
    return { hi: null, hiIn: false };
  }
  const c = cmp(a.hi, b.hi);
  if (c === 0) {
    return { hi: a.hi, hiIn: a.hiIn || b.hiIn };
  }
  return c > 0 ? { hi: a.hi, hiIn: a.hiIn } : { hi: b.hi, hiIn: b.hiIn };
}

/** Every version the specifier may allow is in `span` (and it allows some). */
export function covered(allowed: Versions, span: Interval): boolean {
  return (
    allowed.over.length > 0 &&
    meet(allowed.over, complement([span])).length === 0
  );
}

/** The resolver may pick a version of `span` (the kernel's `reaches`): the specifier may
 * allow one, and `span` or the specifier is bounded above, or the specifier leaves out a
 * version above `span` (R42b-2: `!=1.0` with 0.9 listed; pip takes the newest release not
 * left out). With no upper bound and nothing left out above, the newest release wins, only
 * when the installer takes the newest (`newest`: no setting changes which release it takes,
 * R43b-1) and the newest FINAL one (`pre`: pre-releases enabled, or the specifier names one:
 * a listed pre-release above every final release is the newest, R43b-5). */
export function reaches(
  allowed: Versions,
  span: Interval,
  newest = true,
  pre = false
): boolean {
  const { over, under } = allowed;
  if (meet(over, [span]).length === 0) {
    return false;
  }
  if (!newest || span.hi === null || over[over.length - 1].hi !== null) {
    return true;
  }
  if (pre && span.hiIn && isPre(span.hi)) {
    return true;
  }
  const past: Interval = {
    lo: span.hi,
    loIn: !span.hiIn,
    hi: null,
    hiIn: false
  };
  return meet([past], complement(under)).length > 0;
}

/** A clause names a pre-release (`>=1.1rc1`): pip and uv then take pre-releases of the
 * project (packaging's `prereleases`: `==`, `===`, `>=`, `<=`, `~=` only; an unreadable
 * clause counts, fail closed). The kernel's `names_pre`. */
export function namesPre(specifier: string): boolean {
  for (const clause of bare(specifier).split(',')) {
    const m = CLAUSE.exec(clause);
    if (!clause.trim() || (m && ['!=', '<', '>'].includes(m[1]))) {
      continue;
    }
    const key = m ? versionKey(m[2].replace(/\.\*$/, '')) : null;
    if (key === null || isPre(key)) {
      return true;
    }
  }
  return false;
}

/** The one version the specifier allows, if it is a single version. */
export function exact(allowed: Versions): VersionKey | null {
  const over = allowed.over;
  return over.length === 1 &&
    over[0].lo !== null &&
    over[0].hi !== null &&
    cmp(over[0].lo, over[0].hi) === 0
    ? over[0].lo
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
