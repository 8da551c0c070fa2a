"""Red team 37a R37a-1: code the import system runs while the write rule reads a write.

``start_writes.StartWrites.check`` marks its thread while it reads a write (``_enter``: the
rule's own first imports write bytecode, and reading those would import the module being
imported again), and a write made in a marked thread is not read at all. The rule's helpers
are imported lazily at the first write (``startup_modules``, ``pth_lines``,
``pyenv_places``; they import ``glob``, ``ast``, ``re``, ``typing``... from the library), and
an import runs code the guarded Python chose: a ``sys.meta_path`` finder, a rebound
``builtins.__import__``, or a module of a library name in the script's own folder (first on
``sys.path``: ``glob.py`` beside w.py). That code copies a ``.pth`` into the site folder while
the mark is set, unread; the next Python on the line runs it before its guard.

Proof: each installs without Warden (w.py's own later import runs the same code) and,
today, with Warden too (the refusal expected: the site ``.pth`` write).
"""

import pytest
from test_redteam32_places import _site_cell

COPY = "shutil.copyfile('p.pth', site + '/zz.pth')"
# the site folder read before the hook is in (``sysconfig`` imports its data module lazily)
SITE = "site = sysconfig.get_paths()['purelib']\n"
# a first write in the site folder: the rule imports its helpers (and their library modules)
FIRST_WRITE = "open(site + '/r37_data.txt', 'w').close()\n"

WRITERS = {
    "meta_path_finder": (
        "import shutil, sys, sysconfig\n" + SITE + "class F:\n"
        "    done = False\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if not F.done:\n"
        "            F.done = True\n"
        f"            {COPY}\n"
        "        return None\n"
        "sys.meta_path.insert(0, F())\n" + FIRST_WRITE + "import json\n"
    ),
    "builtins_import": (
        "import builtins, shutil, sysconfig\n" + SITE + "real, done = builtins.__import__, []\n"
        "def imp(*a, **k):\n"
        "    if not done:\n"
        "        done.append(1)\n"
        f"        {COPY}\n"
        "    return real(*a, **k)\n"
        "builtins.__import__ = imp\n" + FIRST_WRITE + "import json\n"
    ),
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_import_hook_runs_inside_the_rules_reading(own_kernel, name):
    start = (
        f"open('w.py', 'w').write({WRITERS[name]!r})\n"
        "    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# a library name beside the script (the script's folder is sys.path[0]): no patching at all
SHADOW = (
    "import os, shutil, sysconfig\n" + SITE + f"{COPY}\n"
    "exec(open(os.path.join(sysconfig.get_paths()['stdlib'], 'glob.py')).read())\n"
)


def test_a_library_name_beside_the_script_runs_inside_the_rules_reading(own_kernel):
    """d/glob.py is imported by the rule's ``startup_modules`` at w.py's first write (a folder
    of its own: the kernel's working folder is on the kernel's sys.path)."""
    script = "import sysconfig\n" + SITE + FIRST_WRITE + "import glob\n"
    start = (
        f"os.makedirs('d', exist_ok=True); open('d/glob.py', 'w').write({SHADOW!r})\n"
        f"    open('d/w.py', 'w').write({script!r})\n"
        "    os.system(py + ' d/w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


LEGIT = (
    "import os, sys\n"
    "open('w.py', 'w').write(\n"
    "    'import sys\\n'\n"
    "    'class F:\\n'\n"
    "        '    def find_spec(self, name, path=None, target=None):\\n'\n"
    "        '        return None\\n'\n"
    "    'sys.meta_path.insert(0, F())\\n'\n"
    '    \'open("data.csv", "w").write("1")\\n\'\n'
    ")\n"
    "py = sys.executable\n"
    "assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "assert open('data.csv').read() == '1'\n"
)


def test_a_guarded_python_with_an_import_hook_writes_its_files(own_kernel):
    """No false refusal: a finder of its own (a plugin loader) and the Python's data file."""
    result = own_kernel.cell(LEGIT, launched=True)
    assert result["refused"] is None, result
