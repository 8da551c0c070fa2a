"""Red team 55b R55b-3: a pip "reading" command that writes a file: ``pip list --log
pyproject.toml && uv pip install --index-url REFUSED P`` (pip's general option ``--log`` writes
its file on every command: freeze, show, check, inspect...). The folder's pyproject.toml says
``[tool.uv.pip] no-index = true, find-links = ["w"]``: Warden reads it and allows the uv install
(local wheels only). pip appends its log to it; uv cannot parse it as TOML any more,
warns and goes on without those settings, and fetches P from the line's index, a host the
policy refuses.

Root cause: ``installer_writes.writes_nothing`` (installs/installer_writes.py:26-27, 37-41;
static ``installerWritesNothing``) takes pip's list/show/freeze/check/inspect/... as writing
nothing whatever their options, but pip's general option ``--log`` (also in PIP_LOG, or a
pip.conf ``log =``) writes the file it names (and ``commands._plain_install``,
commands.py:2101-2108, keeps them out of ``_write_places``). FAILS today.
"""

import sys

import pytest
from launched import PYPROJECT_INSTALL, local_pyproject_cell


def _cell(kernel, reader: str) -> str:
    uv = PYPROJECT_INSTALL
    line = f"{sys.executable} -m pip {reader} && {uv}" if reader else uv
    return local_pyproject_cell(kernel) + f"os.system({line!r})\n"


def test_control_read_with_its_pyproject_the_install_is_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, ""))


@pytest.mark.parametrize(
    "reader", ["list -q --log pyproject.toml", "freeze -q --log pyproject.toml"]
)
def test_a_pip_reader_writing_the_uv_settings_is_a_writer(kernel, reader):
    kernel.kept_from_refused_host(_cell(kernel, reader))
