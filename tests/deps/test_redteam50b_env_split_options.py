"""Red team 50b R50b-1: ``env -S TEXT``'s words are read as the command, not as env's arguments.

GNU env splits ``-S``/``--split-string`` TEXT into words and goes on reading them as its own
command line: options (``-i``, ``-u NAME``, ``-C DIR``, ``--``), NAME=VALUE assignments, then
the command. ``commands._unwrap`` returns ``shlex.split(TEXT) + rest`` as the command itself,
so ``env -S '-i bash -c "mytool sync"'`` is read as a program named ``-i`` (unknown, its words
data unless they name an installer), while env empties the environment and bash, with PATH
unset, searches its compiled default ending in ``.``: the notebook folder's ``mytool`` (a
link to uv) runs ``uv sync`` and installs the listed release. fix57env's reading of
``env -i bash -c`` (R49a-2) never sees the ``-i``.

The control: the same line without ``-S`` (R49a-2's form) is read and refused.
"""

import pytest
from launched import installed as system_program
from listed_release import demo_index, linked_uv_cell, record, uv_sync, write_policy

index = demo_index("index50b1")
LISTED = record("MAL-2099-501")


SYNC = uv_sync()


def _cell(line: str) -> str:
    return linked_uv_cell(line)


def test_r50b_1_control_env_i_without_split_is_read(kernel):
    system_program("bash")
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(f"env -i bash -c '{SYNC}'"))
    assert "MAL-2099-501" in refused or "PATH" in refused, refused


@pytest.mark.parametrize(
    "options", ["-i", "-u PATH", "-i --"], ids=["ignore-environment", "unset-path", "dashdash"]
)
def test_r50b_1_env_split_string_options_are_read(kernel, options):
    system_program("bash")
    write_policy(kernel, LISTED)
    # FAILS today: the split words read as a program named `-i`; bash runs ./mytool (uv)
    refused = kernel.proves(_cell(f"env -S '{options} bash -c \"{SYNC}\"'"))
    assert "MAL-2099-501" in refused or "PATH" in refused, refused
