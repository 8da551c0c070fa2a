"""Red team 43a R43a-1: a trusted mirror's wheel depends on a URL on a refused host.

R42a-2 decides every link pip parses from a page (``pip_links.links_wrapper``) and where a
redirect takes a download (``pip_links.download_wrapper``), on the belief that the URL a
download asks for "a page or the command line decided". A third source of URLs is neither: a
wheel's own ``Requires-Dist: NAME @ URL`` (PEP 508 direct reference). pip 23.2 refuses such a
dependency only when its parent came from PyPI's file host
(``req.constructors.install_req_from_req_string``: ``files.pythonhosted.org`` /
``test-files.pythonhosted.org``); from any other index (the devpi/Nexus mirror an admin
trusts) it downloads the URL through ``_http_get_download`` with no redirect, so nothing is
decided. A local wheel's ``Requires-Dist: x @ URL`` is refused (R8-16, ``local_wheels``);
the same line in a wheel a trusted remote index serves is never read.

The admin's policy trusts a plain-HTTP mirror (``trusted_sources.package_indexes`` and
``tls_unverified_hosts``, as R42a-2's proof). The mirror (the attacker serves what the
local index serves) offers ``wardencarrier`` whose METADATA says ``Requires-Dist:
warden-demo-pkg @ <the test index, a host the policy refuses>/files/...whl``. The cell runs
``pip install --index-url http://MIRROR/simple wardencarrier``: pip installs warden-demo-pkg
from the refused host. The control: the same URL on pip's command line is refused.
FAILS today (installed under Warden).
"""

import hashlib

import pytest
from listed_release import trust_mirror
from local_index import build_wheel, link_page, page_host

CARRIER = "wardencarrier"
WHEEL = f"{CARRIER}-1.0-py3-none-any.whl"


@pytest.fixture()
def mirror(index, tmp_path):
    """The admin's trusted plain-HTTP mirror: /simple/wardencarrier/ links its own wheel,
    which depends on the refused host's warden-demo-pkg."""
    refused = f"{index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    yield from _serve(tmp_path, f"Requires-Dist: warden-demo-pkg @ {refused}\n")


LOCAL_WHEEL = "work/w/warden_demo_pkg-1.0-py3-none-any.whl"


@pytest.fixture()
def mirror_to_file(tmp_path):
    """The same mirror, its wheel depending on a wheel in the notebook's folder (``file:``)."""
    local = tmp_path / LOCAL_WHEEL
    yield from _serve(tmp_path, f"Requires-Dist: warden-demo-pkg @ file://{local}\n")


def _serve(tmp_path, requires: str):
    data = build_wheel(tmp_path, CARRIER, body="", requires=requires).read_bytes()
    digest = hashlib.sha256(data).hexdigest()

    def answer(path, _headers):
        if path.rstrip("/") == f"/simple/{CARRIER}":
            return 200, {"Content-Type": "text/html"}, link_page(WHEEL, digest)
        if path == f"/files/{WHEEL}":
            return 200, {"Content-Type": "application/octet-stream"}, data
        return None

    with page_host(answer) as (host, served):
        yield host, served


def _cell(host: str, words: str) -> str:
    line = (
        f" -m pip install -q --no-cache-dir --target {{target}} --trusted-host {host} "
        f"--index-url http://{host}/simple {words}"
    )
    return f"import os, sys\nos.system(sys.executable + {line!r})\n"


def test_control_the_refused_url_on_the_command_line_is_refused(kernel, mirror):
    host, _served = mirror
    trust_mirror(kernel, host)
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    kernel.reset()
    guarded = kernel.cell(_cell(host, f"'warden-demo-pkg @ {url}'"), launched=True)
    assert guarded["refused"], guarded
    assert not kernel.installed() and not kernel.index.requests, guarded


def test_a_trusted_mirror_wheel_s_requires_dist_url_on_a_refused_host_is_decided(kernel, mirror):
    host, served = mirror
    trust_mirror(kernel, host)
    code = _cell(host, CARRIER)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed(CARRIER) and kernel.installed(), plain
    assert kernel.index.requests, plain  # fetched from the refused host
    kernel.reset()
    served.clear()
    guarded = kernel.cell(code, launched=True)
    assert f"/simple/{CARRIER}/" in served, guarded  # the trusted mirror itself was used
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_a_trusted_mirror_wheel_s_file_url_dependency_is_read(kernel, mirror_to_file):
    """The same hole with a ``file:`` dependency: a wheel the cell wrote, carrying what R34-4
    refuses in a local wheel (a start-up ``.pth``), is installed unread; named on the command
    line it is refused (R34-4)."""
    from test_redteam43a_url_as_path import _proves_pth, _wheel_as_demo

    host, _served = mirror_to_file
    trust_mirror(kernel, host)
    local = kernel.tmp / LOCAL_WHEEL
    _wheel_as_demo(local.parent)
    _proves_pth(kernel, _cell(host, CARRIER))
