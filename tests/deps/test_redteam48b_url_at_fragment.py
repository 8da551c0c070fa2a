"""Red team 48b R48b-6 (HIGH): a direct URL on an untrusted place is allowed when its
fragment holds ``@ `` and a trusted index URL after it.

fix54spell decides a direct URL on its text as written (``Requirement.written``). The
direct-URL rule reads the URL out of that text with ``decide._ref_url``
(jupyterlab_warden/kernel/guard/installs/decide.py:567): when the text holds ``" @ "`` or
``"@ "`` anywhere it takes what follows the FIRST ``@`` as the URL. A bare URL requirement
``http://UNTRUSTED/files/x.whl#egg=x@ http://TRUSTED/simple/x.whl`` has no name, so that
``@`` is inside the fragment: Warden decides ``http://TRUSTED/simple/x.whl`` (under a
trusted index: allowed), while pip fetches the URL without its fragment from the untrusted
place and installs it (a fragment is never sent).

Fix (mechanism): take the reference out of a requirement where the parser found it (the
``name @`` split made by ``parse_requirement``, kept on the requirement), never by searching
the text again for an ``@``; a bare URL's reference is the URL itself up to its fragment.
"""

import sys

import pytest
from local_index import LocalIndex, build_wheel

WHEEL = "warden_demo_pkg-1.0-py3-none-any.whl"


@pytest.fixture()
def host(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    server = LocalIndex(root, [build_wheel(root, "warden-demo-pkg")])
    yield server
    server.close()


def _policy(host) -> dict:
    # only the simple index is trusted: /files/ is a place the policy does not name
    return {"schema_version": 1, "revision": 3,
            "trusted_sources": {"package_indexes": [host.simple]}}  # fmt: skip


def _pip(tmp_path, requirement):
    return [
        sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
        "--target", str(tmp_path / "target"), requirement,
    ]  # fmt: skip


def _installed(tmp_path) -> bool:
    return any((tmp_path / "target").glob("warden_demo_pkg_mod"))


def test_control_the_untrusted_url_as_is_is_refused(guarded, host, tmp_path):
    result = guarded(_policy(host), _pip(tmp_path, host.file_url(WHEEL)))
    assert result["type"] == "WardenBlockedInstall", result
    assert not _installed(tmp_path) and host.requests == []


def test_r48b_6_an_at_in_the_fragment_makes_warden_decide_another_url(guarded, host, tmp_path):
    req = f"{host.file_url(WHEEL)}#egg=warden-demo-pkg@ {host.simple}/warden-demo-pkg/{WHEEL}"
    unguarded = guarded(_policy(host), _pip(tmp_path, req), guarded=False)
    assert _installed(tmp_path), ("without Warden pip installs the /files/ wheel", unguarded)
    assert f"/files/{WHEEL}" in host.requests
    (tmp_path / "target").rename(tmp_path / "target-unguarded")
    host.requests.clear()

    result = guarded(_policy(host), _pip(tmp_path, req))
    # FAILS today: Warden decided http://.../simple/... (trusted) and pip fetched /files/
    assert result.get("type") == "WardenBlockedInstall", result
    assert not _installed(tmp_path) and host.requests == [], host.requests
