"""Fleet advisories end to end (issue 20): the admin imports OSV files into a policy with
central's own command line; the real central signs and serves it; a real lab server adopts it
and starts a real kernel with the launch-time guard. In that kernel a ``%pip install`` of a
package the policy's advisory names is refused before pip starts (the index served nothing),
with the advisory id in the cell and in the event central stores; the package inventory
flags an installed version by the policy's other advisory. A malformed or oversized list is
refused by central (clear error, previous revision kept) and, signed anyway, by the lab."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from guard_owner import harness_starts
from labserver_harness import LabServer, wait_for
from real_central import CENTRAL_DIR
from test_with_real_central import lab_settings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "deps"))
sys.path.insert(0, str(HERE.parent / "gate"))
from install_env import child_env  # noqa: E402
from kernel_ws import KernelWebsocket, run  # noqa: E402
from local_index import LocalIndex, build_wheel  # noqa: E402

MALWARE_ID = "MAL-2026-4242"
VULN_ID = "GHSA-wrdn-test-0001"

# As osv.dev publishes them: fields Warden does not carry (details, references, other
# database_specific keys, a GIT range) are dropped by the import, not refused.
OSV_FILE = {
    "vulns": [
        {
            "schema_version": "1.6.0",
            "id": MALWARE_ID,
            "modified": "2026-11-29T00:00:00Z",
            "summary": "Malicious code in acme-internal-tools (PyPI)",
            "details": "A squat of Acme's internal package name on the public index.",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "acme-internal-tools"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
                    "versions": ["1.0"],
                    "database_specific": {"source": "internal"},
                }
            ],
            "references": [{"type": "REPORT", "url": "https://security.example/acme"}],
            "database_specific": {"malicious-packages-origins": [{"source": "acme"}]},
        },
        {
            "id": VULN_ID,
            "summary": "acme-ml before 2.0 runs code from a model file",
            "aliases": ["CVE-2026-99999"],
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "acme-ml"},
                    "ranges": [
                        {
                            "type": "GIT",
                            "repo": "https://git.example/acme-ml",
                            "events": [{"introduced": "0"}],
                        },
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]},
                    ],
                }
            ],
        },
    ]
}

IMPORT_ACME_ML = """
import os, sys
sys.path.insert(0, os.environ["WARDEN_TEST_SITE"])
import acme_ml  # 1.0 below: affected by the policy's advisory only
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "acme_ml").mkdir(parents=True)
    (site / "acme_ml" / "__init__.py").write_text("VALUE = 1\n")
    info = site / "acme_ml-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-ml\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("acme_ml\n")
    return site


def import_advisories(central, *files, name="default"):
    """The admin's `advisories import` (central's CLI). A harness start like RealCentral's own:
    a worker of `pytest -n 2` may hold the process guard of an earlier test file, whose default
    policy would refuse this `node` start (a serial run reached tests/central first)."""
    env = dict(os.environ, WARDEN_ADMIN_TOKEN=central.admin_token)
    with harness_starts():
        return subprocess.run(
            [
                "node",
                "dist/main.js",
                "advisories",
                "import",
                *map(str, files),
                "--policy",
                name,
                "--central",
                central.url,
            ],
            cwd=CENTRAL_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )


def execute(lab, kernel_id, code, timeout=240):
    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code, timeout=timeout)

    reply, iopub = run(scenario())
    text = "".join(m["content"].get("text", "") for m in iopub if m["msg_type"] == "stream")
    return reply["content"], text


@pytest.fixture()
def index(tmp_path):
    root = tmp_path / "index"
    root.mkdir()
    server = LocalIndex(root, [build_wheel(root, "acme-internal-tools")])
    yield server
    server.close()


