"""Red team 56b R56b-3: a descriptor duplication GLUED to the next redirection hides it:
``uv pip install --index-url REFUSED -r r.txt P 2>&1>r.txt`` (also ``>&2>r.txt``
for bash). The shell makes stderr a copy of stdout, then opens (empties) r.txt as stdout before
uv starts; Warden read r.txt full (``--no-index --find-links w``: allowed), uv reads it empty and
fetches P from the line's ``--index-url``, a host the policy refuses. With a space
(``2>&1 >r.txt``) it is refused.

Root cause: ``shell_text.mask`` cuts the ``1`` of ``2>&1>r.txt`` as the descriptor number of
the redirection after it (installs/shell_text.py:171-176: after the ``&`` of ``>&`` a word starts,
so its digits followed by ``>`` are cut; applied in commands.py:2160-2197
``_bash_lines``), although for the shell it is the target of ``>&`` (a word's digits followed
by ``>`` are a descriptor number only where a word starts). The line is then read as
``2>&>r.txt``: ``_split`` (commands.py:2302-2313) takes the token ``>`` as the target of ``>&``
(a "file" named ``>``, allowed by ``own_redirect.problem``) and ``r.txt`` as an argument.
The target becomes a word of the install: ``uv pip install P 2>&1>--no-config`` is read with
``--no-config`` (a uv.toml naming a refused index not read: allowed) while bash writes a file of
that name and uv reads uv.toml (second proof below); any option works (``--no-index``...).
Fix: only cut a number that starts a word (after a blank or an operator other than ``>&``/
``<&``), and in ``_split`` never take an operator token as a redirection's target (fail closed).

Status: fixed by fix71split (failed on land70: installed under Warden); see
docs/threat-model.md "Fixed (fix71split".
"""

import sys

import pytest
from launched import REQS_INSTALL, local_reqs_cell
from real_uv import real_uv

GLUED = {"stderr-to-stdout": "2>&1>r.txt", "stdout-to-stderr": ">&2>r.txt"}


def _cell(kernel, redirect: str) -> str:
    return local_reqs_cell(kernel, f"{REQS_INSTALL} {redirect}", bash=True)


def test_control_the_glued_redirection_empties_r_txt_without_warden(kernel):
    kernel.installs_locally(_cell(kernel, ""))
    kernel.installs_unguarded(_cell(kernel, GLUED["stderr-to-stdout"]))


def test_control_with_a_space_it_is_refused(kernel):
    kernel.kept_out(_cell(kernel, "2>&1 >r.txt"))


@pytest.mark.parametrize("form", sorted(GLUED))
def test_a_glued_duplication_does_not_hide_the_redirection_after_it(kernel, form):
    kernel.kept_out(_cell(kernel, GLUED[form]), form)


# The same cut also makes Warden read the redirection's TARGET as a word of the install: with
# a uv.toml naming the refused index in the notebook folder, ``uv pip install P 2>&1>--no-config``
# is read as ``uv pip install P --no-config`` (uv.toml not read: allowed); bash writes a file
# named ``--no-config`` and uv reads uv.toml, fetching P from the refused index.


def _config_cell(kernel, redirect: str) -> str:
    (kernel.work / "uv.toml").write_text(f'[pip]\nindex-url = "{kernel.index.simple}"\n')
    line = (
        f"{real_uv()} pip install -q --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} warden-demo-pkg {redirect}"
    )
    code = f"import subprocess\nsubprocess.run({line!r}, shell=True, executable='/bin/bash')\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_target_word_is_no_option_for_bash(kernel):
    kernel.installs_unguarded(_config_cell(kernel, "2>&1>--no-config"))  # uv read uv.toml
    assert (kernel.work / "--no-config").exists()
    kernel.kept_out(_config_cell(kernel, ""))  # uv.toml's index refused


def test_a_glued_duplication_s_target_is_not_read_as_an_install_option(kernel):
    kernel.kept_out(_config_cell(kernel, "2>&1>--no-config"))
