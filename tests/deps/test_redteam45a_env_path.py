"""Red team 45a R45a-2: a ``${VAR}`` in a ``file:`` requirement uv expands and Warden does not.

uv expands ``${NAME}`` from its environment in every PEP 508 URL it parses (uv-pep508
``VerbatimUrl::parse_url``: ``expand_env_vars`` before the URL is read), on the command line
as in a file. Warden reads ``name @ file:...`` as a path requirement (``local_projects``) at
the path the URL names AS WRITTEN (``installer_paths.whatwg_file_path``): ``file:///${D}/d``
is the folder ``/${D}/d`` (missing: nothing read) and ``file://${D}/d`` names the "host"
``${D}`` (None: nothing read, no problem either). With ``D`` set by the cell to its own folder,
``uv pip install "localproj @ file:///${D}/d"`` (or the plain path ``${D}/d``, which uv expands
too: checked with uv 0.13.9, also ``${D}/w/x.whl``) builds ``./d``, whose ``[build-system]
requires`` is the listed ``warden-demo-pkg==0.9`` (its module is the build backend here): the
listed release is installed into the build environment and its code runs, where ``uv pip
install ./d`` is refused (the control).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json

import pytest
from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index45a2", backend="0.9")
LISTED = record("MAL-2099-452")

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)


def _cell(requirement: str, file: bool = False) -> str:
    head = "import os\nos.makedirs('d', exist_ok=True)\n"
    head += f"open('d/pyproject.toml', 'w').write({PROJECT!r})\n"
    head += "os.environ['D'] = os.getcwd()\n"
    if file:  # the requirement in a project file uv reads (`-r pyproject.toml`)
        text = (
            '[project]\nname = "proj"\nversion = "0.1"\n'
            f"dependencies = [{json.dumps(requirement)}]\n"
        )
        head += f"os.makedirs('p', exist_ok=True)\nopen('p/pyproject.toml', 'w').write({text!r})\n"
    words = ["-r", "p/pyproject.toml"] if file else [requirement]
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell(*words, head=head, check=False)


def _ran(kernel, code: str, launched: bool):
    # doubled braces but the cell's own fields: launched.Kernel.cell str.format-s the cell
    doubled = code.replace("{", "{{").replace("}", "}}")
    for field in ("uv", "target", "index"):
        doubled = doubled.replace(f"{{{{{field}}}}}", f"{{{field}}}")
    return backend_ran(kernel, doubled, launched)


def test_r45a_2_control_the_project_by_its_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    assert _ran(kernel, _cell("./d"), False)[1]
    result, ran = _ran(kernel, _cell("./d"), True)
    assert result["refused"] and "MAL-2099-452" in result["refused"] and not ran, result


@pytest.mark.parametrize(
    "requirement,file",
    [
        ("localproj @ file:///${D}/d", False),
        ("localproj @ file://${D}/d", False),
        ("localproj @ file:///${D}/d", True),
        ("${D}/d", False),
    ],
)
def test_r45a_2_env_var_in_file_url_hides_the_project(kernel, requirement, file):
    write_policy(kernel, LISTED)
    code = _cell(requirement, file)
    result, ran = _ran(kernel, code, False)
    assert ran, result  # uv expands ${D}: ./d built, the listed release's code runs
    result, ran = _ran(kernel, code, True)
    assert not ran, result  # FAILS today: nothing read at the expanded path
    assert result["refused"] and "MAL-2099-452" in result["refused"], result
