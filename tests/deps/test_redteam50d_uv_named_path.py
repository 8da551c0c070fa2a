"""Red team 50d R50d-2 (MED, false refusal): uv's ``name @ ./relative/path`` is refused as a
direct URL, while the same folder given as ``./x`` is read and allowed.

uv (uv-pep508, checked with uv 0.13.9: ``uv pip install --dry-run 'cleanproj @ ./x'`` builds
``cleanproj @ file:///W/x``) takes a ``name @`` reference that is not a URL as a local path.
Warden's ``requirements.parse_requirement`` (jupyterlab_warden/kernel/guard/installs/
requirements.py:56-60) gives a ``name @`` reference the kind ``path`` only when it starts with
``file:``, ``vcs`` for ``git+``..., and ``url`` for anything else: ``./x`` becomes a "direct
URL" that is no plain URL (``decide._requirement``: ``url_allowed`` is False) and is refused
(install-direct-reference), and the folder is never read (``path_readings.uv`` has the named
form only for ``file:``). pip rejects the form (its own error), so this is uv's reading.

Fix (mechanism): classify a ``name @ REF`` by what each installer makes of REF: for uv a REF
with no scheme is a path (relative to the working folder, or the requirements file's folder)
read as ``./x`` is, with its readings (``path_readings``) taken after the ``@``; for pip it is
pip's error (nothing built). Never call a reference a URL by elimination.
"""

import sys

import pytest
from listed_release import demo_index, write_policy

index = demo_index("index50d2")

CLEAN = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    '[project]\nname = "cleanproj"\nversion = "0.1"\n[tool.setuptools]\npy-modules = []\n'
)


def _cell(requirement: str) -> str:
    head = "import os, subprocess\nos.makedirs('x', exist_ok=True)\n"
    head += f"open('x/pyproject.toml', 'w').write({CLEAN!r})\n"
    argv = ["{uv}", "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps"]
    argv += ["--no-build-isolation", "--python", sys.executable, "--target", "{target}"]
    argv += ["--index-url", "{index}", requirement]
    doubled = head.replace("{", "{{").replace("}", "}}")
    return doubled + f"subprocess.run({argv!r})\n"


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, any(kernel.target.glob("cleanproj-0.1*.dist-info"))


@pytest.mark.parametrize("launched", [False, True])
def test_r50d_2_control_the_folder_by_its_path_is_allowed(kernel, launched):
    write_policy(kernel)
    result, done = _run(kernel, _cell("./x"), launched)
    assert result["refused"] is None and done, result


def test_r50d_2_uv_named_relative_path_is_refused_as_a_url(kernel):
    write_policy(kernel)
    code = _cell("cleanproj @ ./x")
    result, done = _run(kernel, code, False)
    assert result["refused"] is None and done, result  # uv builds ./x
    result, done = _run(kernel, code, True)
    # FAILS today: refused as "a direct URL" (install-direct-reference); the folder is clean
    assert result["refused"] is None and done, result
