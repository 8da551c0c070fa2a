"""Writes schema/vectors/specifier-sets.json: for a grid of PEP 440 specifier sets, versions
and advisory spans, what the kernel's ``installs/specifiers.py`` reads (red team 42b R42b-2,
R42b-3): each version in ``over`` (the specifier may allow it) and in ``under`` (it certainly
does), and for each span whether the set is ``covered`` by it and ``reaches`` it. Written as
strings of 0/1, one character per version or span in the file's order.
tests/deps/test_specifier_sets.py checks the file is what the kernel gives today and that it
agrees with ``packaging`` (pip's vendored copy and the current one); src/deps/specifiers.spec.ts
that the TypeScript port gives the same.
    PYTHONPATH=. python scripts/specifier-sets-fixture.py
"""

import json
from pathlib import Path

from jupyterlab_warden.kernel.guard.installs import specifiers
from jupyterlab_warden.kernel.guard.installs.versions import version_key

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "schema/vectors/specifier-sets.json"

_BASES = ["0.9", "1.0", "1.0.1", "1.1", "2.0", "1!0.5"]
_SUFFIXES = ["", "a1", "rc1", ".dev0", ".dev3", ".post0", ".post1", ".post1.dev0", "a1.post1"]
# "1rc1" is 1.0rc1 written short: pip's vendored packaging reads a prefix clause by its text
VERSIONS = [b + s for b in _BASES for s in _SUFFIXES] + ["1.0+cpu", "1.0.post2+cpu", "1.1rc1+x"]
VERSIONS += ["1rc1"]

_ON = ["1.0", "1.0a1", "1.0.dev1", "1.0.post1", "1.0.post1.dev1", "1.1", "1!0.5", "0.9.post0"]
SPECIFIERS = (
    [op + v for op in ("<", "<=", ">", ">=", "==", "!=") for v in _ON]
    + ["~=1.0", "~=1.0.0", "~=0.9.1", "~=1!0.5", "==1.0.*", "!=1.0.*", "==1!0.*", "!=1.*"]
    + ["===1.0", "==1.0+cpu", "!=1.0+cpu", "", "<=1.0,!=0.9", ">=0.9,!=1.1.*"]
    + [">0.9,<2,!=1.0.1", "<1,>2", "!=0.9,!=1.0,!=1.1", ">=1.0,", "<1.0+cpu", "~=1", "==1.0a1.*"]
    + ["!=2.0a1", ">=1!0", "<1!0.5", "==1.0, <3", "== 1.0.*"]
    # R43b-2: prefixes not written as a normalized version writes them, which pip's vendored
    # packaging (21.3) matches by text against nothing, and prefixes ending in .0 / with an
    # epoch, which it does not match against a candidate written with fewer parts
    + ["!=00.*", "==00.*", "!=v0.*", "==v0.*", "!=0!0.*", "==0!0.*", "!=0.09.*", "!=01.0.*"]
    + ["!=00.*,!=1.0", "<1,!=00.*", "!=1.0.0.*", "==1.0.0.*", "!=1!0.*", "!=1!0.5.*"]
)  # fmt: skip

# advisory spans: single listed releases, and OSV ranges (introduced, fixed or last_affected)
_POINTS = ["0.9", "1.0", "1.0.post1", "1.1rc1", "1.1", "2.0", "1!0.5", "1.0a1"]
_RANGES = [("0", "fixed", "1.0"), ("0.9", "fixed", "1.1"), ("1.0", "last_affected", "1.1"),
           ("1.1", None, None), ("0", None, None), ("1!0", "fixed", "1!1")]  # fmt: skip


def span_list():
    """The spans, as the interval and a label."""
    out = [(specifiers.point(version_key(v)), v) for v in _POINTS]
    for start, kind, end in _RANGES:
        events = [{"introduced": start}] + ([{kind: end}] if kind else [])
        [span] = specifiers.spans(events)
        out.append((span, json.dumps(events)))
    return out


def _bits(flags) -> str:
    return "".join("1" if f else "0" for f in flags)


def member(found: tuple, key) -> bool:
    return any(specifiers.within(specifiers.point(key), i) for i in found)


def fixture() -> dict:
    keys = [version_key(v) for v in VERSIONS]
    spans = span_list()
    sets = []
    for text in SPECIFIERS:
        over, under = allowed = specifiers.allowed(text)
        sets.append(
            {
                "specifier": text,
                "unread": allowed == specifiers.UNREAD,
                "over": _bits(member(over, k) for k in keys),
                "under": _bits(member(under, k) for k in keys),
                "covered": _bits(specifiers.covered(allowed, s) for s, _ in spans),
                "reaches": _bits(specifiers.reaches(allowed, s) for s, _ in spans),
            }
        )
    return {
        "description": (
            "Specifier sets as the kernel's installs/specifiers.py reads them (written by "
            "scripts/specifier-sets-fixture.py): per set, one character per version (over: "
            "may be allowed, under: certainly allowed) and per span (covered, reaches)"
        ),
        "versions": VERSIONS,
        "spans": [label for _, label in spans],
        "span_events": [_events(label) for _, label in spans],
        "sets": sets,
    }


def _events(label: str) -> list:
    """A span as OSV data: a listed version is ``{"version": V}``, a range its events."""
    return [{"version": label}] if not label.startswith("[") else json.loads(label)


if __name__ == "__main__":
    OUT.write_text(json.dumps(fixture(), indent=1) + "\n")
