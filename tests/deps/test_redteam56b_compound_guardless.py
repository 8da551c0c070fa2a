"""Red team 56b R56b-5 (a new consequence of the declared-open R55b-5, whose text names only
installs around which the group sits; a fix limited to installs' own redirections misses it):
R56b-1's hidden compound redirection lets a GUARDLESS Python write the
module it imports, so code Warden never read runs without the guard:
``{ python -E s.py; } > mod.py``. s.py (read by Warden: no installer in it, imports ``mod``;
mod.py holds ``X = 1``) writes a new mod.py through its stdout (the payload hex-encoded) and
imports it; the payload starts uv installing warden-demo-pkg from the test index, a host the
policy refuses, from a Python without Warden's guard. Written ``python -E s.py > mod.py`` it is
refused (commands.py's local-imports rule: "its code may write files (a redirection of its
output) and imports mod"); inside ``{ ...; }`` or ``( ... )`` the redirection is not the
command's, so the same rule passes it.

Root cause: as R56b-1, installs/commands.py:2296-2338 ``_split`` gives a compound command's
redirection to the closing ``}`` (a later "command") or drops it after ``)``, so the guardless
start's ``writes`` are empty (commands.py:2392-2424 ``_LocalImports`` / may-write readings use
them). Fix: the redirections of a compound command are the redirections of every command inside
it (and a subshell's too).

Status: passes since fix70group (land70: a compound's redirections are every inner
command's, a Python start's output too); kept as a regression proof.
"""

import sys

import pytest
from launched import self_writing_module, system_cell

FORMS = {"plain": "PY -E s.py > mod.py", "brace": "{ PY -E s.py; } > mod.py",
         "subshell": "( PY -E s.py ) > mod.py"}  # fmt: skip


def _cell(kernel, form: str) -> str:
    self_writing_module(kernel)
    code = system_cell(FORMS[form].replace("PY", sys.executable))
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_guardless_python_installs_without_warden(kernel):
    kernel.installs_unguarded(_cell(kernel, "brace"))


def test_control_written_plainly_it_is_refused(kernel):
    kernel.kept_out(_cell(kernel, "plain"))


@pytest.mark.parametrize("form", ["brace", "subshell"])
def test_a_compound_redirection_is_the_guardless_python_s_own(kernel, form):
    kernel.kept_out(_cell(kernel, form), form)
