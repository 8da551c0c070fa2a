"""Run one command in a fresh Python process whose guard holds the given policy.

    python guarded_run.py POLICY_JSON_FILE|--unguarded SHELL|ARGV_JSON|{"argv": ..., "cwd": ...}

Guarded, prints one JSON line: {"refused": message or null, "returncode": int or null};
--unguarded (the control run) exits with the command's own status.
"""

import json
import subprocess
import sys

from jupyterlab_warden.kernel import guard

command = json.loads(sys.argv[2])
cwd = None
if isinstance(command, dict):  # an argv started in another folder (Popen's cwd)
    command, cwd = command["argv"], command["cwd"]
if sys.argv[1] == "--unguarded":  # the control run: the command's own exit status, no guard
    sys.exit(subprocess.run(command, shell=isinstance(command, str), cwd=cwd).returncode)
with open(sys.argv[1], encoding="utf-8") as fh:
    policy = json.load(fh)
assert guard.install(policy) is not None
try:
    completed = subprocess.run(command, shell=isinstance(command, str), check=False, cwd=cwd)
    print(json.dumps({"refused": None, "returncode": completed.returncode}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "returncode": None, "type": type(exc).__name__}))
