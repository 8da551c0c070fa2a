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
from local_index import build_wheel

PYPROJECT = (
    '[project]\nname = "nb"\nversion = "0"\n[tool.uv.pip]\nno-index = true\nfind-links = ["w"]\n'
)


def _cell(kernel, reader: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    uv = (
        "{uv} pip install -q --no-cache --no-deps "
        f"--python {sys.executable} --target {{target}} --index-url {{index}} warden-demo-pkg"
    )
    line = f"{sys.executable} -m pip {reader} && {uv}" if reader else uv
    return f"import os\nopen('pyproject.toml', 'w').write({PYPROJECT!r})\nos.system({line!r})\n"


def test_control_read_with_its_pyproject_the_install_is_allowed_and_local(kernel):
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed(), result
    assert not kernel.index.requests, result


@pytest.mark.parametrize(
    "reader", ["list -q --log pyproject.toml", "freeze -q --log pyproject.toml"]
)
def test_a_pip_reader_writing_the_uv_settings_is_a_writer(kernel, reader):
    code = _cell(kernel, reader)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
