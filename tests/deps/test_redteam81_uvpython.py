"""Red team 81 R81-6: ``uv python list ./evil`` queries (runs) the interpreter its request
word names, as ``uv python find ./evil`` and ``uv python pin ./evil`` do; the reading took
only find's and pin's word as a -p value, so the list ran ./evil (a script installing from
the test index, a host the policy refuses) without a guard under Warden. Fixed in
``uv_inputs._command_line`` (``_QUERYING``). The ordinary lists run."""

import pytest
from launched import system_call
from real_uv import real_uv


def _cell(kernel, line: str) -> str:
    evil = kernel.work / "evil"
    evil.write_text(f"#!/bin/sh\n{kernel.uv_install()}\nexit 1\n")
    evil.chmod(0o755)
    line = line.replace("uv ", real_uv() + " ", 1)
    return "import os\nos.environ.pop('VIRTUAL_ENV', None)\n" + system_call(line)


@pytest.mark.parametrize(
    "line", ["uv python list ./evil", "uv python list --only-installed ./evil"]
)
def test_a_python_list_querying_a_file_is_refused(kernel, line):
    guarded = kernel.kept_from_refused_host(_cell(kernel, line))
    assert guarded["refused"] and "evil" in guarded["refused"], guarded


@pytest.mark.parametrize("line", ["uv python list --only-installed", "uv python list 3.11"])
def test_ordinary_python_lists_run(kernel, line):
    result = kernel.cell(_cell(kernel, line), launched=True)
    assert result["refused"] is None, result
    assert not kernel.installed()
