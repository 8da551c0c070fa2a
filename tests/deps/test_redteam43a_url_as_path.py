"""Red team 43a R43a-5: a trusted index URL that is also a path in the working folder.

pip 23.2 (``index.sources.build_source``) tests EVERY location, index URLs and find-links
alike, with ``os.path.exists(location)`` before it looks at its scheme. The index location of
a project is ``<index>/<name>/`` (``SearchScope.get_index_urls_locations``), so
``https://pypi.org/simple/proj/`` is, to the file system, the relative path
``https:/pypi.org/simple/proj/`` (``//`` is one separator): when the cell made that folder in
pip's working folder, pip takes the index as a LOCAL index folder (``_IndexDirectorySource``)
and never asks the server. The page it reads there (``index.html``) is a local page, whose
``file:`` links ``pip_links.admitted`` lets through as "read before pip started"; Warden
never read it: ``sources.read_local_pages`` skips every location with ``://`` that is not
``file:``. The wheel the page links is installed unread (here one carrying what R34-4 refuses
in a local wheel: a top-level ``.pth`` a later Python start runs before its guard; a
``Requires-Dist: x @ URL`` on a refused host would do as well).

Both the policy's own index (the test index, trusted) and the default one (PyPI, trusted by
default: the install asks no server at all) are shown. The control: the same folder given
as ``--find-links`` is read and refused. FAILS today.
"""

import sys
from urllib.parse import urlsplit

from listed_release import write_policy
from local_index import build_wheel

WHEEL = "warden_demo_pkg-1.0-py3-none-any.whl"
PTH = {"warden_demo_pkg.pth": "import os; open('MARKER', 'w').close()\n"}


def _shadow(kernel, index_url: str):
    """The project's index location made a folder under the working folder: its page links
    the wheel beside it (a ``file:`` link once pip resolves it against the page)."""
    parts = urlsplit(index_url)
    folder = kernel.work / f"{parts.scheme}:" / parts.netloc / parts.path.strip("/")
    folder = folder / "warden-demo-pkg"
    folder.mkdir(parents=True)
    _wheel_as_demo(folder)
    (folder / "index.html").write_text(f'<a href="{WHEEL}">{WHEEL}</a>\n')
    return folder


def _wheel_as_demo(folder):
    """A warden-demo-pkg 1.0 wheel in ``folder`` carrying a start-up ``.pth``."""
    return build_wheel(folder, "warden-demo-pkg", body="", extra=PTH)


def _cell(*words: str) -> str:
    argv = [sys.executable, "-m", "pip", "install", "-q", "--isolated",
            "--disable-pip-version-check", "--no-cache-dir", "--target", "{target}", *words,
            "warden-demo-pkg"]  # fmt: skip
    return f"import os, shlex\nos.system(shlex.join({argv!r}))\n"


def _pth(kernel) -> bool:
    return (kernel.target / "warden_demo_pkg.pth").exists()


def _proves_pth(kernel, code: str) -> None:
    """Without Warden ``code`` installs the wheel carrying the ``.pth``; with Warden it does
    not."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert _pth(kernel), plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not _pth(kernel), ("installed under Warden", guarded)


def test_control_the_same_folder_as_find_links_is_read_and_refused(kernel):
    write_policy(kernel)
    folder = _shadow(kernel, kernel.index.simple)
    kernel.reset()
    code = _cell("--no-index", "--find-links", str(folder))
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and "warden_demo_pkg.pth" in guarded["refused"], guarded
    assert not _pth(kernel)


def test_the_trusted_index_url_shadowed_by_a_local_folder(kernel):
    write_policy(kernel)
    _shadow(kernel, kernel.index.simple)
    code = _cell("--index-url", kernel.index.simple)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert _pth(kernel) and not kernel.index.requests, plain  # the index was never asked
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not _pth(kernel), ("installed under Warden", guarded)


def test_pypi_shadowed_by_a_local_folder_with_the_default_policy(kernel):
    _shadow(kernel, "https://pypi.org/simple")
    code = _cell("--index-url", "https://pypi.org/simple")
    _proves_pth(kernel, code)


def test_a_file_url_find_links_that_is_also_a_relative_folder(kernel):
    """The same rule for ``file:``: ``--find-links file:w`` is the folder ``./file:w`` to pip
    when it exists (its exists test comes first), ``./w`` to Warden
    (``sources._local_paths``: urlsplit's path)."""
    _wheel_as_demo(_folder(kernel.work / "file:w"))
    code = _cell("--no-index", "--find-links", "file:w")
    _proves_pth(kernel, code)


def _folder(path):
    path.mkdir(parents=True)
    return path


def test_uv_reads_a_file_url_without_slashes_from_the_root(kernel):
    """uv (0.13.9, a WHATWG URL parser) takes ``file:tmp/x`` as ``file:///tmp/x``: the folder
    ``/tmp/x``. Warden (``sources._local_paths``: ``urlsplit(...).path`` joined to the working
    folder) reads ``<cwd>/tmp/x`` (nothing there: passed over). uv runs no guard of its own.
    (pip reads ``<cwd>/tmp/x``: Warden must read both.)"""
    from test_redteam43a_local_reads import PTH as PROJ_PTH

    build_wheel(_folder(kernel.work / "w"), "proj", body="", extra=PROJ_PTH)
    rootless = "file:" + str(kernel.work / "w").lstrip("/")
    code = "import os, sys, shlex\nos.system(shlex.join(['{uv}', 'pip', 'install', '-q', "
    code += "'--no-config', '--python', sys.executable, '--target', '{target}', '--no-index', "
    code += f"'--find-links', {rootless!r}, 'proj']))\n"
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert (kernel.target / "proj.pth").exists(), plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not (kernel.target / "proj.pth").exists(), ("installed under Warden", guarded)
