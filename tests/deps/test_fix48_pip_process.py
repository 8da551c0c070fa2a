"""Fix for red team 43a R43a-1, R43a-5 and pip's half of R43a-4: what pip's own process takes
is decided there.

The proofs are ``test_redteam43a_remote_requires_url.py``, ``test_redteam43a_url_as_path.py``
and ``test_redteam43a_reqfile_url.py`` (real pip under a launched kernel). These pin each
mechanism: a download no decision vouched for is refused (the backstop), a dependency's direct
reference is decided (a ``file:`` one read as a local wheel), a location pip reads as a local
path is read, a local page's ``file:`` wheels are read as pip parses it, the names pip parses
from a file are decided without asking again for a confirmation the user gave, and a pip whose
functions are not Warden's wrappers is refused.
"""

import sys
import types

import pytest
from test_redteam43a_url_as_path import _wheel_as_demo

from jupyterlab_warden.kernel.guard.installs import (
    decide,
    pip_links,
    pip_requirements,
    pip_requires,
    pip_sources,
)
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Requirement
from jupyterlab_warden.kernel.guard.state import GuardState

POLICY = {"schema_version": 1, "revision": 3}
WHEEL = "warden_demo_pkg-1.0-py3-none-any.whl"


class _Refused(Exception):
    pass


class _Gate:
    """What the wrappers call on the gate, recorded; ``refuse_unvouched`` refuses."""

    def __init__(self):
        self.calls = []

    def refuse_unvouched(self, url):
        self.calls.append(("unvouched", url))
        raise _Refused(url)

    def decide_links(self, page, links, vouched=False, files=()):
        self.calls.append(("links", page, list(links), list(files)))

    def decide_dependency(self, text, parent, path):
        self.calls.append(("dependency", text, parent, path))

    def decide_parsed_requirements(self, parsed):
        self.calls.append(("parsed", parsed))


def _state(gate):
    return types.SimpleNamespace(installs=gate)


def _response(url):
    return types.SimpleNamespace(url=url, close=lambda: None)


def test_a_download_no_decision_vouched_for_is_refused(monkeypatch):
    monkeypatch.setattr(pip_links, "_VOUCHED", set())
    gate, fetched = _Gate(), []

    def original(session, link):
        fetched.append(link.url)
        return _response(link.url)

    download = pip_links.download_wrapper(original, "pip download", _state(gate))
    url = "http://mirror.example/files/" + WHEEL
    with pytest.raises(_Refused):
        download(None, types.SimpleNamespace(url=url + "#sha256=00"))
    assert not fetched  # nothing asked of the server
    pip_links.vouch([url + "#sha256=00"])  # a decided page linked it
    download(None, types.SimpleNamespace(url=url))
    download(None, types.SimpleNamespace(url=url + ".metadata"))  # its PEP 658 metadata
    assert fetched == [url, url + ".metadata"]
    with pytest.raises(_Refused):
        download(None, types.SimpleNamespace(url="http://other.example/files/" + WHEEL))


def test_a_decided_page_s_links_are_vouched_for_and_its_file_links_read(monkeypatch):
    monkeypatch.setattr(pip_links, "_VOUCHED", set())
    gate = _Gate()
    page = types.SimpleNamespace(url="file:///w/index.html")
    links = [
        types.SimpleNamespace(url="https://files.example/a.whl#sha256=1", scheme="https"),
        types.SimpleNamespace(url="file:///w/b.whl", scheme="file", file_path="/w/b.whl"),
    ]
    parse = pip_links.links_wrapper(lambda page: links, "pip page links", _state(gate))
    assert parse(page) == links
    assert gate.calls == [
        ("links", "file:///w/index.html", [link.url for link in links], ["/w/b.whl"])
    ]
    assert pip_links.vouched("https://files.example/a.whl")


def test_a_dependency_s_direct_reference_is_decided_a_name_is_not():
    gate = _Gate()
    parent = types.SimpleNamespace(name="wardencarrier")

    def ireq(url, link=None):
        req = types.SimpleNamespace(name="warden-demo-pkg", url=url)
        return types.SimpleNamespace(req=req, link=link, comes_from=parent)

    made = {
        "warden-demo-pkg": ireq(None),
        "x @ http://h/x.whl": ireq("http://h/x.whl"),
        "y @ file:///w/y.whl": ireq(
            "file:///w/y.whl", types.SimpleNamespace(is_file=True, file_path="/w/y.whl")
        ),
    }
    build = pip_requires.wrapper(lambda text, comes_from=None: made[text], "dep", _state(gate))
    for text in made:
        assert build(text, parent) is made[text]
    assert gate.calls == [
        ("dependency", "warden-demo-pkg @ http://h/x.whl", "wardencarrier", ""),
        ("dependency", "warden-demo-pkg @ file:///w/y.whl", "wardencarrier", "/w/y.whl"),
    ]


