"""The guard's side of policy integrity (kernel/guard/authority.py) and the server's key
registry (kernel/boot/launch_keys.py): signatures, replays, pinned files, one-use key files."""

import json
import os
import stat

from jupyterlab_warden.kernel.boot.launch_keys import KernelKeys
from jupyterlab_warden.kernel.guard import authority

POLICY = {"schema_version": 1, "revision": 4, "pickle": {"mode": "default"}}


def update(keys, kernel_id, policy=POLICY):
    return keys.seal(
        kernel_id, policy_json=json.dumps(policy), policy_file="/x/policy-abc.json", rules={}
    )


def guard_for(keys, kernel_id):
    path = keys.issue(kernel_id)
    key, error = authority.take_key_file(path)
    assert error is None and not os.path.exists(path)  # one use: unlinked on read
    return authority.UpdateAuthority(key)


def test_a_signed_update_is_accepted_once_and_an_older_one_never(tmp_path):
    keys = KernelKeys(str(tmp_path / "keys"))
    guard = guard_for(keys, "k1")
    first, second = update(keys, "k1"), update(keys, "k1", dict(POLICY, revision=5))
    body, why = guard.accept(second)
    assert why is None and body["policy"]["revision"] == 5
    assert guard.accept(first) == (None, "the update is older than one already applied (a replay)")
    assert guard.accept(second)[0] is None  # the same one again is a replay too


def test_altered_unsigned_and_foreign_updates_are_refused(tmp_path):
    keys = KernelKeys(str(tmp_path / "keys"))
    guard = guard_for(keys, "k1")
    guard_for(keys, "k2")
    envelope = update(keys, "k1")
    altered = dict(envelope, message=envelope["message"].replace('"counter": 1', '"counter": 9'))
    assert altered["message"] != envelope["message"]
    assert "does not match" in guard.accept(altered)[1]
    assert "not signed" in guard.accept(POLICY)[1]
    assert "not signed" in guard.accept({"message": envelope["message"]})[1]
    assert "does not match" in guard.accept(update(keys, "k2"))[1]  # another kernel's key
    assert "no policy-update key" in authority.UpdateAuthority(None).accept(envelope)[1]
    assert guard.accept(envelope)[1] is None  # the genuine one still works after all that


def test_a_policy_file_is_read_only_if_its_bytes_match_the_pinned_digest(tmp_path):
    path = tmp_path / "policy.json"
    data = json.dumps(POLICY).encode()
    path.write_bytes(data)
    assert authority.read_pinned_policy(str(path), authority.digest(data)) == (POLICY, None)
    assert authority.read_pinned_policy(str(path), None) == (POLICY, None)  # not pinned
    path.write_bytes(json.dumps(dict(POLICY, pickle={"mode": "audit"})).encode())
    policy, why = authority.read_pinned_policy(str(path), authority.digest(data))
    assert policy is None and "altered" in why


def test_key_files_are_private_and_forgotten_with_the_kernel(tmp_path):
    keys = KernelKeys(str(tmp_path / "keys"))
    path = keys.issue("k1")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "keys").st_mode) == 0o700
    keys.forget("k1")
    assert not os.path.exists(path) and keys.seal("k1", policy_json="{}") is None
    _, why = authority.take_key_file(path)
    assert "unreadable" in why
