"""Red team 50b R50b-2: bash's ``command -p`` looks the program up on its default PATH only.

bash's ``command -p CMD`` finds CMD on a default PATH ("guaranteed to find all of the
standard utilities"), for that lookup alone: the program it starts gets the shell's
environment, PATH unchanged (checked: ``PATH=/W/bin:$PATH bash -c 'command -p env'`` prints
/W/bin first). ``commands._unwrap`` sets the reading's ``env["PATH"] = "/bin:/usr/bin"``
for the started program and everything it starts, so ``command -p bash -c 'mytool sync'``
reads the inner bash's lookup of ``mytool`` on /bin:/usr/bin (found nowhere: a command that
does not run), while that bash searches the kernel's PATH, on which the cell put a folder
holding ``mytool`` (a link to uv): ``uv sync`` installs the listed release.

The control: the same line without ``command -p`` is read as uv and refused.
"""

import pytest
from launched import installed as system_program
from listed_release import demo_index, linked_uv_cell, record, uv_sync, write_policy

index = demo_index("index50b2")
LISTED = record("MAL-2099-502")


def _cell(head: str) -> str:
    return linked_uv_cell(f"{head}bash -c '{uv_sync()}'", on_path=True)


def test_r50b_2_control_plain_bash_is_read(kernel):
    system_program("bash")
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(""))
    assert "MAL-2099-502" in refused, refused


@pytest.mark.parametrize("head", ["command -p ", "command -p -- "])
def test_r50b_2_command_p_keeps_the_shell_path_for_the_child(kernel, head):
    system_program("bash")
    write_policy(kernel, LISTED)
    # FAILS today: the inner bash's PATH read as /bin:/usr/bin; it runs bin/mytool (uv)
    refused = kernel.proves(_cell(head))
    assert "MAL-2099-502" in refused or "PATH" in refused, refused
