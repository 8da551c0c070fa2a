"""Red team 56c R56c-2: a pip "reader" that runs a program through its settings.
``PIP_KEYRING_PROVIDER=subprocess`` and ``PIP_INDEX_URL=http://user@HOST/simple`` (the
kernel's variables, or the line's, or a pip.conf) make plain ``pip list`` run the ``keyring``
program found on PATH: pip list runs pip's self-version check, which asks the index for pip's
page; the index answers 401 and pip asks ``keyring get URL user`` for a password. That
program (the cell's, first on PATH) appends to the pyproject.toml whose ``[tool.uv.pip]
no-index``/``find-links`` Warden read and allowed the later uv install by; uv cannot parse it
any more, drops those settings and fetches P from the line's index, a host the policy
refuses.

Root cause: installer_writes._pip_settings_write (installs/installer_writes.py:159-184) reads
a deny-list of pip settings (schema/installer-readers.json "settings": cache-dir, log,
log-file, local-log, python), so ``keyring-provider`` (left out of the flags as "runs
keyring", but not of the settings) and the index settings the self-version check fetches
from pass as settings that write nothing, while the options they mirror (``--keyring-provider``,
``--index-url``) are refused. FAILS today.
"""

import http.server
import sys
import threading

import pytest
from launched import PYPROJECT_INSTALL as UV
from launched import local_pyproject_cell

PY = sys.executable
KEYRING = "#!/bin/sh\necho 'garbage [[[' >> pyproject.toml\necho x\n"


class _Asks(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="x"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def asking():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Asks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://user@127.0.0.1:{server.server_address[1]}/simple"
    server.shutdown()
    server.server_close()


def _cell(kernel, asking: str, reader: bool) -> str:
    bin_dir = kernel.work / "kb"
    line = f"{PY} -m pip list ; {UV}" if reader else UV
    code = (
        (
            local_pyproject_cell(kernel) + f"os.makedirs({str(bin_dir)!r}, exist_ok=True)\n"
            f"open({str(bin_dir / 'keyring')!r}, 'w').write({KEYRING!r})\n"
            f"os.chmod({str(bin_dir / 'keyring')!r}, 0o755)\n"
            "os.environ.pop('PIP_DISABLE_PIP_VERSION_CHECK', None)\n"  # a kernel's default
            "os.environ['PIP_KEYRING_PROVIDER'] = 'subprocess'\n"
            f"os.environ['PIP_INDEX_URL'] = {asking!r}\n"
            f"os.environ['PATH'] = {str(bin_dir)!r} + os.pathsep + os.environ['PATH']\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    return code + f"os.system({line!r})\n"


def test_control_the_install_alone_is_allowed_and_local(kernel, asking):
    kernel.installs_locally(_cell(kernel, asking, False))


def test_a_pip_reader_running_keyring_is_a_writer(kernel, asking):
    kernel.kept_from_refused_host(_cell(kernel, asking, True))


# the decision alone (both sides read the line's variables: schema/vectors shape): the
# settings that mirror an option the table leaves out make the pip command a writer too
@pytest.mark.parametrize(
    "assign",
    [
        "PIP_KEYRING_PROVIDER=subprocess",
        "PIP_KEYRING_PROVIDER=import",
        "PIP_OUTDATED=1",  # `pip list --outdated` (-o) is a writer: what it fetches is cached
    ],
)
def test_a_pip_setting_mirroring_a_left_out_option_makes_pip_list_a_writer(
    tmp_path, monkeypatch, assign
):
    from test_install_vectors import outcome

    vector = {"policy": {}, "command": f"{assign} pip list; uv pip install -r r.txt",
              "files": {"r.txt": "black\n"}, "env": {}}  # fmt: skip
    assert outcome(vector, tmp_path, monkeypatch) == {
        "rules": ["install-unreadable"],
        "runs": False,
    }
