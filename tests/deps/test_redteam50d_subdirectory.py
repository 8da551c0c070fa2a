"""Red team 50d R50d-1 (HIGH): a ``file:`` URL's ``#subdirectory=`` fragment makes pip build
another folder than the one Warden reads.

pip (23.2) builds a direct reference's ``subdirectory`` fragment on a local ``file:`` URL
too: ``file:///W/x#subdirectory=sub`` (bare, ``name @``, ``-e``, or a requirements-file line)
builds ``/W/x/sub`` (``InstallRequirement.unpacked_source_directory`` joins
``link.subdirectory_fragment``; checked: its build backend's hooks run in ``x/sub``). Warden
reads the path each installer names (``path_readings`` + ``installer_paths.requirement``): a
URL's fragment is dropped (``_pip_file_url``: ``urlsplit(...).path``; uv's reading cuts at
``#``), so it reads ``/W/x`` (a clean project) and never the folder pip builds: neither its
project name (R44a-1: the release it builds) nor its ``[build-system] requires``. uv 0.13.9
ignores the fragment for a local folder (it builds ``x``: checked), so this is pip's reading.

The cell: ``x`` a clean project, ``x/sub`` a project that IS the listed release
``warden-demo-pkg 0.9`` (built with setuptools, no build isolation): pip installs the listed
release. The control: ``./x/sub`` by its plain path is refused by the record.

Fix (mechanism): read a ``file:`` URL requirement as pip opens it: the folder is the URL's
path joined with its ``subdirectory`` fragment (pip's ``Link.subdirectory_fragment``: the
``subdirectory=`` value of the fragment's ``&``-separated pairs, ``egg=`` beside it), for a
bare URL, a ``name @`` URL and an editable alike; a fragment Warden cannot read (a
``subdirectory`` holding ``..`` or an absolute path) is refused, never dropped.
"""

import sys

from listed_release import demo_index, record, write_policy

index = demo_index("index50d1")
LISTED = record("MAL-2099-501")

CLEAN = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    '[project]\nname = "cleanproj"\nversion = "0.1"\n[tool.setuptools]\npy-modules = []\n'
)
LISTED_PROJECT = CLEAN.replace("cleanproj", "warden-demo-pkg").replace('"0.1"', '"0.9"')


def _cell(requirement: str, editable: bool = False) -> str:
    """``x`` clean, ``x/sub`` the listed release; pip (no build isolation: setuptools is the
    lab's own) installs ``requirement`` (``W/`` is the cell's folder, as a ``file:`` URL)."""
    head = "import os, subprocess\n"
    for folder, text in (("x", CLEAN), ("x/sub", LISTED_PROJECT)):
        head += f"os.makedirs({folder!r}, exist_ok=True)\n"
        head += f"open(os.path.join({folder!r}, 'pyproject.toml'), 'w').write({text!r})\n"
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--no-build-isolation", "--target", "{target}", "--index-url", "{index}"]
    argv += ["-e"] if editable else []
    req = repr(requirement).replace("W/", "' + 'file://' + os.getcwd() + '/")
    doubled = head.replace("{", "{{").replace("}", "}}")
    return doubled + f"subprocess.run({argv!r} + [{req}])\n"


def _installed(kernel) -> bool:
    return any(kernel.target.glob("warden_demo_pkg-0.9*.dist-info"))


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel)


def test_r50d_1_control_the_listed_project_by_its_own_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./x/sub")
    assert _run(kernel, code, False)[1]
    result, done = _run(kernel, code, True)
    assert result["refused"] and "MAL-2099-501" in result["refused"] and not done, result


def test_r50d_1_a_subdirectory_fragment_builds_a_folder_warden_never_reads(kernel):
    write_policy(kernel, LISTED)
    code = _cell("W/x#subdirectory=sub")
    result, done = _run(kernel, code, False)
    assert done, result  # pip builds x/sub: the listed release is installed
    result, done = _run(kernel, code, True)
    # FAILS today: Warden read x (cleanproj) and allowed the start; pip installed x/sub
    assert not done, result
    assert result["refused"] and "MAL-2099-501" in result["refused"], result


def test_r50d_1_a_named_subdirectory_reference_is_read_too(kernel):
    write_policy(kernel, LISTED)
    code = _cell("warden-demo-pkg @ W/x#subdirectory=sub")
    result, done = _run(kernel, code, False)
    assert done, result
    result, done = _run(kernel, code, True)
    assert not done, result  # FAILS today, as above
    assert result["refused"] and "MAL-2099-501" in result["refused"], result
