"""Program files on a start's PATH written BEFORE the kernel started (age81).

``path_programs`` read a program file in a folder of the start's PATH as a start of its own
only when it changed since the kernel started; an older one counted as the machine's wherever
it was. A project cloned in an earlier session (or a kernel restarted after a cell wrote it)
holds ``bin/gzip`` whose ``#!`` line starts an installer; ``PATH=bin:$PATH tar czf`` (or
``bin`` put first on os.environ's PATH, then ``subprocess.run(['tar', ...])``) runs it by name
and it installs, unread. Now an older program file in a folder that is not the machine's
(``commands._machine_program``'s place rule) is read by its ``#!`` line, read once per file
state when its folder is listed: a line with more words than an interpreter and its one
option is read in full, a Python's as that Python's start (once per interpreter line and
environment), an interpreter's alone (node, bash, perl) not at all unless the start's
environment sets a variable that interpreter reads; a native program is not read.

The real proofs wait until the file is older than a kernel start (``_older_than_a_start``),
then start a real kernel: without Warden the package installs from the local index, with
Warden the start is refused before anything is fetched. The ordinary folders (venvs, pipx,
node_modules/.bin, nvm-, conda-like bins, pyenv shims, native tools), older and first on PATH,
refuse nothing.
"""

import gzip
import os
import shutil
import sys
import time

import pytest
from launched import installed, system_cell
from real_uv import real_uv

# bin/gzip's `#!` line starts the installer itself (env -S splits it): tar runs it by name
SH_C = (
    "#!/usr/bin/env -S sh -c 'uv pip install -q --no-config --no-cache --target {target} "
    "--index-url {index} warden-demo-pkg'\nexit 0\n"
)
# a PEP 723 script: `uv run --script` installs its dependency from the index it names
UV_RUN = (
    "#!/usr/bin/env -S uv run --no-cache --script\n# /// script\n"
    '# dependencies = ["warden-demo-pkg"]\n# [tool.uv]\n# index-url = "{index}"\n# ///\n'
    "import warden_demo_pkg\n"
)
PATH_FIRST = 'import os\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'


def _older_than_a_start(path) -> None:
    """Wait until a process started now begins more than a second after ``path`` changed (the
    rule's margin, and /proc's boot time is whole seconds): a precondition on the clock."""
    changed = max(os.stat(path).st_ctime, os.lstat(path).st_ctime)
    while time.time() < changed + 2.5:
        time.sleep(0.05)


def _gzip(kernel, text: str):
    """``bin/gzip`` in the kernel's folder holding ``text``, older than the kernel's start, with
    the file tar packs."""
    installed("tar")
    (kernel.work / "bin").mkdir(exist_ok=True)
    path = kernel.work / "bin" / "gzip"
    path.write_text(text.format(target=kernel.target, index=kernel.index.simple))
    path.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "a.gz").write_bytes(gzip.compress(b"hello\n"))
    _older_than_a_start(kernel.work / "bin")
    _older_than_a_start(path)
    return path


# the PATH written out (a `$PATH` expansion on the line is refused for what it is)
LINE_PATH = system_cell(f"PATH=bin:{os.path.dirname(real_uv())}:/usr/bin:/bin tar czf o.tgz a.txt")
CELL_PATH = PATH_FIRST + "import subprocess\nsubprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_an_older_gzip_whose_line_starts_an_installer_is_read(kernel, cell):
    """``#!/usr/bin/env -S sh -c 'uv pip install ...'``: installs without Warden, refused with
    it, for a PATH the line gives (the reading's) and one the cell sets (the gate's)."""
    _gzip(kernel, SH_C)
    refused = kernel.proves(cell)
    assert "gzip" in refused, refused


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_an_older_uv_run_script_named_gzip_is_read(kernel, cell):
    """``#!/usr/bin/env -S uv run --script``: its PEP 723 index is fetched from without Warden;
    with it, nothing is fetched and the start is refused."""
    _gzip(kernel, UV_RUN)
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    assert guarded["refused"] and kernel.index.requests == [], guarded
    assert "gzip" in guarded["refused"], guarded
