"""Red team 44a R44a-3: ``FILE:`` is a URL to Warden and a relative path to uv.

``installer_paths._is_file_url`` takes any spelling of the ``file:`` scheme (``text[:5].lower()``)
as a URL, for uv's readings too (``_uv_value``: ``whatwg_file_path``). uv 0.13.9 does not: a
find-links (or index, or requirement) value ``FILE:///N/clean`` is, to uv, the RELATIVE path
``./FILE:/N/clean`` (as ``HTTPS://`` is: the threat model's "lower-case schemes only"). So
Warden reads the empty folder ``/N/clean`` while uv lists ``<cwd>/FILE:/N/clean``, where the
cell put the listed 0.9: ``uv pip install --no-index --find-links FILE:///N/clean
warden-demo-pkg`` installs it (with lower-case ``file:`` the folder's 0.9 is refused, R43b-4).
The same reading places a requirement ``FILE:///N/x-1.0-py3-none-any.whl``: uv installs
``./FILE:/N/x-1.0-...whl``, a wheel Warden never opened (its start-up code unread).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import sys

from listed_release import DEMO, demo_index, installed_version, record, write_policy

index = demo_index("index44a3")


LISTED = record("MAL-2099-44")


def _cell(kernel, scheme: str) -> str:
    """./clean (empty) and ./FILE:<cwd>/clean (the listed 0.9); uv's find-links the URL
    ``<scheme>//<cwd>/clean``, no index."""
    code = "import os, shutil, subprocess\ncwd = os.getcwd()\nos.makedirs('clean', exist_ok=True)\n"
    code += "planted = 'FILE:' + cwd + '/clean'\nos.makedirs(planted, exist_ok=True)\n"
    code += f"shutil.copy({str(kernel.index.wheels['0.9'])!r}, planted)\n"
    code += "shutil.copy(" + repr(str(kernel.index.wheels["0.9"])) + ", 'clean') if "
    code += f"{scheme == 'file:'!r} else None\n"
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config", "--python"]
    argv += [sys.executable, "--target", "{target}", "--no-index", "--find-links"]
    return code + f"subprocess.run({argv!r} + [{scheme!r} + '//' + cwd + '/clean', {DEMO!r}])\n"


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    return kernel.cell(code, launched=launched), installed_version(kernel)


def test_r44a_3_control_lower_case_file_url_folder_of_the_listed_release_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell(kernel, "file:")
    assert _run(kernel, code, launched=False)[1] == "0.9"
    result, version = _run(kernel, code, launched=True)
    assert result["refused"] and "MAL-2099-44" in result["refused"] and version is None, result


def test_r44a_3_upper_case_file_scheme_is_read_where_uv_reads_it(kernel):
    write_policy(kernel, LISTED)
    code = _cell(kernel, "FILE:")
    result, version = _run(kernel, code, launched=False)
    assert version == "0.9", result  # uv lists ./FILE:<cwd>/clean: the planted listed release
    result, version = _run(kernel, code, launched=True)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"], result
