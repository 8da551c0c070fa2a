"""Red team 55b R55b-7: ``uv venv --clear d`` (or ``UV_VENV_CLEAR=1``, ``--force`` for a
folder that is no environment) REMOVES the folder d and everything in it before it makes the
new environment, but ``installer_writes.writes_nothing`` counts a ``uv venv`` without
``--seed`` as writing nothing (red team 29: "it makes a venv from an interpreter, no package
in it"), and ``_may_write`` as no writer at all. Here d is an old environment holding a uv.toml
(``[pip] no-index = true``, ``find-links = [w]``); ``uv venv --clear d && cd d && uv pip install
--index-url REFUSED P``: Warden reads d/uv.toml and allows the install from the local
folder only; uv venv removes d/uv.toml, and the install fetches P from the line's index, a host
the policy refuses.

Root cause: installs/installer_writes.py:47-50 (static twin ``installerWritesNothing``) and
``commands._plain_install`` (commands.py:2109-2114): ``uv venv`` is taken as writing nothing a
later install reads, but it writes and deletes files in the folder it makes (``--clear``,
``--force``, UV_VENV_CLEAR, ``--allow-existing``), which may be the folder a later install
runs in or reads settings from. FAILS today.
"""

import shutil
import sys

from local_index import build_wheel

INSTALL = (
    "cd d && {uv} pip install -q --no-cache --no-deps "
    f"--python {sys.executable} --target {{target}} --index-url {{index}} warden-demo-pkg"
)


def _cell(kernel, before: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    d = kernel.work / "d"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    (d / "pyvenv.cfg").write_text(f"home = {sys.base_prefix}/bin\n")  # an old environment
    uv_toml = f'[pip]\nno-index = true\nfind-links = ["{kernel.work / "w"}"]\n'
    (d / "uv.toml").write_text(uv_toml)
    line = f"{before} && {INSTALL}" if before else INSTALL
    return f"import os\nos.system({line!r})\n"


def test_control_read_with_its_uv_toml_the_install_is_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, ""))


def test_a_uv_venv_that_clears_the_folder_is_a_writer_for_the_later_uv(kernel):
    clear = f"{{uv}} venv -q --clear --python {sys.executable} d"
    # made afresh for each run: the unguarded run's uv venv removed d/uv.toml
    kernel.kept_from_refused_host(lambda: _cell(kernel, clear))
