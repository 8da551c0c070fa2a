"""Red team 55b R55b-10: an install's own redirection CREATES a file uv finds by its name that
``own_redirect.DISCOVERED`` does not list: ``pyvenv.cfg``. uv (no ``--python``, no
VIRTUAL_ENV/CONDA_PREFIX) takes a working folder holding a ``pyvenv.cfg`` as the virtual
environment and runs its ``bin/python`` to query it. The notebook folder holds a ``bin/python``
(a sh script: it installs warden-demo-pkg from the test index, a host the policy refuses) but
no pyvenv.cfg, so Warden's reading of uv's interpreter discovery (red team 29a) does not take
the folder as an environment and passes over ``bin/python``; ``uv pip install ... rt55b-other
2>pyvenv.cfg`` makes the folder one when the shell opens the redirection, and uv runs the
script, with no guard.

Root cause: installs/own_redirect.py:37-44 ``DISCOVERED`` (static twin in commands.ts) lacks
``pyvenv.cfg`` (uv's ``is_virtualenv_base``: a folder with one is an environment, in the
working folder or any parent), and more generally any name uv_discovery reads (``.venv``,
``bin/python``, ``pyvenv.cfg`` of the folders up). Failed before fix70redirect.
"""

import os
import shutil
import sys

from local_index import build_wheel
from real_uv import real_uv


def _cell(kernel, redirect: str) -> str:
    uv = real_uv()
    build_wheel(kernel.work / "w", "rt55b-other")
    for left in ("pyvenv.cfg", "out"):
        path = kernel.work / left
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    inner = (
        f"{uv} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    script = kernel.work / "bin" / "python"
    script.parent.mkdir(exist_ok=True)
    script.write_text(f'#!/bin/sh\n{inner} >/dev/null 2>&1\nexec {sys.executable} "$@"\n')
    script.chmod(0o755)
    line = (
        f"{uv} pip install -q --no-config --no-cache --no-deps --target out "
        f"--no-index --find-links w rt55b-other {redirect}"
    )
    code = (
        "import os, subprocess\n"
        "for name in ('VIRTUAL_ENV', 'CONDA_PREFIX', 'UV_PYTHON'):\n"
        "    os.environ.pop(name, None)\n"
        f"subprocess.run({line!r}, shell=True)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def test_control_without_the_redirection_the_folder_is_no_environment(kernel):
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "out").exists() and not kernel.installed(), result
    assert not kernel.index.requests, result


def test_an_install_whose_redirection_makes_the_folder_an_environment_is_refused(kernel):
    # made afresh for each run: the unguarded run's redirection left a pyvenv.cfg
    kernel.kept_from_refused_host(lambda: _cell(kernel, "2>pyvenv.cfg"))
    assert os.path.exists(kernel.work / "bin" / "python")
