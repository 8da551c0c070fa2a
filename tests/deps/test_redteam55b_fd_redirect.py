"""Red team 55b R55b-9: the install's own redirection names its file through a descriptor the
same command opened on it: ``uv pip install --index-url REFUSED -r r.txt P <r.txt
2>/dev/stdin`` (also ``5<r.txt 2>/dev/fd/5``, ``2>/proc/self/fd/5``, ``2<r.txt >/dev/stderr``).
The shell (dash, /bin/sh for os.system) opens ``/dev/stdin`` for writing with O_TRUNC, which
the kernel's /proc resolves to r.txt, opened read-only just before: r.txt is emptied before uv
starts. Warden read r.txt's ``--no-index --find-links w`` and allowed the install; uv reads it
empty and fetches P from the line's index, a host the policy refuses.

Root cause: ``own_redirect.problem`` (installs/own_redirect.py:72-84) places a target with
``os.path.realpath`` in the KERNEL's process: /dev/stdin, /dev/fd/N, /proc/self/... name the
descriptors of whatever process resolves them (the kernel's at reading, the shell's when it
runs), so the name and the real path compared are neither r.txt. Failed before fix70redirect.
"""

import sys

import pytest
from local_index import build_wheel

REQS = "--no-index\n--find-links w\n"


def _cell(kernel, redirect: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        "{uv} pip install -q --no-config --no-cache --no-deps "
        f"--python {sys.executable} --target {{target}} --index-url {{index}} "
        f"-r r.txt warden-demo-pkg {redirect}"
    )
    return f"import os\nopen('r.txt', 'w').write({REQS!r})\nos.system({line!r})\n"


def test_control_with_stdin_from_its_file_the_install_is_allowed_and_local(kernel):
    kernel.reset()
    result = kernel.cell(_cell(kernel, "<r.txt"), launched=True)
    assert result["refused"] is None and kernel.installed(), result
    assert not kernel.index.requests, result


@pytest.mark.parametrize(
    "redirect", ["<r.txt 2>/dev/stdin", "5<r.txt 2>/dev/fd/5", "5<r.txt 2>/proc/self/fd/5"]
)
def test_a_redirection_through_a_descriptor_of_its_file_is_refused(kernel, redirect):
    code = _cell(kernel, redirect)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
