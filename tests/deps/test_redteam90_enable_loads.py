"""Red team 90 F14 (fixC): bash's ``enable`` loads a shared object into the shell. ``enable -f
FILE NAME`` dlopen()s FILE (its constructor runs at load, whether or not it defines
``NAME_struct``), and since bash 5.1 plain ``enable NAME`` (``-s``, ``-a``, ``--``, beside a real
builtin) does the same for a NAME that is no builtin, found on BASH_LOADABLES_PATH, whose
default ends with ``.``: a cell writes ./x (a .so whose constructor installs), then ``bash -c
'enable x'`` runs it inside the shell, where Warden read a plain builtin (``-f``/``-d``/``-n``
were refused since red team 39b; the operand form was not).

Fixed (``enable_loads``, from ``commands._refuse_name_table_change``): every ``enable -f``/``-d``
and every ``enable`` naming anything but bash's own builtins is refused (ksh's ``builtin -f`` and
zsh's ``zmodload MODULE`` too). ``enable``, ``enable -p``, ``enable echo`` pass; ``enable -n
echo`` stays refused (it changes what ``echo`` runs, red team 39b).

Red team 91 (fixE): ``coproc enable x``, ``coproc { enable x; }`` and ``coproc N { enable x; }``
loaded ./x (the rule read a command named ``coproc``): the rule now reads the command behind
``coproc [NAME]`` and its compound's opening words (``enable_loads.behind_coproc``)."""

import json
import subprocess
import sys

import pytest
from install_env import line_problems
from launched import installed
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import enable_loads

C_SOURCE = """#include <stdlib.h>
__attribute__((constructor)) static void payload(void) {{ system({command}); }}
"""


def _shared_object(kernel, tmp_path) -> bytes:
    """A shared object whose constructor installs warden-demo-pkg from the test index (a host
    the policy refuses), compiled with the machine's gcc."""
    command = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    source = tmp_path / "x.c"
    source.write_text(C_SOURCE.format(command=json.dumps(command)))
    built = tmp_path / "x.so"
    subprocess.run(
        [installed("gcc"), "-shared", "-fPIC", "-o", str(built), str(source)], check=True
    )
    return built.read_bytes()


WRITE = """import os, subprocess
os.makedirs('lib', exist_ok=True)
for path in ('x', 'lib/x', 'x.so'):
    with open(path, 'wb') as fh:
        fh.write(bytes.fromhex({so!r}))
"""
LINES = {
    "plain": "enable x",
    "special": "builtin enable -s x",
    "loadables-path": "BASH_LOADABLES_PATH=$PWD/lib; enable -- x",
    "beside-a-builtin": "enable echo x; echo done",
    "dash-f": "enable -f ./x.so x",
    "coproc": "coproc N {{ enable x; }}; wait",  # red team 91 (the cell is format()ed)
}


@pytest.mark.parametrize("form", sorted(LINES))
def test_enable_loading_a_shared_object_is_refused(kernel, tmp_path, form):
    """The proof: without Warden the object's constructor installs; with Warden the bash
    start is refused (``dash-f`` was refused before the fix too: the control; the other four
    installed under Warden)."""
    installed("bash")
    so = _shared_object(kernel, tmp_path).hex()
    cell = WRITE.format(so=so) + f"subprocess.run(['bash', '-c', {LINES[form]!r}])\n"
    guarded = kernel.kept_from_refused_host(cell)
    assert "enable" in (guarded["refused"] or ""), guarded


# -- readings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "bash -c 'enable x'",
        "bash -c 'enable -a x'",
        "bash -c 'enable -n x'",
        "bash -c 'command enable -- x'",
        "bash -c 'f() { enable x; }; f'",
        "bash -c 'eval enable x'",
        "bash -c 'enable $N'",
        "bash -c 'enable -f /usr/lib/bash/sleep sleep'",
        "bash -c 'enable -d sleep'",
        "ksh -c 'builtin -f ./libx.so x'",
        "zsh -c 'zmodload ./x'",
        # red team 91 (fixE): behind `coproc [NAME]` and inside its compound command
        "bash -c 'coproc enable x; sleep 1'",
        "bash -c 'coproc { enable x; }'",
        "bash -c 'coproc N { enable x; }'",
        "bash -c 'coproc N { true; enable -a x; }'",
        "bash -c 'coproc time enable x'",
        "bash -c 'coproc command enable -- x'",
        "bash -c 'coproc enable -f ./x x'",
        "bash -c 'coproc enable -n echo'",
        "bash -c 'coproc N { hash -p ./x ls; }'",
        "bash -c 'coproc while true; do enable x; done'",
    ],
)
def test_every_loading_enable_is_refused(tmp_path, line):
    assert line_problems(line, tmp_path), line


@pytest.mark.parametrize(
    "line",
    [
        "bash -c 'enable'",
        "bash -c 'enable -p'",
        "bash -c 'enable -a'",
        "bash -c 'enable echo test'",
        "bash -c 'BASH_LOADABLES_PATH=/opt/x; echo $BASH_LOADABLES_PATH'",
        "bash -c 'coproc { enable echo; }'",
        "bash -c 'coproc N { cat; }'",
        "bash -c 'coproc enable -p'",
    ],
)
def test_enable_that_loads_nothing_passes(tmp_path, line):
    assert line_problems(line, tmp_path) == [], line


def test_enable_n_stays_refused(tmp_path):
    """``enable -n echo`` loads nothing, but a later ``echo`` then runs PATH's echo: refused as
    a change of what a name runs (red team 39b), not by this rule."""
    assert enable_loads.refusal(["enable", "-n", "echo"]) == ""
    assert line_problems("bash -c 'enable -n echo; echo x'", tmp_path)


def test_bash_loads_a_non_builtin_name_from_its_folder(tmp_path):
    """The bash here loads ./x for ``enable x`` (BASH_LOADABLES_PATH's default ends with
    ``.``): what the rule stands on, measured."""
    source = tmp_path / "x.c"
    source.write_text(C_SOURCE.format(command=json.dumps("touch ran")))
    subprocess.run(
        [installed("gcc"), "-shared", "-fPIC", "-o", "x", "x.c"], cwd=tmp_path, check=True
    )
    subprocess.run([installed("bash"), "-c", "enable x"], cwd=tmp_path, capture_output=True)
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize(
    ("words", "behind"),
    [
        (["coproc", "enable", "x"], ["enable", "x"]),
        (["coproc", "{", "enable", "x"], ["enable", "x"]),
        (["coproc", "N", "{", "enable", "x"], ["enable", "x"]),
        (["X=1", "coproc", "N", "(", "enable", "x"], ["enable", "x"]),
        (["coproc", "N", "enable", "x"], ["N", "enable", "x"]),  # a simple command: N runs
        (["enable", "x"], ["enable", "x"]),
    ],
)
def test_behind_coproc(words, behind):
    assert enable_loads.behind_coproc(words) == behind
