"""Red team 22 (fix22): what a written place IS, by the file system's names (R22-1..R22-3).

R19-2/R21-1: a command after a writer on its line that may have put or chmodded a file in a
folder of its PATH is refused (Warden lists PATH's folders before the line runs). A place was
compared by the NAME the line gives it; the file system has other names:
- R22-1: ``g -> bin/gzip`` (made in an earlier cell): ``chmod +x g``, ``cp x g``, ``> g``,
  ``tee g`` write bin/gzip, while g's folder is the working folder;
- R22-2: ``kd/l -> ../bin`` inside a tree a writer unpacks into: ``tar -xf k.tar -C kd`` with a
  member ``l/gzip`` writes bin/gzip;
- R22-3: a hard link ``g`` of bin/gzip: no name resolution finds it, its inode is bin/gzip's.
Now every comparison goes through ``commands._SearchFolders``: a file place by its resolved
folder too and by its (device, inode) against the PATH folders' entries, a tree place with the
links under its existing content that lead out of it (a bounded walk). Each malicious case runs
for real (tar runs ``gzip`` from PATH): without Warden it installs from the local index, with
Warden it is refused before anything is fetched.
"""

import os
import subprocess
import sys

import pytest
from launched import installed, system_call
from test_redteam18_path import PATH_FIRST
from test_redteam19_path import _payload

from jupyterlab_warden.kernel.guard.installs import commands


def fresh(names: tuple, imports: str = "shutil") -> str:
    """The start of a cell that removes ``names``: a run without Warden leaves its files, and
    the cell starts again from the same folder state."""
    return (
        f"import {imports}\n"
        f"for old in {names!r}:\n"
        "    if os.path.islink(old) or os.path.isfile(old):\n"
        "        os.remove(old)\n"
        "    shutil.rmtree(old, ignore_errors=True)\n"
    )


PAYLOAD = "shutil.copy('payload.pl', 'bin/gzip')\n"  # 0644: no program yet
# bin/gzip a harmless program already: the line rewrites it in place
HARMLESS = "open('bin/gzip', 'w').write('#!/bin/sh\\nexit 0\\n')\nos.chmod('bin/gzip', 0o755)\n"
FRESH = fresh(("g", "sub", "kd", "kit", "w.pl", "bin/gzip"))
PAYLOAD_IN_BIN = FRESH + PAYLOAD
HARMLESS_IN_BIN = FRESH + HARMLESS
SYMLINK = "os.symlink('bin/gzip', 'g')\n"
HARDLINK = "os.link('bin/gzip', 'g')\n"
SUB = "os.makedirs('sub')\n"
# kd/l leads out of kd into bin; kit.tar and kit.zip hold l/gzip (no l/ folder member)
KIT = FRESH + (
    "import tarfile, zipfile\n"
    "os.makedirs('kd')\nos.symlink('../bin', 'kd/l')\n"
    "os.makedirs('kit')\nshutil.copy('payload.pl', 'kit/gzip')\nos.chmod('kit/gzip', 0o755)\n"
    "with tarfile.open('kit.tar', 'w') as t:\n"
    "    t.add('kit/gzip', arcname='l/gzip')\n"
    "with zipfile.ZipFile('kit.zip', 'w') as z:\n"
    "    z.write('kit/gzip', 'l/gzip')\n"
)
# kd/gzip, kd/g: names of bin/gzip inside a tree cp -r copies onto (cp writes them in place)
KD_NAMES = HARMLESS_IN_BIN + (
    "os.makedirs('kit')\n"
    "shutil.copy('payload.pl', 'kit/gzip')\nshutil.copy('payload.pl', 'kit/g')\n"
    "os.makedirs('kd')\n"
)

