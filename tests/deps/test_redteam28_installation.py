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
