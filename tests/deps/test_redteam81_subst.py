"""Red team 81 on fix80subst (scratch)."""

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell

SUB = "$(" + INSTALL + ")"


@pytest.mark.parametrize(
    "line, bash",
    [
        ("(( " + SUB + " + 1 )) 2>r.txt", True),
        ("(( " + SUB + " + 1 )) 2>r.txt", False),
        ("for ((i=" + SUB + ";i<1;i++)); do :; done 2>r.txt", True),
        ("eval 'echo " + SUB + "' 2>r.txt", False),
        ("command eval 'echo " + SUB + "' 2>r.txt", False),
        ("select x in " + SUB + "; do break; done 2>r.txt </dev/null", True),
        ("x=" + SUB + " eval : 2>r.txt", False),
    ],
)
def test_scratch(kernel, line, bash):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line, bash=bash))


import sys  # noqa: E402

from launched import system_call  # noqa: E402
from real_uv import real_uv  # noqa: E402


@pytest.mark.parametrize("name", ["python3", "python"])
@pytest.mark.parametrize("line", ["mkdir m && uv pip list", "mkdir m && uv pip list --system"])
def test_scratch_uv_path_python(kernel, name, line):
    evil = kernel.work / "evil"
    evil.write_text(f'#!/bin/sh\ntouch {kernel.work}/marker\nexec {sys.executable} "$@"\n')
    evil.chmod(0o755)
    (kernel.work / "bin").mkdir()
    (kernel.work / "bin" / name).symlink_to("../m/../evil")
    code = (
        'import os, shutil\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
        "os.environ.pop('VIRTUAL_ENV', None)\nos.environ.pop('CONDA_PREFIX', None)\n"
        "shutil.rmtree('m', ignore_errors=True)\n"
        "os.remove('marker') if os.path.exists('marker') else None\n"
    ) + system_call(line.replace("uv ", real_uv() + " ", 1))
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and (kernel.work / "marker").exists(), plain
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and not (kernel.work / "marker").exists(), guarded
