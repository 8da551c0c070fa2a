"""bootstrap_source works in a bare interpreter: no site-packages, no jupyterlab_warden."""

import json
import subprocess
import sys

from jupyterlab_warden.lab.bootstrap import EMBEDDED_PACKAGE, bootstrap_source, embedded_sources


def test_bootstrap_runs_in_isolated_interpreter_without_the_package(tmp_path):
    boot = tmp_path / "boot.py"
    boot.write_text(
        bootstrap_source({"schema_version": 1, "revision": 2, "pickle": {"mode": "strict"}})
    )
    marker = tmp_path / "PWNED"
    code = f"""
import json, pickle, sys
ns = {{}}
exec(open({str(boot)!r}).read(), ns)
status = json.loads(ns["_warden_guard_status"])
try:
    import jupyterlab_warden
    importable = True
except ImportError:
    importable = False
class P:
    def __reduce__(self):
        import os
        return os.system, ("touch {marker}",)
try:
    pickle.loads(pickle.dumps(P()))
    blocked = None
except pickle.UnpicklingError as exc:
    blocked = type(exc).__name__
exec(open({str(boot)!r}).read(), ns)  # a second bootstrap keeps one guard
again = json.loads(ns["_warden_guard_status"])
print(json.dumps({{"status": status, "importable": importable, "blocked": blocked,
                  "again": again, "modules": sorted(m for m in sys.modules if "warden" in m)}}))
"""
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["importable"] is False
    assert result["status"]["installed"] is True
    assert result["status"]["mode"] == "strict"
    assert result["blocked"] == "WardenBlockedLoad"
    assert result["again"]["counts"]["loads_blocked"] == 1
    assert not marker.exists()
    assert "jupyterlab_warden" not in result["modules"]


def test_embedded_sources_are_the_guard_and_scanner_only():
    names = set(embedded_sources())
    assert EMBEDDED_PACKAGE + ".guard" in names and EMBEDDED_PACKAGE + ".scan.opcodes" in names
    assert not any(n.endswith((".launch", ".kernelspec", "__main__")) for n in names)


def test_broken_bootstrap_reports_instead_of_raising(tmp_path):
    src = bootstrap_source({"pickle": {"mode": "nonsense"}})
    ns = {}
    # the policy's bad mode is reported in status errors; the guard still installs (default mode)
    code = src.replace("_warden_guard_status", "_status_for_test")
    script = tmp_path / "boot.py"  # the source is larger than one command-line argument may be
    script.write_text(code + "\nimport json; print(_status_for_test)")
    # The child reads the file itself: this test process may hold a guard (installed by other
    # tests) whose install gate refuses a guard-less Python whose script mentions an installer.
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            "import sys; exec(open(sys.argv[1]).read())",
            str(script),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    status = json.loads(out.stdout)
    assert status["installed"] is True and status["mode"] == "default"
    assert "ignored" in status["errors"][0]
    assert ns == {}
