"""Red team 44a R44a-3 without a kernel: the ``file:`` scheme's spelling read per installer
and per kind of value (``installer_paths``), as uv 0.13.9 and pip 23.2 read it.

uv takes a command-line find-links, index or requirement value for a URL only when spelled
``file:`` (``FILE:///W/clean`` is ``./FILE:/W/clean``); a find-links or index value in a
requirements file it tests as a path from the file's folder first, in any spelling, then
reads as a URL; ``-r`` names are URLs in any spelling. pip takes any spelling as a URL after
testing a location as a path. The kernel test beside this one runs the real uv.
"""

from pathlib import Path

from test_fix48_installer_paths import read_at_its_path

from jupyterlab_warden.kernel.guard.installs import installer_paths, requirements, sources
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source


def _page(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text('<a href="https://evil.example/p-1.0.tar.gz">p</a>')


def _read_evil(request: InstallRequest) -> bool:
    return any("evil.example" in s.url for s in request.sources)


def _locations(cwd: Path, text: str, tool: str, base=None) -> InstallRequest:
    request = InstallRequest(tool, f"{tool} install proj")
    request.sources.append(Source(text, "find-links", "command line", base))
    sources.read_local_pages(request, str(cwd), {"HOME": str(cwd / "home")})
    return request


def test_uv_reads_an_upper_case_file_find_links_as_the_relative_path(tmp_path):
    _page(tmp_path / ("FILE:" + str(tmp_path / "clean")))  # ./FILE:<cwd>/clean
    (tmp_path / "clean").mkdir()
    assert _read_evil(_locations(tmp_path, "FILE://" + str(tmp_path / "clean"), "uv"))
    _page(tmp_path / ("File:" + str(tmp_path / "clean")))
    assert _read_evil(_locations(tmp_path, "File:" + str(tmp_path / "clean"), "uv"))
    # pip tests the value as a path before it looks at the scheme: read there too
    assert _read_evil(_locations(tmp_path, "FILE://" + str(tmp_path / "clean"), "pip"))


def test_uv_reads_a_lower_case_file_find_links_as_the_url(tmp_path):
    _page(tmp_path / "clean")
    assert _read_evil(_locations(tmp_path, "file://" + str(tmp_path / "clean"), "uv"))
    paths = installer_paths.location("FILE:///w", ("uv",), str(tmp_path), None, "/h")
    assert paths == [str(tmp_path / "FILE:" / "w")]  # not /w: uv does not open it


def test_pip_reads_any_spelling_as_a_url_too(tmp_path):
    _page(tmp_path / "clean")
    assert _read_evil(_locations(tmp_path, "FILE://" + str(tmp_path / "clean"), "pip"))


def _file_request(tmp_path: Path, line: str, tool: str = "uv") -> InstallRequest:
    folder = tmp_path / "sub"
    folder.mkdir(exist_ok=True)
    (folder / "r.txt").write_text(line + "\nproj\n")
    request = InstallRequest(tool, f"{tool} install -r sub/r.txt")
    requirements.read_file(request, str(folder / "r.txt"), str(tmp_path), {})
    sources.read_local_pages(request, str(tmp_path), {"HOME": str(tmp_path / "home")})
    return request


def test_uv_reads_a_requirements_files_location_as_a_path_first_in_any_spelling(tmp_path):
    """uv 0.13.9: ``--find-links file:///W/clean`` in ``/W/sub/r.txt`` lists
    ``/W/sub/file:/W/clean`` when it exists (lower-case too), else the URL's folder."""
    clean = str(tmp_path / "clean")
    for scheme in ("file:", "FILE:"):
        _page(tmp_path / "sub" / (scheme + clean))
        for option in ("--find-links", "--index-url", "--extra-index-url"):
            assert _read_evil(_file_request(tmp_path, f"{option} {scheme}//{clean}")), option
        (tmp_path / "sub" / (scheme + clean) / "index.html").unlink()
    _page(tmp_path / "clean")
    assert _read_evil(_file_request(tmp_path, f"--find-links FILE://{clean}"))


def test_uv_takes_an_upper_case_file_requirement_for_a_relative_path(tmp_path):
    paths = installer_paths.requirement("FILE:///n/x-1.0-py3-none-any.whl", ("uv",), "/w", None)
    assert paths == ["/w/FILE:/n/x-1.0-py3-none-any.whl"]
    assert installer_paths.requirement("file:///n/x.whl", ("uv",), "/w", None) == ["/n/x.whl"]
    # pip: an URL in any spelling (``is_url``), never the relative path
    assert installer_paths.requirement("FILE:///n/x.whl", ("pip",), "/w", None) == ["/n/x.whl"]


def test_a_requirements_file_name_is_a_url_in_any_spelling_for_both(tmp_path):
    """uv 0.13.9 opens ``-r FILE:///W/r.txt`` at /W/r.txt (not ``./FILE:/W/r.txt``)."""
    read_at_its_path(tmp_path, "FILE:", "FILE://" + str(tmp_path / "real.txt"))
