"""Guard start-up cost stays small (issue 15: < 50 ms in a new kernel): a Python started with the
launch site dir installs the guard from a pinned policy file without loading OpenSSL
(hashlib/hmac), typing or sysconfig, which together were a quarter of what the guard added to
every interpreter's start (bench/guard_startup.py). And the pinned digest is still enforced on
that lean path: an altered file is refused."""

import hashlib
import json
import os
import subprocess
import sys

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

PROBE = (
    "import json, sys\n"
    "box = []\n"
    "sys.audit('jupyterlab_warden.kernel.guard', 'ping', None, box)\n"
    "late = ('_hashlib', 'hashlib', 'hmac', 'typing', 'sysconfig')\n"
    "late = [m for m in late if m in sys.modules]\n"
    "print(json.dumps({'status': box[0] if box else None, 'loaded': late}))\n"
)


def start_guarded(tmp_path, policy_bytes: bytes, digest: str) -> dict:
    policy = tmp_path / "policy.json"
    policy.write_bytes(policy_bytes)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.update(
        PYTHONPATH=SITE_DIR,
        WARDEN_POLICY_FILE=str(policy),
        WARDEN_POLICY_SHA256=digest,
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_guard_starts_from_a_pinned_policy_without_openssl_typing_or_sysconfig(tmp_path):
    data = json.dumps({"schema_version": 1, "revision": 7, "pickle": {"mode": "strict"}}).encode()
    result = start_guarded(tmp_path, data, hashlib.sha256(data).hexdigest())
    status = result["status"]
    assert status["installed"] is True and status["policy_pinned"] is True
    assert status["policy_revision"] == 7 and not status.get("errors")
    assert result["loaded"] == []


def test_an_altered_pinned_policy_is_still_refused_on_the_lean_path(tmp_path):
    good = json.dumps({"schema_version": 1, "revision": 7, "pickle": {"mode": "audit"}}).encode()
    altered = good.replace(b"audit", b"audiT")
    result = start_guarded(tmp_path, altered, hashlib.sha256(good).hexdigest())
    status = result["status"]
    assert status["installed"] is True and status["policy_pinned"] is False
    assert any("altered" in str(e) for e in status["errors"])
    assert status["policy_revision"] != 7
