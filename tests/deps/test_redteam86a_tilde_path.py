"""Red team 86 F1: a PATH folder written with a leading ``~`` (``~/bin``), which bash expands
when it looks a name up (findcmd.c: ``find_in_path_element`` tilde-expands a PATH element
that starts with ``~`` unless in POSIX mode), while ``path_programs`` (and the line reading's
``_which``) takes it for a RELATIVE folder (``<start folder>/~/bin``, which does not exist):
a new program in ``$HOME/bin`` runs by name, unread.

Without Warden the written gzip installs from the local index; with Warden nothing is fetched
(fix87a: a ``~`` folder is read both ways, as bash expands it (from the start's
HOME) and as written (``path_programs._folders``); the line reading's lookup refuses a name
the two ways find differently (``commands._which``).)"""

import os

import pytest
from launched import Kernel, home_program_cell
from test_redteam82_path_link_target import _payload


def _cell(kernel: Kernel, how: str) -> str:
    (kernel.work / "a.txt").write_text("a\n")
    cell = home_program_cell("bin", _payload(kernel))
    if how == "inherited":
        # the kernel's own PATH (the gate's reading), bash runs the name
        cell += "os.environ['PATH'] = '~/bin:' + os.environ['PATH']\n"
        cell += "subprocess.run(['bash', '-c', 'gzip -c a.txt > a.gz'])\n"
    elif how == "env":
        # a PATH the start is given
        cell += "env = dict(os.environ, PATH='~/bin:' + os.environ['PATH'])\n"
        cell += "subprocess.run(['bash', '-c', 'gzip -c a.txt > a.gz'], env=env)\n"
    else:
        # a PATH the line gives, quoted so the assignment keeps the ~
        cell += (
            "subprocess.run(['bash', '-c', \"export PATH='~/bin':$PATH; gzip -c a.txt > a.gz\"])\n"
        )
    return cell


@pytest.mark.parametrize("how", ["inherited", "env", "line"])
def test_a_tilde_path_folder_bash_expands_is_read(kernel, how):
    def fresh() -> str:
        home = os.path.expanduser(kernel.env(True)["HOME"])
        gz = os.path.join(home, "bin", "gzip")
        if os.path.exists(gz):
            os.unlink(gz)
        return _cell(kernel, how)

    guarded = kernel.kept_from_refused_host(fresh)
    assert "gzip" in guarded["refused"] and "home/bin" in guarded["refused"], guarded
