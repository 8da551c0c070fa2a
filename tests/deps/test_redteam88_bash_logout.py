"""Red team 88 F4 (fix88b): a login bash runs ~/.bash_logout when it exits by ``exit`` or
``logout`` (non-interactive) or at any exit (interactive), and Debian's /etc/skel puts one in
every home. ``login_path.HOME_FILES`` (and SYSTEM_FILES: /etc/bash.bash_logout, Debian's
SYS_BASH_LOGOUT; zsh's .zlogout and zlogout) did not name it, so ``changed_file`` never found
the one the cell wrote, and Warden never read it: ``bash -lc 'echo hi; exit'`` ran its
installer. Now the logout files (and bash-completion's user files, which an interactive bash
sources) are start-up files: one written since the kernel started is refused, naming it.
``bash -lc`` with the cell's new ~/.profile is refused: the control. The skeleton's
.bash_logout runs clear_console at SHLVL 1, which writes to the terminal: the shell's output
goes to /dev/null, off the harness's."""

import os
import shutil

import pytest
from test_age81_old_path_programs import _older_than_a_start
from test_redteam86b_login_shell_path import _home

WRITE = """import os, subprocess
home = os.path.expanduser('~')
with open(home + '/{name}', 'a') as fh:
    fh.write({line!r} + '\\n')
subprocess.run(['bash', '-{flags}c', 'echo hi; exit'], stdout=subprocess.DEVNULL)
"""
CASES = {".bash_logout": ("l", "/etc/skel/.bash_logout"), ".profile": ("l", "/etc/skel/.profile")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bash_logout_written_since_start_is_refused(kernel, name):
    home = _home(kernel)
    path = os.path.join(home, name)
    flags, skeleton = CASES[name]

    def fresh() -> str:
        shutil.copy(skeleton, path)
        _older_than_a_start(path)
        # kernel.cell formats {uv}/{target}/{index}: double the braces of the line
        line = kernel.uv_install().replace("{", "{{").replace("}", "}}")
        return WRITE.format(name=name, line=line, flags=flags)

    result = kernel.kept_from_refused_host(fresh)
    assert name in (result["refused"] or ""), result


def test_bash_completion_written_since_start_is_refused(kernel):
    """bash-completion (where installed, through ~/.bashrc or profile.d) sources
    ~/.bash_completion in an interactive bash: one the cell wrote is refused for ``bash -i``
    (read-only here: bash-completion is not installed on the test machine, nothing runs it)."""
    home = _home(kernel)
    path = os.path.join(home, ".bash_completion")
    if os.path.exists(path):
        os.remove(path)
    kernel.reset()
    cell = (
        "import os, subprocess\n"
        "open(os.path.expanduser('~/.bash_completion'), 'w').write('true\\n')\n"
        "subprocess.run(['bash', '-ic', 'echo hi > hi.txt'], stdin=subprocess.DEVNULL)\n"
    )
    result = kernel.cell(cell, launched=True)
    assert ".bash_completion" in (result["refused"] or ""), result
    assert not (kernel.work / "hi.txt").exists(), result


# -- no false refusals ---------------------------------------------------------------------------


def test_an_older_bash_logout_is_no_refusal(kernel):
    """The skeleton's .bash_logout, older than the kernel (every ordinary home): a login bash
    that exits runs, nothing refused."""
    home = _home(kernel)
    path = os.path.join(home, ".bash_logout")
    shutil.copy("/etc/skel/.bash_logout", path)
    _older_than_a_start(path)
    kernel.reset()
    cell = (
        "import subprocess\n"
        "subprocess.run(['bash', '-lc', 'echo hi > hi.txt; exit'], stdout=subprocess.DEVNULL)\n"
    )
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "hi.txt").exists(), result
