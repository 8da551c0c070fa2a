"""Red team 45a R45a-8 (false refusal): the user's own project is refused as an imitation name.

Since R44a-1/R44a-2 every local project folder Warden reads (``offered.add_project``) and
every uv.lock package from a local source (``offered.add_locked``: ``virtual``, ``editable``,
``directory``, ``path``) is decided as a requirement of kind ``offered`` by its name: the
malicious list, the deny list AND the imitation names (``decide._named``). A notebook project
is often named after its folder (``uv init`` does): a project ``notebooks`` (or ``model``,
``server``: "looks like an imitation of the popular package 'notebook'/'modal'/'semver'")
whose ``uv sync --frozen`` installs one clean dependency from the trusted index is refused,
though nothing named ``notebooks`` is fetched from anywhere: the name is the folder's own. The
same lock with the project named ``analysis`` installs (the control).

The assertion marked ``FAILS today`` is the false refusal; the control passes today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index45a8")
    server = LocalIndex(root, [build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                # the index and its files host (the lock's wheel URL is /files/...)
                "trusted_sources": {"package_indexes": [kernel.index.simple, kernel.index.base]},
            }
        )
    )


def _cell(kernel, name: str) -> str:
    pyproject = (
        f'[project]\nname = "{name}"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
        f'dependencies = ["{DEMO}"]\n[tool.uv]\npackage = false\n'
    )
    lock = (
        'version = 1\nrevision = 5\nrequires-python = ">=3.8"\n\n'
        f'[[package]]\nname = "{name}"\nversion = "0.1"\nsource = {{ virtual = "." }}\n'
        f'dependencies = [\n    {{ name = "{DEMO}" }},\n]\n\n'
        f'[package.metadata]\nrequires-dist = [{{ name = "{DEMO}" }}]\n\n'
        f'[[package]]\nname = "{DEMO}"\nversion = "1.0"\n'
        f'source = {{ registry = "{kernel.index.simple}" }}\n'
        "wheels = [\n"
        f'    {{ url = "{kernel.index.file_url("warden_demo_pkg-1.0-py3-none-any.whl")}" }},\n]\n'
    )
    argv = ["{uv}", "sync", "-q", "--frozen", "--no-cache", "--no-config", "--python",
            sys.executable, "--index-url", "{index}"]  # fmt: skip
    code = "import subprocess\n"
    for file, text in (("pyproject.toml", pyproject), ("uv.lock", lock)):
        code += f"open({file!r}, 'w').write({text.replace('{', '{{').replace('}', '}}')!r})\n"
    return code + f"subprocess.run({argv!r}, check=True)\n"


def _installed(kernel) -> list:
    return sorted(
        p.name for p in kernel.work.glob(".venv/lib/python*/site-packages/warden_demo_pkg-*")
    )


def _run(kernel, code: str):
    kernel.reset()
    result = kernel.cell(code, launched=True)
    return result, _installed(kernel)


def test_r45a_8_control_a_plain_project_name_syncs(kernel):
    _policy(kernel)
    result, found = _run(kernel, _cell(kernel, "analysis"))
    assert result["refused"] is None and found == ["warden_demo_pkg-1.0.dist-info"], result


@pytest.mark.parametrize("name", ["notebooks", "model", "server"])
def test_r45a_8_own_project_name_is_no_imitation(kernel, name):
    _policy(kernel)
    result, found = _run(kernel, _cell(kernel, name))
    assert result["refused"] is None, result  # FAILS today: refused as an imitation name
    assert found == ["warden_demo_pkg-1.0.dist-info"], result
