"""Red team 23 (fix23): links the line makes, links that lead where nothing is yet (R23-1, R23-3).

fix22 compares a written place by the file system's names (real path, (device, inode), the links
under an existing tree), all read BEFORE the line runs:
- R23-1: a link made EARLIER ON THE SAME LINE by a writer other than ln (``cp -l``, ``cp -s``,
  ``cp -P``/``-a``/``-d`` of a link, ``mv lnk g``, a symlink member of ``tar x``, ``unzip``,
  ``git clone``) does not exist then, so a later writer writing through it was placed at the
  link's own name. Now a place where an earlier writer may have made a link (its places, for
  a writer not known to make none: ``line_writers.links``) is one Warden cannot place, refused
  when PATH holds a folder of the user's.
- R23-3: a DANGLING link in a PATH folder (``bin/gzip -> ../lib/gz.pl``) had no file, so no
  identity: a writer making lib/gz.pl made bin's gzip. Now each name a link of the user's
  PATH folders leads to (dangling or not) is a place of that folder.
Each malicious case runs for real (tar runs ``gzip`` from PATH): without Warden it installs
from the local index, with Warden it is refused before anything is fetched.
"""

import os
import subprocess
import sys

import pytest
from launched import installed
from test_redteam19_path import _payload
from test_redteam22_links import HARMLESS, PAYLOAD, fresh, refused_path_write

from jupyterlab_warden.kernel.guard.installs import commands

FRESH = fresh(
    ("g", "lnk", "w.pl", "kd", "kit", "src", "lib", "out", "bin/gzip"),
    "shutil, subprocess, tarfile, zipfile",
)
PAYLOAD_IN_BIN = FRESH + PAYLOAD
# bin/gzip a harmless program already: the line rewrites it through the link
HARMLESS_IN_BIN = FRESH + HARMLESS
LNK = "os.symlink(os.getcwd() + '/bin/gzip', 'lnk')\n"  # a link an earlier cell made
KIT_LNK = "os.symlink(os.getcwd() + '/bin/gzip', 'kit/lnk')\n"
KIT_RELATIVE = "os.symlink('../../../bin/gzip', 'kit/lnk')\n"
# archives and a repository holding one member: a symbolic link l -> <work>/bin
KIT = (
    "os.makedirs('kd')\n"
    "ti = tarfile.TarInfo('l'); ti.type = tarfile.SYMTYPE; ti.linkname = os.getcwd() + '/bin'\n"
    "with tarfile.open('kit.tar', 'w') as t:\n"
    "    t.addfile(ti)\n"
    "zi = zipfile.ZipInfo('l'); zi.create_system = 3; zi.external_attr = 0o120777 << 16\n"
    "with zipfile.ZipFile('kit.zip', 'w') as z:\n"
    "    z.writestr(zi, os.getcwd() + '/bin')\n"
)
GIT_KIT = (
    "os.makedirs('src')\nos.symlink(os.getcwd() + '/bin', 'src/l')\n"
    "g = ['git', '-C', 'src', '-c', 'user.email=a@b', '-c', 'user.name=a']\n"
    "for step in (['init', '-q'], ['add', '.'], ['commit', '-qm', 'k']):\n"
    "    subprocess.run(g + step, check=True)\n"
)
# bin/gzip -> ../lib/gz.pl, its target not there yet (R23-3)
DANGLING = FRESH + "os.makedirs('lib')\nos.symlink('../lib/gz.pl', 'bin/gzip')\n"
GZ_KIT = (
    "os.makedirs('kit')\nshutil.copy('payload.pl', 'kit/gz.pl')\nos.chmod('kit/gz.pl', 0o755)\n"
    "with tarfile.open('kit.tar', 'w') as t:\n"
    "    t.add('kit/gz.pl', arcname='gz.pl')\n"
)

