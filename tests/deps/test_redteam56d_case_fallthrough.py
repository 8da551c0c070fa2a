"""Red team 56d R56d-3: fix70group's ``Compounds`` ends a case arm only at ``;;``
(compound_redirect.py:75-78 ``operator``); bash's fall-through terminator ``;&`` is split by
``_OPERATOR_PIECES`` (commands.py:2250) into ``;`` and ``&``, so the next arm's pattern is
read as a command. A pattern ``{)`` then opens a group in Warden's reading only, and the
group's real ``}`` closes that one: ``{ INSTALL; case a in a) true;& {) true;; esac; }
2>r.txt`` gives ``2>r.txt`` to the commands after the pattern, not to the install, which bash
runs with r.txt emptied (the real ``{`` stays open in Warden's reading, and an unclosed
opening word fails nothing). Warden reads r.txt's ``--no-index --find-links w`` and allows;
uv reads an empty r.txt and fetches from the line's (refused) index.

Root cause: compound_redirect.py:75-78 (``;&`` not read as the end of an arm; also
``Compounds.open_paren``/``word`` then open compounds in a pattern) and commands.py:2385-2395
(``_split`` ends with compounds still open and no fail-closed spread). FAILS today.
"""

import shlex

from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell

LINE = "{{ " + INSTALL + "; case a in a) true;& {{) true;; esac; }} 2>r.txt"


def test_a_fall_through_arm_hides_the_group_redirection(kernel):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, "bash -c " + shlex.quote(LINE)))
