"""Red team 56b R56b-4: a redirection with NO command word before the install on the line,
``>r.txt; uv pip install --index-url REFUSED -r r.txt P`` (``>r.txt && ...``, ``true; >r.txt;
...``, ``true | >r.txt; ...``), is no writer for Warden. The shell empties r.txt (the idiom for
truncating a file) before uv starts; Warden read it full (``--no-index --find-links w``:
allowed), uv reads it empty and fetches P from the line's ``--index-url``, a host the policy
refuses. (``x=1 >r.txt; ...`` is refused: it has a word.)

Root cause: installs/commands.py:2314-2325 ``_split``: at an operator a command is kept only
when it has words (``if current``) or follows ``)`` or its targets hold a substitution
(``> $(cmd);``); a redirection alone (``current`` empty, ``writes`` = [r.txt]) is dropped, and
with it its writes. Fix: keep every redirection as a command (``[":"]`` with its writes, as the
substitution branch does), whatever precedes it.

Status: fixed by fix71split (failed on land70: installed under Warden); see
docs/threat-model.md "Fixed (fix71split".
"""

import sys

import pytest
from local_index import build_wheel
from real_uv import real_uv

R_TXT = "--no-index\n--find-links w\n"
BEFORE = {"semicolon": ">r.txt; ", "and": ">r.txt && ", "after-true": "true; >r.txt; "}


def _cell(kernel, before: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} -r r.txt warden-demo-pkg"
    )
    code = f"import os\nopen('r.txt', 'w').write({R_TXT!r})\nos.system({before + line!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_control_a_bare_redirection_empties_r_txt_without_warden(kernel):
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed() and not kernel.index.requests, result
    kernel.reset()
    plain = kernel.cell(_cell(kernel, BEFORE["semicolon"]), launched=False)
    assert kernel.installed() and kernel.index.requests, plain


@pytest.mark.parametrize("form", sorted(BEFORE))
def test_a_bare_redirection_before_the_install_is_a_writer(kernel, form):
    kernel.reset()
    guarded = kernel.cell(_cell(kernel, BEFORE[form]), launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), (
        "installed under Warden",
        form,
        fetched,
        guarded,
    )
