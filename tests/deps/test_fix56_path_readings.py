"""Red team 48b R48b-7 without a kernel: a path requirement names the folder each installer
ends it at, and Warden reads every folder either installer may build.

uv (uv-pep508) ends a path or URL only at white space before ``;``/``#`` or at a ``;``/``#``
before white space: ``./x;y`` is the folder ``x;y``. pip ends a path's marker at its first
``;`` but a URL's only at ``"; "``: ``file:///W/x;y`` is ``x;y`` for both, and takes an
editable whole. Both keep the white space before ``[extras]`` (``./x [y]`` is ``x ``); pip
keeps a path's ``#`` (``./x#c`` is ``x#c``), uv cuts it. Each form is checked against the real
uv (``uv pip install --dry-run --no-index --offline``: the project it would build) and the
real pip's own parsing (``install_req_from_line``, ``install_req_from_editable``,
``parse_requirements``: the folder it would build), and Warden must read each project either
builds (``local_projects``: its release, ``offered``).
"""

import os
import re
import subprocess
import sys

import pytest
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import arguments, local_projects, path_readings

M = 'python_version > "3"'
# folder -> the project it builds; each a folder some reading of some case names
FOLDERS = {
    "x;y": "semi", "x": "plain", "x ": "space", "x#c": "hash", "x[e]": "bracket",
    f"x;{M}": "marker-folder",
}  # fmt: skip
# (arguments, the projects uv builds, the projects pip builds: checked with uv 0.13.9 and
# pip 23.2, and again below); "W" is the work folder
CASES = [
    (["./x;y"], {"semi"}, set()),  # R48b-7: pip: marker `y` is no marker (an error)
    ([f"./x ;{M}"], {"plain"}, {"plain"}),
    ([f"./x; {M}"], {"plain"}, {"plain"}),
    ([f"./x;{M}"], {"marker-folder"}, {"plain"}),  # the readings differ: both read
    (["./x [e]"], {"space"}, {"space"}),  # the white space before extras kept
    (["./x[e]"], {"plain"}, {"plain"}),
    (["./x#c"], {"plain"}, {"hash"}),  # pip keeps a path's `#`, uv cuts its fragment
    (["./x[e]/"], {"bracket"}, {"plain"}),  # pip: normpath, then extras cut
    (["file:./x;y"], {"semi"}, {"semi"}),
    (["file://W/x;y"], {"semi"}, {"semi"}),  # a URL's marker needs "; "
    ([f"file://W/x; {M}"], {"plain"}, {"plain"}),
    (["-e", "./x;y"], {"semi"}, {"semi"}),
    (["-e", "./x [e]"], {"space"}, {"space"}),
    (["semi @ file://W/x;y"], {"semi"}, set()),  # pip: marker `y` (an error)
    ([f"plain @ file://W/x ; {M}"], {"plain"}, {"plain"}),
    ([f"marker-folder @ file://W/x;{M}"], {"marker-folder"}, set()),  # pip: x, named wrong
    (["-r", "r.txt:./x;y"], {"semi"}, set()),
    (["-r", "r.txt:-e ./x;y"], {"semi"}, {"semi"}),
    (["-r", "r.txt:./x [e]"], {"space"}, {"space"}),
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


def _args(args, work) -> list:
    args = [a.replace("//W/", f"//{work}/") for a in args]
    if args[0] == "-r":
        (work / "r.txt").write_text(args[1].split(":", 1)[1] + "\n")
        return ["-r", "r.txt"]
    return args


def _warden_reads(args, work, tool) -> set:
    if tool == "uv":
        request = arguments.uv_request(["pip", "install", *args], str(work), {})
    else:
        request = arguments.pip_request(["install", *args], str(work), {})
    local_projects.add(request, str(work), {})
    return {r.text.split(" ")[0] for r in request.requirements if r.kind == "offered"}


def _uv_builds(args, work) -> set:
    """The projects the real uv would install: its dry run, offline, nothing fetched."""
    uv = real_uv()  # a pinned dev dependency: missing fails, never skips
    run_env = {"PATH": os.environ.get("PATH", ""), "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}
    run_env["UV_CACHE_DIR"] = str(work / ".uv-cache")
    done = subprocess.run(
        [uv, "pip", "install", "--dry-run", "--no-index", "--python", sys.executable]
        + ["--target", str(work / ".target"), *args],
        cwd=work, env=run_env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return set(re.findall(r"^ \+ (\S+) @ file:", done.stderr + done.stdout, re.M))


def _pip_builds(args, work) -> set:
    """The projects of the folders the real pip would build: its own parsing, nothing run."""
    pip = pytest.importorskip("pip._internal.req.constructors")
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements

    cwd = os.getcwd()
    os.chdir(work)
    try:
        if args[0] == "-r":
            parsed = parse_requirements(args[1], PipSession())
            make = pip.install_req_from_parsed_requirement
            reqs = [make(p) for p in parsed]
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
        folder = os.path.join(work, req.link.file_path) if req.link else ""
        if os.path.isfile(os.path.join(folder, "pyproject.toml")):
            text = open(os.path.join(folder, "pyproject.toml")).read()
            found.add(re.search(r'name = "([^"]+)"', text).group(1))
    # pip compares a named requirement's name with the project it built: another is an error
    named = re.match(r"^([a-z-]+) @", args[0])
    return {n for n in found if not named or n == named.group(1)}


@pytest.mark.parametrize("case, uv_built, pip_built", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_warden_reads_every_folder_either_installer_builds(work, case, uv_built, pip_built):
    args = _args(case, work)
    assert _uv_builds(args, work) == uv_built
    assert _pip_builds(args, work) == pip_built
    for tool in ("uv", "pip"):
        read = _warden_reads(args, work, tool)
        assert read >= uv_built | pip_built, (tool, read)


def test_readings_end_the_path_where_each_installer_does():
    # the module's rules, pinned without the installers (the TS twin runs the same table)
    assert path_readings.readings("./x;y") == [("pip", "x"), ("pip", "./x;y"), ("uv", "./x;y")]
    assert path_readings.uv("./x [y] ; m") == "./x "
    assert path_readings.uv("./x; m") == "./x"
    assert path_readings.uv("./x [y];z") == "./x [y];z"  # extras only at the end
    assert path_readings.uv("n @ file:///W/x [y]") == "file:///W/x [y]"  # no extras in a URL
    assert path_readings.uv("./x#c") == "./x"
    assert path_readings.pip_line("file:///W/x;y") == "file:///W/x;y"
    assert path_readings.pip_line("file:///W/x; m") == "file:///W/x"
    assert path_readings.pip_line("n @ file:///W/x;y") == "file:///W/x"
    assert path_readings.pip_line("./x [y]") == "x "
    assert path_readings.pip_line("./x[e]/") == "x"  # normpath, then extras cut
    assert path_readings.pip_line("./x#c") == "x#c"
    assert path_readings.pip_editable("./x;y[e]") == "./x;y"


def test_white_space_is_each_installers_own():
    """Red team 49a R49a-4: Python's ``str.isspace`` (pip) counts U+001C..U+001F, uv's Unicode
    White_Space does not: ``./d\\x1c;x`` is the folder ``d\\x1c;x`` to uv, ``d`` to pip."""
    from jupyterlab_warden.kernel.guard.installs import path_readings

    text = './d\x1c;x ;python_version>"3"'
    assert path_readings.uv(text) == "./d\x1c;x"
    assert path_readings.pip_line(text) == "d"
    assert path_readings.uv("./x\x85 ;y") == "./x"
    assert path_readings.uv("./x\ufeff ;y") == "./x\ufeff"
