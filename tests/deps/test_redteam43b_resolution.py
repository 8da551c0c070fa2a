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

import pytest
from listed_release import (
    DEMO,
    demo_index,
    pip_cell,
    proves_refused,
    record,
    run_guarded,
    uv_cell,
    write_policy,
)
from local_index import LocalIndex, build_wheel

index = demo_index("index43b")


HIJACKED = record("MAL-2099-43")


def test_r43b_1_control_uv_bare_name_installs_the_clean_release(kernel):
    write_policy(kernel, HIJACKED)
    result, version = run_guarded(kernel, uv_cell(DEMO))
    assert result["refused"] is None and version == "1.0", result


def test_r43b_1_control_uv_pin_of_the_listed_release_is_refused(kernel):
    write_policy(kernel, HIJACKED)
    result, version = run_guarded(kernel, uv_cell(f"{DEMO}==0.9"))
    assert result["refused"] and "MAL-2099-43" in result["refused"], result
    assert version is None


LOWEST = {
    "option": uv_cell("--resolution", "lowest", DEMO),
    "option-direct": uv_cell("--resolution=lowest-direct", f"{DEMO}>=0.1"),
    "env": uv_cell(DEMO, head="import os\nos.environ['UV_RESOLUTION'] = 'lowest'\n"),
    "uv.toml": uv_cell(
        DEMO, config=True, head="open('uv.toml', 'w').write('resolution = \"lowest\"\\n')\n"
    ),
}


@pytest.mark.parametrize("how", sorted(LOWEST))
def test_r43b_1_lowest_resolution_reaching_the_listed_release_is_refused(kernel, how):
    write_policy(kernel, HIJACKED)
    code = LOWEST[how]
    # without Warden: uv takes the lowest release: the malicious one
    proves_refused(kernel, code, "MAL-2099-43")  # FAILS today: installs 0.9


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
    "option": uv_cell("--exclude-newer", "2022-01-01T00:00:00Z", DEMO),
    "env": uv_cell(DEMO, head="import os\nos.environ['UV_EXCLUDE_NEWER'] = '2022-01-01'\n"),
}


def test_r43b_1_control_dated_index_bare_name_installs_the_clean_release(dated):
    write_policy(dated, HIJACKED)
    result, version = run_guarded(dated, uv_cell(DEMO))
    assert result["refused"] is None and version == "1.0", result


@pytest.mark.parametrize("how", sorted(EXCLUDE_NEWER))
def test_r43b_1_exclude_newer_reaching_the_listed_release_is_refused(dated, how):
    write_policy(dated, HIJACKED)
    code = EXCLUDE_NEWER[how]
    # without Warden: 1.0 is newer than the date: uv takes 0.9
    proves_refused(dated, code, "MAL-2099-43")  # FAILS today: installs 0.9


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


@pytest.mark.parametrize("option", ["--prefer-binary", "--only-binary=:all:"])
def test_r43b_1_pip_binary_preference_reaching_the_listed_release_is_refused(sdist_newest, option):
    kernel = sdist_newest
    write_policy(kernel, HIJACKED)
    code = pip_cell(option, DEMO)
    # without Warden: pip passes the newest sdist over for the wheel
    proves_refused(kernel, code, "MAL-2099-43")  # FAILS today: installs 0.9
