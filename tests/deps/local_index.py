"""A PEP 503 simple index on 127.0.0.1 serving wheels built by the test (no network).

Wheels are written as zip files by hand (METADATA, WHEEL, RECORD and one module), so building
them starts no pip. The server counts every request: a refused install must make none.
``page_host``: a second host whose pages a test writes itself (a mirror, a redirect).
"""

import base64
import contextlib
import hashlib
import html
import http.server
import re
import threading
import zipfile
from pathlib import Path
from typing import Callable, Dict, Optional


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_wheel(
    out_dir: Path,
    name: str,
    version: str = "1.0",
    body: str = "VALUE = 1\n",
    scripts: str = "",
    extra: Optional[Dict[str, str]] = None,
    requires: str = "",
) -> Path:
    """A pure-Python wheel ``<out_dir>/<name>-<version>-py3-none-any.whl`` (``out_dir`` made
    when missing) whose module ``<name>_mod`` holds ``body``; ``scripts``: its console scripts
    (entry_points.txt lines, ``tool = <name>_mod:main``); ``extra``: more top-level files (a
    ``.pth``), by name; ``requires``: lines appended to METADATA (``Requires-Dist: ...\n``).
    RECORD lists every file's sha256, so pip and uv install it as a real wheel."""
    dist = re.sub(r"[-_.]+", "_", name)
    module = f"{dist}_mod"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": body,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{requires}",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: warden-test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
        **(extra or {}),
    }
    if scripts:
        files[f"{info}/entry_points.txt"] = "[console_scripts]\n" + scripts
    record = []
    for arc, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{arc},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(path, "w") as zf:
        for arc, text in files.items():
            zf.writestr(arc, text)
    return path


class LocalIndex:
    def __init__(self, root: Path, wheels):
        self.root = root
        self.files = {w.name: w for w in wheels}
        self.requests = []
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self, head=False):  # noqa: N802 - http.server's name
                index.requests.append(("HEAD " if head else "") + self.path)
                status, body, ctype = index.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def do_HEAD(self):  # noqa: N802 - uv asks for a wheel's size before fetching it
                self.do_GET(head=True)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def simple(self) -> str:
        return f"{self.base}/simple"

    def file_url(self, filename: str) -> str:
        return f"{self.base}/files/{filename}"

    def answer(self, path: str):
        page = "text/html"
        parts = [p for p in path.split("?")[0].split("/") if p]
        if parts[:1] == ["simple"] and len(parts) == 1:
            names = sorted({normalize(f.split("-")[0]) for f in self.files})
            links = "".join(f'<a href="/simple/{n}/">{n}</a>' for n in names)
            return 200, f"<html><body>{links}</body></html>".encode(), page
        if parts[:1] == ["simple"] and len(parts) == 2:
            wanted = normalize(parts[1])
            links = ""
            for filename, wheel in sorted(self.files.items()):
                if normalize(filename.split("-")[0]) == wanted:
                    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
                    href = html.escape(f"/files/{filename}#sha256={digest}")
                    links += f'<a href="{href}">{filename}</a>'
            if not links:
                return 404, b"not found", "text/plain"
            return 200, f"<html><body>{links}</body></html>".encode(), page
        if parts[:1] == ["files"] and len(parts) == 2 and parts[1] in self.files:
            return 200, self.files[parts[1]].read_bytes(), "application/octet-stream"
        return 404, b"not found", "text/plain"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def link_page(filename: str, digest: str) -> bytes:
    """A simple-index project page linking ``/files/<filename>`` with its sha256."""
    return f'<a href="/files/{filename}#sha256={digest}">{filename}</a>'.encode()


@contextlib.contextmanager
def page_host(answer: Callable):
    """A plain-HTTP host on 127.0.0.1 answering each GET with ``answer(path, headers)``:
    ``(status, headers, body)`` (body None: no body, no Content-Length) or None (a 404).
    Yields the host (``127.0.0.1:PORT``) and the paths asked for, in order."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            asked.append(self.path)
            answered = answer(self.path, self.headers)
            if answered is None:
                self.send_error(404)
                return
            status, headers, body = answered
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body is not None:
                self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
