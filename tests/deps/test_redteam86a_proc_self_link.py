"""Red team 86 F9: a link in a PATH folder whose target is under ``/proc/self``
(``bin/gzip -> /proc/self/cwd/tools/gzip``) leads to a different file in each process that
follows it. ``path_programs`` finds the new link; the gate's reading (``_program_reading``)
follows it IN THE KERNEL (the kernel's folder's ``tools/gzip``: none there, so "gone: nothing
runs it", nothing read), while tar, running in ``sub`` (``cwd=``, a line's ``cd sub``),
execs the link and gets ``sub/tools/gzip``. The PATH folder is absolute and ordinary; the
program word (tar) is not under /proc, so the /proc rules for programs (R14-20) do not apply.

Without Warden the written gzip installs from the local index; with Warden nothing is fetched
(fix87a: a link of a PATH folder whose chain passes through /proc or /dev/fd
(``path_programs._process_link``, asked when the folder is listed) refuses the start.)"""

import os

import pytest
from launched import Kernel, installed
from real_uv import real_uv
from test_redteam82_path_link_target import _payload

WRITE = """import os, subprocess
os.makedirs('bin', exist_ok=True)
os.makedirs('sub/tools', exist_ok=True)
with open('sub/tools/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('sub/tools/gzip', 0o755)
if os.path.lexists('bin/gzip'):
    os.unlink('bin/gzip')
os.symlink('/proc/self/cwd/tools/gzip', 'bin/gzip')
"""

STARTS = {
    "cwd": (
        "os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n"
        "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd=os.getcwd() + '/sub')\n"
    ),
    "cell-cd": (
        "os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n"
        "subprocess.run('cd sub && tar czf ../o.tgz ../a.txt', shell=True)\n"
    ),
    "line-cd": (
        "os.system('cd sub && PATH={work}/bin:{uvdir}:/usr/bin:/bin tar czf ../o.tgz ../a.txt')\n"
    ),
}


def _cell(kernel: Kernel, how: str) -> str:
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    start = STARTS[how].replace("{uvdir}", os.path.dirname(real_uv()))
    start = start.replace("{work}", str(kernel.work))
    return WRITE.format(payload=_payload(kernel)) + start


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_path_link_into_proc_self_is_read_as_the_child_follows_it(kernel, how):
    def fresh() -> str:
        gz = kernel.work / "sub" / "tools" / "gzip"
        if gz.exists():
            gz.unlink()
        return _cell(kernel, how)

    guarded = kernel.kept_from_refused_host(fresh)
    assert "/proc" in guarded["refused"], guarded
