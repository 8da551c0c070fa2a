"""fix51uvfiles: the files uv reads beside a command are read whole (red team 45a R45a-1, -3,
-4, -5, -7).

The kernel-level proofs (the real uv) are tests/deps/test_redteam45a_*.py, and the shared
vectors named ``fix51:`` pin both sides; these pin the reading the vectors cannot: a request's
requirements kept once per whole identity, a local registry's missing file, the lock's folder
as the registry's base, ``uv add --group`` (a group to write, not one to read) and a ``-r``
pyproject's own ``no-index``.
"""

from pathlib import Path

from test_fix48offered import DEMO, _decided, _wheel
from test_fix49uv import LOCK, LOCKED_PROJECT, _malicious

from jupyterlab_warden.kernel.guard.installs import arguments, uv_config
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Requirement


def test_a_path_spelled_as_a_pin_does_not_hide_the_pin(tmp_path):
    """R45a-1: the same text as a path and as a name are two requirements; a true repeat is
    one."""
    request = InstallRequest("uv", "uv pip install")
    path = Requirement(f"{DEMO}==0.9", None, "path", "a [tool.uv.sources]")
    path.base = str(tmp_path)
    pin = Requirement(f"{DEMO}==0.9", DEMO, "name", "b [project]", "0.9")
    again = Requirement(f"{DEMO}==0.9", DEMO, "name", "c [project]", "0.9")
    request.requirements += [path, pin, again]
    uv_config.add_sources(request, {"UV_NO_CONFIG": "1"}, str(tmp_path))
    assert request.requirements == [path, pin], request.requirements


def _registry_lock(cwd: Path, entry: str) -> None:
    (cwd / "pyproject.toml").write_text(LOCKED_PROJECT)
    package = f'[[package]]\nname = "{DEMO}"\nversion = "1.0"\nsource = {{ registry = "wheels" }}\n'
    (cwd / "uv.lock").write_text(LOCK + package + f"wheels = [{{ {entry} }}]\n")


def test_a_local_registry_wheel_is_opened_from_the_locks_folder(tmp_path):
    """R45a-3: run from a subfolder, the registry folder is the lock's; the wheel's METADATA
    (the listed 0.9, named 1.0) is read, not its file name alone."""
    _wheel(tmp_path / "wheels/warden_demo_pkg-1.0-py3-none-any.whl", version="0.9")
    _registry_lock(tmp_path, 'path = "warden_demo_pkg-1.0-py3-none-any.whl"')
    (tmp_path / "sub").mkdir()
    _, runs, problems = _decided("uv sync --frozen", tmp_path / "sub")
    assert not runs and any("not what its file name says" in p for p in problems), problems
    request = arguments.uv_request(["sync", "--frozen"], str(tmp_path / "sub"), {})
    registry = [s for s in request.sources if s.url == "wheels"]
    assert [s.base for s in registry] == [str(tmp_path)], request.sources


def test_a_local_registry_file_warden_cannot_find_is_refused(tmp_path):
    """R45a-3: uv installs the file the entry names; one Warden cannot open is not decided by
    its name alone."""
    (tmp_path / "wheels").mkdir()
    _registry_lock(tmp_path, 'path = "../hidden/warden_demo_pkg-1.0-py3-none-any.whl"')
    _, runs, problems = _decided("uv sync --frozen", tmp_path)
    assert not runs and any("cannot be found to read" in p for p in problems), problems


def test_a_remote_registry_file_path_is_still_decided_by_its_name(tmp_path):
    """No local registry: the entry's file name is all there is (R44a-2, unchanged)."""
    (tmp_path / "pyproject.toml").write_text(LOCKED_PROJECT)
    package = (
        f'[[package]]\nname = "{DEMO}"\nversion = "1.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        'wheels = [{ path = "warden_demo_pkg-0.9-py3-none-any.whl" }]\n'
    )
    (tmp_path / "uv.lock").write_text(LOCK + package)
    findings, runs, _ = _decided("uv sync --frozen", tmp_path)
    assert not runs and _malicious(findings), findings


def test_uv_add_group_names_a_group_to_write_not_one_to_read(tmp_path):
    """R45a-5 reads ``--group`` for ``uv pip`` only: ``uv add --group dev x`` adds to a group
    the project may not have yet."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "0.1"\n')
    request = arguments.uv_request(["add", "--group", "dev", "numpy"], str(tmp_path), {})
    assert not any("dependency group" in p for p in request.problems), request.problems


def test_a_requirements_pyproject_no_index_is_no_setting_of_the_install(tmp_path):
    """R45a-4 reads a ``-r`` pyproject's ``[tool.uv]`` for its indexes; uv takes no setting of
    the install from it, so its ``no-index`` must not drop the default index Warden decides."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a/pyproject.toml").write_text(
        '[project]\nname = "a"\nversion = "1.0"\ndependencies = ["numpy"]\n'
        "[tool.uv]\nno-index = true\n"
    )
    request = arguments.uv_request(["pip", "install", "-r", "a/pyproject.toml"], str(tmp_path), {})
    assert not request.no_index, request.sources
