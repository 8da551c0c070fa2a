"""Red team 56b R56b-2: an EARLIER command on the line that is a subshell with an output
redirection, ``(:) >r.txt; uv pip install --index-url REFUSED -r r.txt P`` (or ``( : ) >r.txt
&& ...``), is not counted as a writer before the install. The shell empties r.txt before uv
starts; Warden read it full (``--no-index --find-links w``: allowed), uv reads it empty and
fetches P from the line's ``--index-url``, a host the policy refuses. (``{ :; } >r.txt; ...`` and
``if ...; fi >r.txt; ...`` are refused: the redirection lands on the ``}``/``fi`` "command".)

Root cause: installs/commands.py:2319-2323 ``_split``: a redirection after ``)`` (`(a) > f;`)
is folded into the previous command's entry by extending its ``targets`` only; its ``writes``
(commands.py:2312, what ``_LineState`` counts as the command's writes) keep the subshell's
inner command's (none for ``:``), so the ``(:)`` command is no writer. Same family as R56b-1
(a compound command's redirection is not the redirection of the commands inside it).

Status: passes since fix70group (land70: the redirection after `)` is the subshell's last
command's, a writer for the commands after it); kept as a regression proof.
"""

import pytest
from launched import REQS_INSTALL, local_reqs_cell

BEFORE = {"semicolon": "(:) >r.txt; ", "and": "( : ) >r.txt && "}


def _cell(kernel, before: str) -> str:
    return local_reqs_cell(kernel, before + REQS_INSTALL)


def test_control_the_subshell_empties_r_txt_without_warden(kernel):
    """Passes on land70: without the subshell allowed and local; with it (no Warden) fetched."""
    kernel.installs_locally(_cell(kernel, ""))
    kernel.installs_unguarded(_cell(kernel, BEFORE["semicolon"]))


@pytest.mark.parametrize("form", sorted(BEFORE))
def test_an_earlier_redirected_subshell_is_a_writer_before_the_install(kernel, form):
    kernel.kept_out(_cell(kernel, BEFORE[form]), form)
