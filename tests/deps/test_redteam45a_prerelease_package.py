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

import pytest
from listed_release import DEMO, demo_index, record, run_cell, uv_cell, write_policy

index = demo_index("index45a6", versions=("1.0", "1.1rc1"))
LISTED = record("MAL-2099-456", ["1.1rc1"])


def _cell(*words: str) -> str:
    return uv_cell(*words, DEMO)


def test_r45a_6_control_prerelease_allow_is_refused(kernel):
    write_policy(kernel, LISTED)
    result, found = run_cell(kernel, _cell("--prerelease", "allow"), launched=True)
    assert result["refused"] and "MAL-2099-456" in result["refused"] and not found, result


@pytest.mark.parametrize(
    "words", [("--prerelease-package", f"{DEMO}=allow"), (f"--prerelease-package={DEMO}=allow",)]
)
def test_r45a_6_prerelease_package_is_noted(kernel, words):
    write_policy(kernel, LISTED)
    code = _cell(*words)
    result, found = run_cell(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-1.1rc1.dist-info"], (result, found)  # uv takes 1.1rc1
    result, found = run_cell(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: not a preference setting
    assert result["refused"] and "MAL-2099-456" in result["refused"], result
