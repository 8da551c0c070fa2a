"""Fix 62venv: ``python -m venv`` by name as a writer (red team 50a's lead).

``python -m venv DIR`` started by name was read as a command that writes nothing (an install
or a program run by a path later on the line then read what Warden found before the line ran),
while ``/abs/python -m venv DIR`` counted as the writer it is. ``-m venv`` runs whatever module
named venv comes first on its path: a ``venv.py`` in the notebook folder wrote ``v/bin/pip``, a
shell script installing with uv from a host the policy refuses, and ``python3 -m venv v &&
v/bin/pip install warden-demo-pkg`` installed it under Warden (HIGH). Now by name as by path
``python -m venv DIR`` is a writer: what runs from DIR later on the line is refused ("run the
program as its own command"). Each case installs without Warden and is refused with it.
"""

import shlex
import sys

import pytest
from launched import system_cell
from real_uv import real_uv


def _script(kernel) -> str:
    """v/bin/pip as a shell script installing from the test index (untrusted by the policy)."""
    return "#!/bin/sh\nexec " + shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
         sys.executable, "--target", str(kernel.target), "--index-url", kernel.index.simple,
         "warden-demo-pkg"]
    ) + "\n"  # fmt: skip


def _writes_pip(kernel) -> str:
    """Python code writing the script at v/bin/pip, mode 0755."""
    return (
        "import os, shutil\n"
        "shutil.rmtree('v', ignore_errors=True)\n"
        "os.makedirs('v/bin')\n"
        f"open('v/bin/pip', 'w').write({_script(kernel)!r})\n"
        "os.chmod('v/bin/pip', 0o755)\n"
    )


PIP = "v/bin/pip install warden-demo-pkg"
STARTS = ["python3 -m venv v", "python -m venv v", f"{sys.executable} -m venv v"]


@pytest.mark.parametrize("start", STARTS)
def test_a_venv_module_in_the_folder_writes_the_pip_run_later(kernel, start):
    (kernel.work / "venv.py").write_text(_writes_pip(kernel))
    code = system_cell(f"{start} && {PIP}").replace("{", "{{").replace("}", "}}")
    refused = kernel.proves(code)
    assert "v/bin/pip" in refused and "as its own command" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "python3 -c {code} && " + PIP,
        "python -c {code} ; ./" + PIP,
        sys.executable + " -c {code} && " + PIP,
        "python3 prep.py && " + PIP,
        "sh -c {shell} && " + PIP,
    ],
)
def test_python_by_name_or_path_writes_the_program_run_later(kernel, line):
    """The lead's other forms were refused already: a Python by name is the writer it is."""
    code = _writes_pip(kernel)
    (kernel.work / "prep.py").write_text(code)
    line = line.format(code=shlex.quote(code), shell=shlex.quote("python3 -c " + shlex.quote(code)))
    refused = kernel.proves(system_cell(line).replace("{", "{{").replace("}", "}}"))
    assert "as its own command" in refused, refused