def test_a_policy_advisory_refuses_the_install_and_flags_the_inventory(
    tmp_path, real_central, index, monkeypatch
):
    # the local index is plain HTTP on 127.0.0.1: the static rule against HTTP indexes would
    # stop the cell at the server gate before the kernel guard is reached
    real_central.put_policy(
        "default",
        {
            "trusted_sources": {"package_indexes": [index.simple]},
            "rules": {"pip-http-index": {"action": "off"}},
        },
    )
    osv = tmp_path / "osv.json"
    osv.write_text(json.dumps(OSV_FILE))
    done = import_advisories(real_central, osv)
    assert done.returncode == 0, done.stderr
    assert "revision 2" in done.stdout and MALWARE_ID in done.stdout, done.stdout

    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-import-acme-ml.py").write_text(IMPORT_ACME_ML)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("WARDEN_TEST_SITE", str(_site(tmp_path)))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    lab = LabServer(tmp_path / "lab", lab_settings(real_central)).start()
    try:
        wait_for(
            lambda: lab.pipeline_status()["central"]["policy"]["revision"] == 2,
            60,
            0.2,
            "revision 2 at the lab",
        )
        status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201, kernel
        target, log = tmp_path / "target", tmp_path / "pip.log"

        # without the advisory the index serves this wheel (proved below: the policy alone
        # makes the difference, the name is no imitation and the index is allowed)
        content, text = execute(
            lab,
            kernel["id"],
            f"%pip install --no-deps --target {target} --log {log} "
            f"--index-url {index.simple} acme-internal-tools",
        )
        assert "Jupyter Warden refused" in text and MALWARE_ID in text, (content, text)
        assert not log.exists(), "pip started"
        assert index.requests == [] and not target.exists()

        def refusal_at_central():
            found = [e for e in real_central.events() if e["rule_id"] == "install-known-malicious"]
            return found or None

        [event] = wait_for(refusal_at_central, 90, 0.5, "the refusal event at central")
        assert event["action"] == "blocked"
        assert event["evidence"]["advisories"] == [MALWARE_ID]
        assert MALWARE_ID in event["message"]

        def flagged_at_central():
            status, body = real_central.request("GET", "/api/v1/admin/packages?flagged=true")
            assert status == 200, body
            rows = [p for p in body["packages"] if p["name"] == "acme-ml"]
            return rows[0] if rows else None

        row = wait_for(flagged_at_central, 120, 0.5, "central to list acme-ml flagged")
        assert (row["version"], row["advisories"]) == ("1.0", [VULN_ID])
    finally:
        lab.stop()

    # the control: the same install, guarded by the same policy without its advisories,
    # reaches the index and installs (the advisory alone made the difference)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "control-spool").mkdir(mode=0o700)
    policy_file = tmp_path / "control-policy.json"
    policy_file.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 1,
                "trusted_sources": {"package_indexes": [index.simple]},
            }
        )
    )
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--target",
        str(target),
        "--index-url",
        index.simple,
        "acme-internal-tools",
    ]
    control = subprocess.run(
        [
            sys.executable,
            str(HERE.parent / "deps" / "guarded_run.py"),
            str(policy_file),
            json.dumps(command),
        ],
        env=child_env(tmp_path / "control-spool", home),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert control.returncode == 0, control.stderr
    assert json.loads(control.stdout.strip().splitlines()[-1]) == {"refused": None, "returncode": 0}
    assert (target / "acme_internal_tools_mod" / "__init__.py").exists()


def test_central_refuses_an_oversized_or_malformed_list_and_keeps_the_revision(
    tmp_path, real_central
):
    real_central.put_policy("default", {"rules": {}})
    record = OSV_FILE["vulns"][1]
    oversized = {"vulns": [dict(record, id=f"GHSA-wrdn-many-{i:04d}") for i in range(401)]}
    big = tmp_path / "big.json"
    big.write_text(json.dumps(oversized))
    done = import_advisories(real_central, big)
    assert done.returncode != 0
    assert "would be invalid" in done.stderr and "/dependencies/advisories" in done.stderr

    # the API itself (a hand-written document, as the dashboard's editor sends it)
    bad = {
        "dependencies": {
            "advisories": [
                {
                    "id": "MAL-1",
                    "affected": [
                        {"package": {"ecosystem": "npm", "name": "left-pad"}, "versions": ["1.0"]}
                    ],
                }
            ]
        }
    }
    status, body = real_central.request("PUT", "/api/v1/admin/policies/default", {"document": bad})
    assert status == 400, body
    assert "/dependencies/advisories/0/affected/0/package/ecosystem" in json.dumps(body)
    status, body = real_central.request("GET", "/api/v1/admin/policies")
    [policy] = [p for p in body["policies"] if p["name"] == "default"]
    assert policy["revision"] == 1 and "dependencies" not in policy["document"]


def test_the_lab_refuses_a_signed_policy_with_a_malformed_list_and_keeps_the_last_good(
    tmp_path, central, signing_key, lab_config
):
    """A central that signs anything (a bug, a compromised editor): the lab's own validator
    refuses the document, says why, and keeps enforcing the last good revision."""
    from test_policy_source import live_policy

    central.set_policy(signing_key.envelope(live_policy(5)))
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        state = lambda: lab.pipeline_status()["central"]["policy"]  # noqa: E731
        wait_for(lambda: state()["revision"] == 5, 30, 0.2, "revision 5")
        record = {
            "id": "MAL-2026-0001",
            "summary": "x" * 301,
            "affected": [{"package": {"ecosystem": "PyPI", "name": "acme"}, "versions": ["1.0"]}],
        }
        central.set_policy(
            signing_key.envelope(live_policy(6, dependencies={"advisories": [record]}))
        )
        error = wait_for(lambda: state()["error"], 30, 0.2, "the refusal")
        assert "dependencies/advisories/0/summary" in error, error
        assert state()["revision"] == 5
    finally:
        lab.stop()
