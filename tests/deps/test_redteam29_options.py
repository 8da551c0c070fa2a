"""Red team 29a R29a-7: a ``-`` in a Python's flag cluster, read as CPython's getopt reads it.

CPython's getopt reads a ``-`` inside a cluster as the start of a long option, and one alone
at the cluster's end as the end of the options: ``python3 -I- train.py`` runs train.py
isolated, without PYTHONPATH and so without Warden's guard. Warden read ``-I-`` as an option
CPython does not have, and never read the script, which names an installer. Both readers of a
Python's options (``commands.python_start`` and ``_drops_guard``, and their TypeScript twins)
now follow getopt; the proofs run for real (the package lands without Warden; with Warden the
cell is refused and the index sees no request).
"""

import shlex
import sys

import pytest
from launched import installed

from jupyterlab_warden.kernel.guard.installs import commands

SCRIPT = (
    "import os\nopen('train.py', 'w').write('import os\\nos.system(' + repr({line!r}) + ')\\n')\n"
)
STARTS = {
    "subprocess": "import subprocess, sys\nsubprocess.run([sys.executable, '-I-', 'train.py'])\n",
    "shell-line": f"os.system({shlex.join([sys.executable, '-sE-', 'train.py'])!r})\n",
    "flock": f"os.system({shlex.join(['flock', 'lk', sys.executable, '-I-', 'train.py'])!r})\n",
    "long-in-cluster": (
        "import subprocess, sys\nsubprocess.run([sys.executable, "
        "'-I-check-hash-based-pycs', 'always', 'train.py'])\n"
    ),
}


@pytest.mark.parametrize("start", list(STARTS))
def test_a_dash_in_a_flag_cluster_is_read_as_cpython_reads_it(kernel, start):
    installed("flock")
    code = SCRIPT.replace("{line!r}", repr(kernel.uv_install())) + STARTS[start]
    refused = kernel.proves(code)
    # flock's command is read by its words: a Python there that drops the guard may install
    named = "flock may run an installer" if start == "flock" else "without Warden's guard"
    assert named in refused, refused


@pytest.mark.parametrize(
    "args, mode, target, drops",
    [
        (["-I-", "t.py"], "script", "t.py", True),
        (["-u-", "t.py", "-I"], "script", "t.py", False),  # -I is the script's argument
        (["-I-check-hash-based-pycs", "always", "t.py"], "script", "t.py", True),
        (["-u-help"], None, None, False),  # prints CPython's help: no code runs
        (["-u-nosuch", "t.py"], "unknown", "--nosuch", False),  # CPython stops there
    ],
)
def test_what_each_form_runs(args, mode, target, drops):
    assert commands.python_start(args)[:2] == (mode, target)
    assert commands._drops_guard(args) is drops
