"""Red team 54b: a pip script's ``#!`` start that Warden reads as one program while the
kernel runs another (after fix66chain, ``commands._refuse_unread_script_start``).

R54b-1 (HIGH): ``#!python3`` names a RELATIVE interpreter. binfmt_script opens it as a path
(relative to the start's folder, no PATH lookup), but ``shebang.interpreter_starts`` returns
the bare word and ``commands._read_python_script_start`` reads it as the ``python3`` found on
PATH (the kernel's, guarded). Here ./python3 is a Python script whose own line is
``#!/usr/bin/env -S -i PY``: the kernel runs PY with an empty environment (no guard).

R54b-2 (HIGH): ``#!/usr/bin/env -S bash -c 'TEXT'`` (or ``sh -c``): the last program is a
shell by name, which the installer rule passes (``SHELLS``), and nothing reads TEXT, though it
is on the ``#!`` line itself (no script file): ``env -i PY pip`` there runs the pip guardless.

R54b-3 (MED): a COPY of env (not a link) named ``sh`` (``#!/work/sh -S -i PY``): ``shebang.
_is_env`` and ``_wrapper_file`` know env only by its name or its realpath's, and the
installer rule passes a last program named as a shell.

Each case: the attack installs without Warden (control, passes), and under Warden nothing is
fetched or installed (FAILS today: installed under Warden).
"""

import sys

import pytest

PY = sys.executable
SCRIPT = (
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-cache-dir',"
    " '--target', '{target}', '--index-url', '{index}', 'warden-demo-pkg'])\n"
)


def _cell(line: str, prep: str = "") -> str:
    """The cell writes ./pip with ``line`` as its #! line and runs ``./pip install six``
    (an install the policy allows by its words; the gate reads it as pip's)."""
    body = f"#!{line}\n{SCRIPT}"
    return (
        "import os, shutil, subprocess\n" + prep + f"open('pip', 'w').write({body!r})\n"
        "os.chmod('pip', 0o755)\n"
        "subprocess.run(['./pip', 'install', 'six'])\n"
    )


# ./python3: a Python script whose line starts PY with an empty environment; it runs as the
# interpreter of ./pip (argv: ./python3 ./pip install six), so its own body does the install
_RELATIVE = (
    f"open('python3', 'w').write({('#!/usr/bin/env -S -i ' + PY + chr(10) + SCRIPT)!r})\n"
    "os.chmod('python3', 0o755)\n"
)
_COPY_SH = "shutil.copy('/usr/bin/env', 'sh')\n"

CASES = {
    "R54b-1 relative #!python3": ("python3", _RELATIVE),
    "R54b-2 env -S bash -c": ("/usr/bin/env -S bash -c 'env -i {py} pip'", ""),
    "R54b-2 env -S sh -c": ("/usr/bin/env -S sh -c 'env -i {py} pip'", ""),
    "R54b-3 copy of env named sh": ("{work}/sh -S -i {py}", _COPY_SH),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_r54b_pip_script_start_is_read_as_the_kernel_runs_it(kernel, case):
    line, prep = CASES[case]
    code = _cell(line.format(py=PY, work=kernel.work), prep)
    kernel.kept_from_refused_host(code)


def test_control_absolute_env_i_is_refused(kernel):
    """The same ./python3 named by its absolute path is read (passes today)."""
    code = _cell(f"{kernel.work}/python3", _RELATIVE)
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"], guarded
    assert not kernel.installed() and not kernel.index.requests, guarded
