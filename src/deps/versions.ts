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

/** A comparable key: [epoch, release..., pre kind, pre number, post, dev]. */
export interface VersionKey {
  epoch: number;
  release: number[];
  pre: [number, number];
  post: number;
  dev: number;
}

export function versionKey(text: string): VersionKey | null {
  const m = VERSION.exec(String(text).trim().toLowerCase());
  if (!m) {
    return null;
  }
  const [, epoch, release, preL, preN, postImplicit, postL, postN, devL, devN] =
    m;
  const parts = release.split('.').map(Number);
  while (parts.length > 1 && parts[parts.length - 1] === 0) {
    parts.pop(); // 2.6 == 2.6.0
  }
  let pre: [number, number];
  if (preL) {
    pre = [PRE[preL], Number(preN || 0)];
  } else if (devL && !(postImplicit || postL)) {
    pre = [-1, 0]; // 1.0.dev1 sorts before 1.0a1
  } else {
    pre = [Infinity, 0];
  }
  const post = postImplicit
    ? Number(postImplicit)
    : postL
      ? Number(postN || 0)
      : -1;
  const dev = devL ? Number(devN || 0) : Infinity;
  return { epoch: Number(epoch || 0), release: parts, pre, post, dev };
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) {
      return -1; // Python tuples: the shorter prefix sorts first
    }
    if (y === undefined) {
      return 1;
    }
    if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (Python's tuple order). */
export function compareVersions(a: VersionKey, b: VersionKey): number {
  return (
    compareNumbers([a.epoch], [b.epoch]) ||
    compareNumbers(a.release, b.release) ||
    compareNumbers(a.pre, b.pre) ||
    compareNumbers([a.post], [b.post]) ||
    compareNumbers([a.dev], [b.dev])
  );
}
