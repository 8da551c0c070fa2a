"""Red team 55b R55b-1: an install's own redirection empties a file its requirements file
INCLUDES: ``uv pip install --index-url REFUSED -r r.txt P 2>inner.txt`` with r.txt holding
``-r inner.txt`` and inner.txt holding ``--no-index --find-links w``. The shell truncates
inner.txt before uv starts; Warden read it full (no index used: allowed), uv reads it empty and
fetches P from the line's ``--index-url``, a host the policy refuses.

Root cause: ``own_redirect.problem`` (installs/own_redirect.py:64-84) compares the target with
the words of the install (``_word_names``), the names the installer discovers (``DISCOVERED``)
and the config files the readings list (``_read_files``), but not with the files the install
reads THROUGH the files it names (a requirements/constraints file's ``-r``/``-c`` includes, its
``--find-links`` folders...), which the decision itself read. Failed before fix70redirect.
"""

from launched import LOCAL_REQS, REQS_INSTALL, local_reqs_cell

OUTER = "-r inner.txt\n"
# r.txt (written again) only includes inner.txt, which holds what keeps the install local
INCLUDE = f"open('inner.txt', 'w').write({LOCAL_REQS!r})\nopen('r.txt', 'w').write({OUTER!r})\n"


def _cell(kernel, redirect: str) -> str:
    return local_reqs_cell(kernel, f"{REQS_INSTALL} {redirect}", before=INCLUDE)


def test_control_read_with_its_include_the_install_is_allowed_and_local(kernel):
    """Without the redirection (passes today): allowed, from the local folder only."""
    kernel.installs_locally(_cell(kernel, ""))


def test_an_install_whose_own_redirection_empties_an_included_file_is_refused(kernel):
    kernel.kept_from_refused_host(_cell(kernel, "2>inner.txt"))
