"""R45a-8: the name of a project folder the user builds is no imitation of a popular name.

``offered.add_project`` / ``add_locked`` (R44a-1, R44a-2) decide a local project by its name,
as a file a folder offers is; a notebook project is often named after its folder
(``notebooks``, ``model``), which the imitation names flagged. A project folder (a path given,
uv.lock's ``virtual``, ``editable``, ``directory``) is fetched from no index: the imitation
check is left out; the malicious list, the advisories and the deny list still apply, and the
remedy speaks of the project, not of a file to remove. A wheel or sdist FILE (uv.lock's
``path``) keeps every check.
"""

from pathlib import Path

from test_fix48offered import LISTED, _decided

from jupyterlab_warden.kernel.guard.installs import decide, offered
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest


def _project(cwd: Path, name: str, version: str = "0.1") -> None:
    (cwd / "proj").mkdir()
    text = f'[project]\nname = "{name}"\nversion = "{version}"\n'
    (cwd / "proj" / "pyproject.toml").write_text(text)


def test_a_project_folder_named_like_a_popular_package_is_no_imitation(tmp_path):
    _project(tmp_path, "notebooks")
    for command in ("pip install -e ./proj", "uv pip install ./proj"):
        findings, runs, problems = _decided(command, tmp_path)
        assert runs and not findings and not problems, (command, findings, problems)


def test_a_wheel_file_by_that_name_is_still_an_imitation():
    request = InstallRequest("uv", "uv sync")
    offered.add_locked(request, "notebooks", "0.1", "uv.lock package notebooks", own=False)
    found = decide.decide(request, LISTED, DepsData().with_policy(LISTED))
    assert any(f.reason.startswith("imitation:notebooks") for f in found), found


def test_the_deny_list_still_applies_to_a_project_and_its_remedy_names_the_project():
    # denied, and 0.9 a listed (malicious) release
    policy = dict(
        LISTED, dependencies=dict(LISTED["dependencies"], deny_packages=["warden-demo-pkg"])
    )
    request = InstallRequest("uv", "uv pip install")
    offered.add_project(request, {"project": {"name": "warden-demo-pkg", "version": "0.9"}}, "p")
    found = decide.decide(request, policy, DepsData().with_policy(policy))
    reasons = {f.reason for f in found}
    assert {"denied:warden-demo-pkg", "malicious-release:warden-demo-pkg==0.9"} <= reasons, reasons
    assert all("Do not install that project" in f.remedy for f in found), found
    assert not any("from that folder" in f.remedy for f in found)
