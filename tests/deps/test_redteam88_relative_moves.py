"""Red team 88 F5 (HIGH, the class of red team 86 F2b): a relative folder of the kernel's
PATH (``bin``, as the cell set os.environ) and a start that moves before it looks a name up,
in a way ``folder_moves.moves`` does not see by text, while the line reading never reads the
start's own PATH (``commands._refuse_path_programs`` returns at once: the gate's reading env
holds no PATH when it is the kernel's, so ``search is None``):

- ``unshare-w``: util-linux ``unshare -w sub tar ...`` (``--wd=sub``; nsenter's too);
- ``cmake-chdir``: ``cmake -E chdir sub tar ...``.
- ``line-unshare``/``line-cmake``: the same with the relative PATH given ON THE LINE
  (``!PATH=bin:... unshare -w sub tar ...``, no os.environ change): ``_refuse_path_programs``
  reads ``bin`` from the start folder, the wrapper's ``-w`` move is not followed.
Each runs sub/bin/gzip, unread. Held (controls): the plain ``cd sub && tar``, and
``c\\d sub && tar`` (refused as a `command line` by another rule in the real kernel, though
``folder_moves.moves`` does not see it and the pure reading accepts it)."""

import os

import pytest
from launched import installed
from real_uv import real_uv
from test_redteam82_path_link_target import _payload

WRITE = """import os, subprocess
os.makedirs('sub/bin', exist_ok=True)
with open('sub/bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('sub/bin/gzip', 0o755)
"""
# the kernel's own PATH made relative by the cell (not for the line-* forms)
KERNEL_PATH = (
    "os.environ['PATH'] = 'bin:' + os.environ['PATH']  # relative: from the start's folder\n"
)
STARTS = {
    "quoted-cd": "subprocess.run('c\\\\d sub && tar czf ../o.tgz ../a.txt', shell=True)\n",
    "unshare-w": "subprocess.run(['unshare', '-w', 'sub', 'tar', 'czf', '../o.tgz', '../a.txt'])\n",
    "cmake-chdir": (
        "subprocess.run(['cmake', '-E', 'chdir', 'sub', 'tar', 'czf', '../o.tgz', '../a.txt'])\n"
    ),
    # a PATH the LINE gives (no os.environ change at all: a plain `!` line)
    "line-unshare": (
        "os.system('PATH=bin:UVDIR:/usr/bin:/bin unshare -w sub tar czf ../o.tgz ../a.txt')\n"
    ),
    "line-cmake": (
        "os.system('PATH=bin:UVDIR:/usr/bin:/bin cmake -E chdir sub tar czf ../o.tgz ../a.txt')\n"
    ),
    "control-cd": "subprocess.run('cd sub && tar czf ../o.tgz ../a.txt', shell=True)\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_relative_path_folder_after_an_unseen_move_is_read(kernel, how):
    """The payload of each form installs without Warden; with Warden the start is refused.
    Fixed (fix88c): folder_moves sees unshare's -w and cmake's chdir, and a relative folder
    is checked for moves where the start's folder is given (the line forms)."""
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "sub").mkdir(exist_ok=True)
    (kernel.work / "sub" / "a.txt").write_text("a\n")

    def fresh() -> str:
        gz = kernel.work / "sub" / "bin" / "gzip"
        if gz.exists():
            os.unlink(gz)
        start = STARTS[how].replace("UVDIR", os.path.dirname(real_uv()))
        if not how.startswith("line-"):
            start = KERNEL_PATH + start
        return WRITE.format(payload=_payload(kernel)) + start

    guarded = kernel.kept_from_refused_host(fresh)
    print("REFUSAL", how, (guarded["refused"] or "")[:400])
    assert guarded["refused"], guarded
