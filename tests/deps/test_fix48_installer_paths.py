"""Neighbours of red team 43a (R43a-2, -3, -4, -6), read without a kernel: each installer's
reading of a path, ``~``, ``file:`` or ``${VAR}`` value (``installer_paths``,
``requirements.line_readings``) pinned against pip 23.2's own functions where they can be
called, and against uv 0.13.9's behaviour (checked with real uv) where they cannot.
"""

from pathlib import Path

import pytest
from pip._internal.network.session import LocalFSAdapter, PipSession
from pip._internal.req.req_file import expand_env_variables

from jupyterlab_warden.kernel.guard.installs import installer_paths, requirements, sources
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source

ENV = {"A": "${B}", "B": "x", "E": "", "HOME": "/h"}


@pytest.mark.parametrize(
    "line",
    ["--find-links ./w${E}", "${A}${B}", "${B}-${A}", "${UNSET}/w", "./${B}/${E}${B}"],
)
def test_pip_expansion_is_pips_own(line, monkeypatch):
    for name in ("A", "B", "E", "UNSET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    (pips,) = [text for _, text in expand_env_variables(iter([(1, line)]))]
    pip = InstallRequest("pip", "pip install")
    assert requirements.line_readings(pip, line, ENV) == [(pips, False)]


def test_uv_expands_a_set_empty_variable_and_keeps_an_unset_one(tmp_path):
    """uv 0.13.9: with ``E=''`` ``--find-links ./w${E}`` is ``./w``; unset, uv fails on
    ``./w${E}`` as written (checked with real uv). uv expands the value, not the line
    (red team 47b R47b-2): its reading is the line as written."""
    uv = InstallRequest("uv", "uv pip install")
    assert requirements.line_readings(uv, "-f ./w${E} ${UNSET}", ENV) == [
        ("-f ./w${E} ${UNSET}", True)
    ]
    requirements.read_text(uv, "-f ./w${E}\n-f ./${A}\n", "r.txt", str(tmp_path), ENV)
    # once: ${B} is a value, never x; a source still naming ${...} is refused (R50c-2)
    assert [s.url for s in uv.sources] == ["./w"]
    assert len(uv.problems) == 1 and "${B}" in uv.problems[0], uv.problems


def test_a_pip_that_may_run_on_uv_reads_both_expansions():
    request = InstallRequest("pip", "pipx install")
    request.also_uv = True
    assert requirements.line_readings(request, "./w${E}", ENV) == [
        ("./w${E}", False),
        ("./w${E}", True),
    ]


def test_uv_project_root_unset_is_refused(tmp_path):
    uv = InstallRequest("uv", "uv pip install")
    requirements.read_text(uv, "-f ${PROJECT_ROOT}/w\n", "r.txt", str(tmp_path), {})
    assert uv.problems and "PROJECT_ROOT" in uv.problems[0]


@pytest.mark.parametrize(
    "url, path",
    [
        ("file:tmp/x", "/tmp/x"),  # rooted (the R43a-6 proof's form)
        ("file:/a/./b/../c", "/a/c"),
        ("file:\\tmp\\x", "/tmp/x"),
        ("file://localhost/a%20b", "/a b"),
        ("file:///a/%2e%2E/b?q#f", "/b"),
        ("FILE:a", "/a"),
        ("file://host/a", None),
    ],
)
def test_uv_file_urls_are_whatwg_paths(url, path):
    assert installer_paths.whatwg_file_path(url) == path


def _pip_opens(url: str) -> str:
    """The path pip's LocalFSAdapter opens for ``url`` fetched through pip's session."""
    opened = []

    class Spy(LocalFSAdapter):
        def send(self, request, *args, **kwargs):
            opened.append(request.url)
            return super().send(request, *args, **kwargs)

    session = PipSession()
    session.mount("file://", Spy())
    session.get(url)
    from pip._internal.utils.urls import url_to_path

    return url_to_path(opened[0])


@pytest.mark.parametrize(
    "url", ["file:{}/x", "file:/{}/x", "file://localhost/{}/a%20b", "FILE:/{}/a"]
)
def test_a_pip_requirements_file_url_is_read_where_pip_opens_it(url, tmp_path):
    # pip really opens the URL: under this test's own folder, so that no folder another process
    # left at a fixed place such as /tmp/x changes what it meets (ci98)
    url = url.format(str(tmp_path).lstrip("/"))
    paths = installer_paths.requirements_file(url, ("pip",), str(tmp_path))
    assert _pip_opens(url) in paths


def test_a_requirements_file_url_naming_another_host_is_refused(tmp_path):
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "file://host/r.txt", str(tmp_path), {})
    assert request.problems and "another host" in request.problems[0]


