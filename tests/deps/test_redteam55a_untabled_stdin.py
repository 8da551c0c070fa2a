"""Red team 55a R55a-1 (HIGH, regression of land67's fix67ordinary R54c-1): a program Warden
has no table for (util-linux's ``choom -n 0 -- CMD``: in no launcher list) that really runs
its words as a command, whose command reads COMMANDS from its input: ``script`` with no
``-c`` (its shell), ``sqlite3`` (``.shell``), ``ed`` (``!``). The cell hands them an install
line on stdin (``subprocess.run(..., input=...)``), which Warden never reads.

On main such a word was refused ("script (with no command given) reads commands from its
input"); land67 passes ``started = j == 0`` to ``shell_runners.read`` (installs/commands.py
``_refuse_started``), and ``_Parse`` then skips the stdin_commands rule for every word of an
untabled program (installs/shell_runners.py, ``self.start`` in the stdin limit): the install
runs unread. R55a-2: ``bash -s`` there was never refused (``_refuse_inner_start(...,
"decided")``: a shell word among an untabled program's words is read as having no input).
The table's own launchers take the same path: ``chrt -o 0 script -q /dev/null``, ``taskset
-c 0 ...``, ``ionice -c3 ...`` with a pipe or redirection were refused on main and run today.
"""

import os

import pytest
from launched import installed

STDIN = {
    "script": (["script", "-q", "/dev/null"], "{line}\nexit\n"),
    "sqlite3": (["sqlite3"], ".shell {line}\n"),
    "ed": (["ed"], "!{line}\nq\n"),
    "bash-s": (["bash", "-s"], "{line}\n"),  # R55a-2: not a regression, open before land67
}


# the launcher: untabled (choom), and the table's own launchers (schema/shell-runners.json
# `launchers`: chrt, taskset, ionice), whose command is read the same way since land67
LAUNCHERS = {
    "choom": ["choom", "-n", "0", "--"],
    "chrt": ["chrt", "-o", "0"],
    "taskset": ["taskset", "-c", "0"],
    "ionice": ["ionice", "-c3"],
}


def _cell(kernel, case: str, launcher: str = "choom") -> str:
    words, text = STDIN[case]
    installed(words[0])
    installed(LAUNCHERS[launcher][0])
    argv = LAUNCHERS[launcher] + words
    feed = text.format(line=kernel.uv_install())
    code = (
        "import subprocess\n"
        f"subprocess.run({argv!r}, input={feed!r}, text=True, capture_output=True)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("case", sorted(STDIN))
def test_r55a_1_untabled_program_runs_stdin_reader(kernel, case):
    code = _cell(kernel, case)
    kernel.kept_from_refused_host(code)


@pytest.mark.parametrize("launcher", ["chrt", "taskset", "ionice"])
def test_r55a_1_table_launcher_runs_stdin_reader(kernel, launcher):
    """The same behind the table's launchers (on main: refused, "script (with no command
    given) reads commands from its input")."""
    code = _cell(kernel, "script", launcher)
    kernel.kept_from_refused_host(code)


def _shell_cell(kernel, case: str) -> str:
    """The same start as one shell line (``shell=True``) fed by ``input=``: no start event
    carries a start's input, so no line's input is settled (IPython's ``!cmd`` hands its line
    a pipe too): fix68stdin's "settled line" left this open."""
    words, text = STDIN[case]
    installed(words[0])
    installed("choom")
    line = " ".join(LAUNCHERS["choom"] + words)
    feed = text.format(line=kernel.uv_install())
    code = (
        "import subprocess\n"
        f"subprocess.run({line!r}, shell=True, input={feed!r}, text=True, capture_output=True)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("case", ["script", "bash-s"])
def test_r55a_1_shell_line_fed_by_input(kernel, case):
    code = _shell_cell(kernel, case)
    kernel.kept_from_refused_host(code)


@pytest.mark.parametrize("spelled", ["./jupyter-x", "{work}/jupyter-x", "jupyter-x"])
def test_a_program_only_named_like_a_jupyter_tool_hands_its_input(tmp_path, monkeypatch, spelled):
    """Jupyter's own tools hand a word no input, by their real file: a copy of choom named
    ``jupyter-x`` (by path, or found on a PATH holding the notebook folder) runs ``script``
    with the start's input, as choom does; the kernel's own ``jupyter`` stays allowed."""
    import shutil

    from test_install_vectors import outcome

    installed("choom")
    shutil.copy(shutil.which("choom"), tmp_path / "jupyter-x")
    monkeypatch.chdir(tmp_path)
    program = spelled.format(work=tmp_path)
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    copied = {"command": [program, "-n", "0", "--", "script", "-q", "/dev/null"], "policy": {}}
    copied["env"] = env
    assert outcome(copied, tmp_path) == {"rules": ["install-unreadable"], "runs": False}
    own = {"command": ["jupyter", "nbconvert", "--to", "script", "nb.ipynb"], "policy": {}}
    assert outcome(own, tmp_path) == {"rules": [], "runs": True}
