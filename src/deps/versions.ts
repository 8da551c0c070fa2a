/**
 * PEP 440 version ordering, enough to place a version inside an OSV range (a port of the
 * kernel's `installs/versions.py`). A version this module cannot read is null; callers treat
 * it as affected (fail closed), never as safe.
 */

const VERSION =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/;
const PRE: Record<string, number> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2
};

/**
 * A numeric component as its digits without leading zeros, compared by length then text:
 * exact at any size (`Number` loses precision above 2**53; the kernel's side avoids `int()`,
 * which CPython refuses above 4300 digits), so both sides order every version alike.
 */
export type Digits = string;

/** A comparable key: [epoch, release..., pre kind, pre number, post, dev]. `post` null: no
 * post release (before post 0); `dev` null: no dev release (after every dev release). */
export interface VersionKey {
  epoch: Digits;
  release: Digits[];
  pre: [number, Digits];
  post: Digits | null;
  dev: Digits | null;
}

function digits(text: string): Digits {
  return text.replace(/^0+/, '');
}

export function versionKey(text: string): VersionKey | null {
  const m = VERSION.exec(String(text).trim().toLowerCase());
  if (!m) {
    return null;
  }
  const [, epoch, release, preL, preN, postImplicit, postL, postN, devL, devN] =
    m;
  const parts = release.split('.').map(digits);
  while (parts.length > 1 && parts[parts.length - 1] === '') {
    parts.pop(); // 2.6 == 2.6.0
  }
  let pre: [number, Digits];
  if (preL) {
    pre = [PRE[preL], digits(preN || '0')];
  } else if (devL && !(postImplicit || postL)) {
    pre = [-1, '']; // 1.0.dev1 sorts before 1.0a1
  } else {
    pre = [Infinity, ''];
  }
  const post = postImplicit
    ? digits(postImplicit)
    : postL
      ? digits(postN || '0')
      : null;
  const dev = devL ? digits(devN || '0') : null;
  return { epoch: digits(epoch || '0'), release: parts, pre, post, dev };
}

/** A post number after every post release (the kernel's `_LAST` as a post number): the bound
 * `pastPosts` builds; no version has it. */
const PAST: Digits = 'past';

function compareDigits(a: Digits, b: Digits): number {
  if (a === PAST || b === PAST) {
    return a === b ? 0 : a === PAST ? 1 : -1;
  }
  if (a.length !== b.length) {
    return a.length < b.length ? -1 : 1;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

/** `missing` sorts before (-1) or after (1) every value. */
function compareOptional(
  a: Digits | null,
  b: Digits | null,
  missing: number
): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? missing : -missing;
  }
  return compareDigits(a, b);
}

function compareRelease(a: Digits[], b: Digits[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) {
      return -1; // Python tuples: the shorter prefix sorts first
    }
    if (b[i] === undefined) {
      return 1;
    }
    const c = compareDigits(a[i], b[i]);
    if (c !== 0) {
      return c;
    }
  }
  return 0;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (Python's tuple order). */
export function compareVersions(a: VersionKey, b: VersionKey): number {
  const preKind = a.pre[0] === b.pre[0] ? 0 : a.pre[0] < b.pre[0] ? -1 : 1;
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    preKind ||
    compareDigits(a.pre[1], b.pre[1]) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1)
  );
}

// The keys `specifiers` bounds PEP 440's exclusive comparisons with (`<V`, `>V`), built here
// beside the key's layout (the kernel's versions.py).

/** A pre-release in PEP 440's sense: a pre or a dev part (`1.0a1`, `1.0.post1.dev0`). */
export function isPre(key: VersionKey): boolean {
  return key.pre[0] !== Infinity || key.dev !== null;
}

export function isPost(key: VersionKey): boolean {
  return key.post !== null;
}

export function isDev(key: VersionKey): boolean {
  return key.dev !== null;
}

/** `key`'s release's `.dev0`: nothing of that release sorts before it. */
export function firstOfRelease(key: VersionKey): VersionKey {
  return {
    epoch: key.epoch,
    release: key.release,
    pre: [-1, ''],
    post: null,
    dev: ''
  };
}

/** `key`'s release itself (`1.0` for `1.0rc1` and `1.0.post2`). */
export function finalOfRelease(key: VersionKey): VersionKey {
  return {
    epoch: key.epoch,
    release: key.release,
    pre: [Infinity, ''],
    post: null,
    dev: null
  };
}

/** `key` with a `.dev0` part (`1.0.post1.dev0` for `1.0.post1`). */
export function dev0(key: VersionKey): VersionKey {
  return { ...key, dev: '' };
}

/** A bound after every post release of `key`'s release (`samePre`: of `key`'s own
 * pre-release, `1.0a1.post*`): no version is equal to it. */
export function pastPosts(key: VersionKey, samePre: boolean): VersionKey {
  return {
    epoch: key.epoch,
    release: key.release,
    pre: samePre ? key.pre : [Infinity, ''],
    post: PAST,
    dev: null
  };
}
