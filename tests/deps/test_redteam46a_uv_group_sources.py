"""Red team 46a R46a-1: ``uv pip install --group PATH:NAME`` takes the group's packages from the
pyproject's ``[tool.uv.sources]``, which Warden does not read there.

fix51uvfiles (R45a-5) reads ``uv pip install --group [PATH:]NAME`` "as pip's"
(``arguments._uv_group`` -> ``_pip_group`` -> ``toml_files.add_group``): the group's
requirement texts only. But uv (0.13.9) lowers a group's requirements with that pyproject's
``[tool.uv.sources]`` (and ``[[tool.uv.index]]``), as it does for ``-r pyproject.toml``, which
fix51uvfiles reads whole (``toml_files.add_requirements_project``: ``add_uv_settings``).
So a group ``dev = ["warden-demo-pkg"]`` whose source is ``{ url = ".../...-0.9-...whl" }`` is
decided as the bare name from the trusted index (the newest, 1.0, clean) while uv installs
the advisory-listed 0.9 from the URL. The same pyproject given as ``-r`` is refused (control).
"""

import pytest
from listed_release import DEMO, demo_index, record, run_cell, uv_cell, write_policy

index = demo_index("index46a1")
LISTED = record("MAL-2099-461")


def _pyproject(kernel) -> str:
    url = kernel.index.file_url("warden_demo_pkg-0.9-py3-none-any.whl")
    return (
        '[project]\nname = "a"\nversion = "1.0"\ndependencies = []\n'
        f'[dependency-groups]\ndev = ["{DEMO}"]\n'
        f'[tool.uv.sources]\n{DEMO} = {{{{ url = "{url}" }}}}\n'  # cell.format
    )


def _cell(kernel, *words: str, where: str = "a") -> str:
    code = f"import os\nos.makedirs({where!r}, exist_ok=True)\n"
    code += f"open('{where}/pyproject.toml', 'w').write({_pyproject(kernel)!r})\n"
    return uv_cell(*words, head=code)


def test_r46a_1_control_the_pyproject_as_a_requirements_file_is_refused(kernel):
    write_policy(kernel, LISTED)
    result, found = run_cell(kernel, _cell(kernel, "-r", "a/pyproject.toml"), launched=True)
    assert result["refused"] and not found, (result, found)


@pytest.mark.parametrize(
    "words,where",
    [(("--group", "a/pyproject.toml:dev"), "a"), (("--group", "dev"), ".")],
)
def test_r46a_1_uv_group_sources_are_read(kernel, words, where):
    write_policy(kernel, LISTED)
    code = _cell(kernel, *words, where=where)
    result, found = run_cell(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv takes the source
    result, found = run_cell(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the group's source unread
    assert result["refused"], result


def test_r46a_1_a_workspace_root_s_sources_lower_a_member_s_group(kernel):
    """The member's pyproject names no source; the workspace root above it does, and uv lowers
    the member's group with it (``-r w/sub/pyproject.toml`` reads the root: the control)."""
    write_policy(kernel, LISTED)
    url = kernel.index.file_url("warden_demo_pkg-0.9-py3-none-any.whl")
    root = (
        '[project]\nname = "root"\nversion = "1.0"\ndependencies = []\n'
        '[tool.uv.workspace]\nmembers = ["sub"]\n'
        f'[tool.uv.sources]\n{DEMO} = {{{{ url = "{url}" }}}}\n'
    )
    member = (
        '[project]\nname = "sub"\nversion = "1.0"\ndependencies = []\n'
        f'[dependency-groups]\ndev = ["{DEMO}"]\n'
    )
    head = "import os\nos.makedirs('w/sub', exist_ok=True)\n"
    head += f"open('w/pyproject.toml', 'w').write({root!r})\n"
    head += f"open('w/sub/pyproject.toml', 'w').write({member!r})\n"
    control = uv_cell("-r", "w/sub/pyproject.toml", head=head)
    result, found = run_cell(kernel, control, launched=True)
    assert result["refused"] and not found, (result, found)
    code = uv_cell("--group", "w/sub/pyproject.toml:dev", head=head)
    result, found = run_cell(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv takes the source
    result, found = run_cell(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the root's source unread
    assert result["refused"], result
