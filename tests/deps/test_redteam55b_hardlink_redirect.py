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
import sys

from local_index import build_wheel

REQS = "--no-index\n--find-links w\n"


def _cell(kernel, redirect: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        "{uv} pip install -q --no-config --no-cache --no-deps "
        f"--python {sys.executable} --target {{target}} --index-url {{index}} "
        f"-r r.txt warden-demo-pkg {redirect}"
    )
    return (
        "import os\n"
        "for n in ('r.txt', 'log.txt'):\n"
        "    os.path.exists(n) and os.remove(n)\n"
        f"open('r.txt', 'w').write({REQS!r})\n"
        "os.link('r.txt', 'log.txt')\n"
        f"os.system({line!r})\n"
    )


def test_control_read_with_its_file_the_install_is_allowed_and_local(kernel):
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed(), result
    assert not kernel.index.requests, result
    assert os.path.samefile(kernel.work / "r.txt", kernel.work / "log.txt")


def test_an_install_redirected_into_a_hard_link_of_its_file_is_refused(kernel):
    code = _cell(kernel, "2>log.txt")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
