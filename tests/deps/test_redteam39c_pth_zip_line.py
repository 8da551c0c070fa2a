"""Red team 39c R39c-3: a zip archive a ``.pth`` PATH line puts on a Python's path.

``site`` appends each existing path a site folder's ``.pth`` path line names: a folder, or a
zip archive, which zipimport then imports from. Warden reads the folders only
(``start_files.pth_path_folders`` keeps ``os.path.isdir`` ones, ``_first_module`` and
``_pth_module_changed`` list folders), and a NEW ``.pth`` with only a path line is no code
(``startup_modules.pth_code``). So a cell that writes ``aa.pth`` (one line: ``rt39.zip``) in
the kernel's own site-packages (the user's: a venv, conda, pyenv) has every later Python
import from the archive whatever it looks for there and finds nowhere earlier:

* a guardless ``python -I -c pass`` (Warden reads the code and lets it run): ``site``'s
  ``import sitecustomize`` finds the archive's, before any code Warden read;
* a guarded ``python -c pass``: setuptools' ``distutils-precedence.pth`` imports
  ``_distutils_hack``, which the cell moved away from site-packages, so the archive's runs
  before the guard's ``sitecustomize``.

Both install. These tests FAIL today.
"""

import sys

import pytest

CELL = (
    "import os, sys, sysconfig, zipfile\nsite = sysconfig.get_paths()['purelib']\n"
    "py = sys.executable\narchive = os.path.abspath('rt39.zip')\n"
    'body = \'import os\\nos.environ.get("RT39") or (os.environ.__setitem__("RT39", "1"), '
    "os.system(' + repr(INSTALL) + '))\\ndef add_shim(): pass\\n'\n"
    "with zipfile.ZipFile(archive, 'w') as z:\n"
    "    z.writestr('sitecustomize.py', body)\n"
    "    z.writestr('_distutils_hack/__init__.py', body)\n"
    "open(site + '/aa_rt39.pth', 'w').write(archive + '\\n')\n"
    "MOVE\n"
    "try:\n    START\nfinally:\n    os.remove(site + '/aa_rt39.pth')\n    BACK\n"
)

MOVE = "os.rename(site + '/_distutils_hack', site + '/_distutils_hack.moved')"
BACK = "os.rename(site + '/_distutils_hack.moved', site + '/_distutils_hack')"

STARTS = {
    # (the start, whether the cell moves setuptools' shim away first)
    "guardless_sitecustomize": ("os.system(py + ' -I -c pass')", False),
    "guarded_distutils_hack": ("os.system(py + ' -c pass')", True),
    "guarded_subprocess": ("import subprocess; subprocess.run([py, '-c', 'pass'])", True),
}


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no such .pth there)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    line, moved = STARTS[start]
    code = CELL.replace("START", line).replace("INSTALL", repr(install))
    code = code.replace("MOVE", MOVE if moved else "").replace("BACK", BACK if moved else "pass")
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
def test_a_zip_archive_a_pth_path_line_adds(own_kernel, start):
    """Installs without Warden; under Warden the start must be refused (or the archive's
    module never run): today it runs before any code Warden reads and installs."""
    code = _cell(own_kernel, start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


def test_a_pth_path_line_to_an_ordinary_archive_still_runs(own_kernel):
    """The ordinary form: a path line to an archive of plain modules (an egg, a vendored zip)
    and a Python that imports one of them."""
    marker = own_kernel.work / "ran.txt"
    (own_kernel.work / "use.py").write_text(f"import helper\nopen({str(marker)!r}, 'w')\n")
    code = (
        "import os, sys, sysconfig, zipfile\nsite = sysconfig.get_paths()['purelib']\n"
        "archive = os.path.abspath('lib.zip')\n"
        "with zipfile.ZipFile(archive, 'w') as z:\n    z.writestr('helper.py', 'X = 1\\n')\n"
        "open(site + '/aa_lib.pth', 'w').write(archive + '\\n')\n"
        "assert os.system(sys.executable + ' use.py') == 0\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and marker.exists(), result
