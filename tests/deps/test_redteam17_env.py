"""Red team 17: the environment and the input that reached a start unread (R17-14, R17-15,
R17-5).

- R17-14: what xargs, find -exec and any launcher start was read with an empty environment:
  the line's assignments, its exports and env's NAME=VALUE words did not reach it
  (``BASH_ENV=/dev/stdin xargs -a f bash``, ``PYTHONPATH=. find . -exec python3 ...``). The
  command a launcher starts is now read with the launcher's environment, and xargs' own
  command is read as a start.
- R17-15: bash's forms that change what is exported were read as no change (``export -n``,
  ``declare +x``, ``declare -x``, ``local -x``, ``export -f``), and a Python variable the line
  assigns by a form read as no value (``for``, ``read``) did not reach the Python's reading;
  ``unset``/``env -u`` of a variable left Warden reading the kernel's value (``unset
  UV_NO_CONFIG`` made uv read a uv.toml Warden did not read).
- R17-5: the descriptor rule decided by the spelling of the path: the file a shell, ``source``
  or ``make -f`` reads is now placed from the start's folder (``make -C``, an earlier ``cd``)
  and decided by its real path and its type.

Each malicious case proves itself in a kernel of the lab's launch environment: without Warden
the real bash, dash, find, xargs, chrt or make lets the real uv install warden-demo-pkg from
the local index; with Warden the start is refused before anything runs.
"""

import json
import os
import shlex
import sys

import pytest
from launched import BUILT, CELL, LaunchFolders, bash_cell, installed, run_python, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands, shell_runners

PY = shlex.quote(sys.executable)
# a start with nothing of an installer in its words: only the local module it imports installs
IMPORTS = f"{PY} -c 'import payload'"


def _payload(kernel) -> None:
    """``payload.py`` in the kernel's folder installs warden-demo-pkg when imported; ``a.txt``
    is xargs' input; ``hook.sh`` is shell text that installs."""
    (kernel.work / "payload.py").write_text(f"import os\nos.system({kernel.uv_install()!r})\n")
    (kernel.work / "a.txt").write_text("x\n")
    (kernel.work / "hook.sh").write_text(kernel.uv_install() + "\n")


# -- R17-14: the launcher's environment reaches what it starts -------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"PYTHONPATH=. find . -maxdepth 0 -exec {IMPORTS} \\;",
        f"PYTHONPATH=. xargs -a a.txt {IMPORTS}",
        f"env PYTHONPATH=. xargs -a a.txt {IMPORTS}",
        f"export PYTHONPATH=.; xargs -a a.txt {IMPORTS}",
        "BASH_ENV=/dev/stdin xargs -a a.txt bash -c true < hook.sh",
        "BASH_ENV=hook.sh find . -maxdepth 0 -exec bash -c true \\;",
        "export BASH_ENV=hook.sh; chrt -o 0 bash -c true",
        f"f() {{{{ {IMPORTS}; }}}}; PYTHONPATH=. f",  # a function's body gets its call's
    ],
)
def test_what_a_launcher_starts_gets_the_launcher_environment(kernel, line):
    for program in ("find", "xargs", "chrt", "bash"):
        installed(program)
    _payload(kernel)
    refused = kernel.proves(system_cell(line))
    assert "PYTHONPATH" in refused or "BASH_ENV" in refused, refused


# -- R17-15: bash's export forms --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"export -n PYTHONPATH; {IMPORTS}",
        f"declare +x PYTHONPATH; {IMPORTS}",
        f"typeset +x PYTHONPATH; {IMPORTS}",
        f"declare -x PYTHONPATH=.; {IMPORTS}",
        f"typeset -gx PYTHONPATH=.; {IMPORTS}",
        f"f() {{{{ local -x PYTHONPATH=.; {IMPORTS}; }}}}; f",  # Kernel.cell formats: {{
        f"for PYTHONPATH in .; do {IMPORTS}; done",
        f"set -a; read PYTHONPATH <<< .; {IMPORTS}",
        "pip() {{ sh hook.sh; }}; export -f pip; bash -c 'pip list'",
    ],
)
def test_bash_export_forms_are_read(kernel, line):
    installed("bash")
    _payload(kernel)
    refused = kernel.proves(bash_cell(line))
    assert "PYTHONPATH" in refused or "BASH_FUNC" in refused, refused


class ConfigKernel(LaunchFolders):
    """A kernel started with UV_NO_CONFIG=1 (uv reads no uv.toml), in a folder whose uv.toml
    names the test index: a line that unsets the variable sends uv to that index."""

    def __init__(self, tmp_path, index):
        super().__init__(tmp_path, index, {"schema_version": 1, "revision": 3})
        self.work = tmp_path / "work"
        self.work.mkdir()
        (self.work / "uv.toml").write_text(f"index-url = {json.dumps(index.simple)}\n")

    def env(self, launched: bool) -> dict:
        return {**super().env(launched), "UV_NO_CONFIG": "1"}

    def run(self, line: str, launched: bool) -> dict:
        return run_python(CELL, [system_cell(line)], self.env(launched), cwd=self.work)


