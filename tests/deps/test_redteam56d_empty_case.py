"""Red team 56d R56d-5: an empty case command, ``case a in esac`` (valid in sh and bash),
leaves fix70group's ``Compounds`` in a case arm's pattern for the rest of the line:
``Compounds.word`` closes a case at ``esac`` only when it starts a command (``not head``),
but here ``esac`` follows ``in`` on the case's own command, so the case stays open with
``_pattern`` set, and every later word is read as a pattern (compound_redirect.py:62-66):
no ``{`` opens, no ``}`` closes, nothing is UNMATCHED. ``case a in esac; { INSTALL; }
2>r.txt`` gives ``2>r.txt`` to the ``}`` alone, read after the install, which sh runs with
r.txt emptied. Warden reads r.txt's ``--no-index --find-links w`` and allows; uv reads an
empty r.txt and fetches from the line's (refused) index.

Root cause: compound_redirect.py:62-66 (``esac`` right after ``case WORD in`` not read as the
case's end; a case still open at the end of the line spreads nothing: commands.py:2385-2395).
FAILS today.
"""

from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell

LINE = "case a in esac; {{ " + INSTALL + "; }} 2>r.txt"


def test_an_empty_case_hides_the_group_redirection(kernel):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, LINE))
