"""Fix for red team 42a R42a-2: what pip takes from pages and the network is decided in pip.

The proof is ``test_redteam42a_http_cache.py`` (a page planted in pip's HTTP cache). These
check the refusal says why, the neighbours (a wheel response planted in the cache, a redirect
off the trusted host) and the rule itself: a trusted page's own host serves its files, other
hosts are decided as the command line's index is, PyPI's pages keep installing by default,
and a pip whose internals are not Warden's is refused.
"""

import email.utils
import hashlib
import time
import types

import pytest
import test_redteam42a_http_cache as proof
from listed_release import trust_mirror
from local_index import link_page, page_host
from test_redteam42a_http_cache import CELL, PROJECT, _cache_path, _entry

from jupyterlab_warden.kernel.guard.installs import decide, pip_links

mirror = proof.mirror  # the proof's plain-HTTP mirror answering 304 to its ETag (a fixture)
WHEEL = "warden_demo_pkg-1.0-py3-none-any.whl"
INSTALL = (
    "import os, sys\n"
    "os.environ.pop('PIP_NO_CACHE_DIR', None)\n"
    "os.system(sys.executable + ' -m pip install -q --cache-dir ./pipcache --target {target} '"
    " + '--trusted-host ' + HOST + ' --index-url ' + INDEX + ' warden-demo-pkg')\n"
)


def test_the_refusal_names_the_page_and_the_refused_host(kernel, mirror):
    host, _served = mirror
    refused = f"{kernel.index.base}/files/{WHEEL}"
    (kernel.work / "kit").mkdir()
    (kernel.work / "kit" / "page.cc").write_bytes(_entry(refused))
    entry = _cache_path(kernel.work, f"http://{host}/simple/{PROJECT}/")
    trust_mirror(kernel, host)
    guarded = kernel.cell(f"ENTRY = {entry!r}\nHOST = {host!r}\n" + CELL, launched=True)
    assert "is not one of the indexes your organisation trusts" in guarded["stderr"], guarded
    assert f"a link on http://{host}/simple/{PROJECT}/" in guarded["stderr"], guarded
    assert not kernel.installed() and not kernel.index.requests, guarded


def _fresh_entry(body: bytes) -> bytes:
    """A cachecontrol v4 entry of a 200 response that is fresh for a year: cachecontrol
    answers a request for its URL with it, without asking the server."""
    from pip._vendor import msgpack

    headers = {
        "Content-Type": "application/octet-stream", "Content-Length": str(len(body)),
        "Date": email.utils.formatdate(time.time(), usegmt=True),
        "Cache-Control": "max-age=31536000",
    }  # fmt: skip
    data = {
        "response": {"body": body, "headers": headers, "status": 200, "version": 11,
                     "reason": "OK", "strict": True, "decode_content": False},
        "vary": {},
    }  # fmt: skip
    return b"cc=4," + msgpack.dumps(data, use_bin_type=True)


def test_a_download_is_fetched_from_the_server_not_pip_s_http_cache(kernel, mirror):
    """A wheel response stored under the mirror's file URL (here the true bytes, so pip's hash
    check passes either way) is not what pip installs: the mirror is asked for the file.
    Without the fix pip takes the stored response and never asks (``/files/`` not served)."""
    host, served = mirror
    data = kernel.index.files[WHEEL].read_bytes()
    (kernel.work / "kit").mkdir()
    (kernel.work / "kit" / "wheel.cc").write_bytes(_fresh_entry(data))
    entry = _cache_path(kernel.work, f"http://{host}/files/{WHEEL}")
    plant = (
        f"import os\nos.makedirs({str(entry.rsplit('/', 1)[0])!r}, exist_ok=True)\n"
        f"open({entry!r}, 'wb').write(open('kit/wheel.cc', 'rb').read())\n"
    )
    code = plant + f"HOST = {host!r}\nINDEX = 'http://{host}/simple'\n" + INSTALL
    trust_mirror(kernel, host)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and f"/files/{WHEEL}" not in served, plain  # the cache answered
    kernel.reset()
    served.clear()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None and kernel.installed(), guarded
    assert f"/files/{WHEEL}" in served, served  # fetched from the mirror itself


@pytest.fixture()
def redirecting(index):
    """A trusted plain-HTTP host whose page links its own /files/ URL, which redirects to the
    refused index's copy of the wheel."""
    digest = hashlib.sha256(index.files[WHEEL].read_bytes()).hexdigest()

    def answer(path, _headers):
        if path.rstrip("/") == f"/simple/{PROJECT}":
            return 200, {"Content-Type": "text/html"}, link_page(WHEEL, digest)
        if path == f"/files/{WHEEL}":
            return 302, {"Location": f"{index.base}/files/{WHEEL}"}, None
        return None

    with page_host(answer) as (host, _asked):
        yield host


def test_a_download_redirected_off_the_trusted_host_is_refused(kernel, redirecting):
    host = redirecting
    code = f"HOST = {host!r}\nINDEX = 'http://{host}/simple'\n" + INSTALL
    trust_mirror(kernel, host)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the redirect was followed
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert "a download's redirect" in guarded["stderr"], guarded
    assert not kernel.installed(), guarded


