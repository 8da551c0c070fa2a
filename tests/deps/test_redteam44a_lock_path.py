"""Red team 44a R44a-2: a ``uv.lock`` package from a ``path`` source is never read.

``uv sync --frozen`` installs what ``uv.lock`` locks without checking it against the
pyproject. ``toml_files.add_lock`` decides a locked package by its name only when its source
is a registry (``text = name if "path" not in source ...``), and ``_lock_files`` decides a
wheel entry only by its ``url``: a package locked as

    [[package]]
    name = "warden-demo-pkg"
    version = "0.9"
    source = { path = "w/warden_demo_pkg-0.9-py3-none-any.whl" }
    wheels = [{ filename = "warden_demo_pkg-0.9-py3-none-any.whl", hash = "sha256:..." }]

(what ``uv lock`` itself writes for a ``[tool.uv.sources]`` path wheel) adds nothing to the
request: the wheel is not placed by its project and version (the listed 0.9 installs, R11-19 /
R43b-4 refuse it by path or from a folder) and not read for start-up code (``local_wheels``:
a ``.pth`` a later Python start runs, refused for ``uv pip install ./x.whl``). A package
locked from a ``directory`` (or ``editable``) source is a local project uv BUILDS, and it is not
read either: its ``[build-system] requires`` (the listed ``warden-demo-pkg==0.9``, whose module
is the build backend here) is installed into the build environment and its code runs, where
``uv pip install ./d`` is refused (``local_projects`` reads the project).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import hashlib
import sys

import pytest
from listed_release import DEMO, backend_ran, record, serve_demo, write_policy
from local_index import build_wheel

PTH = "warden-pth-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The test index serving 0.9 (listed below) and 1.0 (clean); the local wheels the cell
    copies into the notebook folder: the listed 0.9 and a wheel carrying a ``.pth``."""
    root = tmp_path_factory.mktemp("index44a2")
    server = serve_demo(root, backend="0.9")  # the listed 0.9's module: a marking build backend
    server.local = {
        DEMO: server.wheels["0.9"],
        PTH: build_wheel(
            root / "pth", PTH, "1.0", extra={"warden_pth.pth": "import os; os.getpid()\n"}
        ),
    }
    yield server
    server.close()


LISTED = record("MAL-2099-44")


def _files(kernel, name: str) -> dict:
    """pyproject.toml (the bare dependency, no sources) and the uv.lock ``uv lock`` writes for
    a path source of the local wheel (copied to ./w by the cell)."""
    wheel = kernel.index.local[name]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    version = wheel.name.split("-")[1]
    pyproject = (
        '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
        f'dependencies = ["{name}"]\n[tool.uv]\npackage = false\n'
    )
    lock = (
        'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
        '[[package]]\nname = "proj"\nversion = "0.1"\nsource = { virtual = "." }\n'
        f'dependencies = [\n    {{ name = "{name}" }},\n]\n\n'
        f'[package.metadata]\nrequires-dist = [{{ name = "{name}" }}]\n\n'
        f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
        f'source = {{ path = "w/{wheel.name}" }}\n'
        f'wheels = [\n    {{ filename = "{wheel.name}", hash = "sha256:{digest}" }},\n]\n'
    )
    return {"pyproject.toml": pyproject, "uv.lock": lock}


def _cell(kernel, name: str, argv: list, lock: bool = True) -> str:
    head = "import os, shutil, subprocess\nos.makedirs('w', exist_ok=True)\n"
    head += f"shutil.copy({str(kernel.index.local[name])!r}, 'w')\n"
    for file, text in (_files(kernel, name) if lock else {}).items():
        # doubled braces: launched.Kernel.cell str.format-s the cell
        head += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    return head + f"subprocess.run({argv!r}, check=True)\n"


SYNC = ["{uv}", "sync", "-q", "--frozen", "--no-cache", "--no-config", "--python", sys.executable,
        "--index-url", "{index}"]  # fmt: skip


def _uv_pip(path: str) -> list:
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    return argv + [path]


def _installed(kernel, name: str) -> list:
    dist = name.replace("-", "_")
    return sorted(
        p.name for p in kernel.work.glob(f".venv/lib/python*/site-packages/{dist}-*.dist-info")
    ) + sorted(p.name for p in kernel.target.glob(f"{dist}-*.dist-info"))


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel, DEMO) + _installed(kernel, PTH)


@pytest.mark.parametrize("name", [DEMO, PTH])
def test_r44a_2_control_the_local_wheel_by_its_path_is_refused(kernel, name):
    write_policy(kernel, LISTED)
    code = _cell(kernel, name, _uv_pip("./w/" + kernel.index.local[name].name), lock=False)
    result, found = _run(kernel, code, launched=True)
    assert result["refused"] and not found, result


@pytest.mark.parametrize("name", [DEMO, PTH])
def test_r44a_2_locked_path_wheel_is_decided(kernel, name):
    write_policy(kernel, LISTED)
    code = _cell(kernel, name, SYNC)
    result, found = _run(kernel, code, launched=False)
    assert result["refused"] is None and found, (result, found)  # uv installs the locked wheel
    if name == PTH:  # with its .pth, which every later start of the .venv's Python runs
        assert list(kernel.work.glob(".venv/lib/python*/site-packages/warden_pth.pth"))
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: installed unread
    assert result["refused"], result


# -- the same reading with a ``directory`` source: a local project uv builds ----------------

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)


def _directory_cell(kernel, argv: list, lock: bool = True) -> str:
    """./d: a project whose build backend is the listed release; the uv.lock locks it as a
    ``directory`` source (pyproject.toml: the bare dependency)."""
    head = "import os, subprocess\nos.makedirs('d', exist_ok=True)\n"
    head += f"open('d/pyproject.toml', 'w').write({PROJECT!r})\n"
    files = {
        "pyproject.toml": '[project]\nname = "proj"\nversion = "0.1"\n'
        'requires-python = ">=3.8"\ndependencies = ["localproj"]\n[tool.uv]\npackage = false\n',
        "uv.lock": 'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
        '[[package]]\nname = "proj"\nversion = "0.1"\nsource = { virtual = "." }\n'
        'dependencies = [\n    { name = "localproj" },\n]\n\n'
        '[package.metadata]\nrequires-dist = [{ name = "localproj" }]\n\n'
        '[[package]]\nname = "localproj"\nversion = "0.1"\nsource = { directory = "d" }\n',
    }
    for file, text in (files if lock else {}).items():
        head += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    return head + f"subprocess.run({argv!r})\n"


def test_r44a_2_control_the_local_project_by_its_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    argv = _uv_pip("./d")
    assert backend_ran(kernel, _directory_cell(kernel, argv, lock=False), False)[1]
    result, ran = backend_ran(kernel, _directory_cell(kernel, argv, lock=False), True)
    assert result["refused"] and "MAL-2099-44" in result["refused"] and not ran, result


def test_r44a_2_locked_directory_project_build_requirements_are_decided(kernel):
    write_policy(kernel, LISTED)
    code = _directory_cell(kernel, SYNC)
    result, ran = backend_ran(kernel, code, launched=False)
    assert ran, result  # uv builds ./d: the listed release installed and its code run
    result, ran = backend_ran(kernel, code, launched=True)
    assert not ran, result  # FAILS today: the listed release's code runs
    assert result["refused"] and "MAL-2099-44" in result["refused"], result
