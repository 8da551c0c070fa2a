"""The indexes of the request Warden reads from pip's resolved options (``resolved``), in a
child Python without a guard or the machine's pip settings: pip's ``parse_args`` in the test
process would be the guard's, were one installed there by an earlier test of the run."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROLES = ("index", "extra-index", "default-index")
_CHILD = """
import json, os, sys
from pip._internal.commands import create_command
from jupyterlab_warden.kernel.guard.installs.resolved import pip_request_from_options
options, args = create_command("install").parse_args(json.loads(sys.argv[1]))
request = pip_request_from_options("install", options, args, os.getcwd(), dict(os.environ))
roles = json.loads(sys.argv[2])
print(json.dumps([s.url for s in request.sources if s.role in roles]))
"""


def index_urls(folder, args, env=None) -> list:
    """The index URLs of ``pip install ARGS`` run in ``folder`` with ``env`` (PIP_* of its
    own only; no config file but PIP_CONFIG_FILE's)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    clean.pop("PYTHONPATH", None)
    clean.update({"PIP_CONFIG_FILE": os.devnull, "HOME": str(folder)})
    clean["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # this checkout's package
    clean.update(env or {})
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args), json.dumps(ROLES)],
        cwd=folder, env=clean, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)