TAR = "tar czf o.tgz a.txt"
LINE_MADE = [
    # R23-1: cp makes the link (hard, symbolic) or copies one as a link; mv moves one
    (PAYLOAD_IN_BIN, f"cp -l bin/gzip g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN, f"cp --link bin/gzip g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN, f"cp -s bin/gzip g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN + LNK, f"mv lnk g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN + LNK, f"cp -P lnk g && chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN + LNK, f"cp -a lnk g && chmod +x g && {TAR}"),
    (HARMLESS_IN_BIN + LNK, f"cp -d lnk g && cat payload.pl > g && {TAR}"),
    # a line read inside another: the outer line's links count; a command substitution's
    # writes and links count in the line after it
    (PAYLOAD_IN_BIN, f"cp -s bin/gzip g && bash -c 'chmod +x g && {TAR}'"),
    (PAYLOAD_IN_BIN, f"echo $(cp -s bin/gzip g); chmod +x g && {TAR}"),
    (PAYLOAD_IN_BIN, f"echo $(chmod +x bin/gzip); {TAR}"),
    # cp -r of a tree holding a link, of a tree the line unpacked; mv of a hard link
    (
        PAYLOAD_IN_BIN + "os.makedirs('kit')\n" + KIT_LNK,
        f"cp -r kit kd && chmod +x kd/lnk && {TAR}",
    ),
    (
        HARMLESS_IN_BIN + KIT,
        f"tar xf kit.tar -C kd && cp -r kd/. out && cp payload.pl out/l/gzip; {TAR}",
    ),
    (PAYLOAD_IN_BIN + "os.link('bin/gzip', 'lnk')\n", f"mv lnk g && chmod +x g && {TAR}"),
    # a writer off the list copies links where its words lead: a relative one leads into bin
    # only from the copy's depth (from kit/ it leads nowhere)
    (
        PAYLOAD_IN_BIN + "os.makedirs('kit')\nos.makedirs('kd/sub')\n" + KIT_RELATIVE,
        "cd kd/sub && rsync -a ../../kit/ out/ && chmod +x out/lnk && tar czf o.tgz ../../a.txt",
    ),
    # R23-1: an unpacked or cloned tree whose member l is a link to bin
    (PAYLOAD_IN_BIN + KIT, f"tar xf kit.tar -C kd && chmod +x kd/l/gzip && {TAR}"),
    (HARMLESS_IN_BIN + KIT, f"tar xf kit.tar -C kd && cp payload.pl kd/l/gzip && {TAR}"),
    (HARMLESS_IN_BIN + KIT, f"unzip -q kit.zip -d kd && cp payload.pl kd/l/gzip && {TAR}"),
    (HARMLESS_IN_BIN + GIT_KIT, f"git clone -q src kd && cp payload.pl kd/l/gzip && {TAR}"),
    # R23-3: a writer makes the file a link of bin leads to
    (DANGLING, f"cp payload.pl lib/gz.pl && chmod +x lib/gz.pl && {TAR}"),
    (DANGLING, f"install -m 755 payload.pl lib/gz.pl && {TAR}"),
    (DANGLING + "os.rmdir('lib')\n", f"mkdir lib && install -m 755 payload.pl lib/gz.pl && {TAR}"),
    (DANGLING + GZ_KIT, f"tar xf kit.tar -C lib && {TAR}"),
    # R23-3 with a target that exists: mv replaces it (a new file, no identity shared)
    (
        DANGLING + "open('lib/gz.pl', 'w').write('#!/bin/sh\\n')\nos.chmod('lib/gz.pl', 0o755)\n",
        f"cp payload.pl w.pl && chmod +x w.pl && mv w.pl lib/gz.pl && {TAR}",
    ),
]


@pytest.mark.parametrize("pre, line", LINE_MADE, ids=[ln.split(" && ")[0] for _, ln in LINE_MADE])
def test_a_write_through_a_link_warden_cannot_resolve_refuses_the_later_starts(kernel, pre, line):
    """R23-1, R23-3: the writer's place leads into bin through a link the line makes, or is
    where a link of bin leads; tar then runs bin/gzip from PATH."""
    for program in ("tar", "cp", "mv", "chmod", "install", "bash", "git", "unzip", "rsync"):
        installed(program)
    refused_path_write(kernel, pre, line)


def _ordinary_folder(kernel) -> str:
    """A notebook's folder, and a cell header that puts a venv outside it first on PATH (a
    folder of the user's: where Warden cannot place a write, it refuses), the venv's bin
    holding a dangling link too (its target nowhere near the lines' writes)."""
    _payload(kernel)
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    (env / "bin" / "gone").symlink_to("../nothing/gone")
    work = kernel.work
    (work / "train.py").write_text("open('model.txt', 'w').write('m')\n")
    (work / "d0").mkdir()
    (work / "d0" / "x.csv").write_text("1\n")
    subprocess.run(["tar", "czf", "data.tgz", "-C", "d0", "."], cwd=work, check=True)
    (work / "m.pt").write_text("m")
    return f"import os\nos.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"


ORDINARY = [
    "mkdir -p out && cp m.pt out/ && python3 train.py",
    "cp a.txt b.txt && chmod +x b.txt && python3 train.py",
    "cp -r d0 d1 && cp m.pt out.pt && python3 train.py",
    "mkdir -p dd && tar xzf data.tgz -C dd && cp m.pt out.pt && python3 train.py",
    "ln -s d0 data2 && mv m.pt model.pt && touch done && python3 train.py",
    "cp -s $PWD/m.pt m2.pt && cat a.txt > log.txt && python3 train.py",
    "cp -r d0/. out && sed -i s/1/2/ out/x.csv && python3 train.py",
    "cp -a d0 d2 && touch d2/x.csv && python3 train.py",
    "mv d0 data && chmod +x data/x.csv && python3 train.py",
    # unknown programs' own writes are taken on trust, links as files
    "mkdir dd && tar xzf data.tgz -C dd && python3 train.py && python3 train.py && cp m.pt o.pt "
    "&& python3 train.py",
    "git config --global user.email a@b && git config --global user.name 'A B' && python3 train.py",
    "python3 train.py m.pt && python3 train.py m.pt && python3 train.py",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_after_link_makers_run(kernel, line):
    """No false refusal: a writer after a link maker that writes elsewhere, writers that make
    no link (mkdir, cp, touch, >), a dangling link in PATH's venv leading nowhere written."""
    installed("tar")
    installed("git")
    header = _ordinary_folder(kernel)
    result = kernel.cell(header + f"assert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result


def test_the_names_a_link_chain_leads_to(tmp_path):
    """Each link of a chain, by its folder's real path (re-pointing one moves the end: R24-2),
    and the real path at the end though nothing is there: the places a writer makes the
    program at. ``via/end`` is the end by another name, which a writer's place resolves to."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "via").symlink_to("lib")
    (tmp_path / "lib" / "mid").symlink_to("../via/end")
    (tmp_path / "gzip").symlink_to("lib/mid")
    names = commands._link_names(str(tmp_path / "gzip"))
    assert names == [str(tmp_path / n) for n in ("gzip", "lib/mid", "via", "lib/end")]
    assert commands.link_walk.physical(str(tmp_path / "via" / "end")) == names[-1]
    assert not os.path.lexists(tmp_path / "lib" / "end")
