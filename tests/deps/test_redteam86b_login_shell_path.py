"""Red team 86 F6 (fix87b): a login shell's PATH is not the start's. ``bash -lc LINE`` reads
/etc/profile (which sets PATH anew) and ~/.profile (Debian's skeleton, in every home made by
useradd: ``$HOME/bin`` and ``$HOME/.local/bin`` put first when they exist), so the programs the
line runs, and the names they run, are found in folders the start's PATH does not hold: a new
``~/.local/bin/gzip`` (pip's ``--user`` scripts folder) ran when tar ran gzip, unread. Now a
shell that reads start-up files (``-l``, ``--login``, ``-i``, zsh, ``su -``, ``sudo -i``) has
its commands read with the home's bin folders in front of PATH (``login_path``), and a
start-up file written since the kernel started is refused (Warden does not read it).

The home's .profile is the skeleton's, older than the kernel (an ordinary home); the cell
only writes the program. Without Warden it installs from the local index; with Warden the
start is refused, naming gzip."""

import os
import shutil

import pytest
from launched import Kernel, home_program_cell, installed
from real_uv import real_uv
from test_age81_old_path_programs import _older_than_a_start
from test_redteam82_path_link_target import _payload

SHELLS = {
    "bash -lc": ["bash", "-lc"],
    "bash --login": ["bash", "--login", "-c"],
    "sh -lc": ["sh", "-lc"],
}


def _home(kernel: Kernel) -> str:
    if not os.path.exists("/etc/skel/.profile"):
        raise AssertionError("the proof needs Debian's skeleton .profile")
    home = kernel.env(True)["HOME"]
    os.makedirs(home, exist_ok=True)
    profile = os.path.join(home, ".profile")
    if not os.path.exists(profile):
        shutil.copy("/etc/skel/.profile", profile)
        _older_than_a_start(profile)
    return home


def _full_path_payload(kernel: Kernel) -> str:
    # /etc/profile sets PATH anew: the installer by its full path
    return _payload(kernel).replace('"u"."v p"', f'"{os.path.dirname(real_uv())}/u"."v p"')


@pytest.mark.parametrize("shell", list(SHELLS))
@pytest.mark.parametrize("folder", [".local/bin", "bin"])
def test_a_login_shells_profile_path_is_read(kernel, folder, shell):
    installed("tar")
    home = _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    payload = _full_path_payload(kernel)

    def fresh() -> str:
        shutil.rmtree(os.path.join(home, folder.split("/")[0]), ignore_errors=True)
        run = f"subprocess.run({SHELLS[shell]!r} + ['tar czf o.tgz a.txt'])\n"
        return home_program_cell(folder, payload) + run

    result = kernel.kept_from_refused_host(fresh)
    assert "gzip" in (result["refused"] or ""), result


PROFILE = """with open(home + '/.profile', 'a') as fh:
    fh.write('PATH="$HOME/tools:$PATH"\\n')
subprocess.run(['bash', '-lc', 'tar czf o.tgz a.txt'])
"""


def test_a_profile_written_since_start_is_refused(kernel):
    """A start-up file the cell wrote may put any folder on PATH (``~/tools``): Warden does
    not read it, so the login shell is refused, naming the file."""
    installed("tar")
    home = _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    payload = _full_path_payload(kernel)
    profile = os.path.join(home, ".profile")

    def fresh() -> str:
        shutil.copy("/etc/skel/.profile", profile)
        _older_than_a_start(profile)
        return home_program_cell("tools", payload) + PROFILE

    result = kernel.kept_from_refused_host(fresh)
    assert ".profile" in (result["refused"] or ""), result


# -- no false refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("shell", list(SHELLS))
def test_a_login_shell_with_no_new_program_runs(kernel, shell):
    """``bash -lc 'echo hi'`` and a tar with no PATH folder changed: nothing refused."""
    installed("tar")
    _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    kernel.reset()
    cell = (
        f"import subprocess\nsubprocess.run({SHELLS[shell]!r} + ['echo hi > hi.txt'])\n"
        f"subprocess.run({SHELLS[shell]!r} + ['tar czf o.tgz a.txt'])\n"
    )
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "hi.txt").exists() and (kernel.work / "o.tgz").exists(), result
