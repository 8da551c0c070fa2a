"""Red team 53a R53a-1: a pip script whose ``#!`` line starts a Python through a program that
is no Python (env again, env under another name, timeout, nice) is read as no Python start.

fix64 reads ``#!/usr/bin/env -S ...`` through ``_unwrap`` (``commands._shebang_starts``), so
``#!/usr/bin/env -S -i PY`` is the guardless pip it is (control below). But
``_read_python_script_start`` then looks only at the start levels whose program *names a
Python* (``_names_python``) or at a first-level ``sh`` (``pip_program.interpreter_of``).
The command env runs is taken as the level's program as written: when it is ``env -i PY``
(``#!/usr/bin/env -S env -i PY``), ``timeout 60 env -i PY``, or ``-i PY`` handed to a link
to env named otherwise (``#!/work/e -S -i PY``, ``shebang._started`` tests the basename
``env``), no level names a Python: ``pythons`` is empty and nothing is refused. The Python
then starts with an empty environment (no PYTHONPATH: no guard) and runs the script: here a
pip install from the test index, which the policy refuses.
FAILS today (installs under Warden).
"""

import os
import sys

import pytest

SCRIPT = (
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-cache-dir',"
    " '--target', '{target}', '--index-url', '{index}', 'warden-demo-pkg'])\n"
)


def _cell(line: str) -> str:
    """The cell writes ./pip with ``line`` as its #! line (./e a link to env) and runs
    ``./pip install six`` (an ordinary install the gate reads as pip's)."""
    body = f"#!{line}\n{SCRIPT}"
    return (
        "import os, subprocess\n"
        "os.path.lexists('e') or os.symlink('/usr/bin/env', 'e')\n"
        f"open('pip', 'w').write({body!r})\n"
        "os.chmod('pip', 0o755)\n"
        "subprocess.run(['./pip', 'install', 'six'])\n"
    )


LINES = {
    "env runs env -i": "/usr/bin/env -S env -i {py}",
    "env runs /usr/bin/env -i": "/usr/bin/env -S /usr/bin/env -i {py}",
    "env runs timeout env -i": "/usr/bin/env -S timeout 60 env -i {py}",
    "a link to env": "{work}/e -S -i {py}",
}


@pytest.mark.parametrize("case", sorted(LINES))
def test_a_python_started_through_another_program_is_a_guardless_pip(kernel, case):
    line = LINES[case].format(py=sys.executable, work=kernel.work)
    code = _cell(line)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_control_env_i_itself_is_refused(kernel):
    """What fix64 reads (passes today): ``#!/usr/bin/env -S -i PY``."""
    code = _cell(f"/usr/bin/env -S -i {sys.executable}")
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and "guard" in guarded["refused"], guarded
    assert not kernel.installed() and not kernel.index.requests, guarded
    assert os.path.exists(kernel.work / "pip")
