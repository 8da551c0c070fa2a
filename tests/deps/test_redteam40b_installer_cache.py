"""Red team 40b R40b-3: the installer's own cache is an input the decision never reads.

Warden decides an index by its URL (``decide.url_allowed``) and trusts what the installer
then fetches from it. uv 0.13.9 answers an index page from its cache (``simple-v28/``, in
``~/.cache/uv`` by default, ``--cache-dir``, ``UV_CACHE_DIR``) without asking the index while
the stored response is fresh, and the stored response's ``Cache-Control`` is whatever the
cache file says. A cell that writes a cache folder (shipped with the notebook, or built on
the attacker's machine against its own server posing as the trusted URL) makes uv install
files from ANY host the cached page links to, while the line names only a trusted index.

The proof builds the poisoned cache as the attacker would (uv, outside Warden, against a
server posing as the trusted URL, which is then gone), and the cell copies it to uv's
default cache folder and installs ``warden-demo-pkg`` from the trusted index only: uv
downloads it from the refused test index. The policy trusts that (dead) local URL in place
of PyPI, whose cache entry (``simple-v28/pypi/``) is made the same way with a TLS proxy.
FAILS today (installs with Warden).
"""

import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading

from real_uv import real_uv

CELL = (
    "import os, shutil, subprocess, sys\n"
    "shutil.copytree('c', os.path.expanduser('~/.cache/uv'), dirs_exist_ok=True)\n"
    "subprocess.run(['{uv}', 'pip', 'install', '-q', '--no-config', '--python', sys.executable, "
    "'--target', '{target}', '--index-url', TRUSTED, 'warden-demo-pkg'])\n"
)


def _poisoned_cache(kernel, folder) -> str:
    """A uv cache in ``folder`` whose page of warden-demo-pkg on a trusted URL (returned)
    links to the refused test index, fresh for years; nothing serves that URL afterwards."""
    wheel = kernel.index.files["warden_demo_pkg-1.0-py3-none-any.whl"]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    link = f"{kernel.index.file_url(wheel.name)}#sha256={digest}"
    page = f'<a href="{link}">{wheel.name}</a>'.encode()

    class Posing(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Cache-Control", "max-age=999999999, public")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Posing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trusted = f"http://127.0.0.1:{server.server_address[1]}/simple"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "WARDEN_"))}
        subprocess.run(
            [real_uv(), "pip", "install", "-q", "--no-config", "--dry-run", "--cache-dir",
             str(folder), "--python", sys.executable, "--index-url", trusted, "warden-demo-pkg"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    return trusted


def test_a_cached_page_of_a_trusted_index_sends_uv_to_a_refused_host(kernel):
    trusted = _poisoned_cache(kernel, kernel.work / "c")
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [trusted]}
    kernel.policy.write_text(json.dumps(policy))
    code = f"TRUSTED = {trusted!r}\n" + CELL
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # proves itself
    kernel.reset()
    shutil.rmtree(kernel.home / ".cache" / "uv")  # the plain run's (its archive holds the wheel)
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
