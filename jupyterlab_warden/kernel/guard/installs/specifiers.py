"""Version sets: what a requirement's specifier set lets the resolver pick, and what an
advisory covers, in ``version_key`` order (red team 41b R41b-1, R41b-3; 42b R42b-2, R42b-3).

An interval is ``(lo, lo_inclusive, hi, hi_inclusive)`` of version keys; ``None`` is
unbounded (its flag is always False, so two equal intervals are equal tuples). A set is a
tuple of disjoint intervals in order. ``allowed`` reads a specifier set as PEP 440 does:
``!=V`` and ``!=V.*`` are holes, ``<V`` leaves out V's pre-releases and ``>V`` its post
releases (unless V is one), ``~=`` and ``==V.*`` are prefix spans, epochs sort first.

Two things keep that from being one exact set, so ``allowed`` gives two, ``Versions = (over,
under)``: ``over`` holds every version the specifier may allow, ``under`` only versions it
certainly allows, with any local label. A key has no local label (``1.0+cpu`` is ``1.0``, as
OSV ranges read it), so ``!=1.0+cpu`` and ``==1.0+cpu`` are drawn as ``over`` = all of 1.0,
``under`` = none of it; and the installers' ``packaging`` versions read the edges of ``<V``
and ``>V`` differently (pip's vendored 21.x leaves ``1.0.post1`` out of ``>1.0a1`` and
``1.1rc1`` out of ``<1.1.post1``, 26.x lets both in; 21.x reads a ``!=P.*`` prefix by its
text, so ``!=00.*`` leaves nothing out: ``_prefix_clause``): ``over`` takes either's,
``under`` both. A specifier this module cannot read allows anything and certainly nothing
(``UNREAD``), so ``reaches`` fails closed on it.

Which is used where: a set is *inside* an advisory (``covered``: the vulnerable flag) only
when all of ``over`` is, and *reaches* one (``reaches``: a malicious release) when ``over``
meets it; when the specifier has no upper bound the resolver takes the newest release, so a
bounded advisory is reached only when ``under`` leaves out something above it (``!=1.0``
with 0.9 listed: pip falls back to 0.9), unless a setting makes it take another release
(preference.py) or pre-releases are enabled and a pre-release is listed (R43b-1, R43b-5).
``packaging`` is not used: a guarded Python may not have it (pip's vendored copy is the
environment's file, not Warden's), and the static side (src/deps/specifiers.ts) must give the
same answers; tests/deps/test_specifier_sets.py holds both sets to ``packaging``'s answers.
"""

import re
from typing import Optional, Tuple

from ..frozen_builtins import FROZEN
from . import versions
from .versions import version_key

# the builtins of the boot for this module's functions, as decide.py (red team 38a R38a-1)
__builtins__ = FROZEN

Interval = Tuple[Optional[tuple], bool, Optional[tuple], bool]
Versions = Tuple[Tuple[Interval, ...], Tuple[Interval, ...]]  # (over, under)
EVERY: Interval = (None, False, None, False)
ANY: Versions = ((EVERY,), (EVERY,))  # no specifier
UNREAD: Versions = ((EVERY,), ())  # a specifier Warden cannot read: fail closed
_CLAUSE = re.compile(r"^\s*(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9._+!*-]+)\s*$")
_RELEASE = re.compile(r"v?((?:\d+!)?)(\d+(?:\.\d+)*)")  # epoch, release
# a release as a normalized version writes it: no ``v``, no zero epoch, no leading zeros
_NORMALIZED = re.compile(r"(?:[1-9]\d*!)?(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*")


def point(key: tuple) -> Interval:
    return (key, True, key, True)


def allowed(specifier: str) -> Versions:
    """The versions ``specifier`` (``==1.0,<3``, ``~=2.5.0``, ``!=1.0``) allows; ``ANY`` for
    an empty specifier, ``UNREAD`` for one this module cannot read (pip refuses most)."""
    over, under = ANY
    for clause in specifier.strip().strip("()").split(","):
        if not clause.strip():
            continue  # ``>=1.0,``: packaging's SpecifierSet skips an empty clause
        m = _CLAUSE.match(clause)
        sets = _clause(m.group(1), m.group(2)) if m else None
        if sets is None:
            return UNREAD
        over, under = meet(over, sets[0]), meet(under, sets[1])
    return over, under


