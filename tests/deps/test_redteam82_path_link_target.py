"""R82-5 (red team 82): a PATH link to a program in another folder (``bin/gzip ->
../lib/gzip``, lib not on PATH) was checked only when its own folder was listed again (the
folder's times changed). Replacing the TARGET by a rename in lib (``os.replace('lib/new',
'lib/gzip')``) changes neither bin's times nor the link, so the new target (a program that
installs) ran unread when a later start ran the link's name (tar runs gzip).

The fix (``path_programs._listed``): a link to an older program file whose way leaves its
folder is kept, with its target's state, under each folder its steps lead through (``lib``),
and each start ``stat``s those folders (one call a folder, however many links: a
node_modules/.bin); when one changed (a rename in it, the folder swapped) its links are
``stat``ed through, and a replaced target is read as a new program file is. A link
whose every step is in the machine's folders (root's files in root's unchanged folders:
/usr/bin/gzip, /usr/bin/awk -> /etc/alternatives/awk) is not kept: it is not the cell's to
replace.

The proof: without Warden the replaced target installs from the local index; with Warden the
start is refused before anything is fetched (on land82 it installed: the hole). Then the
ordinary lines: an unchanged link into a user folder runs; machine links and user links are
told apart when the folder is listed."""

import os
import shutil
import sys

import pytest
from launched import installed
from real_uv import real_uv
from test_age81_old_path_programs import PATH_FIRST, _older_than_a_start
from test_redteam18_path import PERL

from jupyterlab_warden.kernel.guard.installs import path_programs


def _linked_gzip(kernel) -> None:
    """``bin/gzip -> ../lib/gzip``, lib/gzip the machine's gzip copied, all older than a
    kernel start (so bin's listing is kept and the link counts as an older program)."""
    installed("tar")
    work = kernel.work
    (work / "bin").mkdir(exist_ok=True)
    (work / "lib").mkdir(exist_ok=True)
    shutil.copy(installed("gzip"), work / "lib" / "gzip.tmp")
    os.replace(work / "lib" / "gzip.tmp", work / "lib" / "gzip")
    if not (work / "bin" / "gzip").is_symlink():
        (work / "bin" / "gzip").symlink_to("../lib/gzip")
    (work / "a.txt").write_text("a\n")
    for path in (work / "lib" / "gzip", work / "lib", work / "bin" / "gzip", work / "bin"):
        _older_than_a_start(path)


def _payload(kernel) -> str:
    """The new target: red team 18's perl program that installs (the installer's name built
    from pieces), then runs the real gzip."""
    installed("perl")
    text = PERL.format(py=sys.executable, target=kernel.target, index=kernel.index.simple)
    return text.replace("exit 0;", f"exec({installed('gzip')!r}, @ARGV);")


REPLACE = """with open('lib/new', 'w') as fh:
    fh.write({payload!r})
os.chmod('lib/new', 0o755)
os.replace('lib/new', 'lib/gzip')  # bin's times and the link unchanged
"""
LINE_PATH = f"bin:{os.path.dirname(real_uv())}:/usr/bin:/bin"


def _cells(payload: str) -> dict:
    replace = REPLACE.format(payload=payload)
    return {
        # the gate: os.environ's PATH starts with bin, tar started by subprocess
        "cell": PATH_FIRST
        + "import subprocess\nsubprocess.run(['true'], check=True)  # bin listed\n"
        + replace
        + "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n",
        # the shell line's reading: the line's own PATH starts with bin
        "line": "import os\n"
        + f"os.system('PATH={LINE_PATH} true')  # bin listed\n"
        + replace
        + f"os.system('PATH={LINE_PATH} tar czf o.tgz a.txt')\n",
    }


@pytest.mark.parametrize("form", ["cell", "line"])
def test_a_replaced_link_target_is_read(kernel, form):
    """Installs without Warden; with Warden the start running gzip is refused, naming it."""
    cell = _cells(_payload(kernel))[form]
    # lib/gzip the machine's gzip again before each run, older than the next start
    assert "gzip" in kernel.proves(cell, prepare=lambda: _linked_gzip(kernel))


# -- no false refusals -------------------------------------------------------------------------
UNCHANGED = (
    PATH_FIRST
    + """import subprocess
for i in range(3):
    subprocess.run(['true'], check=True)
    assert subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt']).returncode == 0
    assert os.system('gzip --version >/dev/null') == 0
assert os.system('PATH=bin:/usr/bin:/bin tar czf p.tgz a.txt') == 0
"""
)


def test_an_unchanged_link_into_a_user_folder_runs(kernel):
    """The link kept and checked at each start, its target unchanged: nothing is refused."""
    _linked_gzip(kernel)
    result = kernel.cell(UNCHANGED, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "o.tgz").exists() and (kernel.work / "p.tgz").exists(), result


def test_machine_links_are_not_kept_user_links_are(tmp_path, monkeypatch):
    """What a listing keeps to check at each start: links whose way leads through a folder
    the cell can write (its lib, a folder link in it, a link to a link), not links whose
    every step is the machine's (/usr/bin/gzip; /usr/bin/awk -> /etc/alternatives/awk)."""
    gzip = installed("gzip")
    bin_, lib, links = tmp_path / "bin", tmp_path / "lib", tmp_path / "links"
    for folder in (bin_, lib, links):
        folder.mkdir()
    shutil.copy(gzip, lib / "gzip")
    (links / "machine").symlink_to(os.path.dirname(os.path.realpath(gzip)))
    (bin_ / "user").symlink_to("../lib/gzip")
    (bin_ / "via-folder-link").symlink_to("../links/machine/gzip")  # links/machine replaceable
    (bin_ / "to-a-link").symlink_to("user")  # in bin, then into lib
    (bin_ / "machine").symlink_to(gzip)
    (bin_ / "same-folder").symlink_to("machine")
    chained = [
        path
        for path in ("/usr/bin/awk", "/usr/bin/editor", "/usr/bin/pager")
        if os.path.islink(path) and "/alternatives/" in os.readlink(path)
    ]
    assert chained, "an /etc/alternatives link is needed (Debian's awk)"
    (bin_ / "alternative").symlink_to(chained[0])
    monkeypatch.setattr(path_programs, "_started", os.stat(tmp_path).st_ctime + 60)
    ways = path_programs._listed(str(bin_))[3]
    kept = {os.path.basename(path) for way in ways for path, _ in way[2]}
    assert kept == {"user", "via-folder-link", "to-a-link"}, kept
    # checked per start: the folders they lead through, each once (lib, links/machine)
    assert sorted(os.path.realpath(way[0]) for way in ways) == sorted(
        [str(lib), os.path.dirname(os.path.realpath(gzip))]
    ), ways
