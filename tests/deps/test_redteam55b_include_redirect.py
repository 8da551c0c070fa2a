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

import sys

from local_index import build_wheel

OUTER = "-r inner.txt\n"
INNER = "--no-index\n--find-links w\n"


def _cell(kernel, redirect: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        "{uv} pip install -q --no-config --no-cache --no-deps "
        f"--python {sys.executable} --target {{target}} --index-url {{index}} "
        f"-r r.txt warden-demo-pkg {redirect}"
    )
    return (
        f"import os\nopen('r.txt', 'w').write({OUTER!r})\nopen('inner.txt', 'w').write({INNER!r})\n"
        f"os.system({line!r})\n"
    )


def test_control_read_with_its_include_the_install_is_allowed_and_local(kernel):
    """Without the redirection (passes today): allowed, from the local folder only."""
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed(), result
    assert not kernel.index.requests, result


def test_an_install_whose_own_redirection_empties_an_included_file_is_refused(kernel):
    code = _cell(kernel, "2>inner.txt")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
