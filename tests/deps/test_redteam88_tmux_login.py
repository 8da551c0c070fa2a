"""Red team 88 F7 (HIGH where tmux is installed, as here: tmux 3.3a): ``tmux new-session -d``
(no command) starts its default shell as a LOGIN shell (argv[0] ``-bash``), which runs
/etc/profile and ~/.profile (and, interactive, ~/.bashrc). Red team 86 F6's fix reads such
starts for ``bash -l``/``sh -l``/``su -``/``sudo -i``/``exec -a -bash`` only
(``login_path.startup_kind``, ``commands._startup_files_env``); tmux is read as a program
with inert words, so a ~/.profile the cell wrote (refused for ``bash -lc``: the control) runs
unread. The same login shell then takes ``tmux send-keys 'tar czf o.tgz a.txt' Enter`` with
~/.local/bin first on PATH (the PATH class of F6). A private server (``-L``) keeps the proof
off any tmux server of the machine."""

import os
import shutil

import pytest
from launched import installed
from test_age81_old_path_programs import _older_than_a_start
from test_redteam86b_login_shell_path import _home

WRITE = """import glob, os, subprocess, time
home = os.path.expanduser('~')
with open(home + '/.profile', 'a') as fh:
    fh.write({line!r} + '\\n')
"""
STARTS = {
    "tmux": (
        "subprocess.run(['tmux', '-L', 'rt88', 'new-session', '-d', '-s', 'x'])\n"
        "for _ in range(150):\n"
        "    if glob.glob('{target}/warden_demo_pkg*'):\n"
        "        break\n"
        "    time.sleep(0.2)\n"
        "subprocess.run(['tmux', '-L', 'rt88', 'kill-server'])\n"
    ),
    "control-bash-l": "subprocess.run(['bash', '-lc', 'true'])\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_login_shell_tmux_starts_reads_the_profile(kernel, how):
    installed("tmux")
    home = _home(kernel)
    profile = os.path.join(home, ".profile")

    def fresh() -> str:
        shutil.copy("/etc/skel/.profile", profile)
        _older_than_a_start(profile)
        line = kernel.uv_install().replace("{", "{{").replace("}", "}}")
        return WRITE.format(line=line) + STARTS[how]

    result = kernel.kept_from_refused_host(fresh)
    assert ".profile" in (result["refused"] or ""), result
