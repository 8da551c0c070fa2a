"""Red team 41a R41a-2: a local find-links/index page's links resolved otherwise than pip does.

R40b-2 reads every wheel a local find-links folder or local index holds or links to
(``sources.read_local_pages`` -> ``_local_wheel_link`` -> ``local_wheels.add_offered``): its
``Requires-Dist`` is decided. But ``_local_wheel_link`` resolves a page's link by itself:
joined to the page's folder, and only when the raw text ends in ``.whl``. pip (23.2) resolves
it as a browser does:

* ``<base href="file:///elsewhere/">`` on the page: pip joins every link to it
  (``collector.HTMLLinkParser.base_url``); Warden joins to the page's folder, finds no file
  there, and reads nothing;
* a percent-encoded name (``proj-1.0-py3-none-any%2Ewhl``): pip unquotes it
  (``_clean_link``, ``Link.filename``) and takes the wheel; Warden's text test sees no
  ``.whl`` and reads nothing.

The wheel lies outside the folder walk's reach (two levels down, or beside it), so nothing
else reads it; its ``Requires-Dist: warden-demo-pkg @ <test index>`` is fetched by pip.
FAILS today (installs under Warden).
"""

import pytest
from local_index import build_wheel

WHEEL = "proj-1.0-py3-none-any.whl"
PAGES = {
    "base href": '<base href="file://{work}/hidden/"><a href="{wheel}">{wheel}</a>',
    "percent-encoded name": '<a href="../hidden/{quoted}">{wheel}</a>',
}


def _folders(kernel, page: str, requires: str) -> None:
    """./hidden/proj-1.0-py3-none-any.whl, ./w/index.html a find-links page linking to it, and
    ./simple/proj/index.html a local index page linking the same way."""
    build_wheel(kernel.work / "hidden", "proj", body="", requires=requires)
    quoted = WHEEL.replace(".whl", "%2Ewhl")
    text = page.format(work=kernel.work, wheel=WHEEL, quoted=quoted)
    (kernel.work / "w").mkdir()
    (kernel.work / "w" / "index.html").write_text(text)
    index = kernel.work / "simple" / "proj"
    index.mkdir(parents=True)
    (index / "index.html").write_text(text.replace("../hidden/", "../../hidden/"))


def _cell(options: str) -> str:
    line = f" -m pip install -q --target {{target}} {options} proj"
    return f"import os, sys\nos.system(sys.executable + {line!r})\n"


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("options", ["--no-index --find-links ./w", "--index-url ./simple"])
def test_a_local_page_link_pip_resolves_otherwise(kernel, page, options):
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    _folders(kernel, PAGES[page], f"Requires-Dist: warden-demo-pkg @ {url}\n")
    code = _cell(options)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # proves itself
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_the_same_link_written_plainly_is_read(kernel):
    """The control: ``../hidden/proj-1.0-py3-none-any.whl`` as written is read (refused)."""
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    requires = f"Requires-Dist: warden-demo-pkg @ {url}\n"
    _folders(kernel, '<a href="../hidden/{wheel}">{wheel}</a>', requires)
    refused = kernel.proves(_cell("--no-index --find-links ./w"))
    assert "proj-1.0" in refused, refused


@pytest.mark.parametrize("page", sorted(PAGES))
def test_such_a_page_without_downloads_installs(kernel, page):
    """The ordinary form: the same pages offering a wheel with no dependency install."""
    _folders(kernel, PAGES[page], "")
    guarded = kernel.cell(_cell("--no-index --find-links ./w"), launched=True)
    assert guarded["refused"] is None and kernel.installed("proj_mod"), guarded
