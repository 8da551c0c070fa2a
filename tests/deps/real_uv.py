"""The real uv the install tests run: a pinned dev dependency (requirements-dev.txt), found on
PATH or next to the tests' Python (a venv's bin folder that is not on PATH). A missing uv fails
the test that needs it, saying how to get it, instead of skipping it."""

import os
import shutil
import sys


def real_uv() -> str:
    found = shutil.which("uv") or shutil.which("uv", path=os.path.dirname(sys.executable))
    assert found, "uv is a dev dependency: pip install -r requirements-dev.txt"
    return found
