"""Specifier sets read as PEP 440 reads them (red team 42b R42b-2, R42b-3): the kernel's
``installs/specifiers.py`` against ``packaging``, the library pip resolves with, in both the
copy pip vendors and the current release (they differ at the edges of ``<V`` and ``>V``).

``over`` must hold every version either allows and ``under`` none that either leaves out;
where the two agree on a version without a local label, and the specifier names none,
``over`` is exactly their answer. schema/vectors/specifier-sets.json pins the same grid for
the TypeScript port (src/deps/specifiers.spec.ts).
"""

import json
import re
import runpy
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard.installs import specifiers

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = runpy.run_path(str(ROOT / "scripts/specifier-sets-fixture.py"))
CURRENT = pytest.importorskip("packaging.specifiers")
VENDORED = pytest.importorskip("pip._vendor.packaging.specifiers")


def test_the_vectors_are_what_the_kernel_reads():
    fixture = json.loads((ROOT / "schema/vectors/specifier-sets.json").read_text())
    assert FIXTURE["fixture"]() == fixture


def _answers(module, text: str):
    """``module``'s membership of each grid version in ``text`` (pre-releases admitted: pip
    takes them with ``--pre`` or when nothing else matches), or None when it refuses it."""
    try:
        spec = module.SpecifierSet(text)
    except module.InvalidSpecifier:
        return None
    if any(type(s).__name__ == "LegacySpecifier" for s in spec):
        return None  # pip's old copy reads what PEP 440 refuses as a legacy specifier
    return [spec.contains(v, prereleases=True) for v in FIXTURE["VERSIONS"]]


@pytest.mark.parametrize("text", FIXTURE["SPECIFIERS"])
def test_the_sets_hold_what_packaging_allows(text):
    from jupyterlab_warden.kernel.guard.installs.versions import version_key

    over, under = allowed = specifiers.allowed(text)
    current, vendored = _answers(CURRENT, text), _answers(VENDORED, text)
    if current is None or vendored is None:
        assert allowed == specifiers.UNREAD  # refused by one: read as anything, fail closed
        return
    member = FIXTURE["member"]
    exact = "+" not in text and "===" not in text
    # a key is every spelling of its version (``1rc1`` and ``1.0rc1``), which pip's vendored
    # packaging may read apart in a prefix clause (R43b-2): ``over`` holds the version when
    # any spelling is let in, so it is exact only where no shorter spelling exists
    answers: dict = {}
    for version, new, old in zip(FIXTURE["VERSIONS"], current, vendored):
        answers.setdefault(version_key(version), set()).add((new, old))
    for version, new, old in zip(FIXTURE["VERSIONS"], current, vendored):
        key = version_key(version)
        if new or old:
            assert member(over, key), (text, version, "allowed by packaging, not in over")
        if member(under, key):
            assert new and old, (text, version, "in under, refused by packaging")
        release = re.match(r"(?:\d+!)?(\d+(?:\.\d+)*)", version).group(1)
        short = ".*" in text and release.endswith(".0")
        if exact and new == old and "+" not in version and len(answers[key]) == 1 and not short:
            assert member(over, key) == new, (text, version)


@pytest.mark.parametrize(
    "spec,listed,reached",
    [
        ("!=1.0", "0.9", True),  # R42b-2: the newest release left out, pip falls back
        ("!=1.0.*", "0.9", True),
        (">=0.5,!=2.0", "0.9", True),
        ("!=1.0+cpu", "0.9", True),  # the local build left out: maybe the only newer one
        ("!=0.5", "0.9", False),  # a hole below the listed release: the newest still wins
        ("", "0.9", False),
        (">=0.9", "0.9", False),
        ("<=1.0,!=0.9", "0.9", False),  # R42b-3: the listed release left out by name
        ("<1.1", "1.1rc1", False),  # R42b-3: <V leaves out V's pre-releases
        ("<1.1rc2", "1.1rc1", True),  # ... unless V is one
        ("<1.1.post1", "1.1rc1", True),  # packaging 26 lets it in
        (">1.0", "1.0.post1", False),  # >V leaves out V's post releases
        (">1.0,<2", "1.0.post1", False),
        (">1.0.post0,<2", "1.0.post1", True),
        ("<2", "1!0.5", False),  # an epoch sorts first
        ("<1!1", "1!0.5", True),
        ("<1.0+cpu", "0.9", True),  # not a specifier pip reads: fail closed
        ("!=00.*,!=1.0", "0.9", True),  # R43b-2: pip 23.2 reads the prefix by text
        ("!=0.*,!=1.0", "0.9", False),  # ... written as a version: the hole it is
        ("!=1.0.*", "1.0rc1", True),  # ... and lets a short spelling (1rc1) in
        ("!=1.5.*", "1.5rc1", False),
    ],
)
def test_reached_is_what_the_resolver_may_pick(spec, listed, reached):
    from jupyterlab_warden.kernel.guard.installs.versions import version_key

    span = specifiers.point(version_key(listed))
    assert specifiers.reaches(specifiers.allowed(spec), span) is reached
