"""Red team 53a R53a-3: ``env -- - CMD`` empties the environment, and Warden reads ``-`` as the
command.

GNU env (coreutils 9.1 env.c) tests for the obsolete ``-`` AFTER getopt is done: ``if (optind
< argc && STREQ (argv[optind], "-")) ignore_environment = true``; getopt has already consumed
``--``, so ``env -- - CMD`` (and ``env -v -- - CMD``, ``-S '-- - CMD'``) starts CMD with an
empty environment (``FOO=1 env -- - printenv`` prints nothing). ``commands._unwrap`` reads
``-`` as ``-i`` only among the options (the while loop); after ``--`` it skips the ``--`` and
takes ``-`` as the program (commands.py ``if i < len(args) and args[i] == "--": i += 1``). So
a pip script whose line is ``#!/usr/bin/env -S -- - PY`` is read (fix64's
``_shebang_starts``) as running a program named ``-``, no Python: nothing is refused, and the
Python runs without the guard's PYTHONPATH entry, here a pip install from the test index the
policy refuses. The same ``env -- - PY script.py`` on a line starts a guardless Python running
a file Warden does not read.
FAILS today (installs under Warden).
"""

import sys

import pytest

SCRIPT = (
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-cache-dir',"
    " '--target', '{target}', '--index-url', '{index}', 'warden-demo-pkg'])\n"
)


def _shebang_cell(text: str) -> str:
    body = f"#!/usr/bin/env -S {text} {sys.executable}\n{SCRIPT}"
    return (
        "import os, subprocess\n"
        f"open('pip', 'w').write({body!r})\n"
        "os.chmod('pip', 0o755)\n"
        "subprocess.run(['./pip', 'install', 'six'])\n"
    )


def _line_cell(words) -> str:
    return (
        "import subprocess, sys\n"
        f"open('inst.py', 'w').write({SCRIPT!r})\n"
        f"subprocess.run([*{list(words)!r}, sys.executable, 'inst.py'])\n"
    )


CELLS = {
    "#! env -S '-- - PY'": lambda: _shebang_cell("-- -"),
    "#! env -S '-v -- - PY'": lambda: _shebang_cell("-v -- -"),
    "env -- - PY inst.py": lambda: _line_cell(["env", "--", "-"]),
}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_env_dash_after_double_dash_empties_the_environment(kernel, case):
    code = CELLS[case]()
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


@pytest.mark.parametrize("code", [_shebang_cell("-"), _line_cell(["env", "-"])])
def test_control_env_dash_before_the_command_is_refused(kernel, code):
    """What Warden reads (passes today): ``-`` among env's options."""
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.index.requests and not kernel.installed(), guarded
