"""Red team 56d R56d-1: fix70group's ``Compounds`` (installs/compound_redirect.py) reads the
words shlex gives back, with their quotes removed, so a quoted or escaped ``'}'``/``\\}``
(an ordinary command word for the shell, "command not found") closes Warden's group early,
and a quoted ``'{'`` opens a new one that the group's real ``}`` then closes. Bash gives
the group's ``2>r.txt`` to the install inside (r.txt emptied before it runs); Warden gives
it to the ``'{'`` pseudo-command only, reads r.txt's ``--no-index --find-links w`` and
allows; uv reads an empty r.txt and fetches from the line's (refused) index.

Root cause: compound_redirect.py:56-73 (``Compounds.word``) matches reserved words on
dequoted tokens (commands.py:735-744 shlex posix, then ``_split`` commands.py:2382); a
reserved word is only reserved unquoted and in a command's first place (a word after a
leading redirection, ``2>/dev/null }``, is a command name too). FAILS today.
"""

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell


@pytest.mark.parametrize(
    "line",
    [
        "{{ '}}' 2>/dev/null; " + INSTALL + "; '{{' 2>/dev/null; }} 2>r.txt",
        "{{ true; \\}} 2>/dev/null; " + INSTALL + "; \\{{ 2>/dev/null; }} 2>r.txt",
        '{{ "}}" 2>/dev/null; ' + INSTALL + '; "{{" 2>/dev/null; }} 2>r.txt',
        # a word after a leading redirection is no reserved word either
        "{{ true; 2>/dev/null }}; " + INSTALL + "; 2>/dev/null {{; }} 2>r.txt",
    ],
    ids=["single-quoted", "escaped", "double-quoted", "after-redirection"],
)
def test_a_quoted_brace_hides_the_group_redirection(kernel, line):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line))