def _clause(op: str, version: str) -> Optional[Versions]:
    """One clause's (over, under); None when it is no PEP 440 clause."""
    if version.endswith(".*"):
        span = _prefix(version[:-2], 0) if op in ("==", "!=") else None
        return None if span is None else _prefix_clause(op, version[:-2], span)
    key = version_key(version)
    if key is None:
        return None
    if op == "===":  # the one spelling (``===1.0`` is not 1.0.0): drawn as its version
        return (point(key),), ()
    if "+" in version:  # a local label: ``==``/``!=`` only (pip refuses the others)
        if op == "==":
            return (point(key),), ()
        return ((EVERY,), complement((point(key),))) if op == "!=" else None
    if op == "~=":
        span = _compatible(version)
        return None if span is None else ((span,), (span,))
    if op == "<":
        return _below(key)
    if op == ">":
        return _above(key)
    found = {
        "==": (point(key),),
        "!=": complement((point(key),)),
        "<=": ((None, False, key, True),),
        ">=": ((key, True, None, False),),
    }[op]
    return found, found


def _below(key: tuple) -> Versions:
    """``<V``: not V's pre-releases (``<1.1`` leaves out 1.1rc1) unless V is one. For a post
    release V the two packaging versions differ on V's release's pre-releases and the dev
    releases of its post releases: ``under`` keeps only the release itself."""
    if versions.is_pre(key):
        found = ((None, False, key, False),)
        return found, found
    below = (None, False, versions.first_of_release(key), False)
    if not versions.is_post(key):
        return (below,), (below,)
    over = ((None, False, versions.dev0(key), False),)
    return over, meet(over, (below, point(versions.final_of_release(key))))


def _above(key: tuple) -> Versions:
    """``>V``: not V's post releases (``>1.0`` leaves out 1.0.post1) unless V is one. pip's
    vendored packaging leaves out every post release and local version of V's release
    (``>1.0a1``: 1.0.post1, 1.0+cpu), the newer one only V's own: ``under`` starts past the
    release's post releases."""
    past = (versions.past_posts(key, False), False, None, False)
    if versions.is_post(key) or versions.is_dev(key):
        over = ((key, False, None, False),)
    else:
        over = ((versions.past_posts(key, True), False, None, False),)
    return over, (past,)


def _prefix_clause(op: str, release: str, span: Interval) -> Versions:
    """``==RELEASE.*`` / ``!=RELEASE.*``: PEP 440's span (packaging 22+ reads it so) and what
    pip's vendored packaging (21.3) reads (red team 43b R43b-2). 21.3 compares the clause's
    TEXT, split at dots, with the candidate's normalized text, padding only its bare release
    numbers: a release not written as a normalized version writes it (``00``, ``v0``, ``0!0``,
    ``0.09``) matches nothing, so ``!=00.*`` leaves nothing out; and a candidate written with
    fewer parts than RELEASE keeps its pre/post/dev part where RELEASE has a number (``1rc1``
    is not in ``1.0.*``, ``1`` is), and with an epoch its whole text (``1!1`` is not in
    ``1!1.0.*``). ``kept``: the span's versions 21.3 does not match; a key has no spelling
    (``1rc1`` is ``1.0rc1``), so ``kept`` takes the release's every such version."""
    kept: tuple = ()
    if not _NORMALIZED.fullmatch(release):
        kept = (EVERY,)
    else:
        key = version_key(release)
        whole = (versions.first_of_release(key), True, versions.past_posts(key, False), False)
        parts, epoch = release.split("!")[-1].split("."), "!" in release
        if epoch and (len(parts) == 1 or parts[-1] == "0"):
            kept = (whole,)
        elif len(parts) > 1 and parts[-1] == "0":
            kept = meet((whole,), complement((point(versions.final_of_release(key)),)))
    kept = meet(kept, (span,))
    if op == "==":
        return (span,), meet((span,), complement(kept))
    hole = complement((span,))
    return complement(meet(complement(hole), complement(kept))), hole


