"""Kernel guard coverage reported to central: what the lab sends (pure), and a real lab with
a guarded and an unguarded real kernel seen by the real central over HTTP."""

import json
import sys

import pytest
from events_for_tests import kernel_event
from labserver_harness import LabServer, wait_for

from jupyterlab_warden.lab.central.status_reporter import (
    MAX_KERNELS_LISTED,
    UNGUARDED_REASONS,
    kernel_coverage,
)

KERNEL_ID = "0123abcd-4567-89ef-0123-456789abcdef"


def test_coverage_lists_unguarded_kernels_by_label_and_reason_code_only():
    kernels = [
        {"kernel_id": KERNEL_ID, "guard_active": True, "mode": "enforce", "policy_revision": 3},
        {
            "kernel_id": "deadbeef-0000",
            "guard_active": False,
            "reason": "no start-up report: the kernel was not launched by /srv/alice/x",
        },
        {
            "kernel_id": "cafe0000-1111",
            "guard_active": False,
            "since": "2026-11-30T08:00:00+00:00",
            "mode": "audit",
            "policy_revision": 7,
            "errors": ["cannot read /home/alice/.secret"],
        },
        {"kernel_id": "feed0000", "guard_active": False, "reason": "unreadable start-up report"},
        {"kernel_id": "bead0000", "guard_active": False, "reason": "the report is from pid 5"},
    ]
    out = kernel_coverage(kernels)
    assert (out["total"], out["guarded"], out["truncated"]) == (5, 1, False)
    assert [(k["kernel"], k["reason"]) for k in out["unguarded"]] == [
        ("deadbeef", "no_report"),
        ("cafe0000", "guard_errors"),
        ("feed0000", "report_unreadable"),
        ("bead0000", "report_mismatch"),
    ]
    assert out["unguarded"][1]["mode"] == "audit"
    assert out["unguarded"][1]["policy_revision"] == 7
    text = json.dumps(out)
    assert "/home/alice" not in text and "/srv/alice" not in text and KERNEL_ID[:9] not in text
    assert all(k["reason"] in UNGUARDED_REASONS for k in out["unguarded"])


def test_coverage_is_bounded_and_says_when_launch_guard_is_off():
    many = [{"kernel_id": f"{i:08x}-x"} for i in range(MAX_KERNELS_LISTED + 7)]
    out = kernel_coverage(many, launch_guard=False)
    assert out["total"] == MAX_KERNELS_LISTED + 7 and out["guarded"] == 0
    assert len(out["unguarded"]) == MAX_KERNELS_LISTED and out["truncated"] is True
    assert {k["reason"] for k in out["unguarded"]} == {"launch_guard_off"}
    # With the launch guard off nothing vouches for a kernel, whatever its entry says.
    claimed = kernel_coverage([{"kernel_id": "k", "guard_active": True}], launch_guard=False)
    assert claimed["guarded"] == 0


def bare_kernelspec(data_dir):
    """A kernelspec as an admin might have left it: `python -I` ignores PYTHONPATH, so the
    launch-time guard's sitecustomize never loads (docs/threat-model.md names this case)."""
    spec = data_dir / "kernels" / "bare"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "bare", "language": "python"})
    )


def test_central_lists_the_lab_with_its_unguarded_kernel(tmp_path, real_central):
    lab = LabServer(
        tmp_path / "lab",
        {
            "central_url": real_central.url,
            "central_token": real_central.lab_token,
            "central_public_keys": real_central.public_keys(),
            "central_status_interval": 0.5,
            "lab_id": "lab-a",
        },
    )
    bare_kernelspec(lab.workdir / "data")
    lab.start()
    try:
        ids = []
        for name in ("python3", "bare"):
            status, kernel = lab.request("POST", "/api/kernels", {"name": name})
            assert status == 201, kernel
            ids.append(kernel["id"])

        def lab_status_settled():
            status, body = lab.request("GET", "/warden/status")
            kernels = {k["kernel_id"]: k for k in body["kernels"]}
            # the guarded kernel writes its start-up report once its interpreter is up
            return len(kernels) == 2 and kernels[ids[0]]["guard_active"]

        wait_for(lab_status_settled, 120, 0.3, "the guarded kernel's start-up report")

        def reported():
            lab_a = real_central.labs().get("lab-a") or {}
            kernels = lab_a.get("kernels")
            return lab_a if kernels and kernels["total"] == 2 and kernels["guarded"] == 1 else None

        row = wait_for(reported, 60, 0.3, "central to hold the lab's kernel coverage")
        assert row["unguarded_kernels"] == 1
        assert row["kernels"]["unguarded"] == [
            {
                "kernel": ids[1][:8],
                "reason": "no_report",
                "since": None,
                "mode": None,
                "policy_revision": None,
            }
        ]
        # A runtime event as a kernel reports it (absolute notebook path) reaches central with
        # `where` relative to the lab's root, like static findings, and with its user.
        notebook = lab.workdir / "root" / "work" / "train.ipynb"
        runtime = kernel_event(1, location={"path": str(notebook), "cell_id": "c1"})
        assert lab.post_events([runtime])[0]["status"] == "accepted"

        def stored():
            found = [e for e in real_central.events() if e["event_id"] == runtime["event_id"]]
            return found[0] if found else None

        at_central = wait_for(stored, 60, 0.3, "central to store the runtime event")
        assert at_central["location"] == {"path": "work/train.ipynb", "cell_id": "c1"}
        assert isinstance(at_central["user"], str) and at_central["user"]
        # The bare kernel stops: the next report says every kernel is guarded.
        assert lab.request("DELETE", f"/api/kernels/{ids[1]}")[0] == 204
        wait_for(
            lambda: real_central.labs()["lab-a"]["unguarded_kernels"] == 0,
            60,
            0.3,
            "central to see the unguarded kernel gone",
        )
    finally:
        lab.stop()
