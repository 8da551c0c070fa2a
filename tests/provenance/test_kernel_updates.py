"""The lab's per-kernel update files: a change that could not be written to a running kernel
is written on a later round, not dropped (red-team finding F1)."""

import os

import jupyterlab_warden.lab.kernel_updates as kernel_updates
from jupyterlab_warden.kernel.boot.launch_keys import KernelKeys
from jupyterlab_warden.kernel.guard import authority
from jupyterlab_warden.lab.kernel_updates import KernelUpdates


class _Policies:
    kernel_policy = None

    def for_user(self):
        return {"revision": 1}


class _Fleet:
    def __init__(self):
        self.word = {"banned": []}

    def for_kernels(self):
        return dict(self.word)


def _artifacts_in(path, key):
    import json

    with open(path, encoding="utf-8") as fh:
        envelope = json.load(fh)
    assert authority.mac(key, envelope["message"]) == envelope["mac"]
    return json.loads(envelope["message"]).get("artifacts")


def test_a_change_the_kernel_could_not_receive_is_written_next_round(tmp_path, monkeypatch):
    monkeypatch.setattr(kernel_updates, "runtime_rules", lambda: {})
    keys = KernelKeys(str(tmp_path / "keys"))
    with open(keys.issue("k1"), "rb") as fh:  # the key file the kernel reads
        key = fh.read()
    fleet = _Fleet()
    updates = KernelUpdates(_Policies(), keys, fleet)
    assert updates.push_if_changed() == 1
    path = keys.update_path("k1")

    # the round that carries a ban cannot write the file (here a folder in its place)
    os.unlink(path)
    os.mkdir(path)
    fleet.word = {"banned": ["a" * 64]}
    assert updates.push_if_changed() == 0

    os.rmdir(path)
    assert updates.push_if_changed() == 1
    assert _artifacts_in(path, key) == {"banned": ["a" * 64]}
    assert updates.push_if_changed() == 0  # written once: nothing more to do