def _prefix(release: str, drop: int) -> Optional[Interval]:
    """``==RELEASE.*`` (with its last ``drop`` parts removed first): from RELEASE.dev0 up to
    the next release prefix's dev0, exclusive."""
    m = _RELEASE.fullmatch(release.lower())
    if not m:
        return None
    epoch, parts = m.group(1), m.group(2).split(".")
    parts = parts[: len(parts) - drop] if drop else parts
    if not parts:
        return None
    upper = parts[:-1] + [_plus_one(parts[-1])]
    lo = version_key(epoch + ".".join(parts) + ".dev0")
    hi = version_key(epoch + ".".join(upper) + ".dev0")
    return None if lo is None or hi is None else (lo, True, hi, False)


def _compatible(version: str) -> Optional[Interval]:
    """``~=X.Y.Z``: ``>=X.Y.Z, ==X.Y.*`` (PEP 440: at least two release parts)."""
    key, m = version_key(version), _RELEASE.match(version.lower())
    if key is None or not m or "." not in m.group(2):
        return None
    upper = _prefix(m.group(1) + m.group(2), 1)
    return None if upper is None else intersect((key, True, None, False), upper)


def _plus_one(digits: str) -> str:
    """A release part plus one, on its digits (no ``int()``: any length, as version_key)."""
    out, carry = [], 1
    for d in reversed(digits.lstrip("0") or "0"):
        carry, d = divmod(int(d) + carry, 10)
        out.append(str(d))
    return ("1" if carry else "") + "".join(reversed(out))


def intersect(a: Interval, b: Interval) -> Interval:
    lo, lo_in = _lower(a[0], a[1], b[0], b[1])
    hi, hi_in = _upper(a[2], a[3], b[2], b[3])
    return (lo, lo_in, hi, hi_in)


def _lower(k1, in1, k2, in2):
    if k1 is None or k2 is None:
        return (k2, in2) if k1 is None else (k1, in1)
    if k1 == k2:
        return (k1, in1 and in2)
    return (k1, in1) if k1 > k2 else (k2, in2)


def _upper(k1, in1, k2, in2):
    if k1 is None or k2 is None:
        return (k2, in2) if k1 is None else (k1, in1)
    if k1 == k2:
        return (k1, in1 and in2)
    return (k1, in1) if k1 < k2 else (k2, in2)


def empty(i: Interval) -> bool:
    lo, lo_in, hi, hi_in = i
    if lo is None or hi is None:
        return False
    return lo > hi or (lo == hi and not (lo_in and hi_in))


def within(i: Interval, span: Interval) -> bool:
    """Every version of ``i`` is in ``span``."""
    return intersect(i, span) == i


def meet(a: tuple, b: tuple) -> tuple:
    """The versions in both sets."""
    found = [intersect(x, y) for x in a for y in b]
    return _joined(sorted((i for i in found if not empty(i)), key=_from))


def complement(a: tuple) -> tuple:
    """The versions not in set ``a``."""
    out, lo, lo_in = [], None, False
    for i_lo, i_lo_in, i_hi, i_hi_in in a:
        if i_lo is not None:
            out.append((lo, lo_in, i_lo, not i_lo_in))
        if i_hi is None:
            return tuple(i for i in out if not empty(i))
        lo, lo_in = i_hi, not i_hi_in
    out.append((lo, lo_in, None, False))
    return tuple(i for i in out if not empty(i))


def _from(i: Interval):
    """Sort order of intervals by their lower end (unbounded first, inclusive first)."""
    return (i[0] is not None, i[0] or (), not i[1])


def _joined(ordered: list) -> tuple:
    """Intervals sorted by ``_from``, overlapping or touching ones joined: one way to write
    each set, so sets compare as tuples."""
    out = []
    for i in ordered:
        last = out[-1] if out else None
        if last is not None and (
            last[2] is None
            or i[0] is None
            or last[2] > i[0]
            or (last[2] == i[0] and (last[3] or i[1]))
        ):
            out[-1] = (last[0], last[1]) + _upper_max(last[2], last[3], i[2], i[3])
        else:
            out.append(i)
    return tuple(out)


