"""The scanner CLI verifies signatures as the guard does (issue 19): a real process, real
signatures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from signing_helpers import KeyPair, flip_one_byte, signature_policy

REPO = Path(__file__).resolve().parents[2]


def _scan(*args):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _array_file(path):
    np.save(path, np.arange(32, dtype=np.float32))
    return path


def test_cli_verifies_signatures(tmp_path):
    ours, theirs = KeyPair(tmp_path, "ours"), KeyPair(tmp_path, "theirs")
    public = tmp_path / "ours.pub"
    public.write_text(ours.public_pem)
    signed = _array_file(tmp_path / "signed.npy")
    ours.sign(signed, tmp_path / "signed.npy.sig")
    unsigned = _array_file(tmp_path / "unsigned.npy")
    stranger = _array_file(tmp_path / "stranger.npy")
    theirs.sign(stranger, tmp_path / "stranger.npy.sig")
    altered = _array_file(tmp_path / "altered.npy")
    ours.sign(altered, tmp_path / "altered.npy.sig")
    flip_one_byte(altered)

    ok = _scan("--trusted-key", public, "--require-signature", signed)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"signature: valid (signer: {public})" in ok.stdout

    for path, status in ((unsigned, "UNSIGNED"), (stranger, "UNTRUSTED"), (altered, "INVALID")):
        refused = _scan("--trusted-key", public, "--require-signature", path)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert f"signature: {status}" in refused.stdout


def test_cli_takes_the_policy_file(tmp_path):
    ours = KeyPair(tmp_path, "ours")
    policy = signature_policy({"paths": [str(tmp_path / "release") + "/*"]}, keys=[ours])
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps(policy))
    (tmp_path / "release").mkdir()
    required = _array_file(tmp_path / "release" / "weights.npy")
    free = _array_file(tmp_path / "weights.npy")
    result = _scan("--policy", policy_file, "--format", "json", required, free)
    assert result.returncode == 1
    docs = {Path(d["path"]).parent.name: d["signature"] for d in json.loads(result.stdout)}
    assert docs["release"]["status"] == "unsigned" and docs["release"]["required"]
    assert docs[tmp_path.name]["required"] is None
    ours.sign(required, Path(str(required) + ".sig"))
    assert _scan("--policy", policy_file, required, free).returncode == 0
