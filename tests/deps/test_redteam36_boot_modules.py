"""Red team 36: a module the guard's boot imports from the standard library (``GUARD_BOOT``:
``__future__``) found in a folder a site ``.pth`` path line adds (an editable project's root).

A removal in the standard library is not refused (``start_writes``: "A removal is not
refused"), and in a path line's folder the rule refuses only ``line_names`` (sitecustomize,
usercustomize, what the site ``.pth`` files import: "the library comes first on sys.path").
Once the library's ``__future__.py`` is gone, the next Python's boot (``from __future__ import
annotations`` in the guard's modules) imports the project's ``__future__.py``, after ``site``
added the path line and before the guard's audit hook exists: a guarded w.py removes the
first and writes the second, and the Python after it on the line runs the payload.

Fixed: a guarded Python removes or renames away no file of its standard library
(``start_writes.StartWrites._check_library_gone``): any module shadowed so, not a list of names.
"""

import os
import time

from test_redteam32_places import _site_cell

# the base's ``__pycache__`` a real folder (links to this Python's bytecode; ``this``'s copied)
OWN_KERNEL_COPIES = ("this",)

WRITER = (
    "import os, sysconfig\n"
    "os.remove(os.path.join(sysconfig.get_paths()['stdlib'], '__future__.py'))\n"
    "open(PROJ + '/__future__.py', 'w').write(\n"
    "    'import os as _o\\n'\n"
    "    'if not _o.environ.get(\"RT36_RAN\"):\\n'\n"
    '    \'    _o.environ["RT36_RAN"] = "1"\\n\'\n'
    "    '    exec(open(%r).read())\\n' % os.path.abspath('p.pth'))\n"
)
# the cell puts the library's module back (a link to this Python's, as the fixture made it)
RESTORE = (
    "    lib = sysconfig.get_paths()['stdlib']\n"
    "    os.path.lexists(lib + '/__future__.py') or os.symlink(ORIGINAL, lib + '/__future__.py')\n"
    "    os.path.exists(PROJ + '/__future__.py') and os.remove(PROJ + '/__future__.py')\n"
)


def test_a_boot_module_in_a_path_line_folder_once_the_library_s_is_removed(own_kernel, tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    (own_kernel.site / "_editable_impl_proj.pth").write_text(str(proj) + "\n")
    time.sleep(2.5)  # older than the kernel's start (``start_files``' slack)
    original = os.readlink(own_kernel.lib / "__future__.py")
    writer = WRITER.replace("PROJ", repr(str(proj)))
    start = (
        f"open('w.py', 'w').write({writer!r})\n"
        "    os.system(py + ' w.py; ' + py + ' -c \"import __future__\"')"
    )
    restore = RESTORE.replace("ORIGINAL", repr(original)).replace("PROJ", repr(str(proj)))
    code = _site_cell(start) + restore.replace("{", "{{").replace("}", "}}")
    # child_refuses' two runs, with the restored link older than the second kernel's start
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    time.sleep(2.5)
    guarded = own_kernel.cell(code, launched=True)
    assert guarded["refused"] is None, guarded
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded
    assert "__future__" in guarded["stderr"], guarded


LEGIT = (
    "import os, sys, sysconfig\n"
    "paths = sysconfig.get_paths()\n"
    "site, lib = paths['purelib'], paths['stdlib']\n"
    "open(site + '/r36_mod.py', 'w').write('x = 1')\n"
    "cache = [n for n in os.listdir(lib + '/__pycache__') if n.startswith('this.')]\n"
    "assert cache, os.listdir(lib + '/__pycache__')\n"
    "open('w.py', 'w').write(\n"
    "    'import os\\n'\n"
    "    'os.remove(%r)\\n' % (site + '/r36_mod.py')\n"
    "    + 'for n in %r: os.remove(%r + n)\\n' % (cache, lib + '/__pycache__/')\n"
    ")\n"
    "py = sys.executable\n"
    "assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "assert not os.path.exists(site + '/r36_mod.py')\n"
    "assert not [n for n in os.listdir(lib + '/__pycache__') if n.startswith('this.')]\n"
)


def test_a_guarded_python_removes_site_modules_and_library_bytecode(own_kernel):
    """No false refusal: a module of a site folder (what `pip uninstall` removes) and the
    library's bytecode (made again from source) are a guarded Python's to remove."""
    result = own_kernel.cell(LEGIT, launched=True)
    assert result["refused"] is None, result
