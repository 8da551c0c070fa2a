"""Red team 47b R47b-2 and R47b-4 without a kernel: uv parses a requirement AS WRITTEN, then
expands ``${NAME}`` exactly once, only inside the path it found (uv-pep508 ``expand_env_vars``).
A value's ``;``, ``[x]``, ``@`` or spaces are part of the path uv opens, a value naming another
``${B}`` stays so, and only a ``#`` is cut (uv's fragment), on the command line and in a
requirements file line alike. Each case is checked against the real uv (``uv pip install
--dry-run --no-index --offline``: the project it would build) and Warden must read exactly that
project folder (``local_projects``: its release, ``offered``).
"""

import os
import re
import subprocess
import sys

import pytest
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import arguments, local_projects, requirements
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest

# folder -> the project it builds; the decoys are what a cut or a second expansion reads
FOLDERS = {
    "d ;/p": "semi", "d": "decoy-d", "x[x]": "bracket", "x": "decoy-x", "h": "hash-h",
    "h#y": "decoy-hy", "a @ b": "at", "a": "decoy-a", "s p": "space", "s": "decoy-s",
    "${B}": "literal-b", "ok": "decoy-ok",
}  # fmt: skip
# (value of A, requirement, the project uv builds: checked with uv 0.13.9, and again below)
CASES = [
    ("d ;", "./${A}/p", "semi"),  # R47b-4
    ("d ;", "${A}/p", "semi"),  # R47b-4: not the index name `d`
    ("x[x]", "./${A}", "bracket"),
    ("h#y", "./${A}", "hash-h"),  # uv cuts the expanded value's `#` (a fragment)
    ("a @ b", "./${A}", "at"),
    ("s p", "./${A}", "space"),
    ("${B}", "./${A}", "literal-b"),  # R47b-2: one pass, `${B}` is the folder's name
]


@pytest.fixture
def work(tmp_path):
    for folder, name in FOLDERS.items():
        os.makedirs(tmp_path / folder, exist_ok=True)
        (tmp_path / folder / "pyproject.toml").write_text(
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            f'[project]\nname = "{name}"\nversion = "0.1"\n'
        )
    return tmp_path


def _args(requirement: str, form: str, work) -> list:
    if form == "file":
        (work / "r.txt").write_text(requirement + "\n")
        return ["-r", "r.txt"]
    if form == "editable-file":
        (work / "r.txt").write_text(f"-e {requirement}\n")
        return ["-r", "r.txt"]
    return [requirement]


def _warden_reads(args, work, env) -> set:
    request = arguments.uv_request(["pip", "install", *args], str(work), env)
    local_projects.add(request, str(work), env)
    assert not request.problems, request.problems
    return {r.text.split(" ")[0] for r in request.requirements if r.kind == "offered"}


def _uv_builds(args, work, env) -> set:
    """The projects the real uv would install: its dry run, offline, nothing fetched."""
    uv = real_uv()  # a pinned dev dependency: missing fails, never skips
    run_env = {"PATH": os.environ.get("PATH", ""), "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}
    run_env.update(env, UV_CACHE_DIR=str(work / ".uv-cache"))
    done = subprocess.run(
        [uv, "pip", "install", "--dry-run", "--no-index", "--python", sys.executable]
        + ["--target", str(work / ".target"), *args],
        cwd=work, env=run_env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return set(re.findall(r"^ \+ (\S+) @ file:", done.stderr + done.stdout, re.M))


@pytest.mark.parametrize("form", ["command line", "file", "editable-file"])
@pytest.mark.parametrize("value, requirement, built", CASES)
def test_warden_reads_the_folder_uv_builds(work, value, requirement, built, form):
    env = {"A": value, "B": "ok"}
    args = _args(requirement, form, work)
    assert _uv_builds(args, work, env) == {built}
    assert _warden_reads(args, work, env) == {built}


def test_a_file_url_is_expanded_once_inside_its_path(work):
    env = {"A": str(work / "d ;"), "B": "ok"}
    for args in (["semi @ file://${A}/p"], _args("semi @ file://${A}/p", "file", work)):
        assert _warden_reads(args, work, env) == {"semi"}, args


def test_a_value_naming_a_url_is_decided_as_that_url(work):
    # uv takes `${A}/x.whl` with A='https://h' as the URL https://h/x.whl (its scheme):
    # decided as a direct URL, never read as the folder `https:/h`
    env = {"A": "https://evil.example/w"}
    request = arguments.uv_request(["pip", "install", "${A}/x-1.0-py3-none-any.whl"], ".", env)
    local_projects.add(request, str(work), env)
    urls = [r for r in request.requirements if r.kind == "url"]
    assert [(r.text, r.name) for r in urls] == [
        ("https://evil.example/w/x-1.0-py3-none-any.whl", "x")
    ]


def test_a_value_naming_a_url_with_white_space_is_refused(work):
    env = {"A": "https://evil.example/x.whl @ https://pypi.org/simple"}
    request = arguments.uv_request(["pip", "install", "${A}/y"], ".", env)
    local_projects.add(request, str(work), env)
    assert any("white space" in p for p in request.problems), request.problems


def test_uv_reads_a_file_line_as_written_and_its_option_values_expanded_once(work):
    request = InstallRequest("uv", "uv pip install")
    text = "-f ./${A}\n./${A}/p ; python_version > '3'\n${N}\n"
    requirements.read_text(request, text, "r.txt", str(work), {"A": "${B}", "N": "numpy"})
    # once: `./${B}`, never expanded again; a source still naming ${...} is refused (R50c-2)
    assert request.sources == [] and "${B}" in request.problems[0], request.problems
    # the requirement as written (its path expanded by local_projects); `${N}` names no
    # package for uv (an error there): unreadable, not the index name numpy
    assert [(r.text, r.kind) for r in request.requirements] == [
        ("./${A}/p ; python_version > '3'", "path"),
        ("${N}", "invalid"),
    ]


def test_pips_reading_is_never_expanded_again(work):
    # pipx on uv: pip's reading of `./${A}` is `./${B}` (pip: once), uv's the line as written
    request = InstallRequest("pip", "pipx install")
    request.also_uv = True
    env = {"A": "${B}", "B": "ok"}
    requirements.read_text(request, "./${A}\n", "r.txt", str(work), env)
    local_projects.add(request, str(work), env)
    read = {r.text.split(" ")[0] for r in request.requirements if r.kind == "offered"}
    assert read == {"literal-b"}, request.requirements  # never ./ok
