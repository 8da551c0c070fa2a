"""Red team 41a R41a-3: pip's cache of wheels built from sdists is an input nothing reads.

The threat model lists pip's caches as open ("its cache of wheels built from sdists is keyed
by the sdist's link and untested"). This is the test. pip (23.2) looks up every sdist link it
picked in ``<cache>/wheels/<sha224 of {url, sha256, interpreter}>/`` and, when a wheel of the
right name and a supported tag is there, installs THAT wheel instead of building the sdist
(``resolution.resolvelib.candidates.LinkCandidate``: "Using cached wheel link"). The key is
computable from public data (the index's sdist URL and hash; for PyPI, any sdist-only
release), so a cell can plant a wheel under it in ``~/.cache/pip`` (a notebook's "setup"
cell). The wheel's ``Requires-Dist: warden-demo-pkg @ <refused index>`` is then fetched by
pip, while the line names only a trusted index and the name ``proj`` (unlike the local
wheels of R40b-2, this one is never read: ``local_wheels`` reads wheels a line or a local
page names, not the installer's caches).

The policy trusts a test server posing as the user's trusted index (serving ``proj``'s sdist
only); the cell plants the wheel and runs ``python -m pip install --index-url TRUSTED proj``
(the harness's ``PIP_NO_CACHE_DIR`` removed: pip's default is to cache). FAILS today.
"""

import hashlib
import http.server
import io
import json
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from local_index import build_wheel

CELL = (
    "import os, shutil, sys\n"
    "os.environ.pop('PIP_NO_CACHE_DIR', None)\n"
    "os.makedirs(CACHED, exist_ok=True)\n"
    "shutil.copy('kit/proj-1.0-py3-none-any.whl', CACHED)\n"
    "os.system(sys.executable + ' -m pip install -q --target {target} --index-url ' + TRUSTED "
    "+ ' proj')\n"
)


def _sdist() -> bytes:
    """proj-1.0.tar.gz: a setuptools project with no dependency (what the trusted index
    really serves; never downloaded when the cache answers)."""
    files = {
        "proj-1.0/setup.py": "from setuptools import setup\nsetup(name='proj', version='1.0')\n",
        "proj-1.0/PKG-INFO": "Metadata-Version: 2.1\nName: proj\nVersion: 1.0\n",
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.fixture()
def trusted():
    """An index serving proj's sdist only: its /simple URL, the sdist's link, the requests."""
    sdist = _sdist()
    digest = hashlib.sha256(sdist).hexdigest()
    requests = []

    class Index(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            if self.path.rstrip("/") == "/simple/proj":
                body = f'<a href="/files/proj-1.0.tar.gz#sha256={digest}">proj-1.0.tar.gz</a>'
                body, kind = body.encode(), "text/html"
            elif self.path == "/files/proj-1.0.tar.gz":
                body, kind = sdist, "application/octet-stream"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield f"{base}/simple", f"{base}/files/proj-1.0.tar.gz#sha256={digest}", requests
    server.shutdown()
    server.server_close()


def _cache_folder(home: Path, link: str) -> str:
    """Where pip looks for a wheel built from ``link`` (pip's own function: the key is public)."""
    from pip._internal.cache import SimpleWheelCache
    from pip._internal.models.link import Link

    assert sys.version_info[:2] == (3, 11)  # the kernel's interpreter is this one
    return SimpleWheelCache(str(home / ".cache" / "pip")).get_path_for_link(Link(link))


def test_a_planted_wheel_in_pip_s_cache_installs_a_refused_url(kernel, trusted):
    simple, link, served = trusted
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    build_wheel(
        kernel.work / "kit", "proj", body="", requires=f"Requires-Dist: warden-demo-pkg @ {url}\n"
    )
    policy = {"schema_version": 1, "revision": 3, "trusted_sources": {"package_indexes": [simple]}}
    kernel.policy.write_text(json.dumps(policy))
    code = f"CACHED = {_cache_folder(kernel.home, link)!r}\nTRUSTED = {simple!r}\n" + CELL
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed("proj_mod") and kernel.installed() and kernel.index.requests, plain
    assert "/files/proj-1.0.tar.gz" not in served  # the cache answered, the sdist untouched
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_the_ordinary_sdist_install_from_a_trusted_index_runs(kernel, trusted):
    """No false refusal: with no planted wheel pip builds the sdist and installs it."""
    simple, _link, served = trusted
    policy = {"schema_version": 1, "revision": 3, "trusted_sources": {"package_indexes": [simple]}}
    kernel.policy.write_text(json.dumps(policy))
    line = f" -m pip install -q --target {{target}} --index-url {simple} proj"
    code = f"import os, sys\nos.system(sys.executable + {line!r})\n"
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None and "/files/proj-1.0.tar.gz" in served, guarded
