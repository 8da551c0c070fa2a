"""Red team 45a R45a-1: ``uv_config.add_sources`` keeps one requirement per TEXT, whatever its
kind, so a path a uv.lock names hides the registry pin and the wheel URL of another package.

``toml_files.add_lock`` decides a registry package of a uv.lock as the pin ``name==version``
(R44a-2) and each wheel ``url`` as a direct reference whose file names the project and
version (R11-19). A package locked from a ``directory`` (or ``path``/``editable``) source adds
a ``path`` requirement whose text is the path as written. ``uv_config.add_sources`` then drops
every requirement whose ``text`` was seen before (``written``), without looking at its kind,
base, name or artifact: a lock that first names an (unreachable) package whose directory is
literally ``warden-demo-pkg==0.9``, and another whose directory is the listed wheel's URL,
makes the real pin ``warden-demo-pkg==0.9`` and the wheel URL collapse into those two path
requirements, which decide nothing (no folder there: nothing read). ``uv sync --frozen``
installs the listed 0.9 from the trusted index.

The same with no lock: ``uv pip install -r a/pyproject.toml -r b/pyproject.toml``, ``a``
holding an unused ``[tool.uv.sources]`` path spelled ``warden-demo-pkg==0.9`` and ``b``
depending on ``warden-demo-pkg==0.9``, installs the listed release.

The same collapse hides a wheel a ``path`` source opens (``offered.add_wheel``: text = the
file's base name) behind a path requirement spelled as that base name, and the release a
local source is locked as (``offered.add_locked``: text ``name version``).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import hashlib
import sys

from listed_release import DEMO, demo_index, installed, record, uv_cell, write_policy

WHEEL = "warden_demo_pkg-0.9-py3-none-any.whl"


index = demo_index("index45a1")
LISTED = record("MAL-2099-45")


PYPROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
    f'dependencies = ["{DEMO}"]\n[tool.uv]\npackage = false\n'
)


def _lock(kernel, decoys: bool) -> str:
    """The uv.lock ``uv lock`` writes for ``proj`` -> warden-demo-pkg locked at the listed 0.9
    from the trusted index; with ``decoys``, two unreachable packages whose directories are
    spelled as the pin and as the wheel URL."""
    url = kernel.index.file_url(WHEEL)
    digest = hashlib.sha256(kernel.index.wheels["0.9"].read_bytes()).hexdigest()
    lock = (
        'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
        '[[package]]\nname = "proj"\nversion = "0.1"\nsource = { virtual = "." }\n'
        f'dependencies = [\n    {{ name = "{DEMO}" }},\n]\n\n'
        f'[package.metadata]\nrequires-dist = [{{ name = "{DEMO}" }}]\n\n'
    )
    if decoys:
        lock += (
            f'[[package]]\nname = "decoy-a"\nversion = "1.0"\n'
            f'source = {{ directory = "{DEMO}==0.9" }}\n\n'
            f'[[package]]\nname = "decoy-b"\nversion = "1.0"\n'
            f'source = {{ directory = "{url}" }}\n\n'
        )
    lock += (
        f'[[package]]\nname = "{DEMO}"\nversion = "0.9"\n'
        f'source = {{ registry = "{kernel.index.simple}" }}\n'
        f'wheels = [\n    {{ url = "{url}", hash = "sha256:{digest}" }},\n]\n'
    )
    return lock


SYNC = ["{uv}", "sync", "-q", "--frozen", "--no-cache", "--no-config", "--python", sys.executable,
        "--index-url", "{index}"]  # fmt: skip


def _cell(kernel, decoys: bool) -> str:
    code = "import subprocess\n"
    for file, text in (("pyproject.toml", PYPROJECT), ("uv.lock", _lock(kernel, decoys))):
        # doubled braces: launched.Kernel.cell str.format-s the cell
        code += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    return code + f"subprocess.run({SYNC!r}, check=True)\n"


def _installed(kernel) -> list:
    return sorted(
        p.name for p in kernel.work.glob(".venv/lib/python*/site-packages/warden_demo_pkg-*")
    )


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel)


def test_r45a_1_control_the_locked_pin_alone_is_refused(kernel):
    write_policy(kernel, LISTED)
    result, found = _run(kernel, _cell(kernel, decoys=False), launched=True)
    assert result["refused"] and "MAL-2099-45" in result["refused"] and not found, result


def test_r45a_1_path_texts_hide_the_locked_pin_and_url(kernel):
    write_policy(kernel, LISTED)
    code = _cell(kernel, decoys=True)
    result, found = _run(kernel, code, launched=False)
    assert result["refused"] is None and found == ["warden_demo_pkg-0.9.dist-info"], (
        result,
        found,
    )  # uv installs the locked listed 0.9 (the decoys are not reached)
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the pin was collapsed
    assert result["refused"] and "MAL-2099-45" in result["refused"], result


# -- the same collapse in `uv pip install -r a/pyproject.toml -r b/pyproject.toml` ------------


def _two_files_cell(both: bool) -> str:
    """``a/pyproject.toml`` holds a ``[tool.uv.sources]`` path spelled as the pin (for a
    package it does not depend on: uv ignores it), ``b/pyproject.toml`` depends on the listed
    release ``warden-demo-pkg==0.9``."""
    a = (
        '[project]\nname = "a"\nversion = "1.0"\ndependencies = []\n'
        f'[tool.uv.sources]\nunused = {{ path = "{DEMO}==0.9" }}\n'
    )
    b = f'[project]\nname = "b"\nversion = "1.0"\ndependencies = ["{DEMO}==0.9"]\n'
    code = "import os\nos.makedirs('a', exist_ok=True)\n"
    code += "os.makedirs('b', exist_ok=True)\n"
    code += f"open('a/pyproject.toml', 'w').write({a.replace('{', '{{').replace('}', '}}')!r})\n"
    code += f"open('b/pyproject.toml', 'w').write({b!r})\n"
    words = (["-r", "a/pyproject.toml"] if both else []) + ["-r", "b/pyproject.toml"]
    return uv_cell(*words, head=code)


def test_r45a_1_control_the_pin_alone_is_refused(kernel):
    write_policy(kernel, LISTED)
    kernel.reset()
    result = kernel.cell(_two_files_cell(both=False), launched=True)
    assert result["refused"] and "MAL-2099-45" in result["refused"] and not installed(kernel)


def test_r45a_1_source_path_text_hides_the_pin(kernel):
    write_policy(kernel, LISTED)
    kernel.reset()
    result = kernel.cell(_two_files_cell(both=True), launched=False)
    assert installed(kernel) == ["warden_demo_pkg-0.9.dist-info"], result  # uv installs 0.9
    kernel.reset()
    result = kernel.cell(_two_files_cell(both=True), launched=True)
    assert not installed(kernel), result  # FAILS today: the pin collapsed into the path
    assert result["refused"] and "MAL-2099-45" in result["refused"], result
