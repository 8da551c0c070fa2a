"""Red team 44a R44a-1: a listed release installed through a ``[tool.uv.sources]`` path source.

``uv pip install ./w/warden_demo_pkg-0.9-py3-none-any.whl`` is decided as project
``warden-demo-pkg`` at 0.9 (its file name, ``requirements.set_artifact``, R11-19) and refused
when 0.9 is a listed (malicious) release; a file a local folder offers is decided the same way
(R43b-4). But uv also installs a wheel named by a ``path`` source of a pyproject it reads
(``uv pip install -r pyproject.toml``, ``uv pip install .``, ``uv sync``):

    [project]
    dependencies = ["warden-demo-pkg"]          # decided as a bare name: the index's newest
    [tool.uv.sources]
    warden-demo-pkg = { path = "w/warden_demo_pkg-0.9-py3-none-any.whl" }

``toml_files._add_path_source`` appends a ``Requirement(path, None, "path")`` for
``local_projects`` to read (start-up code, Requires-Dist) but never places the wheel's own
project and version, so the listed 0.9 is installed while the bare dependency passes as "the
newest release" (1.0, clean). uv follows a project's path sources for its BUILD requirements
too: ``uv pip install ./d`` with ``[build-system] requires = ["warden-demo-pkg"]`` and the same
path source in d's pyproject runs the listed release as the build backend (``local_projects``
reads d, decides the bare build requirement, and leaves the path source unplaced).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The test index serving 0.9 (listed below) and 1.0 (clean); 0.9's wheel file is also
    what the cell copies into the notebook folder."""
    root = tmp_path_factory.mktemp("index44a")
    marker = root / "backend-ran"
    listed = build_wheel(root, DEMO, "0.9", body=BACKEND.replace("MARKER", str(marker)))
    server = LocalIndex(root, [listed, build_wheel(root, DEMO, "1.0")])
    server.marker = marker
    server.wheel09 = root / "warden_demo_pkg-0.9-py3-none-any.whl"
    assert server.wheel09.exists()
    yield server
    server.close()


# the listed 0.9's module is a build backend whose first hook leaves a marker: its code ran
BACKEND = """
def _ran(*args, **kwargs):
    open("MARKER", "w").write("ran")
    raise RuntimeError("warden test: the listed release's code ran")


get_requires_for_build_wheel = get_requires_for_build_editable = _ran
prepare_metadata_for_build_wheel = prepare_metadata_for_build_editable = _ran
build_wheel = build_editable = build_sdist = get_requires_for_build_sdist = _ran
"""

LISTED = {
    "id": "MAL-2099-44",
    "summary": "test record MAL-2099-44",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [LISTED]},
            }
        )
    )


# braces doubled: the cell code is str.format-ed by launched.Kernel.cell
PYPROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\ndependencies = ["warden-demo-pkg"]\n'
    "[tool.uv.sources]\n"
    'warden-demo-pkg = {{ path = "w/warden_demo_pkg-0.9-py3-none-any.whl" }}\n'
)


def _cell(kernel, *words: str, project: bool = True) -> str:
    """Copies the listed 0.9 wheel to ./w (and writes the pyproject), then runs the real uv."""
    head = "import os, shutil, subprocess\nos.makedirs('w', exist_ok=True)\n"
    head += f"shutil.copy({str(kernel.index.wheel09)!r}, 'w')\n"
    if project:
        head += f"open('pyproject.toml', 'w').write({PYPROJECT!r})\n"
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    return head + f"subprocess.run({argv + list(words)!r}, check=True)\n"


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


def test_r44a_1_control_bare_name_installs_the_clean_release(kernel):
    _policy(kernel)
    result, version = _guarded(kernel, _cell(kernel, DEMO, project=False))
    assert result["refused"] is None and version == "1.0", result


def test_r44a_1_control_the_listed_wheel_by_its_path_is_refused(kernel):
    _policy(kernel)
    code = _cell(kernel, "./w/warden_demo_pkg-0.9-py3-none-any.whl", project=False)
    result, version = _guarded(kernel, code)
    assert result["refused"] and "MAL-2099-44" in result["refused"], result
    assert version is None


def test_r44a_1_listed_wheel_of_a_path_source_is_refused(kernel):
    _policy(kernel)
    code = _cell(kernel, "-r", "pyproject.toml")
    assert _plain(kernel, code) == "0.9"  # uv follows the path source: the listed release
    result, version = _guarded(kernel, code)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-44" in result["refused"], result


# -- the same path source for a local project's build requirement: the listed code runs ------

BUILT = (
    '[build-system]\nrequires = ["warden-demo-pkg"]\nbuild-backend = "warden_demo_pkg_mod"\n'
    '[project]\nname = "localproj"\nversion = "0.1"\n[tool.uv.sources]\n'
    'warden-demo-pkg = {{ path = "../w/warden_demo_pkg-0.9-py3-none-any.whl" }}\n'
)


def _build_cell(kernel) -> str:
    """./d: a project whose build requirement is the bare name, its path source the listed
    0.9 wheel (whose module is the build backend); ``uv pip install ./d``."""
    head = _cell(kernel, "./d", project=False).rsplit("subprocess.run(", 1)[0]
    head += f"os.makedirs('d', exist_ok=True)\nopen('d/pyproject.toml', 'w').write({BUILT!r})\n"
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-config", "--python"]
    argv += [sys.executable, "--target", "{target}", "--index-url", "{index}", "./d"]
    return head + f"subprocess.run({argv!r})\n"


def _backend_ran(kernel, code: str, launched: bool):
    kernel.reset()
    kernel.index.marker.unlink(missing_ok=True)
    result = kernel.cell(code, launched=launched)
    return result, kernel.index.marker.exists()


def test_r44a_1_build_requirement_path_source_of_the_listed_release_is_refused(kernel):
    _policy(kernel)
    code = _build_cell(kernel)
    result, ran = _backend_ran(kernel, code, launched=False)
    assert ran, result  # uv builds ./d with the path source: the listed release's code runs
    result, ran = _backend_ran(kernel, code, launched=True)
    assert not ran, result  # FAILS today: the listed release's code runs
    assert result["refused"] and "MAL-2099-44" in result["refused"], result
