"""The real central service (``central/``, Node) as a subprocess on 127.0.0.1.

Uses ``$WARDEN_CENTRAL_DIR`` or the repository's ``central/``; it must have been installed
and built (``npm ci && npm run build`` there). State (SQLite file, signing keys) lives in a
work directory, so stop/start is a real restart of the same central.
"""

import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

from guard_owner import harness_starts
from labserver_harness import ROOT, free_port, wait_for

CENTRAL_DIR = Path(os.environ.get("WARDEN_CENTRAL_DIR", ROOT / "central"))


def central_problem() -> Optional[str]:
    """Why the real central cannot be run here, or None."""
    if not (CENTRAL_DIR / "package.json").is_file():
        return f"no central service in {CENTRAL_DIR}"
    if not (CENTRAL_DIR / "dist" / "main.js").is_file():
        return f"central is not built: run `npm ci && npm run build` in {CENTRAL_DIR}"
    return None


class RealCentral:
    def __init__(self, workdir: Path, lab_name: str = "lab-a"):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc: Optional[subprocess.Popen] = None
        self.starts = 0
        self.admin_token = self._cli("admin", "create-token", "--name", "test-admin")
        self.lab_token = self._cli("lab", "create-token", "--name", lab_name)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _flags(self):
        return [
            "--db",
            str(self.workdir / "warden.db"),
            "--key-dir",
            str(self.workdir / "keys"),
            "--schema-dir",
            str(ROOT / "schema"),
            "--port",
            str(self.port),
            "--log-level",
            "warn",
        ]

    def _cli(self, *words) -> str:
        with harness_starts():
            out = subprocess.run(
                ["node", "dist/main.js", *words, *self._flags()],
                cwd=CENTRAL_DIR,
                capture_output=True,
                text=True,
                timeout=60,
            )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1]

    def rotate_key(self) -> str:
        return self._cli("key", "rotate")

    def start(self) -> "RealCentral":
        self.starts += 1
        log = open(self.workdir / f"central-{self.starts}.log", "wb")
        with harness_starts():
            self.proc = subprocess.Popen(
                ["node", "dist/main.js", "serve", *self._flags()],
                cwd=CENTRAL_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        log.close()

        def up():
            assert self.proc.poll() is None, (
                self.workdir / f"central-{self.starts}.log"
            ).read_text()[-2000:]
            try:
                return self.request("GET", "/api/v1/whoami", token=self.lab_token)[0] == 200
            except OSError:
                return False

        wait_for(up, 60, 0.2, "central to answer")
        return self

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc is not None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def request(self, method, path, body=None, token=None):
        headers = {"Authorization": f"Bearer {token or self.admin_token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw else None

    def public_keys(self) -> dict:
        status, body = self.request("GET", "/api/v1/keys", token=self.lab_token)
        assert status == 200, body
        return {k["key_id"]: k["public_key"] for k in body["keys"]}

    def put_policy(self, name: str, document: dict) -> dict:
        status, body = self.request("PUT", f"/api/v1/admin/policies/{name}", {"document": document})
        if status == 404:
            status, body = self.request(
                "POST", "/api/v1/admin/policies", {"name": name, "document": document}
            )
        assert status in (200, 201), body
        return body

    def events(self, lab: str = "lab-a") -> list:
        """Every event central stored for ``lab`` (all pages)."""
        found, cursor = [], None
        while True:
            query = f"/api/v1/admin/events?lab={lab}&limit=500"
            if cursor:
                query += f"&cursor={cursor}"
            status, body = self.request("GET", query)
            assert status == 200, body
            found += body["events"]
            cursor = body.get("next_cursor")
            if not cursor:
                return found

    def labs(self) -> dict:
        status, body = self.request("GET", "/api/v1/admin/labs")
        assert status == 200, body
        return {lab["lab"]: lab for lab in body["labs"]}
