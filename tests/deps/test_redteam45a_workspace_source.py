"""Red team 45a R45a-7: a ``{ workspace = true }`` source of a ``-r`` pyproject.toml builds a
workspace member Warden never reads.

``uv pip install -r a/pyproject.toml`` with ``a`` a member of the workspace above it
(``[tool.uv.workspace] members = ["a", "x"]`` in ./pyproject.toml) and ``x = { workspace =
true }`` among a's sources builds the member ``./x`` (checked with uv 0.13.9: its ``[build-system]
requires`` is fetched and installed). ``arguments.uv_read_file`` reads ``a/pyproject.toml`` as a
project (``toml_files.add_project``), whose ``add_uv_sources`` passes a workspace source over
("a workspace member ... decided as a source"); the workspace root above ``a`` is looked for
only by ``local_projects._read`` (path projects) and ``_uv_project`` (``uv sync``), and the
root pyproject.toml in the working folder is read as uv config only (``workspace`` is an inert
setting there). So ``./x`` is never read: its build requirement, the listed
``warden-demo-pkg==0.9`` (whose module is the build backend here), is installed and its code
runs, where ``uv pip install ./x`` is refused (the control).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

from listed_release import backend_ran, demo_index, record, uv_cell, write_policy

index = demo_index("index45a7", backend="0.9")
LISTED = record("MAL-2099-457")


FILES = {
    "pyproject.toml": '[project]\nname = "root"\nversion = "0.1"\n'
    '[tool.uv.workspace]\nmembers = ["a", "x"]\n',
    "a/pyproject.toml": '[project]\nname = "a"\nversion = "0.1"\ndependencies = ["x"]\n'
    "[tool.uv.sources]\nx = { workspace = true }\n",
    "x/pyproject.toml": '[build-system]\nrequires = ["warden-demo-pkg==0.9"]\n'
    'build-backend = "warden_demo_pkg_mod"\n[project]\nname = "x"\nversion = "0.1"\n',
}


def _cell(*words: str) -> str:
    code = "import os\nos.makedirs('a', exist_ok=True)\n"
    code += "os.makedirs('x', exist_ok=True)\n"
    for file, text in FILES.items():
        code += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    # no check: the listed release's backend fails uv once its code ran
    return uv_cell(*words, head=code, check=False)


def test_r45a_7_control_the_member_by_its_path_is_refused(kernel):
    write_policy(kernel, LISTED)
    result, ran = backend_ran(kernel, _cell("./x"), True)
    assert result["refused"] and "MAL-2099-457" in result["refused"] and not ran, result


def test_r45a_7_workspace_source_of_a_requirements_pyproject_is_read(kernel):
    write_policy(kernel, LISTED)
    code = _cell("-r", "a/pyproject.toml")
    result, ran = backend_ran(kernel, code, False)
    assert ran, result  # uv builds the member ./x: the listed release's code runs
    result, ran = backend_ran(kernel, code, True)
    assert not ran, result  # FAILS today: ./x never read
    assert result["refused"] and "MAL-2099-457" in result["refused"], result
