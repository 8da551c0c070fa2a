"""A running kernel's update file (kernel/guard/__init__.py ``_poll_update_file``) that cannot be
parsed, e.g. nested deeper than the parser's recursion limit, is refused once like any unreadable
update: the last good policy stays, status() and one event say why, loads keep working, and a
later genuine update is still taken (red-team finding F2)."""

import json
import subprocess
import sys
from pathlib import Path

import jupyterlab_warden

ROOT = str(Path(jupyterlab_warden.__file__).resolve().parents[1])

_KERNEL = r"""
import json, pickle, sys
from jupyterlab_warden.kernel import guard
from jupyterlab_warden.kernel.guard import authority

path, key = sys.argv[1], b"k" * 32
events = []
state = guard.install({"revision": 3}, emit=events.append, update_key=key, update_file=path)
assert state is not None
out = {"loads": []}

def load(n):
    try:
        out["loads"].append(pickle.loads(pickle.dumps([n])))
    except BaseException as exc:  # the finding: RecursionError out of every load
        out["loads"].append(type(exc).__name__)

# the file itself nested 100000 deep, then an envelope whose message is
for text in ("[" * 100000 + "]" * 100000,
             json.dumps({"message": "[" * 100000 + "]" * 100000, "mac": "x"})):
    with open(path, "w") as fh:
        fh.write(text)
    load(1)
    load(2)
out["revision_after_bad"] = guard.status()["policy_revision"]
envelope = authority.seal(key, kernel_id="k", counter=1, policy_json=json.dumps({"revision": 9}),
                          policy_file=None, rules={})
with open(path, "w") as fh:
    json.dump(envelope, fh)
load(3)
status = guard.status()
out.update(revision=status["policy_revision"], refused=status["policy_updates_refused"],
           errors=status["errors"], rules=[e["rule_id"] for e in events])
print(json.dumps(out))
"""


def test_a_deeply_nested_update_file_is_refused_once_and_later_updates_still_apply(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", _KERNEL, str(tmp_path / "update.json")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": ROOT, "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["loads"] == [[1], [2], [1], [2], [3]]  # no load raised
    assert out["revision_after_bad"] == 3  # the last good policy kept
    assert out["revision"] == 9  # a genuine update after the bad file is still taken
    # the unparsable file: refused once (seen before parsing), with an event and a reason;
    # the nested message names no counter: not news (an older or foreign envelope), ignored
    assert out["refused"] == 1
    assert out["rules"] == ["guard-policy-refused"]
    assert any("not readable JSON" in e and "nested too deeply" in e for e in out["errors"])
