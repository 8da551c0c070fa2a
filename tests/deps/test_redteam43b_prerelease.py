"""Red team 43b R43b-5 (MED, borderline with R41b-1's open entry): a listed pre-release above every
final release.

``specifiers.reaches`` lets a set with no upper bound and no hole above a listed release
through because "the resolver takes the newest release". pip takes the newest FINAL release:
a pre-release is taken only with ``--pre`` or when the specifier names one (pip's
``CandidateEvaluator``; uv's ``if-necessary-or-explicit`` alike). With 1.0 (clean) and
1.1rc1 (listed as malicious: a hijacked pre-release upload) on the index, a bare
``pip install warden-demo-pkg`` installs 1.0, while ``'warden-demo-pkg>=1.1rc1'`` (a
specifier naming a pre-release lets pip take them) or ``--pre warden-demo-pkg`` installs the
listed 1.1rc1, and Warden lets both through.
(The threat model's R41b-1 "open" entry covers an index serving a listed release as the one
a bare name installs; here a bare name does NOT install it: the cell's specifier or option
moves pip onto it, as ``!=1.0`` did in R42b-2.)

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index43b5")
    wheels = [build_wheel(root, DEMO, "1.0"), build_wheel(root, DEMO, "1.1rc1")]
    server = LocalIndex(root, wheels)
    yield server
    server.close()


HIJACKED = {
    "id": "MAL-2099-46",
    "summary": "test record MAL-2099-46",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["1.1rc1"]}],
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


def _pip(*words):
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", "--index-url", "{index}", *words]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def _version(kernel):
    found = sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))
    return found[0][len("warden_demo_pkg-") : -len(".dist-info")] if found else None


def test_r43b_5_control_a_bare_name_installs_the_final_release(kernel):
    _policy(kernel)
    kernel.reset()
    result = kernel.cell(_pip(DEMO), launched=True)
    assert result["refused"] is None and _version(kernel) == "1.0", result


CASES = {"named-prerelease": _pip(f"{DEMO}>=1.1rc1"), "--pre": _pip("--pre", DEMO)}


@pytest.mark.parametrize("how", sorted(CASES))
def test_r43b_5_the_listed_prerelease_reached_is_refused(kernel, how):
    _policy(kernel)
    kernel.reset()
    plain = kernel.cell(CASES[how], launched=False)
    assert plain["refused"] is None and _version(kernel) == "1.1rc1", plain
    kernel.reset()
    result = kernel.cell(CASES[how], launched=True)
    version = _version(kernel)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 1.1rc1
    assert result["refused"] and "MAL-2099-46" in result["refused"], result
