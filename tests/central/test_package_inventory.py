"""Package inventory end to end (issue 20): a real lab server starts a real kernel with the
launch-time guard; the kernel imports a vulnerable version of a package; the lab's status
post carries it, flagged from the shipped OSV snapshot; the real central shows it to admins."""

import pytest
from labserver_harness import LabServer, wait_for

FAKE_SKOPS = '''
import os, sys
site = os.path.join(os.environ["WARDEN_TEST_SITE"])
sys.path.insert(0, site)
import skops  # the fake 0.12.0 below: affected by CVE-2025-54886
'''


def _fake_site(tmp_path):
    """A site folder holding skops 0.12.0 (a dist-info and a module; no code of the real one)."""
    site = tmp_path / "site"
    (site / "skops").mkdir(parents=True)
    (site / "skops" / "__init__.py").write_text("__version__ = '0.12.0'\n")
    info = site / "skops-0.12.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: skops\nVersion: 0.12.0\n")
    (info / "top_level.txt").write_text("skops\n")
    return site


def test_a_kernels_vulnerable_import_reaches_central_flagged(tmp_path, real_central, monkeypatch):
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-import-skops.py").write_text(FAKE_SKOPS)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("WARDEN_TEST_SITE", str(_fake_site(tmp_path)))
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
    lab.start()
    try:
        status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201, kernel

        def flagged_at_central():
            status, body = real_central.request("GET", "/api/v1/admin/packages?flagged=true")
            assert status == 200, body
            rows = [p for p in body["packages"] if p["name"] == "skops"]
            return rows[0] if rows else None

        row = wait_for(flagged_at_central, 120, 0.5, "central to list the flagged skops")
        assert row["version"] == "0.12.0"
        assert row["advisories"] == ["CVE-2025-54886"]
        assert [(lab_row["lab"], lab_row["imported"]) for lab_row in row["labs"]] == [
            ("lab-a", True)
        ]
        # unflagged packages are there too, and not in the flagged view
        status, body = real_central.request("GET", "/api/v1/admin/packages?name=ipykernel")
        assert status == 200 and body["packages"] and not body["packages"][0]["advisories"]
        assert body["packages"][0]["labs"][0]["imported"] is True
    finally:
        lab.stop()
