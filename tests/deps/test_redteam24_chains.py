"""Red team 24 R24-2: places are resolved as the kernel resolves them, links and ``..`` in order.

``_link_names`` folded a PATH link's ``..`` as text (``pbin/gzip -> W/lnk/../lib/gz.pl`` was
taken to lead to W/lib/gz.pl), while the kernel resolves ``lnk`` first and reads ``..`` from
where it leads; and the links a chain passes through were no places, so a writer on the line
that re-pointed one (``ln -sfn far2/x lnk``) moved gzip to a file nobody compared. The same
text folding placed a writer's own ``sub/../lib/gz.pl`` beside sub, not beside its target, and
a link on a PATH folder's own way (``W/tools -> good``) was no place either. Now every place
is walked component by component (``link_walk``): each link on the way is a place, ``..``
follows the link before it.

Each proof runs for real: without Warden tar runs the payload as gzip and the package lands;
with Warden the line is refused and the index sees no request.
"""

import os

import pytest
from launched import installed, system_call
from test_redteam19_path import _payload

from jupyterlab_warden.kernel.guard.installs import commands, link_walk

SETUP = (
    "import os, shutil, tempfile\n"
    "work = os.getcwd()\n"
    "pbin = tempfile.mkdtemp()\n"
    "for old in ('lnk', 'sub', 'tools'):\n"
    "    if os.path.lexists(old):\n"
    "        os.remove(old)\n"
    "for old in ('far', 'far2', 'good', 'evil'):\n"
    "    shutil.rmtree(old, ignore_errors=True)\n"
    "for folder in ('far/x', 'far/lib', 'far2/x', 'far2/lib', 'good/bin', 'evil/bin'):\n"
    "    os.makedirs(folder)\n"
)
PATH_FIRST = "os.environ['PATH'] = pbin + ':' + os.environ['PATH']\n"


def test_repointing_a_link_a_path_program_passes_through_is_a_write_of_it(kernel):
    """pbin/gzip -> W/lnk/../lib/gz.pl, lnk -> far/x: gzip is far/lib/gz.pl (nothing there).
    far2/lib/gz.pl is the payload; ``ln -sfn far2/x lnk`` makes it gzip on the line."""
    for program in ("ln", "tar", "perl"):
        installed(program)
    _payload(kernel)
    code = (
        SETUP
        + (
            "os.symlink('far/x', 'lnk')\n"
            "os.symlink(work + '/lnk/../lib/gz.pl', pbin + '/gzip')\n"
            "shutil.copy('payload.pl', 'far2/lib/gz.pl')\n"
            "os.chmod('far2/lib/gz.pl', 0o755)\n"
        )
        + PATH_FIRST
        + system_call("ln -sfn far2/x lnk && tar czf o.tgz a.txt")
    )
    refused = kernel.proves(code)
    assert "an earlier command on the line (ln" in refused, refused
    assert "where a link in" in refused, refused


def test_a_writers_dotdot_after_a_link_is_placed_beside_the_links_target(kernel):
    """pbin/gzip -> W/far/lib/gz.pl (nothing there yet), sub -> far/x: ``sub/../lib/gz.pl`` is
    far/lib/gz.pl to the kernel, W/lib/gz.pl to the text."""
    for program in ("cp", "chmod", "tar", "perl"):
        installed(program)
    _payload(kernel)
    code = (
        SETUP
        + ("os.symlink('far/x', 'sub')\nos.symlink(work + '/far/lib/gz.pl', pbin + '/gzip')\n")
        + PATH_FIRST
        + system_call(
            "cp payload.pl sub/../lib/gz.pl && chmod +x sub/../lib/gz.pl && tar czf o.tgz a.txt"
        )
    )
    refused = kernel.proves(code)
    assert "an earlier command on the line (cp" in refused, refused


def test_repointing_a_link_on_a_path_folders_way_moves_the_folder(kernel):
    """PATH's first folder is W/tools/bin, tools -> good; evil/bin/gzip is the payload, and
    ``ln -sfn evil tools`` makes it the PATH's gzip on the line (refused before too: ln's
    place was read as a tree holding the folder; the next test is the rule itself)."""
    for program in ("ln", "tar", "perl"):
        installed(program)
    _payload(kernel)
    code = (
        SETUP
        + (
            "os.symlink('good', 'tools')\n"
            "shutil.copy('payload.pl', 'evil/bin/gzip')\n"
            "os.chmod('evil/bin/gzip', 0o755)\n"
            "os.environ['PATH'] = work + '/tools/bin:' + os.environ['PATH']\n"
        )
        + system_call("ln -sfn evil tools && tar czf o.tgz a.txt")
    )
    refused = kernel.proves(code)
    assert "an earlier command on the line (ln" in refused, refused


def test_a_link_on_a_path_folders_way_is_a_place_of_the_folder(tmp_path):
    """A write of the link itself (not under it) moves the folder: the link is a place."""
    (tmp_path / "good" / "bin").mkdir(parents=True)
    (tmp_path / "tools").symlink_to("good")
    search = commands._SearchFolders([str(tmp_path / "tools" / "bin")])
    found = search.written(str(tmp_path / "tools"), False)
    assert found is not None and found[0] == str(tmp_path / "tools" / "bin"), found
    assert search.written(str(tmp_path / "notes.txt"), False) is None


@pytest.mark.parametrize(
    "line",
    [
        "ln -sfn far2/x lnk && tar czf o.tgz a.txt",  # lnk leads nowhere a PATH file does
        "cp a.txt sub/../lib/notes.txt && tar czf o.tgz a.txt",
    ],
)
def test_ordinary_links_and_dotdot_writes_stay_allowed(kernel, line):
    """With gzip a plain program and no PATH link through the work folder, the same writers
    write nothing tar runs: the line runs."""
    installed("tar")
    code = SETUP + "os.symlink('far/x', 'lnk')\nos.symlink('far/x', 'sub')\n" + system_call(line)
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_the_walk_reads_dotdot_after_the_link_before_it(tmp_path):
    (tmp_path / "far" / "x").mkdir(parents=True)
    (tmp_path / "lnk").symlink_to("far/x")
    (tmp_path / "gzip").symlink_to(str(tmp_path / "lnk" / ".." / "lib" / "gz.pl"))
    walked = link_walk.walk(str(tmp_path / "gzip"))
    assert walked.links == [str(tmp_path / "gzip"), str(tmp_path / "lnk")]
    assert walked.end == str(tmp_path / "far" / "lib" / "gz.pl")
    assert walked.end == os.path.realpath(tmp_path / "gzip")
    assert link_walk.physical(str(tmp_path / "lnk" / ".." / "y")) == str(tmp_path / "far" / "y")
    # the last name is the writer's own: a link there is replaced, not followed
    assert link_walk.physical(str(tmp_path / "lnk")) == str(tmp_path / "lnk")
    assert commands._link_names(str(tmp_path / "gzip"))[-2:] == walked.links[-1:] + [walked.end]


def test_the_walk_stops_at_the_kernels_link_limit(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    walked = link_walk.walk(str(tmp_path / "a"))
    assert len(walked.links) == link_walk.MAX_LINKS + 1
