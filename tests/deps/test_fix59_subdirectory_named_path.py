"""Red team 50d R50d-1 and R50d-2 without a kernel, each form checked against the real pip's
own parsing and the real uv's dry run (as test_fix56_path_readings does).

R50d-1: pip builds a ``file:`` URL's ``subdirectory`` (``[#&]subdirectory=`` anywhere in the
URL, joined to its folder); uv 0.13.9 builds the URL's folder. Warden reads both; a value it
does not place (absolute, ``..``) is refused. R50d-2: uv takes ``name @ REF`` with a REF that
has no scheme for the path REF (pip refuses the form): a path requirement, read as one.
"""

import os

import pytest
from test_fix56_path_readings import _args, _uv_builds

from jupyterlab_warden.kernel.guard.installs import (
    arguments,
    installer_paths,
    local_projects,
    requirements,
)

PROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    '[project]\nname = "{}"\nversion = "0.1"\n'
)
CASES = [
    (["file://W/x#subdirectory=sub"], {"plain"}, {"sub"}),
    (["sub @ file://W/x#subdirectory=sub"], set(), {"sub"}),  # uv: x is named wrong
    (["-e", "file://W/x#subdirectory=sub"], {"plain"}, {"sub"}),
    (["file://W/x#egg=sub&subdirectory=sub"], {"plain"}, {"sub"}),
    (["-r", "r.txt:file://W/x#subdirectory=sub"], {"plain"}, {"sub"}),
    (["plain @ ./x"], {"plain"}, set()),  # R50d-2: pip refuses the form
    (["plain@x"], {"plain"}, set()),
    (["plain @ x#frag"], {"plain"}, set()),
    (["-r", "r.txt:plain @ ./x"], {"plain"}, set()),
]


@pytest.fixture
def work(tmp_path):
    for folder, name in (("x", "plain"), ("x/sub", "sub")):
        os.makedirs(tmp_path / folder, exist_ok=True)
        (tmp_path / folder / "pyproject.toml").write_text(PROJECT.format(name))
    return tmp_path


def _pip_builds(args, work) -> set:
    """The projects of the folders the real pip would build (its link's folder joined with
    its ``subdirectory_fragment``, as ``unpacked_source_directory`` is)."""
    pip = pytest.importorskip("pip._internal.req.constructors")
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements

    cwd = os.getcwd()
    os.chdir(work)
    try:
        if args[0] == "-r":
            parsed = parse_requirements(args[1], PipSession())
            reqs = [pip.install_req_from_parsed_requirement(p) for p in parsed]
        elif args[0] == "-e":
            reqs = [pip.install_req_from_editable(args[1])]
        else:
            reqs = [pip.install_req_from_line(args[0])]
    except Exception:  # pip refuses the requirement: it builds nothing
        return set()
    finally:
        os.chdir(cwd)
    found = set()
    for req in reqs:
        folder = os.path.join(req.link.file_path, req.link.subdirectory_fragment or "")
        if os.path.isfile(os.path.join(work, folder, "pyproject.toml")):
            found.add(open(os.path.join(work, folder, "pyproject.toml")).read().split('"')[-4])
    return found


def _request(args, work, tool):
    if tool == "uv":
        request = arguments.uv_request(["pip", "install", *args], str(work), {})
    else:
        request = arguments.pip_request(["install", *args], str(work), {})
    local_projects.add(request, str(work), {})
    return request


@pytest.mark.parametrize("case, uv_built, pip_built", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_warden_reads_the_folder_each_installer_builds(work, case, uv_built, pip_built):
    args = _args(case, work)
    assert _uv_builds(args, work) == uv_built
    assert _pip_builds(args, work) == pip_built
    for tool in ("uv", "pip"):
        request = _request(args, work, tool)
        read = {r.text.split(" ")[0] for r in request.requirements if r.kind == "offered"}
        assert read >= uv_built | pip_built, (tool, read)
        assert not request.problems, request.problems
        assert all(r.kind != "url" for r in request.requirements), request.requirements


@pytest.mark.parametrize("sub", ["../y", "/etc", "a/../../y", ".."])
def test_a_subdirectory_warden_does_not_place_is_refused(work, sub):
    os.makedirs(work / "y", exist_ok=True)
    request = _request([f"file://{work}/x#subdirectory={sub}"], work, "pip")
    assert any("subdirectory" in p for p in request.problems), request.problems
    request = _request(["-e", f"n @ file://{work}/x#subdirectory={sub}"], work, "uv")
    assert any("subdirectory" in p for p in request.problems), request.problems


def test_pip_finds_the_subdirectory_as_its_link_does():
    from pip._internal.models.link import Link

    for url in (
        "file:///W/x#subdirectory=a/b",
        "file:///W/x#egg=n&subdirectory=a&subdirectory=b",
        "file:///W/x?q&subdirectory=a#egg=n",
        "file:///W/x&subdirectory=a",  # in the path: pip's search takes it too
        "file:///W/x#SUBDIRECTORY=a",
        "file:///W/x#subdirectory=",
        "file:///W/x#subdirectory=s%2e%2e",
    ):
        assert installer_paths.pip_subdirectory(url) == (Link(url).subdirectory_fragment or "")
    assert installer_paths.pip_subdirectory("./x#subdirectory=a") == ""  # a path: none


def test_a_named_reference_is_a_url_only_with_a_scheme():
    kinds = {
        "n @ ./x": "path", "n@x": "path", "n [e] @ /abs/x": "path", "n @ C:x": "path",
        "n @ file:///x": "path", "n @ https://h/x.whl": "url", "n @ git+https://h/r": "vcs",
        "n @ FILE:///x": "url",  # uv: the path ./FILE:/x; pip: a URL. Refused as a URL
    }  # fmt: skip
    for text, kind in kinds.items():
        req = requirements.parse_requirement(text, "t")
        assert (req.kind, req.name) == (kind, "n"), text
