"""Red team 86 F2: a RELATIVE folder of the start's PATH (``bin``).

F2a (``cwd``, ``env-cwd``): Popen with a RELATIVE ``cwd='sub'``: ``new_programs(search,
'sub')`` rightly finds ``sub/bin/gzip``, but returns it relative to the KERNEL's folder, and
the gate reads it (``_program_reading`` -> ``read_requests([path], ..., cwd='sub')``) from the
start's folder: ``sub/sub/bin/gzip``, no such file, nothing read. The same start with an
absolute cwd (``cwd-full``) is refused: the control.

F2b (``cd``, ``env-C``, ``git-C``): the kernel's own PATH holds ``bin``; the gate reads it
from the start's folder, but a program that changes its folder before it runs a name (a shell
line's ``cd sub``, ``env -C sub``, ``git -C sub``) finds ``sub/bin/gzip``. The line reading
reads a PATH only when the LINE gives one (``_refuse_path_programs``), so a relative folder of
the start's own PATH is never read from the folder the line moved to. With the PATH given on
the line after the cd (``line-cd``, ``line-env-C``) the reading follows the move: held.

Without Warden the written gzip installs from the local index; with Warden nothing is fetched
(fix87a: every path ``new_programs`` finds is absolute (F2a); a relative
folder of a start whose words may move it (``folder_moves``: cd, -C, --chdir...) refuses
the start, and the line reading reads the start's own relative folders from the folder a
``cd`` moved to (F2b).)"""

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
os.environ['PATH'] = 'bin:' + os.environ['PATH']  # relative: from the start's folder
"""

STARTS = {
    "cd": "subprocess.run('cd sub && tar czf ../o.tgz ../a.txt', shell=True)\n",
    "env-C": "subprocess.run(['env', '-C', 'sub', 'tar', 'czf', '../o.tgz', '../a.txt'])\n",
    "cwd": "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd='sub')\n",
    "cwd-full": (
        "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd=os.getcwd() + '/sub')\n"
    ),
    "line-cd": "os.system('cd sub && PATH=bin:{uvdir}:/usr/bin:/bin tar czf ../o.tgz ../a.txt')\n",
    "line-env-C": (
        "os.system('PATH=bin:{uvdir}:/usr/bin:/bin env -C sub tar czf ../o.tgz ../a.txt')\n"
    ),
    "env-cwd": (
        "subprocess.run(['tar', 'czf', '../o.tgz', '../a.txt'], cwd='sub',"
        " env=dict(os.environ, PATH='bin:{uvdir}:/usr/bin:/bin'))\n"
    ),
    "git-C": "subprocess.run(['git', '-C', 'sub', 'archive', '-o', '../o.tar.gz', 'HEAD'])\n",
}


def _cell(kernel: Kernel, how: str) -> str:
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "sub").mkdir(exist_ok=True)
    (kernel.work / "sub" / "a.txt").write_text("a\n")
    if how == "git-C" and not (kernel.work / "sub" / ".git").exists():
        import subprocess

        run = ["git", "-C", str(kernel.work / "sub")]
        subprocess.run(run + ["init", "-q"], check=True)
        subprocess.run(run + ["add", "a.txt"], check=True)
        subprocess.run(
            run + ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "a"], check=True
        )
        subprocess.run(run + ["config", "tar.tar.gz.command", "gzip -cn"], check=True)
    uvdir = os.path.dirname(real_uv())
    return WRITE.format(payload=_payload(kernel)) + STARTS[how].replace("{uvdir}", uvdir)


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_relative_path_folder_after_a_move_is_read(kernel, how):
    def fresh() -> str:
        gz = kernel.work / "sub" / "bin" / "gzip"
        if gz.exists():
            os.unlink(gz)
        return _cell(kernel, how)

    guarded = kernel.kept_from_refused_host(fresh)
    why = guarded["refused"]
    assert "sub/bin" in why or "relative folder bin" in why, guarded
