"""Red team 81: vectors tried against fix80subst and fix80dangling that Warden already stops,
kept as proofs (each runs its payload without Warden: the control).

- a substitution the shell expands after the redirections it opened, in spellings
  ``subst_redirect`` does not list by name: bash's ``(( ))`` and ``for (( ))``, dash's
  ``((`` (two subshells), ``eval``'s text, ``select``'s words, an assignment in front of
  ``eval`` (dash opens the redirection first);
- a Python uv finds on PATH by itself (``uv pip list --system``), a link leading nowhere
  until ``mkdir m`` makes it resolve. The link is made just before the kernel starts, so it
  may read as new or as older than the start: both are refused (fix91h, whose proofs make it
  older for certain).
"""

import sys

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell, system_call
from real_uv import real_uv

SUB = "$(" + INSTALL + ")"


@pytest.mark.parametrize(
    "line, bash",
    [
        ("(( " + SUB + " + 1 )) 2>r.txt", True),
        ("(( " + SUB + " + 1 )) 2>r.txt", False),
        ("for ((i=" + SUB + ";i<1;i++)); do :; done 2>r.txt", True),
        ("eval 'echo " + SUB + "' 2>r.txt", False),
        ("command eval 'echo " + SUB + "' 2>r.txt", False),
        ("select x in " + SUB + "; do break; done 2>r.txt </dev/null", True),
        ("x=" + SUB + " eval : 2>r.txt", False),
    ],
    ids=["bash-arith", "dash-arith", "arith-for", "eval", "command-eval", "select", "eval-prefix"],
)
def test_a_substitution_after_its_holders_redirection_is_kept_out(kernel, line, bash):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line, bash=bash))


@pytest.mark.parametrize("name", ["python3", "python"])
def test_a_python_uv_finds_on_path_leading_nowhere_until_the_line_makes_it(kernel, name):
    evil = kernel.work / "evil"
    evil.write_text(f'#!/bin/sh\ntouch {kernel.work}/marker\nexec {sys.executable} "$@"\n')
    evil.chmod(0o755)
    (kernel.work / "bin").mkdir()
    (kernel.work / "bin" / name).symlink_to("../m/../evil")
    code = (
        'import os, shutil\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
        "os.environ.pop('VIRTUAL_ENV', None)\nos.environ.pop('CONDA_PREFIX', None)\n"
        "shutil.rmtree('m', ignore_errors=True)\n"
        "os.remove('marker') if os.path.exists('marker') else None\n"
    ) + system_call(f"mkdir m && {real_uv()} pip list --system")
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and (kernel.work / "marker").exists(), plain
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and not (kernel.work / "marker").exists(), guarded
