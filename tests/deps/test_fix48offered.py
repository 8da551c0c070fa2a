"""fix48offered: each file a local folder offers is decided by its project and version (red
team 43b R43b-4), and the shipped data folder is fixed at the guard's boot (R43b-3).

The kernel-level proofs are tests/deps/test_redteam43b_findlinks.py and
test_redteam43b_data_path.py; these pin the reading itself (wheels, sdists, pages, pip's wheel
cache) and what the user is told.
"""

import os
import zipfile
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from test_install_gate import POLICY

from jupyterlab_warden.kernel.guard import catalog
from jupyterlab_warden.kernel.guard.installs import decide, local_wheels, names, offered
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest

DEMO = "warden-demo-pkg"
RECORDS = [
    {
        "id": "MAL-2099-46",
        "summary": "test record MAL-2099-46",
        "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
    },
    {
        "id": "PYSEC-2099-7",
        "summary": "test record PYSEC-2099-7",
        "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.8"]}],
    },
]
LISTED = dict(POLICY, dependencies=dict(POLICY.get("dependencies", {}), advisories=RECORDS))
DATA = DepsData().with_policy(LISTED)
RULES = catalog.Rules()


def _wheel(path: Path, name: str = "warden_demo_pkg", version: str = "") -> Path:
    """A plain wheel whose METADATA names ``name`` and ``version`` (the file name's when '')."""
    version = version or path.name.split("-")[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("warden_demo_pkg/__init__.py", "")
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        archive.writestr(f"warden_demo_pkg-{version}.dist-info/METADATA", meta)
    return path


def _decided(command: str, cwd: Path):
    """(findings, whether it runs, the problems read) for ``command`` run in ``cwd``."""
    home = cwd / "home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "XDG_CONFIG_DIRS": str(home / "x")}
    env.update(GUARDED_ENV)
    findings, runs, problems = [], True, []
    for request in read_requests(None, command, env, str(cwd)):
        problems += request.problems
        for finding in decide.decide(request, LISTED, DATA):
            findings.append(finding)
            runs = runs and RULES.action_for(finding.rule_id, LISTED) not in ("block", "confirm")
    return findings, runs, problems


def _rules(findings) -> set:
    return {f.rule_id for f in findings}


@pytest.mark.parametrize("tool", ["pip install", "uv pip install"])
def test_a_folder_offering_a_malicious_release_wheel_is_refused(tmp_path, tool):
    _wheel(tmp_path / "wheels/warden_demo_pkg-1.0-py3-none-any.whl")
    _wheel(tmp_path / "wheels/warden_demo_pkg-0.9-py3-none-any.whl")
    findings, runs, _ = _decided(f"{tool} --no-index -f wheels {DEMO}", tmp_path)
    bad = [f for f in findings if f.rule_id == decide.RULE_MALICIOUS]
    assert not runs and bad and bad[0].advisories == ("MAL-2099-46",), findings
    assert "local find-links wheels offers warden_demo_pkg-0.9-py3-none-any.whl" in bad[0].message
    assert bad[0].remedy.startswith("Remove warden_demo_pkg-0.9-py3-none-any.whl from that folder")


def test_a_folder_offering_only_unlisted_releases_stays_allowed(tmp_path):
    _wheel(tmp_path / "wheels/warden_demo_pkg-1.0-py3-none-any.whl")
    findings, runs, _ = _decided(f"pip install --no-index -f wheels {DEMO}", tmp_path)
    assert (findings, runs) == ([], True)


def test_an_old_vulnerable_release_beside_a_new_one_is_flagged_not_refused(tmp_path):
    """The installer may take the old file (a pin, a bound, a dependency): the vulnerable
    rule says so, with its own action (a warning by default), not a refusal."""
    _wheel(tmp_path / "wheels/warden_demo_pkg-1.0-py3-none-any.whl")
    _wheel(tmp_path / "wheels/warden_demo_pkg-0.8-py3-none-any.whl")
    findings, runs, _ = _decided(f"pip install --no-index -f wheels {DEMO}", tmp_path)
    assert _rules(findings) == {decide.RULE_VULNERABLE} and runs, findings


@pytest.mark.parametrize(
    "metadata", [("other-pkg", "0.9"), ("warden-demo-pkg", "0.8"), ("", "1.0")]
)
def test_an_offered_wheel_whose_metadata_disagrees_with_its_name_is_refused(tmp_path, metadata):
    _wheel(tmp_path / "wheels/warden_demo_pkg-1.0-py3-none-any.whl", *metadata)
    findings, runs, problems = _decided(f"pip install --no-index -f wheels {DEMO}", tmp_path)
    assert not runs and any("not what its file name says" in p for p in problems), problems


def test_an_offered_wheel_whose_metadata_spells_the_same_release_is_allowed(tmp_path):
    _wheel(tmp_path / "wheels/Warden.Demo_pkg-1.0-py3-none-any.whl", "Warden_Demo.Pkg", "1.0.0")
    findings, runs, _ = _decided(f"pip install --no-index -f wheels {DEMO}", tmp_path)
    assert (findings, runs) == ([], True)


def test_an_offered_wheel_with_no_readable_file_name_is_refused(tmp_path):
    _wheel(tmp_path / "wheels/warden_demo_pkg.whl", version="1.0")
    findings, runs, problems = _decided(f"pip install --no-index -f wheels {DEMO}", tmp_path)
    assert not runs and any("not a wheel file name" in p for p in problems), problems


@pytest.mark.parametrize(
    "archive", ["warden_demo_pkg-0.9.tar.gz", "warden-demo-pkg-0.9.zip", "warden_demo_pkg-0.9.tbz"]
)
@pytest.mark.parametrize("tool", ["pip install", "uv pip install"])
def test_a_folder_offering_a_malicious_release_sdist_is_refused(tmp_path, archive, tool):
    (tmp_path / "dists").mkdir()
    (tmp_path / "dists" / archive).write_bytes(b"not opened")
    findings, runs, _ = _decided(f"{tool} --no-index -f dists {DEMO}", tmp_path)
    assert not runs and "MAL-2099-46" in {a for f in findings for a in f.advisories}, findings


def test_an_sdist_a_local_page_links_is_decided(tmp_path):
    (tmp_path / "dists").mkdir()
    (tmp_path / "dists/warden_demo_pkg-0.9.tar.gz").write_bytes(b"not opened")
    (tmp_path / "page.html").write_text('<a href="dists/warden_demo_pkg-0.9.tar.gz">x</a>')
    findings, runs, _ = _decided(f"pip install --no-index -f page.html {DEMO}", tmp_path)
    assert not runs and decide.RULE_MALICIOUS in _rules(findings), findings


def test_an_archive_no_project_can_be_read_from_is_refused(tmp_path):
    (tmp_path / "dists").mkdir()
    (tmp_path / "dists/notes.zip").write_bytes(b"not opened")
    findings, runs, problems = _decided(f"pip install --no-index -f dists {DEMO}", tmp_path)
    assert not runs and any("notes.zip, an archive whose name" in p for p in problems), problems


def test_a_legacy_sdist_name_is_decided_at_every_split():
    assert offered.releases("a-b-1.0-2.tar.gz") == [("a-b", "1.0-2"), ("a-b-1-0", "2")]
    assert offered.releases("Foo_Bar-2.0rc1.tar.zst") == [("foo-bar", "2.0rc1")]
    assert offered.releases("notes.zip") == [] and offered.releases("x-1.0.txt") == []


def test_a_pip_wheel_cache_hit_is_decided_by_its_release(tmp_path):
    """``InstallGate.decide_cached_wheel`` reads a hit with ``add_offered``."""
    request = InstallRequest("pip", "pip install")
    path = _wheel(tmp_path / "cache/warden_demo_pkg-0.9-py3-none-any.whl")
    local_wheels.add_offered(request, str(path), "pip's wheel cache, for https://x/y.tar.gz")
    findings = decide.decide(request, LISTED, DATA)
    assert decide.RULE_MALICIOUS in _rules(findings), findings
    assert request.names() == []  # an offered file is not a package the install asks for


def test_the_data_folder_is_fixed_before_a_rebound_abspath(monkeypatch):
    before = names.data_path("osv-snapshot.json")
    monkeypatch.setattr(os.path, "abspath", lambda p: "/elsewhere/x.py")
    assert names.data_path("osv-snapshot.json") == before
    assert Path(before).is_file()
