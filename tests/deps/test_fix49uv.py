"""fix49uv: local files and projects uv installs through a path source or a uv.lock are
decided by their project and version (red team 44a R44a-1, R44a-2).

The kernel-level proofs (the real uv) are tests/deps/test_redteam44a_path_source.py and
test_redteam44a_lock_path.py; these pin the reading: a path-source wheel's METADATA, a
path-source sdist and project folder, a locked registry package as a pin, a lock entry's file
name.
"""

from pathlib import Path

import pytest
from test_fix48offered import DEMO, _decided, _rules, _wheel

from jupyterlab_warden.kernel.guard.installs import decide

SOURCE = '[project]\nname = "proj"\nversion = "0.1"\ndependencies = ["{dep}"]\n'


def _project(cwd: Path, path: str, dep: str = DEMO) -> None:
    text = SOURCE.format(dep=dep) + f'[tool.uv.sources]\n{dep} = {{ path = "{path}" }}\n'
    (cwd / "pyproject.toml").write_text(text)


def _malicious(findings) -> list:
    return [f for f in findings if f.rule_id == decide.RULE_MALICIOUS]


def test_a_path_source_wheel_of_a_listed_release_is_refused(tmp_path):
    _wheel(tmp_path / "w/warden_demo_pkg-0.9-py3-none-any.whl")
    _project(tmp_path, "w/warden_demo_pkg-0.9-py3-none-any.whl")
    findings, runs, _ = _decided("uv pip install -r pyproject.toml", tmp_path)
    assert not runs and _malicious(findings), findings
    assert "MAL-2099-46" in _malicious(findings)[0].advisories


def test_a_path_source_wheel_whose_metadata_disagrees_is_refused(tmp_path):
    """Named 1.0, built as 0.9: uv installs by the metadata."""
    _wheel(tmp_path / "w/warden_demo_pkg-1.0-py3-none-any.whl", version="0.9")
    _project(tmp_path, "w/warden_demo_pkg-1.0-py3-none-any.whl")
    _, runs, problems = _decided("uv pip install -r pyproject.toml", tmp_path)
    assert not runs and any("not what its file name says" in p for p in problems), problems


def test_a_path_source_wheel_of_a_clean_release_stays_allowed(tmp_path):
    _wheel(tmp_path / "w/warden_demo_pkg-1.0-py3-none-any.whl")
    _project(tmp_path, "w/warden_demo_pkg-1.0-py3-none-any.whl")
    findings, runs, _ = _decided("uv pip install -r pyproject.toml", tmp_path)
    assert runs and not _malicious(findings), findings


def test_a_path_source_sdist_of_a_listed_release_is_refused(tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w/warden_demo_pkg-0.9.tar.gz").write_bytes(b"")
    _project(tmp_path, "w/warden_demo_pkg-0.9.tar.gz")
    findings, runs, _ = _decided("uv pip install -r pyproject.toml", tmp_path)
    assert not runs and _malicious(findings), findings


@pytest.mark.parametrize("version", ['version = "0.9"', 'dynamic = ["version"]'])
def test_a_path_source_project_is_decided_as_the_release_it_builds(tmp_path, version):
    """Its [project] name and version; by its name alone when the version is dynamic."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d/pyproject.toml").write_text(f'[project]\nname = "{DEMO}"\n{version}\n')
    _project(tmp_path, "d")
    findings, runs, _ = _decided("uv pip install -r pyproject.toml", tmp_path)
    if version.startswith("version"):
        assert not runs and _malicious(findings), findings
    else:  # 0.9 is listed, the name is not: nothing to refuse without the version
        assert runs and not _malicious(findings), findings


LOCK = 'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
LOCKED_PROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
    f'dependencies = ["{DEMO}"]\n[tool.uv]\npackage = false\n'
)


def _lock(cwd: Path, package: str) -> None:
    (cwd / "pyproject.toml").write_text(LOCKED_PROJECT)
    (cwd / "uv.lock").write_text(LOCK + f'[[package]]\nname = "{DEMO}"\n' + package)


@pytest.mark.parametrize(("version", "refused"), [("0.9", True), ("1.0", False)])
def test_a_locked_registry_package_is_decided_as_a_pin(tmp_path, version, refused):
    """The locked release is the one uv installs (before: the bare name, the index's newest).
    No file entries here: a file URL's name is decided on its own (R11-19)."""
    _lock(tmp_path, f'version = "{version}"\nsource = {{ registry = "https://pypi.org/simple" }}\n')
    findings, runs, _ = _decided("uv sync --frozen", tmp_path)
    assert bool(_malicious(findings)) == refused, findings


def test_a_lock_entry_filename_is_decided_by_its_name(tmp_path):
    """A path package's wheel entry names the listed release (the package claims 1.0)."""
    _wheel(tmp_path / "w/warden_demo_pkg-1.0-py3-none-any.whl")
    _lock(
        tmp_path,
        'version = "1.0"\nsource = { path = "w/warden_demo_pkg-1.0-py3-none-any.whl" }\n'
        'wheels = [{ filename = "warden_demo_pkg-0.9-py3-none-any.whl", hash = "sha256:00" }]\n',
    )
    findings, runs, _ = _decided("uv sync --frozen", tmp_path)
    assert not runs and _malicious(findings), findings


def test_a_lock_entry_filename_warden_cannot_place_is_refused(tmp_path):
    _wheel(tmp_path / "w/warden_demo_pkg-1.0-py3-none-any.whl")
    _lock(
        tmp_path,
        'version = "1.0"\nsource = { path = "w/warden_demo_pkg-1.0-py3-none-any.whl" }\n'
        'wheels = [{ filename = "blob.whl", hash = "sha256:00" }]\n',
    )
    _, runs, problems = _decided("uv sync --frozen", tmp_path)
    assert not runs and any("blob.whl" in p for p in problems), problems


def test_a_locked_path_wheel_is_read_from_the_locks_folder(tmp_path):
    """Run from a subfolder: the wheel is found beside the uv.lock, its METADATA compared."""
    _wheel(tmp_path / "w/warden_demo_pkg-1.0-py3-none-any.whl", version="0.9")
    _lock(
        tmp_path, 'version = "1.0"\nsource = { path = "w/warden_demo_pkg-1.0-py3-none-any.whl" }\n'
    )
    (tmp_path / "sub").mkdir()
    _, runs, problems = _decided("uv sync --frozen", tmp_path / "sub")
    assert not runs and any("not what its file name says" in p for p in problems), problems


def test_a_locked_directory_project_build_requirement_is_decided(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/pyproject.toml").write_text(
        f'[build-system]\nrequires = ["{DEMO}==0.9"]\n[project]\nname = "localproj"\n'
        'version = "0.1"\n'
    )
    (tmp_path / "pyproject.toml").write_text(LOCKED_PROJECT.replace(DEMO, "localproj"))
    (tmp_path / "uv.lock").write_text(
        LOCK + '[[package]]\nname = "localproj"\nversion = "0.1"\nsource = { directory = "d" }\n'
    )
    findings, runs, _ = _decided("uv sync --frozen", tmp_path)
    assert not runs and _malicious(findings), _rules(findings)
