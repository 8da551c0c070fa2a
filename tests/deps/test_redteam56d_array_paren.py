"""Red team 56d R56d-4: inside a bash array assignment ``arr=( ... )`` fix70group's
``Compounds`` reads the elements as commands in a command's first place: ``_split`` ends the
command at ``(`` (commands.py:2353-2364) so the first element starts a fresh ``current``,
and ``Compounds.word`` (compound_redirect.py:56-73) opens or closes compounds on it.

- ``{ INSTALL; arr=( { ); } 2>r.txt``: the element ``{`` opens a group in Warden's reading
  only; the real ``}`` closes that one, so ``2>r.txt`` goes to the commands after the array,
  not to the install, which bash runs with r.txt emptied (the real ``{`` stays open: an
  unclosed opening word fails nothing). Warden reads r.txt's ``--no-index --find-links w``
  and allows; uv reads an empty r.txt and fetches from the line's (refused) index.
- ``arr=( } )``: ``Compounds._close`` looks up ``CLOSING["=("]`` (compound_redirect.py:102),
  a KeyError out of the line's reading.

Root cause: compound_redirect.py:56-73 and 80-89 (the words inside a ``=(`` parenthesis, a
value list, are read as commands), commands.py:2385-2395 (compounds still open at the end
of the line spread nothing), compound_redirect.py:101-104 (no "=(" entry in CLOSING).
"""

import shlex

from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell


def _cell(kernel, line) -> str:
    return local_reqs_cell(kernel, "bash -c " + shlex.quote(line))


def test_an_array_element_brace_hides_the_group_redirection(kernel):
    kernel.kept_from_refused_host(_cell(kernel, "{{ " + INSTALL + "; arr=( {{ ); }} 2>r.txt"))


def test_a_closing_brace_in_an_array_then_a_refused_install(kernel):
    """Control: the KeyError fails closed (the line is refused; passes today)."""
    kernel.kept_from_refused_host(_cell(kernel, "arr=( }} ); " + INSTALL.replace("-r r.txt ", "")))


def test_an_array_holding_a_brace_runs(kernel):
    """LOW false refusal: a line with a ``}`` element and no install is refused (the
    KeyError). FAILS today."""
    line = "bash -c " + shlex.quote("arr=( }} x ); echo ok")
    code = "import os\nrc = os.system(" + repr(line) + ")\n"
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None, guarded
