"""Run a real ``jupyter server`` with the Warden extension in a subprocess, on 127.0.0.1.

The server's config, data and runtime dirs live under one work directory, so stopping and
starting a ``LabServer`` again is a real restart that keeps the event store and the last good
policy on disk.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class LabServer:
    def __init__(self, workdir: Path, warden: Optional[dict] = None, token: str = "lab-secret"):
        self.workdir = Path(workdir)
        self.warden = dict(warden or {})
        self.token = token
        self.proc: Optional[subprocess.Popen] = None
        self.port: Optional[int] = None
        self.starts = 0
        for name in ("config", "data", "runtime", "root"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.starts}.log"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 90) -> "LabServer":
        self.starts += 1
        self.port = free_port()
        config = {
            "ServerApp": {
                "ip": "127.0.0.1",
                "port": self.port,
                "port_retries": 0,
                "open_browser": False,
                "root_dir": str(self.workdir / "root"),
                "allow_root": True,  # the CI container runs as root
                # only what the tests need, so that a (re)start is quick
                "jpserver_extensions": {"jupyterlab_warden": True, "jupyterlab": False,
                                        "jupyter_lsp": False, "notebook_shim": False,
                                        "jupyter_server_terminals": False},
            },
            "IdentityProvider": {"token": self.token},
            "Warden": self.warden,
        }
        (self.workdir / "config" / "jupyter_server_config.json").write_text(json.dumps(config))
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_DATA_DIR=str(self.workdir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        )
        env.pop("WARDEN_EVENT_SPOOL", None)
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server"], env=env, stdout=log,
            stderr=subprocess.STDOUT, cwd=str(self.workdir),
        )
        log.close()

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"lab server exited early:\n{self.log_text()[-3000:]}")
            try:
                return self.request("GET", "/warden/events/status")[0] == 200
            except OSError:
                return False

        wait_for(ready, timeout, 0.2, "the lab server to answer")
        return self

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc is None:
            return 0
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return code

    def kill(self) -> int:
        return self.stop(signal.SIGKILL)

    def request(self, method: str, path: str, body=None, headers=None, token=True,
                raw: Optional[bytes] = None):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"token {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, _json(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, _json(err.read())

    def post_events(self, events):
        status, body = self.request("POST", "/warden/events", {"events": events})
        assert status == 200, (status, body)
        return body["results"]

    def pipeline_status(self) -> dict:
        status, body = self.request("GET", "/warden/events/status")
        assert status == 200, (status, body)
        return body

    def all_events(self) -> list:
        status, body = self.request("GET", "/warden/events?limit=500")
        assert status == 200
        return body["events"]


def _json(data: bytes):
    try:
        return json.loads(data) if data else None
    except ValueError:
        return {"raw": data.decode(errors="replace")}