def _sources(page, links, policy, vouched=False):
    return pip_links.admitted(page, links, policy, vouched)


MIRROR = {"trusted_sources": {"package_indexes": ["https://mirror.example/simple"]}}


def test_a_trusted_page_s_own_host_serves_its_files_other_hosts_are_sources():
    page = "https://mirror.example/simple/proj/"
    links = [
        "https://mirror.example/files/proj-1.0.tar.gz#sha256=ab",
        "https://other.example/proj-1.0-py3-none-any.whl#sha256=cd",
        "http://mirror.example/files/proj-1.0.tar.gz",  # another scheme: another origin
        "https://mirror.example:8443/files/proj-1.0.tar.gz",
    ]
    sources, problems = _sources(page, links, MIRROR)
    assert problems == []
    assert sources == [
        "https://other.example/proj-1.0-py3-none-any.whl",
        "http://mirror.example/files/proj-1.0.tar.gz",
        "https://mirror.example:8443/files/proj-1.0.tar.gz",
    ]
    assert not any(decide.url_allowed(s, decide.allowed_indexes(MIRROR)) for s in sources)


def test_an_untrusted_page_vouches_for_nothing():
    """A page pip reached by a redirect off the trusted index (``page.url`` is the final URL):
    even its own host's links are sources."""
    page = "https://elsewhere.example/simple/proj/"
    sources, _ = _sources(page, ["https://elsewhere.example/f/proj-1.0.tar.gz"], MIRROR)
    assert sources == ["https://elsewhere.example/f/proj-1.0.tar.gz"]
    # a download's own URL was decided already: a redirect on its host stays on it
    sources, _ = _sources(page, ["https://elsewhere.example/g/proj.tar.gz"], MIRROR, True)
    assert sources == []


def test_pypi_pages_link_files_pythonhosted_org_which_the_default_policy_trusts():
    page = "https://pypi.org/simple/six/"
    link = "https://files.pythonhosted.org/packages/b7/ce/six-1.17.0-py2.py3-none-any.whl#sha256=47"
    assert _sources(page, [link], {}) == ([], [])
    assert decide.url_allowed(link.split("#")[0], decide.allowed_indexes({}))
    # a policy trusting only PyPI's pages: its file host is another origin, decided (refused)
    only_pages = {"trusted_sources": {"package_indexes": ["https://pypi.org/simple"]}}
    assert _sources(page, [link], only_pages) == ([link.split("#")[0]], [])


def test_file_links_only_from_local_pages():
    link = "file:///tmp/kit/proj-1.0-py3-none-any.whl"
    _, problems = _sources("https://mirror.example/simple/proj/", [link], MIRROR)
    assert problems and "a file on this machine" in problems[0]
    assert _sources("file:///tmp/kit/index.html", [link], MIRROR) == ([], [])
    _, problems = _sources("https://mirror.example/simple/proj/", [""], MIRROR)
    assert problems and "cannot read" in problems[0]
    _, problems = _sources("", ["file:///x.whl"], MIRROR)
    assert problems  # a page Warden cannot place is not a local one


def test_a_pip_whose_pages_warden_does_not_read_is_refused(monkeypatch):
    """This test process's pip is not patched: it is refused; with Warden's wrappers in place
    it is not, and its HTTP cache matters only when the cache is on."""
    import pip._internal.index.collector as collector
    import pip._internal.index.package_finder as finder
    import pip._internal.network.cache as cache
    import pip._internal.network.download as download

    on, off = types.SimpleNamespace(cache_dir="/c"), types.SimpleNamespace(cache_dir=None)
    assert "link parsing" in pip_links.unchecked(off)

    def marked(kind):
        def ours(*args, **kwargs):
            return None

        ours.__warden_kind__ = kind
        return ours

    monkeypatch.setattr(collector, "parse_links", marked(pip_links.KIND_LINKS))
    monkeypatch.setattr(finder, "parse_links", marked(pip_links.KIND_LINKS))
    assert "downloader" in pip_links.unchecked(off)
    monkeypatch.setattr(download, "_http_get_download", marked(pip_links.KIND_DOWNLOAD))
    _mark_red_team_43a(monkeypatch, marked)  # what fix48pip wraps too (its own test checks)
    assert pip_links.unchecked(off) == ""
    assert "--no-cache-dir" in pip_links.unchecked(on)
    monkeypatch.setattr(cache.SafeFileCache, "get", marked(pip_links.KIND_CACHE))
    assert pip_links.unchecked(on) == ""
    monkeypatch.delattr(download, "_http_get_download")  # a pip whose internals were renamed
    assert "is missing or not Warden's" in pip_links.unchecked(off)


def _mark_red_team_43a(monkeypatch, marked):
    import pip._internal.cli.req_command as req_command

    from jupyterlab_warden.kernel.guard.installs import pip_requirements, pip_requires, pip_sources

    monkeypatch.setattr(req_command, "install_req_from_req_string", marked(pip_requires.KIND))
    monkeypatch.setattr(req_command, "parse_requirements", marked(pip_requirements.KIND))
    import pip._internal.index.collector as collector

    monkeypatch.setattr(collector, "build_source", marked(pip_sources.KIND))
