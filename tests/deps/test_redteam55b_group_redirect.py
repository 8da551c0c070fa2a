"""Red team 55b R55b-5: the own-redirection rule of fix67writers/fix67redirect (R54a-3) reads
only a redirection written on the install's own simple command. The same redirection written
on a group, subshell or compound command around it, ``{ uv pip install --index-url REFUSED -r
r.txt P; } 2>r.txt`` (also ``( ... ) 2>r.txt``, ``if ...; then ...; fi 2>r.txt``, ``while``
and ``for`` bodies with a trailing redirection), is opened (and r.txt emptied) by the shell
before the install starts, as R54a-3's was: Warden reads r.txt's ``--no-index --find-links w``
and allows the install; uv reads an empty r.txt and fetches P from the line's index, a host
the policy refuses.

Root cause: ``commands.shell_invocations`` passes ``_own_redirection_problem`` only the
command's own ``writes``/targets (installs/commands.py:913-920); a redirection after ``}``,
``)``, ``fi``, ``done`` or ``esac`` belongs to the command the split gives for that word, which
runs nothing and is read after the install (a writer AFTER it on the line, so no earlier-writer
problem either). FAILS today.
"""

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell

# (kernel.cell fills {uv}/{target}/{index}: a group's braces are written doubled)


def test_control_the_group_without_a_redirection_is_allowed_and_local(kernel):
    kernel.installs_locally(local_reqs_cell(kernel, "{{ " + INSTALL + "; }}"))


@pytest.mark.parametrize(
    "line",
    [
        "{{ " + INSTALL + "; }} 2>r.txt",
        "( " + INSTALL + " ) 2>r.txt",
        "if true; then " + INSTALL + "; fi 2>r.txt",
    ],
    ids=["group", "subshell", "if"],
)
def test_a_redirection_around_the_install_that_empties_its_file_is_refused(kernel, line):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line))
