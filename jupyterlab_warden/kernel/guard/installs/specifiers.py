"""Version intervals: what a requirement's specifier set lets the resolver pick, and what an
advisory covers, in ``version_key`` order (red team 41b R41b-1, R41b-3).

An interval is ``(lo, lo_inclusive, hi, hi_inclusive)`` of version keys; ``None`` is
unbounded (its flag is always False, so two equal intervals are equal tuples). Not a full
PEP 440 matcher: ``!=`` clauses are ignored and ``<V`` admits V's pre-releases, so the
interval holds every version the specifier allows and maybe a few more. Callers flag a
specifier only when that whole interval is affected, so the extra versions can only spare an
install, never condemn one. ``packaging`` is not used: a guarded Python may not have it, and
the static side (src/deps/specifiers.ts) must order versions exactly as this module does.
"""

import re
from typing import Optional, Tuple

from ..frozen_builtins import FROZEN
from .versions import version_key

# the builtins of the boot for this module's functions, as decide.py (red team 38a R38a-1)
__builtins__ = FROZEN

Interval = Tuple[Optional[tuple], bool, Optional[tuple], bool]
EVERY: Interval = (None, False, None, False)
_CLAUSE = re.compile(r"^\s*(===|==|!=|~=|<=|>=|<|>)\s*([A-Za-z0-9._+!*-]+)\s*$")
_RELEASE = re.compile(r"v?((?:\d+!)?)(\d+(?:\.\d+)*)")  # epoch, release


def point(key: tuple) -> Interval:
    return (key, True, key, True)


def allowed(specifier: str) -> Interval:
    """The versions ``specifier`` (``==1.0,<3``, ``~=2.5.0``, ``<2``) allows; ``EVERY`` for
    an empty specifier or one this module cannot read (pip refuses most of those itself)."""
    found = EVERY
    text = specifier.strip().strip("()")
    if not text:
        return EVERY
    for clause in text.split(","):
        m = _CLAUSE.match(clause)
        bounds = _clause(m.group(1), m.group(2)) if m else None
        if bounds is None:
            return EVERY
        found = intersect(found, bounds)
    return found


def _clause(op: str, version: str) -> Optional[Interval]:
    if op == "!=":
        return EVERY  # a hole in the interval: ignored (the interval may only grow)
    if op == "==" and version.endswith(".*"):
        return _prefix(version[:-2], 0)
    if op == "~=":
        return _compatible(version)
    key = version_key(version)
    if key is None:
        return None
    return {
        "===": point(key),
        "==": point(key),
        "<": (None, False, key, False),
        "<=": (None, False, key, True),
        ">": (key, False, None, False),
        ">=": (key, True, None, False),
    }[op]


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


def reaches(i: Interval, span: Interval) -> bool:
    """The resolver may pick a version of ``span`` for ``i``: they meet, and the newest
    version ``i`` allows is not past ``span`` for certain. With no upper bound the resolver
    takes the newest release, so it lands in ``span`` only when ``span`` has no upper bound
    either (an older compromised release, already pulled from the index, is not reached)."""
    return not empty(intersect(i, span)) and (i[2] is not None or span[2] is None)


def exact(i: Interval) -> Optional[tuple]:
    """The one version ``i`` allows, if it is a single version."""
    return i[0] if i[0] is not None and i[0] == i[2] and i[1] and i[3] else None


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
