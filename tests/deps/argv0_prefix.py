"""The cell head of the argv[0] proofs (red team 54b R54b-4, fix67argv0): CPython's getpath
places a Python by the name it starts with (argv[0], PYTHONEXECUTABLE), not by its file. The
head writes fake/pyvenv.cfg (``home`` = the kernel Python's folder) and
fake/lib/pythonX.Y/site-packages/zz.pth, and sets ``fake`` to fake/bin/python3 (no such file is
needed); a Python started under that name runs zz.pth before the guard's sitecustomize (the
PYTHONPATH entry), which starts a pip without PYTHONPATH that installs warden-demo-pkg from
the test index (``{target}``, ``{index}`` filled by Kernel.cell)."""

import os
import sys

PY = sys.executable
HOME = os.path.dirname(os.path.realpath(PY))
LIB = f"python{sys.version_info[0]}.{sys.version_info[1]}"
PTH = (
    "import os, subprocess; e = dict(os.environ); e.pop('PYTHONPATH', None); "
    "e.pop('PYTHONEXECUTABLE', None); "  # its pip placed by its file: no second zz.pth
    f"subprocess.run([{PY!r}, '-m', 'pip', 'install', '-q', '--no-cache-dir', '--target', "
    "'{target}', '--index-url', '{index}', 'warden-demo-pkg'], env=e)\n"
)
PREP = (
    "import os, subprocess\n"
    "os.makedirs('fake/bin', exist_ok=True)\n"
    f"os.makedirs('fake/lib/{LIB}/site-packages', exist_ok=True)\n"
    f"open('fake/pyvenv.cfg', 'w').write('home = {HOME}\\n"
    "include-system-site-packages = false\\n')\n"
    f"open('fake/lib/{LIB}/site-packages/zz.pth', 'w').write({PTH!r})\n"
    "fake = os.path.abspath('fake/bin/python3')\n"
)
