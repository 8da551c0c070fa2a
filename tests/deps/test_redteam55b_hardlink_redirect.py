"""Red team 55b R55b-2: an install's own redirection into a HARD LINK of a file it reads:
``uv pip install --index-url REFUSED -r r.txt P 2>log.txt``, the cell having made log.txt a
hard link of r.txt (``os.link``, in its own folder). The shell truncates log.txt, the same
inode as r.txt, before uv starts: uv reads an empty r.txt (not ``--no-index --find-links w``)
and fetches P from the line's index, a host the policy refuses.

Root cause: ``own_redirect.problem`` (installs/own_redirect.py:72-83) places a target by its
name and ``os.path.realpath``; a hard link has no link to follow, so ``log.txt`` is neither a
word's name nor a discovered name nor a listed config's real path. The same holds for a hard
link of uv.toml or pyproject.toml (``DISCOVERED`` by name only). Failed before fix70redirect.
"""

import os

from launched import REQS_INSTALL, local_reqs_cell

# log.txt: a hard link of r.txt, made afresh before the line runs
LINK = "os.path.exists('log.txt') and os.remove('log.txt')\nos.link('r.txt', 'log.txt')\n"


def _cell(kernel, redirect: str) -> str:
    return local_reqs_cell(kernel, f"{REQS_INSTALL} {redirect}", before=LINK)


def test_control_read_with_its_file_the_install_is_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, ""))
    assert os.path.samefile(kernel.work / "r.txt", kernel.work / "log.txt")


def test_an_install_redirected_into_a_hard_link_of_its_file_is_refused(kernel):
    kernel.kept_from_refused_host(_cell(kernel, "2>log.txt"))
