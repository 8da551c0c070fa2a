"""Red team 49a R49a-2: a shell started with an emptied environment searches its own PATH.

fix56cwdenv (``commands._empty_environment``) reads ``env -i`` (and ``exec -c``) as PATH
``os.defpath`` (``/bin:/usr/bin``, where ``execvp`` looks with PATH unset) for the program
env starts AND for that program's own lookups ("the nearest a value can say"). But a shell
with PATH unset searches its compiled default: bash's is
``/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:.`` (``.`` last: the folder it
runs in), dash's ``/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin``. A name the
reading finds nowhere on ``/bin:/usr/bin`` is read as a command that does not run (nothing
to decide), while bash runs the file of that name in the notebook folder.

The cell links the real uv as ``./mytool`` (a copy would do) and runs
``env -i bash -c 'mytool sync ...'`` in a project depending on the listed
``warden-demo-pkg==0.9``: uv installs it into ``.venv``. The control: ``./mytool`` written
with its folder is found and read as uv, and refused.
"""

import pytest
from launched import installed as system_program
from listed_release import demo_index, linked_uv_cell, record, uv_sync, write_policy

index = demo_index("index49a2")
LISTED = record("MAL-2099-492")


def _cell(program: str) -> str:
    return linked_uv_cell(f"env -i bash -c '{uv_sync(program)}'")


def test_r49a_2_control_the_program_by_its_path_is_read(kernel):
    system_program("bash")
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell("./mytool"))
    assert "MAL-2099-492" in refused, refused


@pytest.mark.parametrize("program", ["mytool"])
def test_r49a_2_bash_default_path_finds_the_notebook_folder(kernel, program):
    system_program("bash")
    write_policy(kernel, LISTED)
    # FAILS today: read as a program that does not exist, bash runs ./mytool (uv): 0.9 installed
    refused = kernel.proves(_cell(program))
    assert "MAL-2099-492" in refused or "PATH" in refused, refused
