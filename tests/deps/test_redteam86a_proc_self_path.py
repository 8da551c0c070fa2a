"""Red team 86 F7: a PATH folder under ``/proc/self`` (``/proc/self/cwd/bin``) names a
different folder in each process that looks: ``path_programs`` stats and lists it in the
KERNEL (its own working folder's ``bin``), while the program the start runs (tar, in ``sub``:
``cwd=``, or a shell line's ``cd sub``) looks its names up in ITS working folder's ``bin``.

Held when the start's own program is looked up on that PATH (``tar``: the lookup passes the
/proc folder and R14-20's rule refuses "reached through /proc", also through a link ``me ->
/proc/self``); NOT held when the program is named by its path (``/usr/bin/tar``): nothing
looks the /proc folder up in the kernel but ``path_programs``, which reads it as the kernel's
own folder, and tar's gzip lookup finds ``sub/bin/gzip``. The ``tar-by-path-*`` forms
install under Warden, the PATH given by the cell or by the line.

Without Warden the written gzip installs from the local index; with Warden nothing is fetched
(fix87a: a PATH folder named under /proc or /dev/fd (by text, or by a link on
its way, found when it is listed: ``path_programs._process_root``, ``_through_process``)
refuses the start.)"""

import os

import pytest
from launched import Kernel, installed
from real_uv import real_uv
from test_redteam82_path_link_target import _payload

WRITE = """import os, subprocess
os.makedirs('sub/bin', exist_ok=True)
with open('sub/bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('sub/bin/gzip', 0o755)
"""

STARTS = {
    "tar-by-path-cwd": (
        "os.environ['PATH'] = '/proc/self/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run(['/usr/bin/tar', 'czf', '../o.tgz', '../a.txt'],"
        " cwd=os.getcwd() + '/sub')\n"
    ),
    "tar-by-path-cell-cd": (
        "os.environ['PATH'] = '/proc/self/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run('cd sub && /usr/bin/tar czf ../o.tgz ../a.txt', shell=True)\n"
    ),
    "tar-by-path-line-cd": (
        "os.system('cd sub && PATH=/proc/self/cwd/bin:{uvdir}:/usr/bin:/bin "
        "/usr/bin/tar czf ../o.tgz ../a.txt')\n"
    ),
    "linked-cwd": (
        "os.path.lexists('me') or os.symlink('/proc/self', 'me')\n"
        "os.environ['PATH'] = os.getcwd() + '/me/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd=os.getcwd() + '/sub')\n"
    ),
    "linked-cell-cd": (
        "os.path.lexists('me') or os.symlink('/proc/self', 'me')\n"
        "os.environ['PATH'] = os.getcwd() + '/me/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run('cd sub && tar czf ../o.tgz ../a.txt', shell=True)\n"
    ),
    "cwd": (
        "os.environ['PATH'] = '/proc/self/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd=os.getcwd() + '/sub')\n"
    ),
    "cell-cd": (
        "os.environ['PATH'] = '/proc/self/cwd/bin:' + os.environ['PATH']\n"
        "subprocess.run('cd sub && tar czf ../o.tgz ../a.txt', shell=True)\n"
    ),
    "line-cd": (
        "os.system('cd sub && PATH=/proc/self/cwd/bin:{uvdir}:/usr/bin:/bin "
        "tar czf ../o.tgz ../a.txt')\n"
    ),
}


def _cell(kernel: Kernel, how: str) -> str:
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    start = STARTS[how].replace("{uvdir}", os.path.dirname(real_uv()))
    return WRITE.format(payload=_payload(kernel)) + start


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_proc_self_path_folder_is_read_as_the_child_sees_it(kernel, how):
    def fresh() -> str:
        gz = kernel.work / "sub" / "bin" / "gzip"
        if gz.exists():
            gz.unlink()
        return _cell(kernel, how)

    guarded = kernel.kept_from_refused_host(fresh)
    assert "/proc" in guarded["refused"], guarded