def _upper_max(k1, in1, k2, in2):
    if k1 is None or k2 is None:
        return (None, False)
    if k1 == k2:
        return (k1, in1 or in2)
    return (k1, in1) if k1 > k2 else (k2, in2)


def covered(allowed: Versions, span: Interval) -> bool:
    """Every version the specifier may allow is in ``span`` (and it allows some)."""
    over = allowed[0]
    return bool(over) and not meet(over, complement((span,)))


def reaches(allowed: Versions, span: Interval, newest: bool = True, pre: bool = False) -> bool:
    """The resolver may pick a version of ``span``: the specifier may allow one, and either
    ``span`` or the specifier is bounded above, or the specifier leaves out a version above
    ``span`` (R42b-2: ``!=1.0`` with 0.9 listed; pip takes the newest release not excluded,
    so any hole above a listed release may be where the index's newer releases are). With no
    upper bound and nothing left out above, the resolver takes the newest release, past a
    bounded ``span`` (an older compromised release, already pulled from the index, is not
    reached). That holds only when it takes the newest (``newest``: no setting of
    preference.py changes which release it takes, R43b-1), and the newest FINAL one: with
    pre-releases enabled (``pre``: an option, or the specifier names one, ``names_pre``) a
    listed pre-release above every final release is the newest (R43b-5)."""
    over, under = allowed
    if not meet(over, (span,)):
        return False
    if not newest or span[2] is None or over[-1][2] is not None:
        return True
    if pre and span[3] and versions.is_pre(span[2]):
        return True
    past = (span[2], not span[3], None, False)
    return bool(meet((past,), complement(under)))


def names_pre(specifier: str) -> bool:
    """A clause names a pre-release (``>=1.1rc1``, ``==2.0.dev1``): pip and uv then take
    pre-releases of the project (packaging's ``Specifier.prereleases``: ``==``, ``===``,
    ``>=``, ``<=``, ``~=`` only; an unreadable clause counts, fail closed)."""
    for clause in specifier.strip().strip("()").split(","):
        m = _CLAUSE.match(clause)
        if not clause.strip() or (m and m.group(1) in ("!=", "<", ">")):
            continue
        key = version_key(m.group(2).removesuffix(".*")) if m else None
        if key is None or versions.is_pre(key):
            return True
    return False


def exact(allowed: Versions) -> Optional[tuple]:
    """The one version the specifier allows, if it is a single version."""
    over = allowed[0]
    if len(over) == 1 and over[0][0] is not None and over[0][0] == over[0][2]:
        return over[0][0]
    return None


def pinned(specifier: str) -> Optional[str]:
    """The version an exact ``==``/``===`` clause of ``specifier`` names (``==1.0,<3``)."""
    for clause in specifier.strip().strip("()").split(","):
        m = _CLAUSE.match(clause)
        if m and m.group(1) in ("==", "===") and not m.group(2).endswith(".*"):
            return m.group(2)
    return None


def spans(events: list) -> list:
    """The intervals an OSV range's events cover: from each ``introduced`` up to the next
    ``fixed`` (exclusive) or ``last_affected`` (inclusive); ``introduced: 0`` is unbounded
    below. The events must be readable (advisories._check_range)."""
    points = []
    for event in events:
        for kind, value in event.items():
            bound = None if kind == "introduced" and value == "0" else version_key(value)
            points.append((bound, kind))
    points.sort(key=lambda p: (p[0] is not None, p[0] or ()))
    out, start, opened = [], None, False
    for bound, kind in points:
        if kind == "introduced" and not opened:
            start, opened = bound, True
        elif kind in ("fixed", "last_affected") and opened:
            out.append((start, start is not None, bound, kind == "last_affected"))
            opened = False
    if opened:
        out.append((start, start is not None, None, False))
    return out
