"""Red team 40b R40b-2: a wheel in a LOCAL find-links folder (or local index) is read for its
start-up code only, not for its ``Requires-Dist``.

``pip install ./proj-1.0-py3-none-any.whl`` opens the wheel and decides each ``Requires-Dist``
(red8 R8-16: ``warden-demo-pkg @ URL`` is a direct reference to a refused host). The same wheel
reached through ``--find-links ./w`` (``sources.read_local_pages`` ->
``_check_local_wheels``) is only checked by ``local_wheels.check_start_code`` (R34-4), so
``pip install --no-index --find-links ./w proj`` is decided as the name ``proj`` from a local
folder, in the kernel and again in pip's own guard, and pip then downloads the direct
reference from the refused test index. (uv refuses a URL dependency of a registry package on
its own; pip takes it.) FAILS today (installs with Warden).
"""

import pytest
from local_index import build_wheel

LINES = {
    "find-links folder": "--no-index --find-links ./w",
    "find-links file URL": "--no-index --find-links file://{work}/w",
    "find-links wheel file": "--no-index --find-links ./w/proj-1.0-py3-none-any.whl",
    "local index folder": "--index-url ./simple",
}


def _folders(kernel, requires: str) -> None:
    """./w/proj-1.0-py3-none-any.whl, and ./simple/proj/ a local index page linking to it."""
    build_wheel(kernel.work / "w", "proj", body="", requires=requires)
    page = kernel.work / "simple" / "proj" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text('<a href="../../w/proj-1.0-py3-none-any.whl">proj-1.0-py3-none-any.whl</a>')


def _cell(kernel, options: str) -> str:
    options = options.replace("{work}", str(kernel.work))
    line = f" -m pip install -q --target {{target}} {options} proj"
    return f"import os, sys\nos.system(sys.executable + {line!r})\n"


@pytest.mark.parametrize("case", sorted(LINES))
def test_a_local_find_links_wheel_s_direct_reference_is_decided(kernel, case):
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    _folders(kernel, f"Requires-Dist: warden-demo-pkg @ {url}\n")
    code = _cell(kernel, LINES[case])
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # proves itself
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_a_local_find_links_wheel_without_downloads_installs(kernel):
    """The ordinary form: a folder of wheels with plain dependencies installs under Warden."""
    _folders(kernel, "")
    guarded = kernel.cell(_cell(kernel, LINES["find-links folder"]), launched=True)
    assert guarded["refused"] is None and kernel.installed("proj_mod"), guarded
