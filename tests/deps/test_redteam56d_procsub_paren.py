"""Red team 56d R56d-7: a subshell whose last command holds a process substitution,
``( INSTALL; cat <(true) /dev/null ) 2>r.txt``: ``_split`` skips every ``)`` that comes
while the current command holds a process substitution (``substitutes``) as the end of that
substitution (commands.py:2354-2355), so the subshell's own ``)`` is skipped too and never
reaches ``Compounds.close_paren``: the subshell stays open in Warden's reading (an unclosed
opening word fails nothing), and ``2>r.txt`` is read as the ``cat`` command's own. Bash
gives it to the whole subshell, the install included, which runs with r.txt emptied.
Warden reads r.txt's ``--no-index --find-links w`` and allows; uv reads an empty r.txt and
fetches from the line's (refused) index.

Root cause: commands.py:2354-2355 (the ``)`` that ends a process substitution is not told
apart from a later one: count the substitution's parentheses), commands.py:2385-2395
(compounds still open at the end of the line spread nothing). FAILS today.
"""

import shlex

from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell

LINE = "( " + INSTALL + "; cat <(true) /dev/null ) 2>r.txt"


def test_a_process_substitution_hides_the_subshell_s_close(kernel):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, "bash -c " + shlex.quote(LINE)))
