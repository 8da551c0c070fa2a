"""Neighbours of red team 42a (R42a-1, -3, -4, -5, -6), read without a kernel.

A local index, find-links location, project folder or wheel is read where pip or uv OPENS it
(``installer_paths``): its text-folded path (``..`` folded by text, as pip's ``path_to_url``
and uv do) and the file system's resolution, both read when they differ; a requirements file's
or uv config file's relative find-links from that file's folder too; index folders walked
through links, with a cycle guard; a folder Warden cannot list, or a source naming something
it cannot read as a page or folder, refused.
"""

import os
from pathlib import Path

from local_index import build_wheel
from test_fix45local_neighbours import EVIL, _texts
from test_install_config_files import _decided

from jupyterlab_warden.kernel.guard.installs import (
    installer_paths,
    local_projects,
    requirements,
    sources,
)
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Requirement, Source

PAGE = '<a href="https://evil.example/files/proj-1.0-py3-none-any.whl">proj</a>'
EVIL_PAGE_URL = "https://evil.example/files/proj-1.0-py3-none-any.whl"


def _linked(tmp_path: Path) -> None:
    """./lnk is a link to ./a/b: ``./lnk/../X`` is ./X to pip and uv, ./a/X to the file system."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(tmp_path / "a" / "b", tmp_path / "lnk")


def _pages(tmp_path: Path, source: Source) -> InstallRequest:
    request = InstallRequest("pip", "pip install proj")
    request.sources.append(source)
    sources.read_local_pages(request, str(tmp_path))
    return request


def test_a_path_through_a_link_and_dotdot_opens_its_text_folded_path_first(tmp_path):
    _linked(tmp_path)
    opened = installer_paths.opened(str(tmp_path / "lnk" / ".." / "simple"))
    assert opened == [str(tmp_path / "simple"), str(tmp_path / "a" / "simple")], opened


def test_a_plain_path_opens_once(tmp_path):
    assert installer_paths.opened(str(tmp_path / "." / "simple")) == [str(tmp_path / "simple")]


def test_an_index_through_a_link_and_dotdot_reads_both_folders(tmp_path):
    _linked(tmp_path)
    (tmp_path / "simple" / "proj").mkdir(parents=True)
    (tmp_path / "simple" / "proj" / "index.html").write_text(PAGE)
    (tmp_path / "a" / "simple" / "proj").mkdir(parents=True)
    (tmp_path / "a" / "simple" / "proj" / "index.html").write_text("<html></html>")
    request = _pages(tmp_path, Source("./lnk/../simple", "index", "command line"))
    assert EVIL_PAGE_URL in [s.url for s in request.sources], request.sources


def test_a_linked_project_folder_of_an_index_is_read(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.html").write_text(PAGE)
    (tmp_path / "simple").mkdir()
    os.symlink(tmp_path / "pages", tmp_path / "simple" / "proj")
    request = _pages(tmp_path, Source("./simple", "index", "command line"))
    assert EVIL_PAGE_URL in [s.url for s in request.sources], request.sources


def test_a_link_cycle_in_an_index_is_walked_once(tmp_path):
    (tmp_path / "simple" / "proj").mkdir(parents=True)
    (tmp_path / "simple" / "proj" / "index.html").write_text(PAGE)
    os.symlink(tmp_path / "simple", tmp_path / "simple" / "proj" / "up")
    os.symlink(tmp_path / "simple", tmp_path / "simple" / "again")
    request = _pages(tmp_path, Source("./simple", "index", "command line"))
    assert request.problems == [], request.problems
    assert [s.url for s in request.sources].count(EVIL_PAGE_URL) >= 1, request.sources


def test_a_folder_warden_cannot_list_is_refused(tmp_path, monkeypatch):
    """A project folder mode 0311 (pip opens NAME/index.html in it without listing it): the
    kernel here may be root, who lists anything, so the listing's failure is made directly."""
    (tmp_path / "simple" / "proj").mkdir(parents=True)
    (tmp_path / "simple" / "proj" / "index.html").write_text(PAGE)
    hidden, scandir = str(tmp_path / "simple" / "proj"), os.scandir

    def refusing(path="."):
        if os.fspath(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    request = _pages(tmp_path, Source("./simple", "index", "command line"))
    assert any("cannot list" in p and hidden in p for p in request.problems), request.problems


def test_a_dangling_link_as_a_source_is_refused_a_missing_path_is_not(tmp_path):
    os.symlink(tmp_path / "gone", tmp_path / "w")
    dangling = _pages(tmp_path, Source("./w", "find-links", "command line"))
    assert dangling.problems and "cannot read" in dangling.problems[0], dangling.problems
    missing = _pages(tmp_path, Source("./nowhere", "find-links", "command line"))
    assert missing.problems == [], missing.problems


def test_a_requirements_file_find_links_is_read_from_the_file_s_folder(tmp_path):
    build_wheel(tmp_path / "sub" / "w", "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n")
    (tmp_path / "sub" / "req.txt").write_text("--no-index\n--find-links ./w\nproj\n")
    request = InstallRequest("pip", "pip install")
    requirements.read_file(request, "sub/req.txt", str(tmp_path), {})
    sources.read_local_pages(request, str(tmp_path))
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)


def test_a_uv_config_file_s_find_links_is_read_from_its_folder(tmp_path):
    """uv 0.13 takes ``find-links = ["./w"]`` in ``sub/uv.toml`` as ``sub/w``."""
    build_wheel(tmp_path / "sub" / "w", "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n")
    (tmp_path / "sub" / "uv.toml").write_text('no-index = true\nfind-links = ["./w"]\n')
    rules, runs, urls, names = _decided("uv pip install --config-file sub/uv.toml proj", tmp_path)
    assert "evil" in names and not runs, (rules, urls, names)


def _path_request(tmp_path: Path, text: str) -> InstallRequest:
    request = InstallRequest("pip", "pip install")
    request.requirements.append(Requirement(text, None, "path", "command line"))
    local_projects.add(request, str(tmp_path), {})
    return request


def test_a_wheel_path_through_a_link_and_dotdot_reads_the_text_folded_wheel(tmp_path):
    _linked(tmp_path)
    build_wheel(tmp_path, "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n")
    build_wheel(tmp_path / "a", "proj", body="")  # the file system's reading: a decoy
    request = _path_request(tmp_path, "./lnk/../proj-1.0-py3-none-any.whl")
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)


def test_a_wheel_named_by_a_link_to_another_name_is_read(tmp_path):
    wheel = build_wheel(
        tmp_path / "kit", "proj", body="", requires=f"Requires-Dist: evil @ {EVIL}\n"
    )
    os.rename(wheel, tmp_path / "blob")
    os.symlink("blob", tmp_path / "proj-1.0-py3-none-any.whl")
    request = _path_request(tmp_path, "./proj-1.0-py3-none-any.whl")
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)


def test_a_project_folder_through_a_link_and_dotdot_is_read_as_pip_builds_it(tmp_path):
    _linked(tmp_path)
    for folder, deps in (
        (tmp_path / "proj", f'["evil @ {EVIL}"]'),
        (tmp_path / "a" / "proj", "[]"),
    ):
        folder.mkdir(parents=True)
        (folder / "pyproject.toml").write_text(
            f'[project]\nname = "proj"\nversion = "1"\ndependencies = {deps}\n'
        )
    request = _path_request(tmp_path, "./lnk/../proj")
    assert f"evil @ {EVIL}" in _texts(request), (_texts(request), request.problems)
