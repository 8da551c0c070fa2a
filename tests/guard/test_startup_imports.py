"""Guard start-up cost stays small (issue 15: < 50 ms in a new kernel). A Python started with
the launch site dir installs the guard from a pinned policy file without loading (each was
measured on bench/guard_startup.py):
- OpenSSL (hashlib/hmac), typing, sysconfig;
- json, re, enum (json imports them: 40% of what remained; kernel/json_read.py reads JSON
  with json's C scanner), fnmatch, pickle.py;
- the format loaders' family modules (they load on the first import of a module they patch:
  tests/guard/test_lazy_format_loaders.py);
- the signature verifier's file helpers (shutil, tempfile, base64), urllib.parse (the default
  hub endpoint is not parsed), importlib.util;
- _pickle (functools, collections: WardenBlockedLoad is made on first use, guard/errors.py;
  only multiprocessing children keep the original unpickler at start, boot/mp_children.py),
  threading (the guard uses _thread's lock and local), collections (scan/records.py);
- weakref, importlib, warnings, mmap (on first use), types (scan/pytypes.py);
- in a kernel (WARDEN_KERNEL_STATUS): json for its status file (kernel/json_write.py) and the
  package inventory recorder, which starts a little later on its own thread.
And the pinned digest is still enforced on that lean path: an altered file is refused, and a
malicious pickle is still refused there (the lazily made WardenBlockedLoad)."""

import hashlib
import json
import os
import pickle
import subprocess
import sys

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

FAMILIES = (
    "arrow_arrays",
    "hf_remote_code",
    "hf_scripts",
    "hydra_targets",
    "jinja_templates",
    "keras_models",
    "onnx_models",
    "skops_files",
    "tf_savedmodels",
    "torch_packages",
    "torchscript_archives",
    "yaml_documents",
)
# loaded later, when (if ever) they are needed
LATE = (
    ("_hashlib", "hashlib", "hmac", "typing", "sysconfig")
    + ("json", "re", "enum", "fnmatch", "pickle")  # kernel/json_read.py: json's C scanner
    + ("shutil", "tempfile", "base64", "urllib.parse", "ipaddress", "importlib.util")
    + ("_pickle", "threading", "functools", "collections")
    + ("weakref", "_weakrefset", "importlib", "warnings", "types", "mmap")
    + tuple(f"jupyterlab_warden.kernel.guard.format_loaders.{f}" for f in FAMILIES)
    + ("jupyterlab_warden.kernel.guard.format_loaders.judging",)
)

PROBE = (
    "import sys\n"
    f"late = {LATE!r}\n"
    "late = [m for m in late if m in sys.modules]\n"
    "box = []\n"
    "sys.audit('jupyterlab_warden.kernel.guard', 'ping', None, box)\n"
    "import json\n"
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


KERNEL_LATE = ("jupyterlab_warden.kernel.guard.installs.inventory",)
KERNEL_PROBE = (
    "import sys\n"
    f"late = {LATE + KERNEL_LATE!r}\n"
    "late = [m for m in late if m in sys.modules]\n"
    "import os, pickle, time\n"
    "spool, payload = sys.argv[1], bytes.fromhex(sys.argv[2])\n"
    "try:\n"
    "    pickle.loads(payload)\n"
    "    refused = None\n"
    "except pickle.UnpicklingError as exc:\n"
    "    refused = type(exc).__name__\n"
    "inventory = os.path.join(spool, f'packages-{os.getpid()}.json')\n"
    "deadline = time.monotonic() + (60 if sys.argv[3:] == ['wait'] else 0)\n"
    "while not os.path.exists(inventory) and time.monotonic() < deadline:\n"
    "    time.sleep(0.1)\n"
    "import json\n"
    "print(json.dumps({'loaded': late, 'refused': refused,"
    " 'inventory': os.path.exists(inventory)}))\n"
)


class _Touch:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_a_kernel_starts_lean_reports_its_status_and_records_its_packages_later(tmp_path):
    """The kernel path (WARDEN_KERNEL_STATUS): the status file is JSON the lab reads, json and
    the inventory recorder are not loaded at start, the recorder still writes its file, and a
    malicious pickle is refused (WardenBlockedLoad, made on first use) - the same payload runs
    without the site dir (its marker appears)."""
    data = json.dumps({"schema_version": 1, "revision": 3}).encode()
    policy, spool, status = tmp_path / "policy.json", tmp_path / "spool", tmp_path / "k.json"
    policy.write_bytes(data)
    spool.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.update(
        PYTHONPATH=SITE_DIR,
        WARDEN_POLICY_FILE=str(policy),
        WARDEN_POLICY_SHA256=hashlib.sha256(data).hexdigest(),
        WARDEN_KERNEL_STATUS=str(status),
        WARDEN_EVENT_SPOOL=str(spool),
    )
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Touch(marker), protocol=2).hex()
    argv = [sys.executable, "-c", KERNEL_PROBE, str(spool), payload]
    out = subprocess.run(argv + ["wait"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"loaded": [], "refused": "WardenBlockedLoad", "inventory": True}
    assert not marker.exists()
    report = json.loads(status.read_text())
    assert report["installed"] is True and report["policy_revision"] == 3
    assert report["policy_pinned"] is True and report["errors"] == []
    assert report["pid"] > 0 and isinstance(report["startup_ms"], float)
    # the payload proves itself: without the site dir it runs
    plain = {k: v for k, v in env.items() if k != "PYTHONPATH" and not k.startswith("WARDEN_")}
    out = subprocess.run(argv, env=plain, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert marker.exists()


def test_the_startup_check_lists_every_format_family():
    from jupyterlab_warden.kernel.guard.format_loaders import targets

    assert set(FAMILIES) == set(targets.FAMILIES)


def test_the_default_hub_endpoint_taken_unparsed_is_what_parsing_it_gives():
    from jupyterlab_warden.kernel.guard.provenance.policy import (
        OFFICIAL_ENDPOINT,
        HubPolicy,
        endpoint_origin,
    )

    assert endpoint_origin(OFFICIAL_ENDPOINT) == OFFICIAL_ENDPOINT
    problems = []
    assert HubPolicy({}, problems).endpoints == frozenset((OFFICIAL_ENDPOINT,))
    assert problems == []
