"""Red team 47b R47b-2 (HIGH): a requirements-file path is expanded TWICE by Warden, once by uv.

uv 0.13.9 expands ``${NAME}`` in a requirements file's path once (uv-pep508
``expand_env_vars``, one pass; checked: a line ``./${A}`` with ``A='${B}'`` opens the path
``./${B}`` literally, "Distribution not found at: file:///.../$%7BB%7D").

Warden expands the line once in ``requirements.expanded_lines`` (uv's rule, ``uv_expanded``:
``./${A}`` -> ``./${B}``), then ``local_projects.add`` sees a path requirement still holding
``${`` whose id is not in ``expanded`` (only requirements ``_add_expanded`` made are) and
expands it AGAIN (``./${B}`` -> ``./ok``), adds that as the requirement uv "opens" and, for a
uv request, ``continue``s: the path uv really opens, the folder literally named ``${B}``, is
never read (local_projects.py ``add``: the ``if uv and "${" in ...`` branch; the first pass is
requirements.py ``expanded_lines``/``read_text``).

The cell: a folder literally named ``${B}`` whose ``[build-system] requires`` is the listed
``warden-demo-pkg==0.9`` (its module is the build backend here), ``r.txt`` holding ``./${A}``,
``A='${B}'``, ``B='ok'``; ``uv pip install -r r.txt`` builds ``./${B}`` and the listed
release's code runs. The same project by its plain path is refused (the control).

Fix (mechanism): expand a requirement's text exactly once, as uv does: mark every requirement a
requirements-file line produced under uv's expansion as already expanded (or keep the line's
unexpanded text in ``written`` and expand that once), so ``local_projects`` never expands a
value a variable supplied; read the path uv opens (the once-expanded text) always.
"""

from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index47b2", backend="0.9")
LISTED = record("MAL-2099-472")

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)


def _cell(line: str, folder: str) -> str:
    head = "import os\n"
    head += f"os.makedirs({folder!r}, exist_ok=True)\n"
    head += f"open(os.path.join({folder!r}, 'pyproject.toml'), 'w').write({PROJECT!r})\n"
    head += f"open('r.txt', 'w').write({line + chr(10)!r})\n"
    head += "os.environ['A'] = '${B}'\nos.environ['B'] = 'ok'\n"
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell("-r", "r.txt", head=head, check=False)


def _ran(kernel, code: str, launched: bool):
    # doubled braces but the cell's own fields: launched.Kernel.cell str.format-s the cell
    doubled = code.replace("{", "{{").replace("}", "}}")
    for field in ("uv", "target", "index"):
        doubled = doubled.replace(f"{{{{{field}}}}}", f"{{{field}}}")
    return backend_ran(kernel, doubled, launched)


def test_r47b_2_control_the_project_by_its_plain_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./d", "d")
    assert _ran(kernel, code, False)[1]
    result, ran = _ran(kernel, code, True)
    assert result["refused"] and "MAL-2099-472" in result["refused"] and not ran, result


def test_r47b_2_a_variable_naming_a_variable_hides_the_folder_uv_builds(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./${A}", "${B}")
    result, ran = _ran(kernel, code, False)
    assert ran, result  # uv opens ./${B} (one pass): the listed release's code runs
    result, ran = _ran(kernel, code, True)
    assert not ran, result  # FAILS today: Warden reads ./ok (two passes), never ./${B}
    assert result["refused"] and "MAL-2099-472" in result["refused"], result
