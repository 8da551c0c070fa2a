"""Red team 56c R56c-1: a pip "reader" whose pip is the cell's own module. ``python -m pip
list ; uv pip install --index-url REFUSED P``: the folder the line runs in holds
``pip/__main__.py`` (the cell wrote it); ``python -m pip`` puts the working folder first on
sys.path and runs that file, not pip. It appends to the pyproject.toml whose ``[tool.uv.pip]
no-index``/``find-links`` Warden read and allowed the uv install by; uv cannot parse it any
more, warns, drops those settings and fetches P from the line's index, a host the policy
refuses.

Root cause: ``installer_writes.writes_nothing`` (installs/installer_writes.py:76-82) takes the
invocation's words as pip's (``list``) without asking which module ``-m pip`` runs; a guarded
Python's pip shadow is let run ("with its guard", R38b-3's open note), so the only decision
left is ``commands._writes_nothing`` (commands.py:934), which calls it a reader. A shadowed
``-m pip`` runs the cell's code: any such invocation is a writer
(``guardless.shadowing_file``). FAILS today.
"""

import sys

import pytest
from launched import PYPROJECT_INSTALL as UV
from launched import local_pyproject_cell

PY = sys.executable
SHADOW = "open('pyproject.toml', 'a').write('garbage [[[\\n')\n"


def _cell(kernel, reader: str, shadow: str) -> str:
    line = f"{reader} ; {UV}" if reader else UV
    code = local_pyproject_cell(kernel)
    if shadow == "package":
        code += "os.makedirs('pip', exist_ok=True)\nopen('pip/__init__.py', 'w').write('')\n"
        code += f"open('pip/__main__.py', 'w').write({SHADOW!r})\n"
    elif shadow == "module":
        code += f"open('pip.py', 'w').write({SHADOW!r})\n"
    code = code.replace("{", "{{").replace("}", "}}")
    return code + f"os.system({line!r})\n"


def test_control_the_install_alone_is_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, "", ""))


def test_control_the_real_pip_list_stays_a_reader(kernel):
    kernel.installs_locally(_cell(kernel, f"{PY} -m pip list -q", ""))


def test_control_a_guardless_shadowed_pip_reader_is_refused(kernel):
    # -E: a guardless Python, whose -m pip shadow Warden looks for (R38b-3)
    kernel.kept_out(_cell(kernel, f"{PY} -E -s -m pip list", "package"))


@pytest.mark.parametrize(
    "reader, shadow",
    [
        (f"{PY} -m pip list", "package"),
        (f"{PY} -m pip freeze", "package"),
        (f"{PY} -m pip --version", "module"),
    ],
)
def test_a_shadowed_pip_reader_is_a_writer(kernel, reader, shadow):
    kernel.kept_from_refused_host(_cell(kernel, reader, shadow))
