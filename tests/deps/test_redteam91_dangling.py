"""Red team 91a's dangling-link cases against fix91h (fixG).

1. A PATH on the command itself (``PATH=B tar ...``, ``env PATH=B tar ...``, ``PATH=B uv pip
   list --system``) and 2. the folders ``uv run`` and ``npm run`` put in front of their
   command's PATH (``.venv/bin``, ``node_modules/.bin``) were not walked for a link leading
   nowhere now, OLDER than the kernel (``B/gzip -> ../m/../evil``): ``mkdir m`` on the line
   makes it lead to evil, which tar (gzip by name) or uv (python3 on PATH) runs unread. Each
   proof: without Warden the marker appears; with Warden the line is refused, no marker.
3. fix91h's false refusals: every unpacker counted as making a name anywhere, so a venv on
   PATH with an older stale link (``env/bin/gone -> ../nothing/gone``) refused ordinary
   unpacking lines. A tar without -P and an unzip without ``-:`` make names only under their
   folder (``unpack_reach``): these lines run; a tar -P still counts as making anywhere.
"""

import json
import os
import subprocess
import sys
import tarfile
import time
import zipfile

import pytest
from launched import installed, system_call
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import unpack_reach

OLDER = (
    "from jupyterlab_warden.kernel.guard.installs.kernel_age import _STARTED\n"
    "assert os.lstat(LINK).st_ctime < _STARTED - 1, 'the link is not older than the kernel'\n"
)
HEAD = (
    "import os, shutil\nshutil.rmtree('m', ignore_errors=True)\n"
    "os.remove('marker') if os.path.exists('marker') else None\n"
    "os.environ.pop('VIRTUAL_ENV', None)\nos.environ.pop('CONDA_PREFIX', None)\n"
)


def _older_than_a_start(path) -> None:
    """Wait until a kernel started now begins more than the rule's second after the link
    changed (a precondition on the clock, which the cell asserts: ``OLDER``)."""
    changed = os.lstat(path).st_ctime
    while time.time() < changed + 2.5:
        time.sleep(0.05)


def _evil(kernel, python: bool = False) -> None:
    evil = kernel.work / "evil"
    tail = f'exec {sys.executable} "$@"' if python else 'exec /bin/gzip "$@"'
    evil.write_text(f"#!/bin/sh\ntouch {kernel.work}/marker\n{tail}\n")
    evil.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")


def _old_link(kernel, folder: str, name: str, target: str) -> str:
    link = kernel.work / folder / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    _older_than_a_start(link)
    return HEAD + f"LINK = {str(link)!r}\n" + OLDER


def _runs_only_without_warden(kernel, code: str) -> str:
    marker = kernel.work / "marker"
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and marker.exists(), plain
    marker.unlink()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and not marker.exists(), guarded
    return guarded["refused"]


@pytest.mark.parametrize(
    "line",
    [
        "mkdir m && PATH={w}/bin2:/usr/bin:/bin tar czf o.tgz a.txt",
        "mkdir m && env PATH={w}/bin2:/usr/bin:/bin tar czf o.tgz a.txt",
    ],
)
def test_a_path_on_the_command_is_walked(kernel, line):
    """tar runs gzip from the PATH the command is given: bin2/gzip, once m is made."""
    installed("tar")
    _evil(kernel)
    code = _old_link(kernel, "bin2", "gzip", "../m/../evil")
    refused = _runs_only_without_warden(kernel, code + system_call(line.format(w=kernel.work)))
    assert "gzip" in refused and "unsure" in refused, refused


def test_a_path_on_uv_is_walked(kernel):
    """uv pip --system runs the python3 of the PATH it is given: bin2/python3."""
    _evil(kernel, python=True)
    code = _old_link(kernel, "bin2", "python3", "../m/../evil")
    line = f"mkdir m && PATH={kernel.work}/bin2:/usr/bin:/bin {real_uv()} pip list --system"
    refused = _runs_only_without_warden(kernel, code + system_call(line))
    assert "python3" in refused and "unsure" in refused, refused


@pytest.mark.parametrize("options", ["--no-project ", ""])
def test_uv_run_venv_bin_is_walked(kernel, options):
    """uv run puts .venv/bin first on its command's PATH: tar runs .venv/bin/gzip."""
    installed("tar")
    _evil(kernel)
    venv = kernel.work / ".venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    code = _old_link(kernel, ".venv/bin", "gzip", "../../m/../evil")
    line = f"mkdir m && {real_uv()} run {options}tar czf o.tgz a.txt"
    refused = _runs_only_without_warden(kernel, code + system_call(line))
    assert "gzip" in refused, refused


