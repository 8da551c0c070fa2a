"""fix91h: a link on PATH leading nowhere now, OLDER than the kernel's start, that the line
makes resolve (red team 81's held case, which passed or failed by the clock).

``bin/python3 -> ../m/../evil`` first on PATH: while m is missing the kernel's resolution
stops there, so uv, looking for a Python on PATH (``uv pip list --system``), passes over it;
``mkdir m`` on the same line makes it lead to evil, and uv runs evil as the system Python.
``commands._refuse_unsure_path_links`` weighed only the links ``path_programs`` found new
since the kernel started, so a link made before (a stale venv link, one a previous kernel or
an earlier session made) ran its target unread. tar running gzip by name is the same case.
Now every link of the PATH folders that leads nowhere now is weighed against the line's
writers, whatever its age: found by the walk each start makes already (``new_programs``'
``dangling``), no system call of its own.

Each proof waits until its link is older than a kernel started next (``_older_than_a_start``,
age81's precondition on the clock), and the cell asserts the kernel reads it so; without
Warden the payload leaves its marker, with Warden the line is refused and leaves none. A venv
on PATH with an older stale link (``bin/gone -> ../nothing/gone``) leaves ordinary lines alone.
"""

import os
import subprocess
import sys
import time

import pytest
from launched import installed, system_call
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import path_programs

# the cell checks the precondition as the guard reads it: the link changed more than the
# rule's second before the kernel started (``kernel_age``, ``path_programs._link_changed``)
OLDER = (
    "from jupyterlab_warden.kernel.guard.installs.kernel_age import _STARTED\n"
    "assert os.lstat(LINK).st_ctime < _STARTED - 1, 'the link is not older than the kernel'\n"
)
FRESH = (
    "import os, shutil\n"
    "shutil.rmtree('m', ignore_errors=True)\n"
    "os.remove('marker') if os.path.exists('marker') else None\n"
)
PATH_FIRST = (
    "os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n"
    "os.environ.pop('VIRTUAL_ENV', None)\nos.environ.pop('CONDA_PREFIX', None)\n"
)


def _older_than_a_start(path) -> None:
    """Wait until a process started now begins more than a second after the link ``path``
    changed (the rule's margin; /proc's start is read to a clock tick): a precondition on the
    clock, which the cell asserts as the guard reads it (``OLDER``)."""
    changed = os.lstat(path).st_ctime
    while time.time() < changed + 2.5:
        time.sleep(0.05)


def _old_link(kernel, name: str, text: str = "") -> str:
    """``bin/NAME -> ../m/../evil`` in the work folder, both older than the kernel's start;
    evil holds ``text``, by default a program that leaves the marker and runs a Python (uv's
    query of it gets its answer). The cell's header."""
    evil = kernel.work / "evil"
    marks = f'#!/bin/sh\ntouch {kernel.work}/marker\nexec {sys.executable} "$@"\n'
    evil.write_text(text or marks)
    evil.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "bin").mkdir()
    link = kernel.work / "bin" / name
    link.symlink_to("../m/../evil")
    _older_than_a_start(link)
    return FRESH + PATH_FIRST + f"LINK = {str(link)!r}\n" + OLDER


def _runs_only_without_warden(kernel, code: str) -> str:
    """The cell leaves the marker without Warden; with Warden it is refused and leaves none.
    The refusal's text."""
    marker = kernel.work / "marker"
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and marker.exists(), plain
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and not marker.exists(), guarded
    return guarded["refused"]


@pytest.mark.parametrize("name", ["python3", "python"])
def test_an_older_python_link_uv_finds_on_path_is_refused(kernel, name):
    """uv pip --system runs the Python it finds on PATH: the older bin/NAME, once m is made."""
    code = _old_link(kernel, name) + system_call(f"mkdir m && {real_uv()} pip list --system")
    refused = _runs_only_without_warden(kernel, code)
    assert "unsure" in refused and name in refused and str(kernel.work / "m") in refused, refused


def test_an_older_gzip_link_tar_runs_by_name_is_refused(kernel):
    """tar czf runs gzip by name: the older bin/gzip, once m is made (red team 18's program)."""
    installed("tar")
    code = _old_link(kernel, "gzip") + system_call("mkdir m && tar czf o.tgz a.txt")
    refused = _runs_only_without_warden(kernel, code)
    assert "unsure" in refused and "gzip" in refused, refused


