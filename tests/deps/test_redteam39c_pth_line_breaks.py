"""Red team 39c R39c-4: a ``.pth`` line split where ``site`` does not split it.

``site.addpackage`` reads a ``.pth`` file as text with universal newlines: only ``\\n``,
``\\r`` and ``\\r\\n`` end a line, and a line that starts with ``import`` is ``exec``-ed
whole. Warden's one reading of those lines (``pth_lines.lines``) uses ``str.splitlines()``,
which also splits at ``\\x0b``, ``\\x0c`` (form feed), ``\\x1c``-``\\x1e``, ``\\x85``,
``\\u2028``, ``\\u2029``. Python's tokenizer takes a form feed as plain whitespace. So a line

    <setuptools' distutils-precedence line>\\x0cos.system(INSTALL)

is, to Warden, setuptools' known line (``startup_modules._BENIGN_PTH``: it runs only
``_distutils_hack``, unchanged) and a path line naming a folder that does not exist; to
``site`` it is one import line that runs the install before ``sitecustomize`` (the guard) in
every later Python. A cell writes it as a new ``.pth`` in the kernel's own site-packages (the
user's: a venv, conda, pyenv). These tests FAIL today (the payload installs under Warden).
"""

import sys

import pytest
from conftest import SETUPTOOLS_LINE

from jupyterlab_warden.kernel.guard.installs import pth_lines, startup_modules

CELL = (
    "import os, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\npy = sys.executable\n"
    'line = SHIM + \'\\x0c\' + \'os.environ.get("RT39") or (os.environ.__setitem__("RT39", '
    "\"1\"), os.system(' + repr(INSTALL) + '))\\n'\n"
    "open(site + '/aa_rt39.pth', 'w').write(line)\n"
    "try:\n    START\nfinally:\n    os.remove(site + '/aa_rt39.pth')\n"
)

STARTS = {
    "os_system": "os.system(py + ' -c pass')",
    "subprocess": "import subprocess; subprocess.run([py, '-c', 'pass'])",
}


def test_warden_reads_two_lines_where_site_runs_one(tmp_path):
    """The reading alone: no process started."""
    pth = tmp_path / "aa.pth"
    pth.write_text(SETUPTOOLS_LINE.rstrip("\n") + "\x0cos.system('x')\n")
    read = pth_lines.lines(str(pth))
    with open(pth, encoding="utf-8") as f:  # as site.addpackage reads it
        ran = [line for line in f if line.startswith(pth_lines.IMPORT_LINE)]
    assert ran and "os.system" in ran[0]
    # FAILS today: Warden splits the line and finds no code but setuptools' own
    assert any(startup_modules.pth_line_runs_code(line) for line in read), read


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no such .pth there)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("START", STARTS[start]).replace("INSTALL", repr(install))
    code = code.replace("SHIM", repr(SETUPTOOLS_LINE.rstrip("\n")))
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
def test_a_pth_line_with_a_form_feed(own_kernel, start):
    """Installs without Warden; under Warden the start must be refused: today the line runs
    in the child before its guard and installs."""
    code = _cell(own_kernel, start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


def test_setuptools_own_line_in_a_new_pth_still_runs(own_kernel):
    """The ordinary form: setuptools' own line written anew (a reinstall), then a Python."""
    marker = own_kernel.work / "ran.txt"
    (own_kernel.work / "use.py").write_text(f"open({str(marker)!r}, 'w')\n")
    code = (
        "import os, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
        f"open(site + '/distutils-precedence.pth', 'w').write({SETUPTOOLS_LINE!r})\n"
        "assert os.system(sys.executable + ' use.py') == 0\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and marker.exists(), result
