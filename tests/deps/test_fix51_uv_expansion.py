"""R45a-2 without a kernel: uv expands ``${NAME}`` in a requirement's path or ``file:`` URL
(uv-pep508 ``expand_env_vars``, checked with uv 0.13.9), pip only in a requirements file's lines
(pip 23.2 ``req_file.expand_env_variables``; ``install_req_from_line`` takes a command-line
requirement as written, checked: ``pip install '${D}/x.whl'`` opens ``./${D}/x.whl``).
``local_projects`` reads the project or wheel uv opens, and refuses a ``file:`` URL whose host
it cannot place.
"""

import os

import pytest
from local_index import build_wheel

from jupyterlab_warden.kernel.guard.installs import arguments, installer_paths, local_projects

PROJECT = '[project]\nname = "localproj"\nversion = "0.1"\ndependencies = ["inner-dep"]\n'


@pytest.fixture
def work(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "pyproject.toml").write_text(PROJECT)
    build_wheel(tmp_path / "w", "wheelproj", "0.2")
    return tmp_path


def _uv(args, work, env):
    request = arguments.uv_request(["pip", "install", *args], str(work), env)
    local_projects.add(request, str(work), env)
    return request


def _read(request):
    """The local projects and wheels read: their releases (``offered``) and what they ask."""
    return {r.text for r in request.requirements if r.kind == "offered"} | {
        r.name for r in request.requirements if r.kind == "name"
    }


@pytest.mark.parametrize(
    "requirement",
    [
        "localproj @ file:///${D}/d",
        "localproj @ file://${D}/d",
        "localproj @ file:${D}/d",
        "${D}/d",
        "file://localhost${D}/d",
    ],
)
def test_uv_reads_the_project_its_expansion_names(work, requirement):
    request = _uv([requirement], work, {"D": str(work)})
    assert {"localproj 0.1", "inner-dep"} <= _read(request), request.requirements
    assert not request.problems, request.problems


def test_uv_reads_an_expanded_editable_and_wheel(work):
    request = _uv(["-e", "${D}/d", "${D}/w/wheelproj-0.2-py3-none-any.whl"], work, {"D": str(work)})
    assert {"localproj 0.1", "wheelproj-0.2-py3-none-any.whl"} <= _read(request), _read(request)


def test_uv_reads_a_project_dependency_it_expands(work):
    (work / "p").mkdir()
    deps = '[project]\nname = "p"\nversion = "0.1"\ndependencies = ["localproj @ file:///${D}/d"]\n'
    (work / "p" / "pyproject.toml").write_text(deps)
    request = _uv(["-r", "p/pyproject.toml"], work, {"D": str(work)})
    assert "localproj 0.1" in _read(request)


def test_uv_file_url_naming_a_host_is_refused(work):
    # uv reads file://h/x as ./h/x, pip refuses it, a WHATWG reader takes the host h: unplaced
    request = _uv(["localproj @ file://${E}/d"], work, {})
    assert any("names a host" in p for p in request.problems), request.problems


def test_uv_reads_a_file_url_from_the_working_folder(work):
    # uv 0.13.9 (checked): `x @ file:d` is ./d, where a WHATWG reader takes /d
    found = installer_paths.requirement("file:d", ("uv",), str(work), None)
    assert str(work / "d") in found and "/d" in found


def test_uv_project_root_unset_is_refused(work):
    request = _uv(["${PROJECT_ROOT}/d"], work, {})
    assert any("PROJECT_ROOT" in p for p in request.problems)


def test_pip_takes_a_command_line_requirement_as_written(work):
    env = {"D": str(work)}
    request = arguments.pip_request(["install", "${D}/d"], str(work), env)
    local_projects.add(request, str(work), env)
    assert "localproj 0.1" not in _read(request)  # pip opens ./${D}/d: nothing there
    os.makedirs(work / "${D}" / "d")  # ... which is what Warden reads
    (work / "${D}" / "d" / "pyproject.toml").write_text(PROJECT)
    request = arguments.pip_request(["install", "${D}/d"], str(work), env)
    local_projects.add(request, str(work), env)
    assert "localproj 0.1" in _read(request)


def test_a_url_requirement_is_not_expanded(work):
    # a `${` in a URL places no allowed host: refused as written (decide.plain_url), and its
    # value (a token) is never shown
    request = _uv(["x @ https://${H}/x-1.0-py3-none-any.whl"], work, {"H": "secret@host"})
    assert all("secret" not in r.text for r in request.requirements)
