"""Red team 45a R45a-6: uv's ``--prerelease-package P=MODE`` enables a listed pre-release.

R43b-5: pip and uv take the newest FINAL release unless pre-releases are enabled, so
``InstallRequest.pre`` (``preference.note``: pip ``pre``, uv ``prerelease`` other than
``disallow`` / ``if-necessary-or-explicit``) makes a listed pre-release above every final one
reached. uv 0.13.9 also takes ``--prerelease-package <PACKAGE>=<MODE>`` (the strategy for one
package; known to Warden through schema/uv-cli.json, so the line is accepted), which
``preference.note`` does not know (not ``prerelease``, not in ``_UV_ORDER``): with 1.0 clean
and the listed 1.1rc1 above it, ``uv pip install --prerelease-package warden-demo-pkg=allow
warden-demo-pkg`` installs 1.1rc1, where ``--prerelease allow`` is refused (the control).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index45a6")
    server = LocalIndex(root, [build_wheel(root, DEMO, "1.0"), build_wheel(root, DEMO, "1.1rc1")])
    yield server
    server.close()


LISTED = {
    "id": "MAL-2099-456",
    "summary": "test record MAL-2099-456",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["1.1rc1"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [LISTED]},
            }
        )
    )


def _cell(*words: str) -> str:
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    argv += list(words) + [DEMO]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def _installed(kernel) -> list:
    return sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel)


def test_r45a_6_control_prerelease_allow_is_refused(kernel):
    _policy(kernel)
    result, found = _run(kernel, _cell("--prerelease", "allow"), launched=True)
    assert result["refused"] and "MAL-2099-456" in result["refused"] and not found, result


@pytest.mark.parametrize(
    "words", [("--prerelease-package", f"{DEMO}=allow"), (f"--prerelease-package={DEMO}=allow",)]
)
def test_r45a_6_prerelease_package_is_noted(kernel, words):
    _policy(kernel)
    code = _cell(*words)
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-1.1rc1.dist-info"], (result, found)  # uv takes 1.1rc1
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: not a preference setting
    assert result["refused"] and "MAL-2099-456" in result["refused"], result