def test_the_gate_decides_a_dependency_as_the_command_line(tmp_path, monkeypatch):
    """A refused host's URL is refused; a ``file:`` wheel carrying start-up code is read and
    refused (R34-4); a trusted host's URL passes and is vouched for."""
    monkeypatch.setattr(pip_links, "_VOUCHED", set())
    monkeypatch.chdir(tmp_path)
    trusted = "https://mirror.example/simple"
    gate = InstallGate(GuardState(dict(POLICY, trusted_sources={"package_indexes": [trusted]})))
    with pytest.raises(WardenBlockedInstall, match="a dependency of wardencarrier"):
        gate.decide_dependency(
            "x @ http://evil.example/x-1.0-py3-none-any.whl", "wardencarrier", ""
        )
    _wheel_as_demo(tmp_path)
    with pytest.raises(WardenBlockedInstall, match="warden_demo_pkg.pth"):
        gate.decide_dependency(
            f"warden-demo-pkg @ file://{tmp_path / WHEEL}", "wardencarrier", str(tmp_path / WHEEL)
        )
    assert not pip_links._VOUCHED
    url = "https://mirror.example/simple/x/x-1.0-py3-none-any.whl"
    gate.decide_dependency(f"x @ {url}", "wardencarrier", "")
    assert pip_links.vouched(url)


def test_a_location_pip_reads_as_a_path_is_one(tmp_path, monkeypatch):
    """pip's exists test comes before the scheme: a URL that is a folder here is a path; a
    ``file:`` URL is pip's ``url_to_path`` of it; any other URL is not a path."""
    import pip._internal.utils.urls  # noqa: F401 - loaded with build_source's module in pip

    monkeypatch.chdir(tmp_path)
    shadow = "https://pypi.org/simple/warden-demo-pkg/"
    assert pip_sources._as_path(shadow) is None
    (tmp_path / "https:" / "pypi.org" / "simple" / "warden-demo-pkg").mkdir(parents=True)
    assert pip_sources._as_path(shadow) == shadow
    assert pip_sources._as_path("file:w") == "w"  # pip reads ./w when ./file:w is none
    (tmp_path / "file:w").mkdir()
    assert pip_sources._as_path("file:w") == "file:w"
    assert pip_sources._as_path("file://elsewhere/w") is None  # pip refuses it itself
    gate = _Gate()
    gate.decide_local_location = lambda path, role: gate.calls.append((path, role))
    build = pip_sources.wrapper(lambda location, **kw: location, "source", _state(gate))
    build(shadow, expand_dir=False)
    build("https://mirror.example/simple/x/", expand_dir=False)
    build("file:w", expand_dir=True)
    assert gate.calls == [(shadow, "index"), ("file:w", "find-links")]


def test_a_location_read_as_a_path_is_decided_by_what_it_holds(tmp_path, monkeypatch):
    """The shadow of PyPI's index holding a wheel with start-up code is refused for the wheel,
    not for its name (which reads as no plain URL)."""
    monkeypatch.chdir(tmp_path)
    gate = InstallGate(GuardState(dict(POLICY)))
    folder = tmp_path / "https:" / "pypi.org" / "simple" / "warden-demo-pkg"
    folder.mkdir(parents=True)
    gate.decide_local_location("https://pypi.org/simple/warden-demo-pkg/", "index")  # empty
    _wheel_as_demo(folder)
    (folder / "index.html").write_text(f'<a href="{WHEEL}">{WHEEL}</a>\n')
    with pytest.raises(WardenBlockedInstall, match="warden_demo_pkg.pth") as refused:
        gate.decide_local_location("https://pypi.org/simple/warden-demo-pkg/", "index")
    assert "cannot tell which host" not in str(refused.value)


def test_a_local_page_s_file_wheel_is_read_as_pip_parses_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    gate = InstallGate(GuardState(dict(POLICY)))
    _wheel_as_demo(tmp_path)
    page, link = (tmp_path / "index.html").as_uri(), (tmp_path / WHEEL).as_uri()
    gate.decide_links(page, [link])  # the paths not given: as before, not read
    with pytest.raises(WardenBlockedInstall, match="warden_demo_pkg.pth"):
        gate.decide_links(page, [link], files=[str(tmp_path / WHEEL)])
    with pytest.raises(WardenBlockedInstall, match="cannot place"):
        gate.decide_links(page, [link], files=[""])


def test_the_names_pip_parses_are_decided_in_one_request():
    gate, parsed = _Gate(), []
    lines = [
        types.SimpleNamespace(requirement="aiohtt", comes_from="-r r.txt (line 1)"),
        types.SimpleNamespace(requirement="x==1", comes_from="-c c.txt (line 2)", constraint=True),
    ]
    parse = pip_requirements.wrapper(lambda *a, **k: iter(lines), "reqs", _state(gate))
    parsed = list(parse("r.txt", None, constraint=False))
    assert parsed == lines
    assert gate.calls == [
        (
            "parsed",
            [("aiohtt", "-r r.txt (line 1)"), ("x==1", "constraints file -c c.txt (line 2)")],
        )
    ]
    gate.calls.clear()
    assert list(pip_requirements.wrapper(lambda *a, **k: iter(()), "r", _state(gate))("e")) == []
    assert not gate.calls  # an empty file: nothing to decide


