"""Red team 45a R45a-4: a named index of a ``-r`` pyproject.toml is never decided.

``uv pip install -r a/pyproject.toml`` reads the file as a project (``arguments.uv_read_file``
-> ``toml_files.add_project``): its dependencies, groups, ``[tool.uv]`` requirement keys and
``[tool.uv.sources]``. A source ``{ index = "evil" }`` is passed over there as "decided as a
source: the index itself is decided from ``[[tool.uv.index]]``", but that table is read only
by ``add_uv_settings``, which runs for the uv config files found from the working folder UP
(``uv_config``), the project of ``uv sync`` and path projects: never for a ``-r`` file in a
subfolder. uv 0.13.9 takes the file's ``[[tool.uv.index]]`` (explicit or not) for the source
and installs the package from that index, which the policy does not trust (the command
line's ``--index-url`` is the trusted one).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import sys

import pytest
from listed_release import DEMO, uv_cell, write_policy
from local_index import LocalIndex, build_wheel


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index45a4")
    server = LocalIndex(root, [build_wheel(root, DEMO, "1.0")])
    other = tmp_path_factory.mktemp("untrusted45a4")
    server.untrusted = LocalIndex(other, [build_wheel(other, DEMO, "2.0", body="UNTRUSTED = 1\n")])
    yield server
    server.untrusted.close()
    server.close()


def _pyproject(kernel, explicit: bool, source: bool = True) -> str:
    text = (
        f'[project]\nname = "a"\nversion = "1.0"\ndependencies = ["{DEMO}"]\n'
        f'[[tool.uv.index]]\nname = "evil"\nurl = "{kernel.index.untrusted.simple}"\n'
        f"explicit = {'true' if explicit else 'false'}\n"
    )
    return text + (f'[tool.uv.sources]\n{DEMO} = {{ index = "evil" }}\n' if source else "")


def _cell(kernel, text: str, where: str = "a") -> str:
    code = f"import os\nos.makedirs({where!r}, exist_ok=True)\n"
    doubled = text.replace("{", "{{").replace("}", "}}")  # launched.Kernel.cell str.format-s it
    code += f"open('{where}/pyproject.toml', 'w').write({doubled!r})\n"
    return uv_cell("-r", f"{where}/pyproject.toml", head=code)


def _untrusted(kernel) -> bool:
    init = kernel.target / "warden_demo_pkg_mod" / "__init__.py"
    return init.exists() and "UNTRUSTED" in init.read_text()


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    kernel.index.untrusted.requests.clear()
    result = kernel.cell(code, launched=launched)
    return result, _untrusted(kernel)


def test_r45a_4_control_the_same_index_on_the_command_line_is_refused(kernel):
    write_policy(kernel)
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config", "--python",
            sys.executable, "--target", "{target}", "--index-url", "{index}", "--index",
            kernel.index.untrusted.simple, DEMO]  # fmt: skip
    result, found = _run(kernel, f"import subprocess\nsubprocess.run({argv!r})\n", True)
    assert result["refused"] and not found, result


@pytest.mark.parametrize("explicit", [True, False])
def test_r45a_4_named_index_of_a_requirements_pyproject_is_decided(kernel, explicit):
    write_policy(kernel)
    code = _cell(kernel, _pyproject(kernel, explicit))
    result, found = _run(kernel, code, launched=False)
    assert found, result  # uv installs the package from the untrusted named index
    result, found = _run(kernel, code, launched=True)
    assert not found, result  # FAILS today: the index was never decided
    assert result["refused"], result
