"""Red team 42a R42a-1: a local index's project folder that is a link is never read.

``sources.read_local_pages`` walks a local index or find-links folder with ``os.walk`` to find
the pages pip reads (``NAME/index.html`` for a local ``--index-url``) and the wheels offered.
``os.walk`` does not enter a folder that is a symbolic link (``followlinks=False``: it is
listed among the folders, never walked). pip (23.2) asks ``<index>/<name>/`` for the project
and, since that is a folder (through the link), reads its ``index.html``
(``collector._get_index_content``), whose links it downloads from.

The cell writes ``./simple/warden-demo-pkg`` as a link to ``./pages`` holding an
``index.html`` that links to a host the policy does not trust (the test index, which the
kernel's policy does not list) and runs
``python -m pip install --index-url ./simple warden-demo-pkg``. No page of the project is
read, so the host is never decided: pip fetches the wheel from it. The same page in a real
folder is refused (the control). FAILS today (installs under Warden).
"""

import hashlib
import os

from local_index import build_wheel


def _index(kernel, linked: bool) -> None:
    wheel = kernel.index.files["warden_demo_pkg-1.0-py3-none-any.whl"]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    url = f"{kernel.index.base}/files/{wheel.name}#sha256={digest}"
    page = f'<html><body><a href="{url}">{wheel.name}</a></body></html>'
    simple = kernel.work / "simple"
    if linked:
        (kernel.work / "pages").mkdir(exist_ok=True)
        (kernel.work / "pages" / "index.html").write_text(page)
        simple.mkdir(exist_ok=True)
        os.symlink(kernel.work / "pages", simple / "warden-demo-pkg")
    else:
        (simple / "warden-demo-pkg").mkdir(parents=True, exist_ok=True)
        (simple / "warden-demo-pkg" / "index.html").write_text(page)


CELL = (
    "import os, sys\n"
    "os.system(sys.executable + ' -m pip install -q --target {target} --index-url ./simple "
    "warden-demo-pkg')\n"
)


def test_a_linked_project_folder_of_a_local_index_sends_pip_to_a_refused_host(kernel):
    _index(kernel, linked=True)
    kernel.kept_from_refused_host(CELL)


def test_the_same_page_in_a_plain_folder_is_refused(kernel):
    """The control: the page itself, in a real folder, is read and its host refused."""
    _index(kernel, linked=False)
    kernel.reset()
    guarded = kernel.cell(CELL, launched=True)
    assert not kernel.index.requests and not kernel.installed(), guarded


# R42a-3: the index path `./lnk/../simple`, `lnk` a link to `./a/b`. pip (23.2
# `sources.build_source`) checks that `<index>/<name>/` exists through the file system (the
# link's `..` is `./a`), then turns it into its page URL with `path_to_url`, which folds the
# `..` by its text (`os.path.normpath(os.path.abspath(...))`: `./simple/<name>/`), and reads
# THAT folder's index.html. Warden walks the path as the file system resolves it (`./a/simple`,
# a harmless page) and never reads `./simple/<name>/index.html`. FAILS today.
CELL_DOTDOT = CELL.replace("--index-url ./simple", "--index-url ./lnk/../simple")


def _decoy(kernel) -> None:
    """./simple/warden-demo-pkg/index.html links the refused host (``_index``); ./lnk is a
    link to ./a/b, and ./a/simple/warden-demo-pkg/index.html is an empty page."""
    _index(kernel, linked=False)
    decoy = kernel.work / "a" / "simple" / "warden-demo-pkg"
    decoy.mkdir(parents=True)
    (decoy / "index.html").write_text("<html><body></body></html>")
    (kernel.work / "a" / "b").mkdir()
    os.symlink(kernel.work / "a" / "b", kernel.work / "lnk")


def test_an_index_path_through_a_link_and_dotdot_is_read_as_pip_reads_it(kernel):
    _decoy(kernel)
    kernel.kept_from_refused_host(CELL_DOTDOT)


# R42a-3's neighbour, the same root cause for a wheel named by its path:
# `pip install ./lnk/../proj-1.0-py3-none-any.whl`. pip (23.2 `constructors._get_url_from_path`)
# checks the file through the file system (`./a/proj-...whl`, the decoy) and installs the
# `path_to_url` of its text-folded path (`./proj-...whl`); Warden (`local_projects._paths`,
# `os.path.realpath`) reads the decoy. FAILS today.
WHEEL = "proj-1.0-py3-none-any.whl"


def test_a_wheel_path_through_a_link_and_dotdot_is_read_as_pip_installs_it(kernel):
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    requires = f"Requires-Dist: warden-demo-pkg @ {url}\n"
    build_wheel(kernel.work, "proj", body="", requires=requires)
    build_wheel(kernel.work / "a", "proj", body="")  # the decoy Warden reads
    (kernel.work / "a" / "b").mkdir()
    os.symlink(kernel.work / "a" / "b", kernel.work / "lnk")
    line = f" -m pip install -q --target {{target}} --no-index ./lnk/../{WHEEL}"
    code = f"import os, sys\nos.system(sys.executable + {line!r})\n"
    kernel.kept_from_refused_host(code)


# R42a-6: a wheel named by a link whose target's name is not `*.whl`:
# `pip install ./proj-1.0-py3-none-any.whl`, that name a link to `./blob`. pip takes the name
# it was given (an archive by its name, opened through the link); Warden's `local_projects.
# wheels` tests the suffix of the RESOLVED path (`os.path.realpath`: `.../blob`), finds no
# wheel and reads nothing. FAILS today.
def test_a_wheel_link_to_a_file_not_named_whl_is_read(kernel):
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    requires = f"Requires-Dist: warden-demo-pkg @ {url}\n"
    build_wheel(kernel.work / "kit", "proj", body="", requires=requires)
    os.rename(kernel.work / "kit" / WHEEL, kernel.work / "blob")
    os.symlink("blob", kernel.work / WHEEL)
    line = f" -m pip install -q --target {{target}} --no-index ./{WHEEL}"
    code = f"import os, sys\nos.system(sys.executable + {line!r})\n"
    kernel.kept_from_refused_host(code)
