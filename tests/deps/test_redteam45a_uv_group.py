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

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index45a5")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


LISTED = {
    "id": "MAL-2099-455",
    "summary": "test record MAL-2099-455",
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


PYPROJECT = (
    '[project]\nname = "a"\nversion = "1.0"\ndependencies = []\n'
    f'[dependency-groups]\ndev = ["{DEMO}==0.9"]\n'
)


def _cell(*words: str, where: str = "a") -> str:
    argv = ["{uv}", "pip", "install", "-q", "--no-cache", "--no-deps", "--no-config"]
    argv += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    argv += list(words)
    code = f"import os, subprocess\nos.makedirs({where!r}, exist_ok=True)\n"
    code += f"open('{where}/pyproject.toml', 'w').write({PYPROJECT!r})\n"
    code += f"open('r.txt', 'w').write('{DEMO}==0.9\\n')\n"
    return code + f"subprocess.run({argv!r}, check=True)\n"


def _installed(kernel) -> list:
    return sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))


def _run(kernel, code: str, launched: bool):
    kernel.reset()
    result = kernel.cell(code, launched=launched)
    return result, _installed(kernel)


def test_r45a_5_control_the_line_as_a_requirements_file_is_refused(kernel):
    _policy(kernel)
    result, found = _run(kernel, _cell("-r", "r.txt"), launched=True)
    assert result["refused"] and "MAL-2099-455" in result["refused"] and not found, result


@pytest.mark.parametrize(
    "words,where",
    [(("--group", "a/pyproject.toml:dev", DEMO), "a"), (("--group", "dev", DEMO), ".")],
)
def test_r45a_5_uv_group_is_read(kernel, words, where):
    _policy(kernel)
    code = _cell(*words, where=where)
    result, found = _run(kernel, code, launched=False)
    assert found == ["warden_demo_pkg-0.9.dist-info"], (result, found)  # uv installs the group
    result, found = _run(kernel, code, launched=True)
    assert not found, f"installed {found}: {result}"  # FAILS today: --group unread for uv
    assert result["refused"] and "MAL-2099-455" in result["refused"], result
