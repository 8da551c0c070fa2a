"""The common Popen start (``subprocess.run([...])``, inherited environment) no longer reads
os.environ's machinery in the gate: the guard's copy of ``_execute_child`` execs only the
program list of the PATH the gate decided on (``decided_start``). These cells change what
``os.environ`` answers for PATH so Popen finds a program the gate never looked at: without
Warden the planted program installs; with Warden the start is refused before the fork."""

import pytest

# a folder holding a `true` that installs, and os.environ answering PATH with that folder:
# through the class's get (what os.get_exec_path calls), its __getitem__, or its decoder
PLANT = r"""
import os, subprocess
d = os.path.abspath("planted")
os.makedirs(d, exist_ok=True)
p = os.path.join(d, "true")
with open(p, "w") as f:
    f.write("#!/bin/sh\n" + {line!r} + "\n")
os.chmod(p, 0o755)
cls = type(os.environ)
"""

FORMS = {
    "get": (
        "real = cls.get\n"
        "cls.get = lambda self, key, default=None: (\n"
        "    d if key == 'PATH' else real(self, key, default))\n"
    ),
    "getitem": (
        "real = cls.__getitem__\n"
        "cls.__getitem__ = lambda self, key: d if key == 'PATH' else real(self, key)\n"
    ),
    "data": "os.environ._data[b'PATH'] = os.fsencode(d)\n",
}

RUN = "subprocess.run(['true'])\n"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_path_os_environ_answers_otherwise_is_refused(kernel, form):
    code = PLANT.format(line=kernel.uv_install()) + FORMS[form] + RUN
    refusal = kernel.proves(code)
    assert "PATH" in refusal, refusal


def test_the_ordinary_start_runs(kernel):
    result = kernel.cell(
        "import subprocess\nassert subprocess.run(['true']).returncode == 0\n", True
    )
    assert result["refused"] is None, result