TAR = "tar czf o.tgz a.txt"
PROOFS = [
    # R22-1: a link to a file of a PATH folder, written through
    (PAYLOAD_IN_BIN + SYMLINK, f"chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN + SYMLINK, f"chmod 755 g; {TAR}"),
    (HARMLESS_IN_BIN + SYMLINK, f"cat payload.pl > g && {TAR}"),
    (HARMLESS_IN_BIN + SYMLINK, f"cp payload.pl g && {TAR}"),
    (HARMLESS_IN_BIN + SYMLINK, f"tee g < payload.pl >/dev/null && {TAR}"),
    # R22-3: the same through a hard link
    (PAYLOAD_IN_BIN + HARDLINK, f"chmod +x g && {TAR}"),
    (HARMLESS_IN_BIN + HARDLINK, f"cat payload.pl > g && {TAR}"),
    (HARMLESS_IN_BIN + HARDLINK, f"cp payload.pl g && {TAR}"),
    (HARMLESS_IN_BIN + HARDLINK, f"tee g < payload.pl >/dev/null && {TAR}"),
    # the links made on the line itself: a later writer writes through them
    (PAYLOAD_IN_BIN, f"ln -s bin/gzip g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN, f"ln bin/gzip g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN + SUB, f"ln -s ../bin/gzip sub/g && chmod +x sub/g && {TAR}"),
    # R22-2: a link to a folder inside the tree an unpacker writes
    (KIT, f"tar -xf kit.tar -C kd && {TAR}"),
    (KIT, f"tar xf kit.tar -C kd && {TAR}"),
    (KIT, f"unzip -q kit.zip -d kd && {TAR}"),
    # R22-2 with a file: cp -r writes kd's existing names of bin/gzip in place
    (KD_NAMES + "os.link('bin/gzip', 'kd/gzip')\n", f"cp -r kit/. kd && {TAR}"),
    (KD_NAMES + "os.symlink('../bin/gzip', 'kd/g')\n", f"cp -r kit/. kd && {TAR}"),
]


@pytest.mark.parametrize("pre, line", PROOFS, ids=[line.split(" && ")[0] for _, line in PROOFS])
def test_a_writer_reaching_a_path_folder_by_another_name_refuses_the_later_starts(
    kernel, pre, line
):
    """R22-1..3: the writer's operand is another name of bin/gzip (or leads into bin); tar
    then runs bin/gzip from PATH. The refusal comes when the line's shell starts."""
    installed("tar")
    installed(line.split()[0])
    refused_path_write(kernel, pre, line)


def refused_path_write(kernel, pre: str, line: str) -> str:
    """``line`` after the cell code ``pre``, bin/ first on PATH: it installs without Warden and
    is refused with it, naming an earlier writer of the line and the PATH folder bin/."""
    _payload(kernel)
    refused = kernel.proves(PATH_FIRST + pre + system_call(line))
    assert "earlier command on the line" in refused, refused
    assert str(kernel.work / "bin") in refused, refused
    return refused


def _ordinary_folder(kernel) -> str:
    """A notebook's working folder with links and hard links that lead nowhere near PATH, and
    a cell header that puts a venv outside it first on PATH (the kernel's own venv, as the
    red team's try_lines.py ran with)."""
    _payload(kernel)
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    work = kernel.work
    (work / "kaggle.json").write_text("{}")
    (work / "prep.py").write_text("print('prep')\n")
    (work / "train.py").write_text("open('model.txt', 'w').write('m')\n")
    (work / "d0").mkdir()
    (work / "d0" / "x.csv").write_text("1\n")
    subprocess.run(["tar", "czf", "data.tgz", "-C", "d0", "."], cwd=work, check=True)
    shared = kernel.tmp / "shared_data"
    shared.mkdir()
    (shared / "big.csv").write_text("1\n")
    (work / "shared").symlink_to(shared)  # a link out of the folder, to no PATH folder
    (work / "runs" / "1").mkdir(parents=True)
    (work / "latest").symlink_to("runs/1")  # a link within the folder
    os.link(work / "a.txt", work / "a_copy.txt")  # hard links (uv, conda, DVC make them)
    return f"import os\nos.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"


ORDINARY = [
    "mkdir -p ~/.kaggle && cp kaggle.json ~/.kaggle/ && chmod 600 ~/.kaggle/kaggle.json "
    "&& python3 prep.py",
    "tar xzf data.tgz && python3 train.py",
    "mkdir -p dd && tar xzf data.tgz -C dd && python3 train.py",
    "tar xzf data.tgz -C shared && python3 train.py",
    "python3 prep.py && python3 train.py",
    "mkdir -p out && cp $PWD/a.txt out/ && python3 train.py",
    "cp -r d0/. latest && chmod +x latest/x.csv && python3 train.py",
    "sed -i s/a/b/ a_copy.txt && chmod +x a.txt && python3 train.py",
    "ln -s d0 data2 && ln -sf runs/1 latest2 && python3 train.py",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_over_links_run(kernel, line):
    """No false refusal: links and hard links in the working folder that lead to no PATH
    folder, with a user venv first on PATH (the walk runs, and finds nothing)."""
    installed("tar")
    header = _ordinary_folder(kernel)
    result = kernel.cell(header + f"assert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result


def test_a_tree_past_the_walk_bound_is_a_write_warden_cannot_place(tmp_path, monkeypatch):
    """The walk for links leading out of a tree stops at ``_WALK_BOUND`` entries: the tree then
    counts as unplaced, refused only when PATH holds a folder of the user's."""
    tree, user = tmp_path / "kd", tmp_path / "ubin"
    tree.mkdir()
    user.mkdir()
    for n in range(5):
        (tree / f"f{n}").write_text("x")
    search = commands._SearchFolders([str(user)])
    assert search.written(str(tree), True) is None  # 5 entries, no link: nothing reached
    monkeypatch.setattr(commands, "_WALK_BOUND", 4)
    hit, how = search.written(str(tree), True)
    assert hit == str(user) and "too many" in how


def test_no_walk_where_path_holds_no_folder_of_the_users(tmp_path, monkeypatch):
    """Nothing a cell wrote runs from the system's folders: a tree writer's existing content is
    not walked, so ordinary lines stay cheap."""

    def walked(*_):
        raise AssertionError("walked")

    monkeypatch.setattr(commands, "_links_out", walked)
    (tmp_path / "kd").mkdir()
    assert commands._SearchFolders(["/usr/bin", "/bin"]).written(str(tmp_path / "kd"), True) is None
    with pytest.raises(AssertionError):
        commands._SearchFolders([str(tmp_path)]).written(str(tmp_path / "kd"), True)
