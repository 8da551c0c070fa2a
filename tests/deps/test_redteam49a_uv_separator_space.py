"""Red team 49a R49a-4: ``\\x1c``-``\\x1f`` are white space to Warden's uv reading, not to uv.

``path_readings._uv_url`` (fix56semi) ends uv's path where uv-pep508 does: at white space
followed only by white space, ``;`` or ``#``. It tests white space with Python's
``str.isspace`` (and ``str.lstrip``), which counts the separators U+001C..U+001F; uv's
(Rust ``char::is_whitespace``, Unicode White_Space) does not. So for
``./d\\x1c;x ;python_version>"3"`` Warden's uv reading is ``./d`` (it stops at ``\\x1c`` since
``;`` follows), pip's line reading ``d`` (the first ``;``), pip's editable reading the whole
text (no such folder); uv (0.13.9, checked: ``--dry-run`` resolves
``evil @ file:///W/d%1C;x``) builds the folder ``d\\x1c;x``, which none of the readings opens.

The cell: ``d\\x1c;x`` a project whose ``[build-system] requires`` is the listed
``warden-demo-pkg==0.9`` (its module is the build backend here), ``d`` a clean project;
``uv pip install './d\\x1c;x ;python_version>"3"'`` builds ``d\\x1c;x`` and the listed
release's code runs. The control: the same project by a plain path is refused.
"""

from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index49a4", backend="0.9")
LISTED = record("MAL-2099-494")

PROJECT = (
    '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "localproj"\nversion = "0.1"\n'
)
CLEAN = '[build-system]\nrequires = []\n[project]\nname = "cleanproj"\nversion = "0.1"\n'
HIDDEN = "d\x1c;x"


def _cell(requirement: str) -> str:
    head = "import os\n"
    for folder, text in ((HIDDEN, PROJECT), ("d", CLEAN), ("plain", PROJECT)):
        head += f"os.makedirs({folder!r}, exist_ok=True)\n"
        head += f"open(os.path.join({folder!r}, 'pyproject.toml'), 'w').write({text!r})\n"
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell(requirement, head=head, check=False)


def _ran(kernel, code: str, launched: bool):
    doubled = code.replace("{", "{{").replace("}", "}}")
    for field in ("uv", "target", "index"):
        doubled = doubled.replace(f"{{{{{field}}}}}", f"{{{field}}}")
    return backend_ran(kernel, doubled, launched)


def test_r49a_4_control_the_project_by_a_plain_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./plain")
    assert _ran(kernel, code, False)[1]
    result, ran = _ran(kernel, code, True)
    assert result["refused"] and "MAL-2099-494" in result["refused"] and not ran, result


def test_r49a_4_a_separator_character_hides_the_folder_uv_builds(kernel):
    write_policy(kernel, LISTED)
    code = _cell("./" + HIDDEN + ' ;python_version>"3"')
    result, ran = _ran(kernel, code, False)
    assert ran, result  # uv builds ./d\x1c;x: the listed release's code runs
    result, ran = _ran(kernel, code, True)
    assert not ran, result  # FAILS today: Warden reads ./d (clean), never ./d\x1c;x
    assert result["refused"] and "MAL-2099-494" in result["refused"], result
