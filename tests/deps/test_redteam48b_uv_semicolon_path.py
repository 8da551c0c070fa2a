"""Red team 48b R48b-7 (HIGH): uv builds the folder ``x;y``, Warden reads the folder ``x``.

uv 0.13.9 takes a path requirement's ``;`` as a marker only after white space: ``./x;y``
(on the command line, in a requirements file, after ``-e``) is the folder ``x;y`` (checked:
``uv pip install --dry-run ./x;y`` builds ``semi @ file:///W/x;y``). Warden cuts the path
part at the first ``;`` whatever precedes it (jupyterlab_warden/kernel/guard/installs/
local_projects.py:161 ``_path_part``: ``text.split(";", 1)[0]``; the kind comes from
requirements.py ``parse_requirement``, which splits the spec at ``;`` too), so it reads the
project in ``./x`` and never the one uv builds. pip reads ``;`` as a marker (``./x`` with the
marker ``y``, an error), so the cut is pip's reading, not uv's.

The cell: ``x;y`` a project whose ``[build-system] requires`` is the listed
``warden-demo-pkg==0.9`` (its module is the build backend here), ``x`` a clean project;
``uv pip install './x;y'`` builds ``x;y`` and the listed release's code runs. The control:
the same project by a plain path is refused.

Fix (mechanism): read a path requirement per installer: for uv, its marker starts only at
``;`` preceded by white space (uv-pep508's rule for a path or URL), so ``./x;y`` is the path
``x;y``; when the two installers' readings differ read both paths (as ``tools_of`` does).
"""

from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index48b7", backend="0.9")
LISTED = record("MAL-2099-487")

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)
CLEAN = '[build-system]\nrequires = []\n[project]\nname = "cleanproj"\nversion = "0.1"\n'


def _cell(requirement: str) -> str:
    head = "import os\n"
    for folder, text in (("x;y", PROJECT), ("x", CLEAN), ("plain", PROJECT)):
        head += f"os.makedirs({folder!r}, exist_ok=True)\n"
        head += f"open(os.path.join({folder!r}, 'pyproject.toml'), 'w').write({text!r})\n"
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell(requirement, head=head, check=False)


def _ran(kernel, code: str, launched: bool):
    doubled = code.replace("{", "{{").replace("}", "}}")
    for field in ("uv", "target", "index"):
        doubled = doubled.replace(f"{{{{{field}}}}}", f"{{{field}}}")
    return backend_ran(kernel, doubled, launched)


def test_r48b_7_control_the_project_by_a_plain_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./plain")
    assert _ran(kernel, code, False)[1]
    result, ran = _ran(kernel, code, True)
    assert result["refused"] and "MAL-2099-487" in result["refused"] and not ran, result


def test_r48b_7_a_semicolon_in_a_path_hides_the_folder_uv_builds(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./x;y")
    result, ran = _ran(kernel, code, False)
    assert ran, result  # uv builds ./x;y: the listed release's code runs
    result, ran = _ran(kernel, code, True)
    assert not ran, result  # FAILS today: Warden reads ./x (clean), never ./x;y
    assert result["refused"] and "MAL-2099-487" in result["refused"], result


# pip too, for a bare `file:` URL: pip's marker of a URL starts only at "; " (with the space),
# so `file:///W/x;y` is the folder `x;y` for pip (checked with pip 23.2:
# install_req_from_line gives the link file:///W/x;y, no marker); Warden reads `x`.
def _pip_cell(folder: str) -> str:
    import sys

    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", "--index-url", "{index}"]
    code = _cell("./unused").split("import subprocess")[0]
    run = f"subprocess.run({argv!r} + ['file://' + os.path.abspath({folder!r})])"
    return code + f"import subprocess\n{run}\n"


def test_r48b_7_pip_control_the_project_by_a_plain_url_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _pip_cell("plain")
    assert _ran(kernel, code, False)[1]
    result, ran = _ran(kernel, code, True)
    assert result["refused"] and "MAL-2099-487" in result["refused"] and not ran, result


def test_r48b_7_pip_a_file_url_with_a_semicolon_hides_the_folder_pip_builds(kernel):
    write_policy(kernel, LISTED)
    code = _pip_cell("x;y")
    result, ran = _ran(kernel, code, False)
    assert ran, result  # pip builds x;y: the listed release's code runs
    result, ran = _ran(kernel, code, True)
    # holds today: the build environment's own guarded pip refuses the listed backend later
    assert not ran, result
    # FAILS today: the start itself is not refused (Warden read ./x), unlike ./plain; the
    # folder pip builds was never read, so any reading only it gives is skipped (weaker: MED)
    assert result["refused"] and "MAL-2099-487" in result["refused"], result
