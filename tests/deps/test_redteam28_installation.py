"""Red team 28b R28b-2: the gate's facts about the kernel's own Python are read once.

``startup_modules.stdlib_location`` let a child's PYTHONHOME equal the kernel's
``sys.base_prefix``, read when the start was decided, and a cell may assign it: the cell made
``h/lib/python3.11`` (links to the real standard library, and a copy of ``encodings`` that
installs), set ``sys.base_prefix = h`` and started ``sys.executable`` with ``PYTHONHOME=h``;
the child ran that ``encodings`` before its guard. Every such fact (the interpreter, its
prefixes, its site folders, the standard library's module names) is now read once as the guard
installs (``own_python.OWN``), before any user code.
"""

import os
import sys

from jupyterlab_warden.kernel.guard.installs import startup_modules
from jupyterlab_warden.kernel.guard.installs.own_python import OWN

# a PYTHONHOME of the cell's: the real standard library by links, its encodings a copy that
# installs first
HOME = r"""
import os, sys, shutil, subprocess
h = os.path.abspath('h'); shutil.rmtree(h, ignore_errors=True)
lib = os.path.join(sys.base_prefix, 'lib', 'python%d.%d' % sys.version_info[:2])
d = os.path.join(h, 'lib', os.path.basename(lib)); os.makedirs(d)
for n in os.listdir(lib):
    if n not in ('encodings', 'site-packages'):
        os.symlink(os.path.join(lib, n), os.path.join(d, n))
shutil.copytree(os.path.join(lib, 'encodings'), os.path.join(d, 'encodings'))
with open(os.path.join(d, 'encodings', '__init__.py'), 'a') as f:
    f.write('\nimport posix as _p\n_p.system(%r)\n' % INSTALL)
MOVE
subprocess.run([sys.executable, '-c', 'pass'], env=dict(os.environ, PYTHONHOME=h))
"""


def _cell(kernel, move: str) -> str:
    cell = HOME.replace("INSTALL", repr(kernel.uv_install())).replace("MOVE", move)
    return cell.replace("{", "{{").replace("}", "}}")


def test_a_home_of_the_cells_stays_refused_when_the_cell_moves_base_prefix(kernel):
    for move in ("", "sys.base_prefix = sys.base_exec_prefix = h"):
        refused = kernel.proves(_cell(kernel, move))
        assert "PYTHONHOME" in refused, refused


def test_own_python_is_what_the_guard_found(monkeypatch):
    """Assigning sys's attributes after the guard installed changes none of its facts."""
    before = startup_modules.stdlib_folders()
    monkeypatch.setattr(sys, "base_prefix", "/tmp/elsewhere")
    monkeypatch.setattr(sys, "prefix", "/tmp/elsewhere")
    monkeypatch.setattr(sys, "executable", "/tmp/elsewhere/python3")
    assert startup_modules.stdlib_folders() == before
    assert OWN.base_prefix != "/tmp/elsewhere" and OWN.executable != "/tmp/elsewhere/python3"
    home = os.path.realpath(OWN.base_prefix)
    assert startup_modules.stdlib_location(set(), {"PYTHONHOME": home}) == ""
    assert startup_modules.stdlib_location(set(), {"PYTHONHOME": "/tmp/elsewhere"}) == "PYTHONHOME"


# -- red team 28c ------------------------------------------------------------------------------

# R28c-5: the cell appends an empty folder d to its own PYTHONPATH (the settled rule allows
# it: d holds nothing then), fills d/encodings with a copy that installs, then names d on a
# line after the guard's folder: the line rule took "the folders the kernel started with" from
# os.environ as the cell had left it
APPENDED = r"""
import os, sys, shutil, subprocess
orig = os.environ.get('PYTHONPATH', '')
d = os.path.abspath('d'); shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
os.environ['PYTHONPATH'] = (orig + os.pathsep + d) if orig else d
lib = os.path.dirname(os.__file__)
shutil.copytree(os.path.join(lib, 'encodings'), os.path.join(d, 'encodings'))
with open(os.path.join(d, 'encodings', '__init__.py'), 'a') as f:
    f.write('\nimport posix as _p\n_p.system(%r)\n' % INSTALL)
pp = os.environ['PYTHONPATH']
os.system('PYTHONPATH=' + pp + ' ' + sys.executable + ' -c pass')
"""


def test_a_folder_the_cell_added_to_its_pythonpath_is_no_launch_folder(kernel):
    cell = APPENDED.replace("INSTALL", repr(kernel.uv_install()))
    refused = kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "PYTHONPATH" in refused, refused


def test_the_build_hook_runner_is_the_installed_one_as_the_guard_found(tmp_path, monkeypatch):
    """R28c-1: a copy of pip's build-hook runner under a folder the cell named site-packages
    and put on sys.path (or a patched sysconfig) was "installed", and ran unread under
    ``python -I``. The kernel's site folders are the guard's snapshot."""
    import sysconfig

    from jupyterlab_warden.kernel.guard.installs import guardless

    runner = os.path.join("pip", "_vendor", "pyproject_hooks", "_in_process", "_in_process.py")
    fake = tmp_path / "x" / "site-packages"
    (fake / os.path.dirname(runner)).mkdir(parents=True)
    (fake / runner).write_text("import os\n")
    monkeypatch.setattr(sys, "path", [*sys.path, str(fake)])
    monkeypatch.setattr(sysconfig, "get_paths", lambda *a, **k: {"purelib": str(fake)})
    assert not guardless.build_hook_runner(str(fake / runner))
    import pip

    real = os.path.join(os.path.dirname(os.path.dirname(pip.__file__)), runner)
    assert guardless.build_hook_runner(real)
