"""Red team 56d R56d-6: after a compound command's closing word the shell reads a reserved
word again (``{ a; { b; } }``, ``{ a; if x; then y; fi }``, also ``done }``, ``esac }``,
``) }``: valid in sh and bash, no ``;`` needed), but fix70group's ``Compounds.word`` reads
a word in a closing place only in a command's first place (``command_position``: the words
so far, ``}`` or ``fi``, are no prefixes), so the outer ``}`` closes nothing in Warden's
reading. The redirection after it goes to the inner compound's commands only (the outer
``{`` stays open: an unclosed opening word fails nothing): ``{ INSTALL; { true; } }
2>r.txt`` runs the install with r.txt emptied; Warden reads r.txt's ``--no-index
--find-links w`` and allows; uv reads an empty r.txt and fetches from the line's (refused)
index.

Root cause: compound_redirect.py:41-47 (``command_position``) and 70-73 (a closing word after
a closing word not read as one); commands.py:2385-2395 (compounds still open at the end of
the line spread nothing). FAILS today.
"""

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell


@pytest.mark.parametrize(
    "line",
    [
        "{{ " + INSTALL + "; {{ true; }} }} 2>r.txt",
        "{{ " + INSTALL + "; if true; then true; fi }} 2>r.txt",
    ],
    ids=["group-in-group", "if-in-group"],
)
def test_a_closing_word_after_a_closing_word_hides_the_redirection(kernel, line):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line))
