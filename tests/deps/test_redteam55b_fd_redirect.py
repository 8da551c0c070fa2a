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

import pytest
from launched import REQS_INSTALL, local_reqs_cell


def _cell(kernel, redirect: str) -> str:
    return local_reqs_cell(kernel, f"{REQS_INSTALL} {redirect}")


def test_control_with_stdin_from_its_file_the_install_is_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, "<r.txt"))


@pytest.mark.parametrize(
    "redirect", ["<r.txt 2>/dev/stdin", "5<r.txt 2>/dev/fd/5", "5<r.txt 2>/proc/self/fd/5"]
)
def test_a_redirection_through_a_descriptor_of_its_file_is_refused(kernel, redirect):
    kernel.kept_from_refused_host(_cell(kernel, redirect))