def test_npm_run_bin_is_walked(kernel):
    """npm run puts node_modules/.bin first on its script's PATH: tar runs its gzip."""
    installed("tar")
    installed("npm")
    _evil(kernel)
    scripts = {"pack": "tar czf o.tgz a.txt"}
    (kernel.work / "package.json").write_text(
        json.dumps({"name": "x", "version": "1.0.0", "scripts": scripts})
    )
    code = _old_link(kernel, "node_modules/.bin", "gzip", "../../m/../evil")
    refused = _runs_only_without_warden(kernel, code + system_call("mkdir m && npm run pack"))
    assert "gzip" in refused, refused


ORDINARY = [
    "mkdir data && tar xzf d.tgz -C data && make -v",
    "mkdir data && tar xzf d.tgz -C data && tar xzf d.tgz -C data",
    "mkdir -p data2 && tar xzf d.tgz -C data2 ; git --version",
    "mkdir data && unzip -q x.zip -d data; tar czf o.tgz a.txt",
    "mkdir m && PATH={env}/bin:/usr/bin:/bin tar czf o.tgz a.txt",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_unpacking_lines_with_an_older_stale_link_on_path_run(kernel, line):
    """No false refusal: a venv first on PATH holding an older stale link, and lines whose
    unpackers make names only under their folders."""
    for program in ("tar", "make", "git", "unzip"):
        installed(program)
    w = kernel.work
    (w / "a.txt").write_text("a\n")
    with tarfile.open(w / "d.tgz", "w:gz") as archive:
        archive.add(w / "a.txt", arcname="a.txt")
    with zipfile.ZipFile(w / "x.zip", "w") as archive:
        archive.write(w / "a.txt", "a.txt")
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    stale = env / "bin" / "gone"
    stale.symlink_to("../nothing/gone")
    _older_than_a_start(stale)
    code = (
        "import os, shutil\nshutil.rmtree('data', ignore_errors=True)\n"
        "shutil.rmtree('m', ignore_errors=True)\n"
        f"LINK = {str(stale)!r}\n"
        + OLDER
        + f"os.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"
        + f"assert os.system({line.format(env=env)!r}) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_a_tar_with_absolute_names_still_counts_as_making_anywhere(kernel):
    """tar -P's members may be absolute names (``/…/nothing/``): the stale link is weighed
    against it, the line refused (before it runs: no member is unpacked)."""
    installed("tar")
    w = kernel.work
    (w / "a.txt").write_text("a\n")
    with tarfile.open(w / "d.tgz", "w:gz") as archive:
        archive.add(w / "a.txt", arcname="a.txt")
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    (env / "bin" / "gone").symlink_to("../nothing/gone")
    code = (
        f"import os\nos.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"
        "os.system('tar -xzPf d.tgz && tar czf o.tgz a.txt')\n"
    )
    refused = kernel.cell(code, launched=True)["refused"]
    assert refused and "gone" in refused, refused


def test_confined_reads_the_unpackers_words(tmp_path):
    """``unpack_reach.confined``: a tar without -P, an unzip without -:, into a tree with no
    link leading out; anything else is unsure."""
    tree = tmp_path / "data"
    tree.mkdir()
    wrote = [("tar/", str(tree)), ("tar", str(tmp_path))]
    assert unpack_reach.confined("tar", ["xzf", "d.tgz", "-C", "data"], {}, wrote)
    assert unpack_reach.confined("unzip", ["-q", "x.zip", "-d", "data"], {}, wrote)
    assert not unpack_reach.confined("tar", ["xzPf", "d.tgz"], {}, wrote)
    assert not unpack_reach.confined("tar", ["-x", "--absolute", "-f", "d.tgz"], {}, wrote)
    assert not unpack_reach.confined("tar", ["-x", "--xform=s/a/b/", "-f", "d"], {}, wrote)
    assert not unpack_reach.confined("tar", ["-xf", "d.tgz"], {"TAR_OPTIONS": "-P"}, wrote)
    assert not unpack_reach.confined("unzip", ["-:", "x.zip"], {}, wrote)
    assert not unpack_reach.confined("cpio", ["-i"], {}, wrote)
    assert not unpack_reach.confined("tar", ["xf", "d.tar"], {}, [("tar", "")])
    (tree / "up").symlink_to("..")  # a link already there leads a member's way out
    assert not unpack_reach.confined("tar", ["xzf", "d.tgz", "-C", "data"], {}, wrote)
