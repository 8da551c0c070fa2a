"""A direct reference is decided by the project its file is, not only by the name before ``@``
(red team 11 R11-19): pip builds the sdist a URL serves — running its setup.py — before it
compares the metadata name with the written one, so a trusted files host must not carry a
typosquat in under an innocent name."""

import io
import sys
import tarfile

import pytest
from local_index import LocalIndex, build_wheel

from jupyterlab_warden.kernel.guard.installs.requirements import artifact_file, artifact_name

POLICY = {"schema_version": 1, "revision": 3}


@pytest.fixture()
def files_host(tmp_path):
    """A local index whose /files plays files.pythonhosted.org: torcj's sdist writes a marker
    from its setup.py; warden-demo-pkg's wheel is the honest control."""
    root = tmp_path / "files"
    root.mkdir()
    marker = tmp_path / "TORCJ_SETUP_RAN"
    sdist = root / "torcj-1.0.tar.gz"
    setup = f"open({str(marker)!r}, 'w').write('ran')\nfrom setuptools import setup\n"
    setup += "setup(name='torcj', version='1.0')\n"
    with tarfile.open(sdist, "w:gz") as tf:
        for arc, text in {
            "torcj-1.0/setup.py": setup,
            "torcj-1.0/PKG-INFO": "Metadata-Version: 2.1\nName: torcj\nVersion: 1.0\n",
        }.items():
            info = tarfile.TarInfo(arc)
            info.size = len(text.encode())
            tf.addfile(info, io.BytesIO(text.encode()))
    server = LocalIndex(root, [sdist, build_wheel(root, "warden-demo-pkg")])
    server.marker = marker
    yield server
    server.close()


def _policy(host) -> dict:
    return dict(POLICY, trusted_sources={"package_indexes": [host.simple, host.base + "/files"]})


def _pip(tmp_path, requirement):
    return [
        sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
        "--target", str(tmp_path / "target"), "--log", str(tmp_path / "pip.log"), requirement,
    ]  # fmt: skip


def test_an_innocent_name_before_at_does_not_carry_a_typosquats_sdist_in(
    guarded, files_host, tmp_path
):
    req = f"warden-demo-pkg @ {files_host.file_url('torcj-1.0.tar.gz')}"
    unguarded = guarded(_policy(files_host), _pip(tmp_path, req), guarded=False)
    assert files_host.marker.exists(), ("without Warden torcj's setup.py runs", unguarded)
    files_host.marker.unlink()
    (tmp_path / "pip.log").unlink()
    files_host.requests.clear()

    result = guarded(_policy(files_host), _pip(tmp_path, req))
    assert result["type"] == "WardenBlockedInstall", result
    assert "its file is the project 'torcj', not 'warden-demo-pkg'" in result["refused"]
    assert "imitation of the popular package 'torch'" in result["refused"]
    assert not files_host.marker.exists() and not (tmp_path / "pip.log").exists()
    assert files_host.requests == [], "the files host was contacted"


def test_a_name_at_its_own_file_on_a_trusted_host_installs(guarded, files_host, tmp_path):
    wheel = "warden_demo_pkg-1.0-py3-none-any.whl"
    req = f"Warden.Demo_Pkg @ {files_host.file_url(wheel)}"  # another spelling, one project
    result = guarded(_policy(files_host), _pip(tmp_path, req))
    assert result["refused"] is None and result["returncode"] == 0, result
    assert any((tmp_path / "target").glob("warden_demo_pkg_mod"))


@pytest.mark.parametrize(
    ("ref", "url", "project"),
    [
        ("https://h/p/torch-2.6.0%2Bcpu-cp311-cp311-linux_x86_64.whl", True, "torch"),
        ("https://h/p/torc%6a-1.0.tar.gz", True, "torcj"),  # pip fetches torcj-1.0.tar.gz
        ("https://h/p/Foo_Bar-1.0-1-py3-none-any.whl#sha256=ab", True, "foo-bar"),
        ("https://h/p/foo-bar-2.0.zip?x=1", True, "foo-bar"),
        ("./dist/torc%6a-1.0.tar.gz", False, None),  # a path is not %-decoded
        ("https://h/p/download.zip", True, None),  # no project in it: the URL policy decides
        ("https://h/p/a-1.0-x-py3-none-any.whl", True, None),  # a build tag starts with a digit
        ("https://h/p/a-1.0-py3-none.whl", True, None),
        ("https://h/p/a-latest.tar.gz", True, None),
        # a URL's file is the last segment of its path, never its scheme or host (R47c-8)
        ("file:torcj-1.0-py3-none-any.whl", True, "torcj"),
        ("file:torcj-1.0.tar.gz", True, "torcj"),
        ("file:///w/torc%6a-1.0.tar.gz", True, "torcj"),
        ("https://torch-1.0.tar.gz", True, None),
        ("https://torch-1.0.tar.gz/", True, None),
        ("https://h\\torcj-1.0.tar.gz", True, "torcj"),
        ("C:/dist/torcj-1.0.tar.gz", False, "torcj"),
    ],
)
def test_artifact_file_names_follow_the_packaging_rules(ref, url, project):
    assert artifact_name(ref, url) == project


@pytest.mark.parametrize(
    ("ref", "url", "found"),
    [
        (
            "https://h/p/torch-2.5.0%2Bcpu-cp311-cp311-linux_x86_64.whl",
            True,
            ("torch", "2.5.0+cpu"),
        ),
        ("https://h/p/Foo_Bar-1.0-1-py3-none-any.whl", True, ("foo-bar", "1.0")),
        ("./dist/torch-2.5.1.tar.gz", False, ("torch", "2.5.1")),
        ("https://h/p/download.zip", True, None),
    ],
)
def test_artifact_file_gives_the_version_the_advisories_are_checked_with(ref, url, found):
    """R11-19 gap: the file's version is what installs (torch-2.5.0-...whl is under the
    torch<2.6 advisory), so it is read as a pin is (vectors: install-vulnerable-version)."""
    assert artifact_file(ref, url) == found
