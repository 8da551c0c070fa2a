"""Neighbours of red team 41a R41a-2: a local page's links as pip resolves them.

``sources._pip_links`` reads a local find-links or index page with ``html.parser`` as pip
(23.2) does: the first ``<base href>``, every anchor's ``href`` joined to it and unquoted.
A wheel link is read wherever it lands (``local_wheels.add_offered``, with its PEP 658
``.metadata`` sidecar, which pip resolves the wheel's dependencies from); a link to another
host is decided as a source; a wheel link Warden cannot place on a file is refused.
"""

from pathlib import Path

from local_index import build_wheel
from test_fix45local_neighbours import EVIL, _texts
from test_redteam41a_page_links import _cell

from jupyterlab_warden.kernel.guard.installs import sources
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source

WHEEL = "proj-1.0-py3-none-any.whl"


def _read(tmp_path: Path, page: str) -> InstallRequest:
    (tmp_path / "w").mkdir(exist_ok=True)
    (tmp_path / "w" / "index.html").write_text(page)
    request = InstallRequest("pip", "pip install proj")
    request.sources.append(Source("./w", "find-links", "command line"))
    sources.read_local_pages(request, str(tmp_path))
    return request


def test_a_base_on_another_host_makes_the_links_remote_sources(tmp_path):
    request = _read(tmp_path, f'<base href="https://evil.example/x/"><a href="{WHEEL}">p</a>')
    urls = [s.url for s in request.sources]
    assert f"https://evil.example/x/{WHEEL}" in urls, urls


def test_a_relative_base_is_refused(tmp_path):
    request = _read(tmp_path, f'<base href="../hidden/"><a href="{WHEEL}">p</a>')
    assert request.problems and "relative to a base" in request.problems[0], request.problems


def test_a_wheel_link_on_no_file_is_refused(tmp_path):
    request = _read(tmp_path, '<a href="../gone/proj-1.0-py3-none-any.whl">p</a>')
    assert request.problems and "cannot place on a file" in request.problems[0], request.problems


def test_a_character_reference_in_a_link_is_read_as_pip_reads_it(tmp_path):
    build_wheel(tmp_path / "hidden", "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n")
    request = _read(tmp_path, '<a href="../hidden/proj-1.0-py3-none-any&#46;whl">p</a>')
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)


def test_a_wheel_s_metadata_sidecar_is_decided(tmp_path):
    build_wheel(tmp_path / "hidden", "proj", body="")
    (tmp_path / "hidden" / f"{WHEEL}.metadata").write_text(
        f"Metadata-Version: 2.1\nName: proj\nVersion: 1.0\nRequires-Dist: evil @ {EVIL}\n"
    )
    page = f'<a href="../hidden/{WHEEL}" data-dist-info-metadata="true">p</a>'
    request = _read(tmp_path, page)
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)


def test_an_ordinary_page_adds_no_problem(tmp_path):
    build_wheel(tmp_path / "w", "proj", body="", requires="Requires-Dist: numpy>=1\n")
    request = _read(tmp_path, f'<html><body><a href="{WHEEL}#sha256=00">{WHEEL}</a></body>')
    assert request.problems == [] and "numpy>=1" in _texts(request), request.problems


def test_a_metadata_sidecar_pip_resolves_with_is_refused(kernel):
    """pip resolves a wheel link carrying ``data-dist-info-metadata`` with the sidecar's
    Requires-Dist (PEP 658), not the wheel's: proves itself, refused with Warden."""
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    build_wheel(kernel.work / "hidden", "proj", body="")
    (kernel.work / "hidden" / f"{WHEEL}.metadata").write_text(
        f"Metadata-Version: 2.1\nName: proj\nVersion: 1.0\nRequires-Dist: warden-demo-pkg @ {url}\n"
    )
    (kernel.work / "w").mkdir()
    page = f'<a href="../hidden/{WHEEL}" data-dist-info-metadata="true">{WHEEL}</a>'
    (kernel.work / "w" / "index.html").write_text(page)
    code = _cell("--no-index --find-links ./w")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # proves itself
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.index.requests and not kernel.installed(), guarded