def read_at_its_path(tmp_path, scheme: str, name: str) -> None:
    """``-r <name>`` (``name``: ``/W/real.txt`` spelled as a URL) read by pip and uv: /W/real.txt
    (aiohtt), not the decoy ``./<scheme>/W/real.txt`` (warden-demo-pkg) a path reading opens."""
    (tmp_path / "real.txt").write_text("aiohtt\n")
    decoy = tmp_path / (scheme + str(tmp_path / "real.txt"))
    decoy.parent.mkdir(parents=True)
    decoy.write_text("warden-demo-pkg\n")
    for tool in ("pip", "uv"):
        request = InstallRequest(tool, f"{tool} install")
        requirements.read_file(request, name, str(tmp_path), {})
        assert [r.name for r in request.requirements] == ["aiohtt"], request.problems


def test_a_file_scheme_requirements_file_is_read_at_its_path_not_the_working_folder(tmp_path):
    """R43a-4 without a kernel: ``-r file:/W/real.txt`` is /W/real.txt to pip."""
    read_at_its_path(tmp_path, "file:", "file:" + str(tmp_path / "real.txt"))


def test_pip_fetches_http_requirements_files_without_slashes():
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "https:/evil.example/r.txt", "/", {})
    assert request.problems and "network" in request.problems[0]


def _locations(tmp_path: Path, text: str, tool: str, base=None) -> InstallRequest:
    request = InstallRequest(tool, f"{tool} install proj")
    request.sources.append(Source(text, "find-links", "command line", base))
    sources.read_local_pages(request, str(tmp_path), {"HOME": str(tmp_path / "home")})
    return request


def _page(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text('<a href="https://evil.example/p-1.0.tar.gz">p</a>')


def _read_evil(request: InstallRequest) -> bool:
    return any("evil.example" in s.url for s in request.sources)


def test_a_tilde_find_links_is_read_as_written_and_as_pip_expands_it(tmp_path):
    _page(tmp_path / "~" / "w")
    assert _read_evil(_locations(tmp_path, "~/w", "pip"))
    assert _read_evil(_locations(tmp_path, "~/w", "uv"))
    _page(tmp_path / "home" / "w")  # pip expands `~` when $HOME/w exists; uv never does
    (tmp_path / "~" / "w" / "index.html").unlink()
    assert _read_evil(_locations(tmp_path, "~/w", "pip"))
    assert not _read_evil(_locations(tmp_path, "~/w", "uv"))


def test_a_file_find_links_is_read_as_pip_and_as_uv_read_it(tmp_path):
    """``file:`` + a path without its leading ``/``: ``<cwd>/...`` to pip, ``/...`` to uv."""
    _page(tmp_path / "w")
    rootless = "file:" + str(tmp_path / "w").lstrip("/")
    assert _read_evil(_locations(tmp_path, rootless, "uv"))
    _page(tmp_path / str(tmp_path / "v").lstrip("/"))
    assert _read_evil(_locations(tmp_path, "file:" + str(tmp_path / "v").lstrip("/"), "pip"))


def test_a_file_find_links_that_exists_as_a_path_is_read_as_pip_tests_it_first(tmp_path):
    _page(tmp_path / "file:w")
    assert _read_evil(_locations(tmp_path, "file:w", "pip"))


def test_a_tilde_path_requirement_is_not_expanded(tmp_path):
    paths = installer_paths.requirement("~/x.whl", ("pip", "uv"), str(tmp_path), None)
    assert paths == [str(tmp_path / "~" / "x.whl")]
