"""Red team 56b R56b-2: an EARLIER command on the line that is a subshell with an output
redirection, ``(:) >r.txt; uv pip install --index-url REFUSED -r r.txt P`` (or ``( : ) >r.txt
&& ...``), is not counted as a writer before the install. The shell empties r.txt before uv
starts; Warden read it full (``--no-index --find-links w``: allowed), uv reads it empty and
fetches P from the line's ``--index-url``, a host the policy refuses. (``{ :; } >r.txt; ...`` and
``if ...; fi >r.txt; ...`` are refused: the redirection lands on the ``}``/``fi`` "command".)

Root cause: installs/commands.py:2319-2323 ``_split``: a redirection after ``)`` (`(a) > f;`)
is folded into the previous command's entry by extending its ``targets`` only; its ``writes``
(commands.py:2312, what ``_LineState`` counts as the command's writes) keep the subshell's
inner command's (none for ``:``), so the ``(:)`` command is no writer. Same family as R56b-1
(a compound command's redirection is not the redirection of the commands inside it).

Status: passes since fix70group (land70: the redirection after `)` is the subshell's last
command's, a writer for the commands after it); kept as a regression proof.
"""

import sys

import pytest
from local_index import build_wheel
from real_uv import real_uv

R_TXT = "--no-index\n--find-links w\n"
BEFORE = {"semicolon": "(:) >r.txt; ", "and": "( : ) >r.txt && "}


def _cell(kernel, before: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} -r r.txt warden-demo-pkg"
    )
    code = f"import os\nopen('r.txt', 'w').write({R_TXT!r})\nos.system({before + line!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_subshell_empties_r_txt_without_warden(kernel):
    """Passes on land70: without the subshell allowed and local; with it (no Warden) fetched."""
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed() and not kernel.index.requests, result
    kernel.reset()
    plain = kernel.cell(_cell(kernel, BEFORE["semicolon"]), launched=False)
    assert kernel.installed() and kernel.index.requests, plain


@pytest.mark.parametrize("form", sorted(BEFORE))
def test_an_earlier_redirected_subshell_is_a_writer_before_the_install(kernel, form):
    kernel.reset()
    guarded = kernel.cell(_cell(kernel, BEFORE[form]), launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), (
        "installed under Warden",
        form,
        fetched,
        guarded,
    )
