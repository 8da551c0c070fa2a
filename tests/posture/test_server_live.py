"""Real jupyter servers over real HTTP: an insecure one where every server rule fires and one
with default settings (run as an unprivileged user) where none does."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from jupyterlab_warden.kernel.contracts import load_contract, rule_catalog
from jupyterlab_warden.kernel.probe import run_probe

from .proctree import insecure

REPO = Path(__file__).resolve().parents[2]
# Server-layer rules about configuration ("server-*"); central-policy-rejected comes from the
# event pipeline, not from these checks.
SERVER_RULES = sorted(
    r for r, rule in rule_catalog().items() if rule["layer"] == "server" and r.startswith("server-")
)
NOBODY = 65534


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, token=None, method="GET", body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - local test server
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        payload = exc.read()
        try:
            return exc.code, json.loads(payload)
        except ValueError:
            return exc.code, payload.decode(errors="replace")


class Server:
    def __init__(self, home: Path, args, env_extra=None, user=None):
        self.home = home
        self.port = free_port()
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "PYTHONPATH": str(REPO),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "0",
        }
        env.update(env_extra or {})
        cmd = [sys.executable, "-m", "jupyter_server", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
               f"--ServerApp.root_dir={home}", *args]  # fmt: skip
        if user is not None:
            # The interpreter lives under /root (mode 700); keeping only CAP_DAC_READ_SEARCH
            # lets the unprivileged server reach it without loosening the machine's modes.
            keep = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
            cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *keep, *cmd]
        self.log = open(home / "server.log", "wb")
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=home
        )

    def wait_ready(self, timeout=90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited:\n" + (self.home / "server.log").read_text())
            try:
                status, _ = request(self.port, "/api")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError((self.home / "server.log").read_text())

    def token_from_runtime_file(self) -> str:
        (path,) = glob.glob(str(self.home / "runtime" / "jpserver-*.json"))
        return json.loads(Path(path).read_text())["token"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def make_home() -> Path:
    # Not pytest's tmp_path: it is private to root, and one server runs as nobody.
    path = Path(tempfile.mkdtemp(prefix="warden-posture-"))
    os.chmod(path, 0o755)
    return path


@pytest.fixture
def home():
    path = make_home()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def insecure_server():
    home = make_home()
    # An old jupyter-lsp's metadata ahead of site-packages on sys.path: importlib.metadata
    # reports it as the installed version, as it would for a real outdated install.
    old = home / "old-dists" / "jupyter_lsp-2.2.1.dist-info"
    old.mkdir(parents=True)
    (old / "METADATA").write_text("Metadata-Version: 2.1\nName: jupyter-lsp\nVersion: 2.2.1\n")
    server = Server(
        home,
        [
            "--ServerApp.ip=0.0.0.0",  # bind only; the test talks to 127.0.0.1
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.allow_origin=*",
            "--ServerApp.disable_check_xsrf=True",
            "--ServerApp.allow_root=True",
        ],
        env_extra={"PYTHONPATH": f"{REPO}{os.pathsep}{home / 'old-dists'}"},
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def default_server(home):
    # Defaults refuse to run as root, so as root the test drops to 'nobody'; as any other
    # user it simply runs as that user.
    user = NOBODY if os.geteuid() == 0 else None
    for sub in ("config", "data", "runtime"):
        (home / sub).mkdir()
    if user is not None:
        for path in [home, *home.iterdir()]:
            os.chown(path, user, user)
    server = Server(home, [], user=user)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def by_rule(report):
    return {c["rule_id"]: c for c in report["checks"]}


def test_insecure_server_fires_every_server_rule(insecure_server):
    status, body = request(insecure_server.port, "/warden/posture")  # no token: auth is off
    assert status == 200, body
    checks = by_rule(body["report"])
    assert sorted(checks) == SERVER_RULES
    failing = sorted(r for r, c in checks.items() if c["status"] == "fail")
    assert failing == SERVER_RULES, {r: c["evidence"] for r, c in checks.items()}
    assert checks["server-public-without-tls"]["evidence"]["ip"] == "0.0.0.0"
    assert checks["server-vulnerable-jupyter-package"]["evidence"]["advisories"] == [
        "GHSA-4qhp-652w-c22x jupyter-lsp 2.2.1 < 2.2.2"
    ]
    assert body["report"]["worst_severity"] == "critical"
    assert body["report"]["score"] == 0
    assert set(body["catalog"]) >= set(SERVER_RULES) | {"sandbox-runtime-socket"}


def test_default_server_fires_no_server_rule(default_server):
    token = default_server.token_from_runtime_file()
    status, body = request(default_server.port, "/warden/posture")
    assert status == 403  # the endpoint requires Jupyter's authentication
    status, body = request(default_server.port, "/warden/posture", token=token)
    assert status == 200, body
    checks = by_rule(body["report"])
    assert sorted(checks) == SERVER_RULES
    assert {r: c["status"] for r, c in checks.items()} == {r: "pass" for r in SERVER_RULES}
    assert checks["server-runs-as-root"]["evidence"]["euid"] != 0
    assert checks["server-no-auth"]["evidence"]["token_set"] is True
    assert token not in json.dumps(body)  # the snapshot says whether, never what
    assert body["report"]["score"] == 100 and body["report"]["worst_severity"] is None

    status, _ = request(default_server.port, "/warden/posture/kernel", method="POST",
                        body={"report": run_probe()})  # fmt: skip
    assert status == 403


def test_kernel_report_endpoint_rescores_from_catalog(insecure_server, tmp_path):
    report = insecure(tmp_path).report()
    tampered = json.loads(json.dumps(report))
    for check in tampered["checks"]:
        check["severity"] = "info"  # a kernel trying to downplay its findings
        check["remediation"] = "nothing to see"
    tampered["score"] = 100
    tampered["worst_severity"] = None
    status, body = request(insecure_server.port, "/warden/posture/kernel", method="POST",
                           body={"report": tampered, "kernel_id": "k-42"})  # fmt: skip
    assert status == 200, body
    scored = body["report"]
    assert scored["score"] == report["score"]
    assert scored["worst_severity"] == "critical"
    catalog = rule_catalog()
    assert all(c["remediation"] == catalog[c["rule_id"]]["remediation"] for c in scored["checks"])
    jsonschema.validate({k: v for k, v in scored.items() if k != "received_at"},
                        load_contract("posture-report.schema.json"))  # fmt: skip
    schema = load_contract("event.schema.json")
    assert len(body["events"]) == report["counts"]["fail"]
    for event in body["events"]:
        jsonschema.validate(event, schema)
        assert event["location"] == {"kernel_id": "k-42"}


@pytest.mark.parametrize(
    "body, message",
    [
        ({"report": {"kind": "sandbox", "checks": [{"rule_id": "server-no-auth",
          "status": "fail", "evidence": {}}]}}, "not a sandbox rule"),
        ({"report": {"kind": "sandbox", "checks": [{"rule_id": "kernel-runs-as-root",
          "status": "maybe", "evidence": {}}]}}, "checks/0/status"),
        ({"report": {"kind": "sandbox", "checks": [{"rule_id": "kernel-runs-as-root",
          "status": "fail", "evidence": {"x": {"nested": 1}}}]}}, "checks/0/evidence/x"),
        ({"report": {"kind": "sandbox", "checks": [
            {"rule_id": "kernel-runs-as-root", "status": "fail", "evidence": {}},
            {"rule_id": "kernel-runs-as-root", "status": "pass", "evidence": {}}]}},
         "appears twice"),
        ({"nothing": 1}, "expected"),
        ([], "expected"),
    ],
)  # fmt: skip
def test_kernel_report_endpoint_rejects_bad_reports(insecure_server, body, message):
    status, reply = request(insecure_server.port, "/warden/posture/kernel", method="POST",
                            body=body)  # fmt: skip
    assert status == 400
    assert message in reply["message"]


def test_kernel_report_endpoint_refuses_oversized_bodies(insecure_server):
    huge = {"report": {"kind": "sandbox", "checks": [], "pad": "x" * (600 * 1024)}}
    status, reply = request(insecure_server.port, "/warden/posture/kernel", "", "POST", huge)
    assert status == 413
    assert "larger than" in reply["message"]
