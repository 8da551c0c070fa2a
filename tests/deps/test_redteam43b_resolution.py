"""Red team 43b: a resolver that does not take the newest release (R43b-1).

``specifiers.reaches`` lets an install with no upper bound and no hole above a listed release
through because "the resolver takes the newest release" (R41b-1, R42b-2). uv takes the
LOWEST release a specifier allows when the cell asks it to: ``--resolution lowest`` /
``lowest-direct`` on the command line, ``UV_RESOLUTION`` in the environment, ``resolution =
"lowest"`` in a ``uv.toml`` (or ``pyproject.toml [tool.uv]``) in the notebook's folder. Warden
reads all three as "resolution choices among sources that are all decided" (sources.py
``UV_RESOLUTION``, toml_files.py ``"resolution"``, arguments.py ``--resolution``) and passes
them over, so with 0.9 listed as malicious and the clean 1.0 after it on the index (the
R42b-2 setting), ``uv pip install --resolution lowest warden-demo-pkg`` installs 0.9.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The test index serving the demo project as 0.9 (listed below) and 1.0 (clean)."""
    root = tmp_path_factory.mktemp("index43b")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


HIJACKED = {
    "id": "MAL-2099-43",
    "summary": "test record MAL-2099-43",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [HIJACKED]},
            }
        )
    )


def _uv_cell(*words: str, config: bool = False, head: str = "") -> str:
    """A cell running the real uv from the kernel (``--no-config`` unless ``config``);
    ``head``: Python run first (writes a config file, sets the environment)."""
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps"]
    argv += [] if config else ["--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    return f"{head}import subprocess\nsubprocess.run({argv + list(words)!r}, check=True)\n"


def _version(kernel):
    found = sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))
    return found[0][len("warden_demo_pkg-") : -len(".dist-info")] if found else None


def _plain(kernel, code: str):
    kernel.reset()
    result = kernel.cell(code, launched=False)
    assert result["refused"] is None, result
    return _version(kernel)


def _guarded(kernel, code: str):
    kernel.reset()
    return kernel.cell(code, launched=True), _version(kernel)


def test_r43b_1_control_uv_bare_name_installs_the_clean_release(kernel):
    _policy(kernel)
    result, version = _guarded(kernel, _uv_cell(DEMO))
    assert result["refused"] is None and version == "1.0", result


def test_r43b_1_control_uv_pin_of_the_listed_release_is_refused(kernel):
    _policy(kernel)
    result, version = _guarded(kernel, _uv_cell(f"{DEMO}==0.9"))
    assert result["refused"] and "MAL-2099-43" in result["refused"], result
    assert version is None


LOWEST = {
    "option": _uv_cell("--resolution", "lowest", DEMO),
    "option-direct": _uv_cell("--resolution=lowest-direct", f"{DEMO}>=0.1"),
    "env": _uv_cell(DEMO, head="import os\nos.environ['UV_RESOLUTION'] = 'lowest'\n"),
    "uv.toml": _uv_cell(
        DEMO, config=True, head="open('uv.toml', 'w').write('resolution = \"lowest\"\\n')\n"
    ),
}


@pytest.mark.parametrize("how", sorted(LOWEST))
def test_r43b_1_lowest_resolution_reaching_the_listed_release_is_refused(kernel, how):
    _policy(kernel)
    code = LOWEST[how]
    assert _plain(kernel, code) == "0.9"  # uv takes the lowest release: the malicious one
    result, version = _guarded(kernel, code)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-43" in result["refused"], result


# -- R43b-1 with uv's --exclude-newer: the newest release left out by its upload date -------


class DatedIndex(LocalIndex):
    """The test index answering project pages as PEP 691 JSON with PEP 700 upload times (as
    PyPI does): 0.9 uploaded in 2020, 1.0 in 2024."""

    UPLOADED = {"0.9": "2020-01-01T00:00:00Z", "1.0": "2024-01-01T00:00:00Z"}

    def answer(self, path: str):
        import hashlib

        parts = [p for p in path.split("?")[0].split("/") if p]
        if parts[:1] != ["simple"] or len(parts) != 2:
            return super().answer(path)
        files = []
        for filename, wheel in sorted(self.files.items()):
            if filename.split("-")[0].replace("_", "-") == parts[1]:
                files.append(
                    {
                        "filename": filename,
                        "url": f"/files/{filename}",
                        "hashes": {"sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()},
                        "upload-time": self.UPLOADED[filename.split("-")[1]],
                    }
                )
        if not files:
            return 404, b"not found", "text/plain"
        body = {"meta": {"api-version": "1.1"}, "name": parts[1], "files": files}
        return 200, json.dumps(body).encode(), "application/vnd.pypi.simple.v1+json"


@pytest.fixture()
def dated(kernel, tmp_path):
    root = tmp_path / "dated"
    root.mkdir()
    server = DatedIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    kernel.index = server  # the cell's {index} and the policy's trusted index
    yield kernel
    server.close()


EXCLUDE_NEWER = {
    "option": _uv_cell("--exclude-newer", "2022-01-01T00:00:00Z", DEMO),
    "env": _uv_cell(DEMO, head="import os\nos.environ['UV_EXCLUDE_NEWER'] = '2022-01-01'\n"),
}


def test_r43b_1_control_dated_index_bare_name_installs_the_clean_release(dated):
    _policy(dated)
    result, version = _guarded(dated, _uv_cell(DEMO))
    assert result["refused"] is None and version == "1.0", result


@pytest.mark.parametrize("how", sorted(EXCLUDE_NEWER))
def test_r43b_1_exclude_newer_reaching_the_listed_release_is_refused(dated, how):
    _policy(dated)
    code = EXCLUDE_NEWER[how]
    assert _plain(dated, code) == "0.9"  # 1.0 is newer than the date: uv takes 0.9
    result, version = _guarded(dated, code)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-43" in result["refused"], result


# -- R43b-1 with pip: the newest release left out by its kind of file -------------------------


@pytest.fixture()
def sdist_newest(kernel, tmp_path):
    """An index whose clean 1.0 is an sdist only (never fetched below) and the listed 0.9 a
    wheel, as a project that stopped shipping wheels."""
    root = tmp_path / "sdist"
    root.mkdir()
    sdist = root / "warden_demo_pkg-1.0.tar.gz"
    sdist.write_bytes(b"not fetched")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), sdist])
    kernel.index = server
    yield kernel
    server.close()


def _pip_cell(*words: str) -> str:
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", "--index-url", "{index}", *words]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


@pytest.mark.parametrize("option", ["--prefer-binary", "--only-binary=:all:"])
def test_r43b_1_pip_binary_preference_reaching_the_listed_release_is_refused(sdist_newest, option):
    kernel = sdist_newest
    _policy(kernel)
    code = _pip_cell(option, DEMO)
    assert _plain(kernel, code) == "0.9"  # pip passes the newest sdist over for the wheel
    result, version = _guarded(kernel, code)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-43" in result["refused"], result