def _confirming_gate():
    policy = dict(POLICY, rules={decide.RULE_MALICIOUS: {"action": "confirm"}})
    return InstallGate(GuardState(policy))


NAMES = ("aiohtt", "azureml-contrib-daskonbatch")  # known-malicious in the shipped snapshot


def _kernel_request():
    request = InstallRequest("pip", "pip install")
    for name in NAMES:
        request.requirements.append(Requirement(name, name, "name", "r.txt line 1"))
    return request


def test_a_name_pip_parses_is_refused_and_a_confirmed_one_is_not_asked_again():
    """Both findings the user confirmed for the install hold for pip's parse of its file (the
    gate remembered only the last one), for that install only."""
    gate = _confirming_gate()
    parsed = [(name, "-r r.txt (line 1)") for name in NAMES]
    with pytest.raises(WardenBlockedInstall, match="aiohtt"):
        gate.decide_parsed_requirements(parsed)
    with pytest.raises(WardenBlockedInstall) as refused:  # the kernel's decision of the install
        gate._enforce([_kernel_request()], "pip.main", in_process=True)
    events = [e for e in refused.value.events if e["rule_id"] == decide.RULE_MALICIOUS]
    assert len(events) == 2
    for event in events:
        gate.state.confirm(event["fingerprint"], "I checked it")
    gate._enforce([_kernel_request()], "pip.main", in_process=True)  # confirmed
    gate.decide_parsed_requirements(parsed)  # pip's parse of its file: the same findings
    gate._enforce([InstallRequest("pip", "pip install")], "pip.main", in_process=True)  # next
    with pytest.raises(WardenBlockedInstall, match="aiohtt"):
        gate.decide_parsed_requirements(parsed)  # a confirmation holds for one install


def test_a_pip_whose_new_functions_are_not_warden_s_is_refused(monkeypatch):
    import pip._internal.cli.req_command as req_command
    import pip._internal.index.collector as collector
    import pip._internal.index.package_finder as finder
    import pip._internal.network.download as download

    def marked(kind):
        def ours(*args, **kwargs):
            return None

        ours.__warden_kind__ = kind
        return ours

    off = types.SimpleNamespace(cache_dir=None)
    monkeypatch.setattr(collector, "parse_links", marked(pip_links.KIND_LINKS))
    monkeypatch.setattr(finder, "parse_links", marked(pip_links.KIND_LINKS))
    monkeypatch.setattr(download, "_http_get_download", marked(pip_links.KIND_DOWNLOAD))
    assert "dependency builder" in pip_links.unchecked(off)
    monkeypatch.setattr(req_command, "install_req_from_req_string", marked(pip_requires.KIND))
    assert "source builder" in pip_links.unchecked(off)
    monkeypatch.setattr(collector, "build_source", marked(pip_sources.KIND))
    assert "requirements parser" in pip_links.unchecked(off)
    monkeypatch.setattr(req_command, "parse_requirements", marked(pip_requirements.KIND))
    assert pip_links.unchecked(off) == ""


def test_the_patch_targets_name_the_wrappers():
    from jupyterlab_warden.kernel.guard.installs import gate

    kinds = {kind for _m, _a, _l, kind in gate.PATCH_TARGETS}
    for kind in (pip_requires.KIND, pip_sources.KIND, pip_requirements.KIND):
        assert kind in kinds and gate.maker(kind) is not None, kind


def _trust_base(kernel) -> None:
    import json

    policy = dict(POLICY, trusted_sources={"package_indexes": [kernel.index.base]})
    kernel.policy.write_text(json.dumps(policy))


def _pip_cell(*words: str) -> str:
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-cache-dir", "--target",
            "{target}", *words]  # fmt: skip
    return f"import os, shlex\nos.system(shlex.join({argv!r}))\n"


@pytest.mark.parametrize("how", ["direct", "find-links"])
def test_a_trusted_host_s_url_on_the_command_line_still_downloads(kernel, how):
    """The backstop's other side: a URL the command line names (a direct reference, or a
    find-links location that is a wheel, which pip downloads without a page) is vouched for."""
    _trust_base(kernel)
    url = f"{kernel.index.base}/files/{WHEEL}"
    words = [url] if how == "direct" else ["--find-links", url, "warden-demo-pkg"]
    kernel.reset()
    guarded = kernel.cell(_pip_cell("--no-index", *words), launched=True)
    assert kernel.installed() and not guarded["refused"], guarded
    assert "Warden" not in guarded["stderr"], guarded
