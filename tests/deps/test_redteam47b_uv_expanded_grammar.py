"""Red team 47b R47b-4 (HIGH): the value of a ``${VAR}`` in a path is read by Warden as
requirement grammar (a marker ``;``), by uv as part of the path.

uv parses a requirement's grammar first (name, extras, ``@``, markers) and only then expands
``${NAME}`` INSIDE the path it found (uv-pep508 ``expand_env_vars`` on the path/URL). So with
``A='d ;'``, ``uv pip install './${A}/p'`` opens the folder ``./d ;/p`` (checked with uv
0.13.9: ``+ warden-demo-pkg @ file:///.../demo%20;/warden_demo_pkg-0.9-py3-none-any.whl`` for a
wheel so placed).

Warden expands the whole text and parses the result again as a requirement
(``local_projects._add_expanded`` -> ``requirements.parse_requirement``), then reads the path
cut at the first ``;`` (``local_projects._paths``: ``text.split(";", 1)[0]``, also ``#`` and a
trailing ``[...]``): it reads ``./d`` (absent: nothing read, no problem), never ``./d ;/p``.
Without the ``./`` (``'${A}/p'``) the expanded text even parses as the NAME ``d``, decided from
the index and not read as a folder at all.

The cell: the folder ``d ;/p`` whose ``[build-system] requires`` is the listed
``warden-demo-pkg==0.9`` (its module is the build backend); ``uv pip install './${A}/p'`` builds
it and the listed release's code runs. Control: the same project in ``./q`` is refused.

Fix (mechanism): expand only the path part uv expands, after parsing the requirement as
written: keep the parsed kind/name/markers of the unexpanded text and substitute the variable
values into its path verbatim (no re-parse, no ``;``/``#``/``[`` cutting of expanded text); or
refuse a path requirement whose variable values hold a character the requirement grammar reads
(``;``, ``#``, ``[``, ``@``, whitespace).
"""

import pytest
from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index47b4", backend="0.9")
LISTED = record("MAL-2099-474")

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)


def _cell(requirement: str) -> str:
    head = "import os\n"
    for folder in ("d ;/p", "q"):  # q: the same project under a plain name (the control)
        head += f"os.makedirs({folder!r}, exist_ok=True)\n"
        head += f"open({folder + '/pyproject.toml'!r}, 'w').write({PROJECT!r})\n"
    head += "os.environ['A'] = 'd ;'\n"
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell(requirement, head=head, check=False)


def _ran(kernel, code: str, launched: bool):
    # doubled braces but the cell's own fields: launched.Kernel.cell str.format-s the cell
    doubled = code.replace("{", "{{").replace("}", "}}")
    for field in ("uv", "target", "index"):
        doubled = doubled.replace(f"{{{{{field}}}}}", f"{{{field}}}")
    return backend_ran(kernel, doubled, launched)


def test_r47b_4_control_the_project_by_a_plain_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./q")
    assert _ran(kernel, code, False)[1]
    result, ran = _ran(kernel, code, True)
    assert result["refused"] and "MAL-2099-474" in result["refused"] and not ran, result


@pytest.mark.parametrize("requirement", ["./${A}/p", "${A}/p"])
def test_r47b_4_a_marker_in_the_value_hides_the_folder_uv_builds(kernel, requirement):
    write_policy(kernel, LISTED)
    code = _cell(requirement)
    result, ran = _ran(kernel, code, False)
    assert ran, result  # uv opens ./d ;/p: the listed release's code runs
    result, ran = _ran(kernel, code, True)
    assert not ran, result  # FAILS today: Warden reads ./d (or the name d), never ./d ;/p
    assert result["refused"] and "MAL-2099-474" in result["refused"], result
