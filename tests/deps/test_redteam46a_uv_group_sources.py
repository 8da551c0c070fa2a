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

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index46a1")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


LISTED = {
    "id": "MAL-2099-461",
    "summary": "test record MAL-2099-461",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [LISTED]},
            }
        )
    )


def _pyproject(kernel) -> str:
    url = kernel.index.file_url("warden_demo_pkg-0.9-py3-none-any.whl")
    return (
        '[project]\nname = "a"\nversion = "1.0"\ndependencies = []\n'
        f'[dependency-groups]\ndev = ["{DEMO}"]\n'
        f'[tool.uv.sources]\n{DEMO} = {{{{ url = "{url}" }}}}\n'  # cell.format
    )


def _cell(kernel, *words: str, where: str = "a") -> str:
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    argv += list(words)
    code = f"import os, subprocess\nos.makedirs({where!r}, exist_ok=True)\n"
    code += f"open('{where}/pyproject.toml', 'w').write({_pyproject(kernel)!r})\n"
    return code + f"subprocess.run({argv!r}, check=True)\n"


def _installed(kernel) -> list:
    return sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel)


def test_r46a_1_control_the_pyproject_as_a_requirements_file_is_refused(kernel):
    _policy(kernel)
    result, found = _run(kernel, _cell(kernel, "-r", "a/pyproject.toml"), launched=True)
    assert result["refused"] and not found, (result, found)


@pytest.mark.parametrize(
    "words,where",
    [(("--group", "a/pyproject.toml:dev"), "a"), (("--group", "dev"), ".")],
)
def test_r46a_1_uv_group_sources_are_read(kernel, words, where):
    _policy(kernel)
    code = _cell(kernel, *words, where=where)
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv takes the source
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the group's source unread
    assert result["refused"], result


def test_r46a_1_a_workspace_root_s_sources_lower_a_member_s_group(kernel):
    """The member's pyproject names no source; the workspace root above it does, and uv lowers
    the member's group with it (``-r w/sub/pyproject.toml`` reads the root: the control)."""
    _policy(kernel)
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
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    code = "import os, subprocess\nos.makedirs('w/sub', exist_ok=True)\n"
    code += f"open('w/pyproject.toml', 'w').write({root!r})\n"
    code += f"open('w/sub/pyproject.toml', 'w').write({member!r})\n"
    control = code + f"subprocess.run({argv + ['-r', 'w/sub/pyproject.toml']!r}, check=True)\n"
    result, found = _run(kernel, control, launched=True)
    assert result["refused"] and not found, (result, found)
    code += f"subprocess.run({argv + ['--group', 'w/sub/pyproject.toml:dev']!r}, check=True)\n"
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv takes the source
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: the root's source unread
    assert result["refused"], result
