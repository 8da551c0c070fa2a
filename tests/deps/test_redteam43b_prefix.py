"""Red team 43b R43b-2 (HIGH): a ``!=`` prefix clause pip's packaging reads as text.

``specifiers._prefix`` reads ``!=00.*``, ``!=v0.*``, ``!=0!0.*``, ``!=0.09.*`` as the hole
``!=0.*`` / ``!=0.9.*`` (version_key folds leading zeros, the ``v``, the zero epoch). The
packaging pip 23.2 vendors (21.3, the lab's pip) matches a prefix clause by comparing the
clause's text, split at dots, with the candidate's normalized text (``_compare_equal``:
``_version_split(spec[:-2])`` against ``_version_split(str(prospective))``): ``"00" != "0"``,
``"v0" != "0"``, ``"0!0" != "0"``, so the hole leaves out NOTHING. With 0.9 listed as
malicious and 1.0 clean on the index, ``pip install 'warden-demo-pkg!=00.*,!=1.0'`` (or
``<1,!=00.*``) is read by Warden as leaving out 0.9 (not reached) and pip installs 0.9.
``test_specifier_sets`` holds ``over`` to both packaging versions only over a grid with no
such spelling.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

from jupyterlab_warden.kernel.guard.installs import specifiers
from jupyterlab_warden.kernel.guard.installs.versions import version_key

DEMO = "warden-demo-pkg"
VENDORED = pytest.importorskip("pip._vendor.packaging.specifiers")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index43b2")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


HIJACKED = {
    "id": "MAL-2099-44",
    "summary": "test record MAL-2099-44",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [HIJACKED]},
            }
        )
    )


def _pip_cell(requirement: str) -> str:
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", "--index-url", "{index}", requirement]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def _version(kernel):
    found = sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))
    return found[0][len("warden_demo_pkg-") : -len(".dist-info")] if found else None


SPECS = ["!=00.*,!=1.0", "!=v0.*,!=1.0", "!=0!0.*,!=1.0", "!=0.09.*,!=1.0", "<1,!=00.*"]


@pytest.mark.parametrize("spec", SPECS)
def test_r43b_2_pip_vendored_packaging_keeps_the_listed_release(spec):
    """The control, without a kernel: pip's packaging lets 0.9 (and only 0.9) in."""
    found = [v for v in ("0.9", "1.0") if v in VENDORED.SpecifierSet(spec)]
    assert found == ["0.9"], found


@pytest.mark.parametrize("spec", SPECS)
def test_r43b_2_reaches_the_listed_release(spec):
    """FAILS today: reaches() says the set leaves 0.9 out."""
    assert specifiers.reaches(specifiers.allowed(spec), specifiers.point(version_key("0.9")))


def test_r43b_2_control_the_canonical_hole_is_not_reached():
    """``!=0.*,!=1.0``: pip itself leaves 0.9 out (no release is left: pip fails, nothing
    installs); Warden lets it through and that is right."""
    assert not specifiers.reaches(
        specifiers.allowed("!=0.*,!=1.0"), specifiers.point(version_key("0.9"))
    )


@pytest.mark.parametrize("spec", ["!=00.*,!=1.0", "<1,!=v0.*"])
def test_r43b_2_pip_installs_the_listed_release_through_a_text_prefix(kernel, spec):
    _policy(kernel)
    code = _pip_cell(f"{DEMO}{spec}")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and _version(kernel) == "0.9", plain  # the attack works
    kernel.reset()
    result = kernel.cell(code, launched=True)
    version = _version(kernel)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-44" in result["refused"], result
