"""Red team 56b R56b-8: the output redirection of a shell that runs TEXT (``sh -c 'PY -E s.py'
> mod.py``, ``bash -c``, ``eval '...' > mod.py``) is not the redirection of the guardless
Python inside it: s.py (read by Warden: no installer in it, imports ``mod``; mod.py holds
``X = 1``) writes its hex-encoded payload to stdout, which the shell has opened on mod.py, then
imports it; the payload starts uv installing warden-demo-pkg from the test index, a host the
policy refuses, from a Python without Warden's guard. Written ``PY -E s.py > mod.py`` it is
refused ("its code may write files (a redirection of its output) and imports mod"); for an
INSTALL inside ``bash -c '...' 2>r.txt`` the outer redirection is handed on (refused since
fix67redirect), for a guardless Python's local imports it is not.

Root cause: installs/commands.py:889-891: each command of a line sets ``_LINE_WRITER`` to
(what may write before it, "a redirection of its output" if ITS OWN ``writes``); the commands of
the inner line of ``sh -c TEXT`` / ``eval TEXT`` (read inside ``_simple`` of the outer command)
take the outer value's first half (``_LINE_WRITER.get()[0]``) but replace the second with their
own (none), so the outer command's redirection is lost for the inner guardless start's
local-imports rule (commands.py ~2392-2424). The installs' own-redirection rule hands it on
(``bash -c 'uv ...' 2>r.txt`` is refused); this rule does not.
Fix: read the inner text with the outer command's redirections as
redirections of every command in it (as a compound command's, R55b-5/R56b-1).

Status: fixed by fix71split (failed on land70: installed under Warden); see
docs/threat-model.md "Fixed (fix71split".
"""

import sys

import pytest
from launched import self_writing_module, system_cell

FORMS = {
    "plain": "PY -E s.py > mod.py",
    "sh-c": "sh -c 'PY -E s.py' > mod.py",
    "eval": "eval 'PY -E s.py' > mod.py",
}


def _cell(kernel, form: str) -> str:
    self_writing_module(kernel)
    return system_cell(FORMS[form].replace("PY", sys.executable))


def test_control_installs_without_warden_and_plain_is_refused(kernel):
    kernel.installs_unguarded(_cell(kernel, "sh-c"))
    kernel.kept_out(_cell(kernel, "plain"))


@pytest.mark.parametrize("form", ["sh-c", "eval"])
def test_a_shell_s_redirection_is_the_inner_guardless_python_s_own(kernel, form):
    kernel.kept_out(_cell(kernel, form), form)