# bin/gzip's target's `#!` line starts the installer itself (age81's SH_C: read in full)
SH_C = (
    "#!/usr/bin/env -S sh -c 'uv pip install -q --no-config --no-cache --target {target} "
    "--index-url {index} warden-demo-pkg'\nexit 0\n"
)
# a start while m is missing lists bin (its gzip leading nowhere); the cell makes m, then tar
# runs gzip: the gate's start, no line to read
MADE_BY_THE_CELL = (
    "import subprocess\nsubprocess.run(['true'], check=True)\nos.mkdir('m')\n"
    "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"
)


def test_an_older_link_the_cell_made_resolve_is_read_as_a_new_program(kernel):
    """bin/gzip -> ../m/../evil, listed while it led nowhere (kept, never sorted as an older
    program): once the cell makes m it leads to evil, whose line installs. Read as a new
    program at tar's start (the walk's ``..`` passes through the new m, no link on the way
    changed): installs without Warden, refused with it."""
    installed("tar")
    header = _old_link(kernel, "gzip", SH_C.format(target=kernel.target, index=kernel.index.simple))
    refused = kernel.proves(header + MADE_BY_THE_CELL)
    assert "gzip" in refused, refused


ORDINARY = [
    "mkdir -p out && cp a.txt out/ && python3 -c pass",
    "mkdir -p out && tar czf out/a.tgz a.txt && ls out",
    "mkdir m && {uv} pip list --system",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_with_an_older_stale_link_on_path_run(kernel, line):
    """No false refusal: a venv first on PATH holding an older stale link leading nowhere
    (``bin/gone -> ../nothing/gone``), and lines whose writers make nothing where it is stuck."""
    installed("tar")
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    stale = env / "bin" / "gone"
    stale.symlink_to("../nothing/gone")
    (kernel.work / "a.txt").write_text("a\n")
    _older_than_a_start(stale)
    code = (
        f"import os\nLINK = {str(stale)!r}\n"
        + OLDER
        + f"os.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"
        + f"assert os.system({line!r}) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_new_programs_names_the_older_links_leading_nowhere(tmp_path, monkeypatch):
    """``new_programs``' ``dangling``: an older link whose walk stops at a missing folder or
    file is named; an older link that resolves, and a new one (found as a new program), are
    not. The kernel's start is set after the files were made, as a restarted kernel's is."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (tmp_path / "real").write_text("#!/bin/sh\n")
    (tmp_path / "real").chmod(0o755)
    (bin_ / "stuck").symlink_to("../m/../real")
    (bin_ / "gone").symlink_to("../lib/gone")
    (bin_ / "ok").symlink_to("../real")
    monkeypatch.setattr(path_programs, "_started", time.time() + 5)
    monkeypatch.setattr(path_programs, "_FOLDERS", {})
    older: list = []
    found = path_programs.new_programs(str(bin_), None, dangling=older)
    assert found == [] and sorted(older) == [str(bin_ / "gone"), str(bin_ / "stuck")], older
    monkeypatch.setattr(path_programs, "_started", time.time() - 60)
    monkeypatch.setattr(path_programs, "_FOLDERS", {})
    older = []
    found = path_programs.new_programs(str(bin_), None, dangling=older)
    assert older == [] and str(bin_ / "stuck") in found, (found, older)


def test_an_older_link_whose_target_went_since_its_listing_is_named(tmp_path, monkeypatch):
    """A link that resolved when its folder was listed (kept by the folders it leads through)
    and leads nowhere after its target's folder changed is named too, by the check of that
    folder each start makes already (``_replaced``)."""
    bin_, lib = tmp_path / "bin", tmp_path / "lib"
    bin_.mkdir()
    lib.mkdir()
    (lib / "tool").write_text("#!/bin/sh\n")
    (lib / "tool").chmod(0o755)
    (bin_ / "tool").symlink_to("../lib/tool")
    monkeypatch.setattr(path_programs, "_started", time.time() + 5)
    monkeypatch.setattr(path_programs, "_FOLDERS", {})
    monkeypatch.setattr(path_programs, "_SETTLED", -1.0)  # the listing kept at once
    older: list = []
    assert path_programs.new_programs(str(bin_), None, dangling=older) == [] and older == []
    assert str(bin_) in path_programs._FOLDERS
    (lib / "tool").unlink()
    assert path_programs.new_programs(str(bin_), None, dangling=older) == []
    assert older == [str(bin_ / "tool")], older
