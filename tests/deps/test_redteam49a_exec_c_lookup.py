"""Red team 49a R49a-5: bash's ``exec -c NAME`` finds NAME on the shell's PATH.

Not on ``/bin:/usr/bin``.

fix56cwdenv reads ``exec -c`` as ``env -i`` (``commands._unwrap`` -> ``_empty_environment``):
every variable '' and PATH ``os.defpath``, also for finding the program. But bash's ``exec``
looks the command up with the shell's own PATH (the kernel's, with whatever the cell put on
it) and only then starts it with an empty environment (checked: ``PATH=/W/bin:$PATH bash -c
'exec -c mytool --version'`` runs /W/bin/mytool). A name found only on the cell's PATH
folder is read as a command that does not run (nothing decided).

The cell links the real uv as ``bin/mytool`` (a copy would do), puts ``bin`` first on PATH and
runs ``bash -c 'exec -c mytool sync ...'`` in a project depending on the listed
``warden-demo-pkg==0.9``: uv installs it into ``.venv``. The control: the same line without
``-c`` is read as uv and refused.
"""

from launched import installed as system_program
from listed_release import demo_index, linked_uv_cell, record, uv_sync, write_policy

index = demo_index("index49a5")
LISTED = record("MAL-2099-495")


def _cell(exec_words: str) -> str:
    return linked_uv_cell(f"bash -c '{exec_words} {uv_sync()}'", on_path=True)


def test_r49a_5_control_exec_without_c_is_read(kernel):
    system_program("bash")
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell("exec"))
    assert "MAL-2099-495" in refused, refused


def test_r49a_5_exec_c_program_found_on_the_shell_path(kernel):
    system_program("bash")
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell("exec -c"))  # FAILS today: read as no program, 0.9 installed
    assert "MAL-2099-495" in refused or "PATH" in refused, refused
