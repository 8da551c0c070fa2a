"""Fix round 51 (red team 45b): pip's own process decides, whatever drops its guard or names it.

R45b-1: an installing pip that may start without Warden's guard, for any reason the line
reading knows (``commands._guard_lost``: a Python or launch variable set or unset, an
environment changer in front of it, an unresolved change, a PATH handing it a Python that
cannot host the guard; ``_guardless_start``: a start environment without the guard), is
refused like ``python -I -m pip`` (``_guardless_pip_problem``), since the checks that live in
pip's guarded process cannot run. What installs nothing still runs; a kernel without the
launch guard reads every pip as before (R9-5).

R45b-2: pip's in-process decision tells an installing command by its class
(``pip_commands.installing``), not by the name its caller gives it.
"""

import os
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import commands, gate, pip_commands
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

SITE = commands._site_dir()
# a kernel started with the launch guard: its PYTHONPATH holds the guard's folder
LAUNCHED = commands.LaunchGuard(True, (), (("PYTHONPATH", SITE),))
UNLAUNCHED = commands.LaunchGuard(False, ())
REMEDY = "run pip with the kernel's environment so Warden's guard decides what pip resolves"


def _problems(tmp_path, argv=None, shell=None, launch=LAUNCHED, env=None):
    base = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull, "PYTHONPATH": SITE}
    found = read_requests(argv, shell, env or base, str(tmp_path), launch=launch)
    return [p for r in found for p in r.problems]


def _refused(problems) -> bool:
    return any(REMEDY in p for p in problems)


PY = sys.executable
LOST_LINES = [
    f"env -u PYTHONPATH {PY} -m pip install x",
    f"PYTHONPATH= {PY} -m pip install x",
    "PYTHONPATH= pip install x",
    "env -u PYTHONPATH pip download x",
    "unset PYTHONPATH; pip wheel x",
    "export PYTHONPATH=/tmp; pip install x",
    "PYTHONPATH=src pip install x",
    "sudo pip install x",
    "env PYTHONPATH= pip install x",  # env's own assignments read as the line's (fix54spell)
    "WARDEN_POLICY_FILE=/tmp/p.json pip install x",
    f"env -i HOME=/tmp {PY} -m pip install x",
]


@pytest.mark.parametrize("line", LOST_LINES)
def test_an_installing_pip_that_loses_its_guard_on_the_line_is_refused(tmp_path, line):
    assert _refused(_problems(tmp_path, shell=line)), line


def test_a_start_environment_without_the_guard_refuses_its_pip(tmp_path):
    """``subprocess.run([python, "-m", "pip", "install", x], env={...})`` with no guard's
    folder: the argv reading (no shell line) refuses it too."""
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    assert _refused(_problems(tmp_path, [PY, "-m", "pip", "install", "x"], env=env))


def test_a_path_finding_a_python_that_cannot_host_the_guard_refuses_its_pip(tmp_path):
    bin_ = tmp_path / "old"
    bin_.mkdir()
    pip = bin_ / "pip"
    pip.write_text("#!/usr/bin/python3.7\nfrom pip._internal.cli.main import main\nmain()\n")
    pip.chmod(0o755)
    line = f"PATH={bin_}:/usr/bin:/bin pip install x"
    assert _refused(_problems(tmp_path, shell=line))


@pytest.mark.parametrize(
    "line",
    [
        "env -u PYTHONPATH pip list",
        f"PYTHONPATH= {PY} -m pip --version",
        "sudo pip show pip",
        "PYTHONPATH= pip freeze",
    ],
)
def test_a_guardless_pip_that_installs_nothing_still_runs(tmp_path, line):
    assert _problems(tmp_path, shell=line) == [], line


@pytest.mark.parametrize(
    "line",
    [
        "pip install docker",  # a changer's name as a package: no wrapper in front of pip
        "pip install x",
        f"{PY} -m pip install su",
        "git status && pip install x",
        "CUDA_VISIBLE_DEVICES=0 pip install x",
        "env X=1 pip install x",  # read as `X=1 pip install x` (fix54spell)
    ],
)
def test_a_pip_keeping_its_guard_is_not_refused_for_it(tmp_path, line):
    assert not _refused(_problems(tmp_path, shell=line)), line


def test_a_kernel_without_the_launch_guard_reads_every_pip_as_before(tmp_path):
    """Each pip is guardless there (R9-5): refusing them all would refuse every install."""
    for line in ("pip install x", "env -u PYTHONPATH pip install x", "sudo pip install x"):
        assert not _refused(_problems(tmp_path, shell=line, launch=UNLAUNCHED)), line


def test_the_changer_counts_only_in_front_of_the_pip():
    line = commands._LineState(False, {})
    lost = commands._guard_lost
    assert lost(["pip", "install", "docker"], "pip", {}, line) == ""
    assert "sudo" in lost(["sudo", "pip", "install", "x"], "pip", {}, line)
    # a pip the command does not name itself (`sh -c`): every word may be its wrapper
    assert "sudo" in lost(["sudo", "sh", "-c", "pip install x"], "pip", {}, line)


# -- R45b-2: pip's commands told by their class ---------------------------------------------
def test_pip_commands_are_told_by_their_class():
    from pip._internal.cli.base_command import Command
    from pip._internal.commands import create_command
    from pip._internal.commands.install import InstallCommand

    assert pip_commands.installing(InstallCommand("inst", "another name")) == "install"
    renamed = create_command("download")
    renamed.name = "list"
    assert pip_commands.installing(renamed) == "download"
    for name in ("list", "show", "freeze", "config", "uninstall"):
        assert pip_commands.installing(create_command(name)) is None, name

    class Subclassed(InstallCommand):
        pass

    assert pip_commands.installing(Subclassed("x", "y")) == "install"

    class Unknown(Command):  # no class pip's registry names: cannot be told
        pass

    assert pip_commands.installing(Unknown("zzz", "z")) == "install"


def test_the_parse_args_wrapper_decides_by_the_class():
    from pip._internal.cli.base_command import Command
    from pip._internal.commands import create_command
    from pip._internal.commands.install import InstallCommand

    decided = []

    class Gate:
        def decide_resolved(self, command, options, args):
            decided.append((command, list(args)))

    class State:
        installs = Gate()

    original = getattr(Command.parse_args, "__warden_original__", Command.parse_args)
    parse_args = gate.pip_parse_args_wrapper(original, "pip options", State())
    parse_args(InstallCommand("inst", "x"), ["warden-demo-pkg"])
    parse_args(create_command("list"), [])
    wheel = create_command("wheel")
    wheel.name = "w"
    parse_args(wheel, ["y"])
    assert decided == [("install", ["warden-demo-pkg"]), ("wheel", ["y"])]