@pytest.mark.parametrize("unset", ["unset UV_NO_CONFIG;", "env -u UV_NO_CONFIG"])
def test_an_unset_variable_is_not_read_as_the_kernel_value(tmp_path, index, unset):
    kernel = ConfigKernel(tmp_path, index)
    line = unset + " " + shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-cache", "--python", sys.executable,
         "--target", str(kernel.target), "warden-demo-pkg"]
    )  # fmt: skip
    plain = kernel.run(line, launched=False)
    assert plain["refused"] is None and index.requests, plain
    assert list(kernel.target.glob("warden_demo_pkg*")), plain
    index.requests.clear()
    guarded = kernel.run(line, launched=True)
    assert guarded["refused"] and index.requests == [], guarded
    assert "uv config" in guarded["refused"], guarded


def test_tmux_new_environment_is_read():
    """tmux new -e NAME=VALUE: the command tmux starts gets NAME (read, not proven for real:
    the command runs in tmux's server, after the cell's start returns)."""
    with pytest.raises(commands.Unreadable, match="BASH_ENV"):
        commands.shell_invocations("tmux new -d -e BASH_ENV=/tmp/x bash -c true")


# -- R17-5: a file of commands decided where it leads -----------------------------------------

MAKEFILE = BUILT.replace("$@", "$$@")  # make passes `$$` to the shell as `$`


@pytest.mark.parametrize(
    "line",
    [
        f"printf '%s\\n' '{BUILT}' | bash ///dev/stdin",
        f"printf '%s\\n' '{BUILT}' | bash //dev//stdin",
        f"cd /dev && printf '%s\\n' '{BUILT}' | bash stdin",
        f"printf '%s\\n' '{BUILT}' | bash link",
        f"printf '%s\\n' '{BUILT}' | . ///dev/stdin",
        f"printf '%s\\n' '{BUILT}' | find . -maxdepth 0 -exec bash ///dev/stdin \\;",
        f"printf '%s\\n' '{BUILT}' | find /dev -maxdepth 1 -name stdin -execdir bash stdin \\;",
        f"printf 'all:\\n\\t%s\\n' '{MAKEFILE}' | make -s -C /dev -f stdin",
        f"printf 'all:\\n\\t%s\\n' '{MAKEFILE}' | make -s -f stdin -C /dev",
    ],
)
def test_a_file_of_commands_on_a_descriptor_is_refused_however_spelled(kernel, line):
    for program in ("bash", "make", "find"):
        installed(program)
    os.symlink("/proc/self/fd/0", kernel.work / "link")
    refused = kernel.proves(system_cell(line))
    assert "descriptor" in refused or "input" in refused, refused


@pytest.mark.parametrize(
    "path, folder, found",
    [
        ("///dev/stdin", "", True),
        ("stdin", "/dev", True),
        ("../../../../../../../../dev/fd/0", "/tmp", True),
        ("$X", "", True),  # a name the shell computes
        ("$:\x010\x01:", "", True),  # `$(echo /dev/stdin)` as the line's reading marks it
        ("x.sh", None, True),  # from a folder Warden cannot tell
        ("x.sh", "", False),
        ("missing.sh", "", False),  # not there: a script file the line may write (open class)
    ],
)
def test_descriptor_rule_places_the_file(tmp_path, path, folder, found):
    (tmp_path / "x.sh").write_text("echo hi\n")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert shell_runners.commands_on_descriptor(path, folder) is found
    finally:
        os.chdir(here)


def test_a_fifo_or_a_link_to_a_descriptor_counts(tmp_path):
    os.mkfifo(tmp_path / "f")
    os.symlink("/proc/self/fd/0", tmp_path / "l")
    assert shell_runners.commands_on_descriptor("f", str(tmp_path))
    assert shell_runners.commands_on_descriptor("l", str(tmp_path))
    assert shell_runners.commands_on_descriptor(str(tmp_path / "l"))


# -- ordinary lines still run -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ls | xargs -n1 echo",
        "find . -name '*.pyc' -exec rm {} +",
        f"find . -maxdepth 0 -exec {PY} -c 'print(1)' \\;",
        f"printf x | xargs {PY} -c 'import sys; print(sys.argv)'",
        "export X=1; declare -x Y=2; unset Z; env -u W true",
        "export -p > /dev/null",
        "make -C sub",
        "source .venv/bin/activate",
        "bash build.sh",
        "cd sub && bash build.sh",
        "tmux new -d -s train -e CUDA_VISIBLE_DEVICES=0 python train.py",
    ],
)
def test_ordinary_lines_still_start(tmp_path, line):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "build.sh").write_text("echo hi\n")
    (tmp_path / "build.sh").write_text("echo hi\n")
    with commands.start_folder(str(tmp_path)):
        assert commands.shell_invocations(line) == []
