"""Red team 45a R45a-5: ``uv pip install --group`` installs a dependency group Warden never reads.

``uv pip install --group [PATH:]NAME`` (uv 0.13.9: "Install the specified dependency group
from a pylock.toml or pyproject.toml") installs PEP 735 group NAME of ``./pyproject.toml`` (or
of PATH). ``arguments._apply_option`` reads ``--group`` only for pip (``_pip_group``, when
``request.tool == "pip"``); for uv the value is passed over, and with ``--group`` alone the
request holds no package (``--group`` alone is refused as "no package found", fail closed).
With any package beside it, ``uv pip install --group a/pyproject.toml:dev warden-demo-pkg``,
the group's listed ``warden-demo-pkg==0.9`` is installed (the bare name is decided as the
index's newest, 1.0); the same line given as ``-r`` is refused (the control).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import pytest
from listed_release import DEMO, demo_index, record, run_cell, uv_cell, write_policy

index = demo_index("index45a5")
LISTED = record("MAL-2099-455")


PYPROJECT = (
    '[project]\nname = "a"\nversion = "1.0"\ndependencies = []\n'
    f'[dependency-groups]\ndev = ["{DEMO}==0.9"]\n'
)


def _cell(*words: str, where: str = "a") -> str:
    code = f"import os\nos.makedirs({where!r}, exist_ok=True)\n"
    code += f"open('{where}/pyproject.toml', 'w').write({PYPROJECT!r})\n"
    code += f"open('r.txt', 'w').write('{DEMO}==0.9\\n')\n"
    return uv_cell(*words, head=code)


def test_r45a_5_control_the_line_as_a_requirements_file_is_refused(kernel):
    write_policy(kernel, LISTED)
    result, found = run_cell(kernel, _cell("-r", "r.txt"), launched=True)
    assert result["refused"] and "MAL-2099-455" in result["refused"] and not found, result


@pytest.mark.parametrize(
    "words,where",
    [(("--group", "a/pyproject.toml:dev", DEMO), "a"), (("--group", "dev", DEMO), ".")],
)
def test_r45a_5_uv_group_is_read(kernel, words, where):
    write_policy(kernel, LISTED)
    code = _cell(*words, where=where)
    result, found = run_cell(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv installs the group
    result, found = run_cell(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: --group unread for uv
    assert result["refused"] and "MAL-2099-455" in result["refused"], result
