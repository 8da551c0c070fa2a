"""Red team 56b R56b-4: a redirection with NO command word before the install on the line,
``>r.txt; uv pip install --index-url REFUSED -r r.txt P`` (``>r.txt && ...``, ``true; >r.txt;
...``, ``true | >r.txt; ...``), is no writer for Warden. The shell empties r.txt (the idiom for
truncating a file) before uv starts; Warden read it full (``--no-index --find-links w``:
allowed), uv reads it empty and fetches P from the line's ``--index-url``, a host the policy
refuses. (``x=1 >r.txt; ...`` is refused: it has a word.)

Root cause: installs/commands.py:2314-2325 ``_split``: at an operator a command is kept only
when it has words (``if current``) or follows ``)`` or its targets hold a substitution
(``> $(cmd);``); a redirection alone (``current`` empty, ``writes`` = [r.txt]) is dropped, and
with it its writes. Fix: keep every redirection as a command (``[":"]`` with its writes, as the
substitution branch does), whatever precedes it.

Status: fixed by fix71split (failed on land70: installed under Warden); see
docs/threat-model.md "Fixed (fix71split".
"""

import pytest
from launched import REQS_INSTALL, local_reqs_cell

BEFORE = {"semicolon": ">r.txt; ", "and": ">r.txt && ", "after-true": "true; >r.txt; "}


def _cell(kernel, before: str) -> str:
    return local_reqs_cell(kernel, before + REQS_INSTALL)


def test_control_a_bare_redirection_empties_r_txt_without_warden(kernel):
    kernel.installs_locally(_cell(kernel, ""))
    kernel.installs_unguarded(_cell(kernel, BEFORE["semicolon"]))


@pytest.mark.parametrize("form", sorted(BEFORE))
def test_a_bare_redirection_before_the_install_is_a_writer(kernel, form):
    kernel.kept_out(_cell(kernel, BEFORE[form]), form)
