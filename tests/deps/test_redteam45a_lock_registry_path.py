"""Red team 45a R45a-3: a uv.lock ``registry`` that is a local folder, read from the wrong base.

``uv lock`` writes a flat local index (``[[tool.uv.index]] url = "wheels"``, ``format =
"flat"``) into uv.lock as ``source = { registry = "wheels" }`` with ``wheels = [{ path =
"x-1.0-py3-none-any.whl" }]``: the folder RELATIVE TO THE LOCK'S FOLDER (the workspace root),
the file relative to that folder. ``uv sync --frozen`` run from a subfolder of the project
(uv finds the project upward) installs ``<project>/wheels/x-1.0-...whl``.
``toml_files.add_lock`` adds the registry as ``Source(registry, "extra-index", origin)`` with
no base, so ``sources.read_local_pages`` reads ``<cwd>/wheels`` (missing: nothing read, no
problem), and ``_lock_files`` decides the wheel ``path`` by its file name only
(``offered.add_named``, no METADATA, no start-up code). The wheel's ``.pth`` (refused when the
same wheel is named by path or offered by a folder Warden reads: R34-4) is installed into the
project's ``.venv``, and every later start of that Python runs it before Warden's guard.

Even from the project folder, a wheel ``path`` that leads OUT of the registry folder
(``../hidden/x.whl``: uv joins it to the folder) is never opened: the folder Warden reads is
empty, and the entry is decided by its file name only.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import sys

import pytest
from listed_release import write_policy
from local_index import LocalIndex, build_wheel

PTH = "warden-pth-pkg"
WHEEL = "warden_pth_pkg-1.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index45a3")
    server = LocalIndex(root, [build_wheel(root, "warden-demo-pkg", "1.0")])
    server.pth = build_wheel(
        root / "pth", PTH, "1.0", extra={"warden_pth.pth": "import os; os.getpid()\n"}
    )
    yield server
    server.close()


PYPROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
    f'dependencies = ["{PTH}"]\n[tool.uv]\npackage = false\n'
)
# what `uv lock` (0.13.9) writes for the flat index `wheels` beside the pyproject
LOCK = (
    'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
    '[[package]]\nname = "proj"\nversion = "0.1"\nsource = { virtual = "." }\n'
    f'dependencies = [\n    {{ name = "{PTH}" }},\n]\n\n'
    f'[package.metadata]\nrequires-dist = [{{ name = "{PTH}" }}]\n\n'
    f'[[package]]\nname = "{PTH}"\nversion = "1.0"\nsource = {{ registry = "wheels" }}\n'
    f'wheels = [\n    {{ path = "{WHEEL}" }},\n]\n'
)
# the same, the wheel's path leading out of the registry folder (uv joins it to the folder)
LOCK_OUT = LOCK.replace(f'path = "{WHEEL}"', f'path = "../hidden/{WHEEL}"')


def _cell(kernel, where: str, lock: str = LOCK, folder: str = "wheels") -> str:
    argv = ["{uv}", "sync", "-q", "--frozen", "--no-cache", "--no-config", "--python",
            sys.executable, "--index-url", "{index}"]  # fmt: skip
    code = "import os, shutil, subprocess\nos.makedirs('wheels', exist_ok=True)\n"
    code += f"os.makedirs('sub', exist_ok=True)\nos.makedirs({folder!r}, exist_ok=True)\n"
    code += f"shutil.copy({str(kernel.index.pth)!r}, {folder!r})\n"
    for file, text in (("pyproject.toml", PYPROJECT), ("uv.lock", lock)):
        code += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    return code + f"subprocess.run({argv!r}, cwd={where!r}, check=True)\n"


def _pth(kernel) -> list:
    return sorted(
        p.name
        for p in kernel.work.glob(".venv/lib/python*/site-packages/*.pth")
        if p.name == "warden_pth.pth"
    )


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _pth(kernel)


def test_r45a_3_control_from_the_project_folder_is_refused(kernel):
    write_policy(kernel)
    result, found = _run(kernel, _cell(kernel, "."), launched=True)
    assert result["refused"] and "warden_pth.pth" in result["refused"] and not found, result


def test_r45a_3_from_a_subfolder_the_registry_folder_is_not_read(kernel):
    write_policy(kernel)
    code = _cell(kernel, "sub")
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_pth.pth"], (result, found)  # uv installs <project>/wheels/...whl
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: wrong folder read
    assert result["refused"] and "warden_pth.pth" in result["refused"], result


def test_r45a_3_a_wheel_path_out_of_the_registry_folder_is_not_read(kernel):
    """From the project folder itself: the registry folder ``wheels`` is read (empty), the
    locked wheel's ``path`` ``../hidden/x.whl`` leads out of it and is decided by its file name
    only (``offered.add_named``): its ``.pth`` is never read."""
    write_policy(kernel)
    code = _cell(kernel, ".", LOCK_OUT, "hidden")
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_pth.pth"], (result, found)  # uv installs hidden/...whl
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the file is not opened
    assert result["refused"] and "warden_pth.pth" in result["refused"], result
