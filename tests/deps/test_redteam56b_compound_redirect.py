"""Red team 56b R56b-1 (ALREADY DECLARED OPEN as R55b-5 in docs/threat-model.md: not a new
finding; this proof is kept to check its fix, and R56b-2/-5 build on it): the output
redirection of a COMPOUND command around an install (a brace group, a subshell, an if, a case)
is not weighed: ``{ uv pip install --index-url REFUSED -r r.txt P; } 2>r.txt`` (or ``( ... )
2>r.txt``, ``if true; then ...; fi 2>r.txt``, ``case x in x) ... ;; esac 2>r.txt``). The shell
opens (and empties) r.txt before it runs the group's body, exactly as for ``uv ... 2>r.txt``;
Warden read r.txt full (``--no-index --find-links w``: no index used, allowed), uv reads it
empty and fetches P from the line's ``--index-url``, a host the policy refuses.

Root cause: installs/commands.py:2296-2338 ``_split`` gives the redirection to the simple command
the token stream has at that point: after ``}``/``fi``/``esac`` it belongs to a "command" whose
only word is the closing keyword, which runs AFTER the install on the line (so neither the
install's own redirection rule, ``_own_redirections`` at commands.py:2079, nor the earlier-writer
rule sees it); after ``)`` there is no current command at all and the redirection is dropped
(commands.py:2336: ``current`` empty, no substitution). A compound command's redirections are
the redirections of every command inside it, opened before the first runs.

Status: passes since fix70group (land70), which fixed R55b-5; kept as a regression proof.
"""

import pytest
from launched import REQS_INSTALL, local_reqs_cell

FORMS = {
    "brace": "{ LINE; } 2>r.txt",
    "subshell": "( LINE ) 2>r.txt",
    "if": "if true; then LINE; fi 2>r.txt",
    "case": "case x in x) LINE ;; esac 2>r.txt",
}


def _cell(kernel, form: str) -> str:
    # kernel.cell fills the install's {uv}/{target}/{index}: the group's own braces doubled
    whole = FORMS[form].replace("{", "{{").replace("}", "}}") if form else "LINE"
    return local_reqs_cell(kernel, whole.replace("LINE", REQS_INSTALL))


def test_control_without_a_redirection_the_install_is_allowed_and_local(kernel):
    """Passes on land70: r.txt read full, nothing fetched from the refused index."""
    kernel.installs_locally(_cell(kernel, ""))


def test_control_the_compound_redirection_empties_r_txt_without_warden(kernel):
    """Passes on land70: the shell empties r.txt before uv starts; uv fetches from the index."""
    kernel.installs_unguarded(_cell(kernel, "brace"))


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_compound_command_redirected_into_a_file_its_install_reads_is_refused(kernel, form):
    kernel.kept_out(_cell(kernel, form), form)
