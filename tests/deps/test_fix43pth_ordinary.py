"""Fix round 43 (red team 39 R39a-5, R39c-4): the ordinary forms the fixes must keep.

``pth_lines.text_lines`` reads a ``.pth`` file every way a ``site`` reads it; an ordinary
file's lines are its lines, once. ``pth_lines.imported_names`` reads an ordinary import line
exactly (no superset while the ``_ast`` classes are as the boot found them), and a Python that
changed one gets every name of the line's code instead (never fewer names). A guarded Python
still writes a module no ``.pth`` line imports into its site folder.
"""

import subprocess
import sys
import time
from pathlib import Path

from conftest import SETUPTOOLS_LINE

from jupyterlab_warden.kernel.guard.installs import pth_lines

ROOT = Path(__file__).resolve().parents[2]


def test_an_ordinary_pth_file_reads_as_its_lines():
    assert pth_lines.text_lines("import a\n/x/y\n# c\n") == ["import a", "/x/y", "# c"]
    assert pth_lines.text_lines("import a\r\n/x/y\r\n") == ["import a", "/x/y"]
    # a BOM: a path line to 3.11/3.12 (kept), an import line to 3.13 (dropped): both read
    assert pth_lines.text_lines("\ufeffimport a\n") == ["\ufeffimport a", "import a"]


def test_ordinary_import_lines_name_exactly_what_they_import():
    shim = SETUPTOOLS_LINE.rstrip("\n")
    assert pth_lines.imported_names(shim) == {"os", "_distutils_hack"}
    finder = "import __editable___proj_0_1_finder; __editable___proj_0_1_finder.install()"
    assert pth_lines.imported_names(finder) == {"__editable___proj_0_1_finder"}
    assert pth_lines.imported_names("from a.b import c; import d.e") == {"a", "d"}


def test_a_changed_ast_class_reads_every_name_of_the_line():
    """A Python that plants a descriptor on ``_ast.Import`` (compile's nodes lose their
    names) or empties ``_fields`` still reads the module the line imports."""
    code = (
        "import _ast\n"
        "from jupyterlab_warden.kernel.guard.installs import pth_lines\n"
        "_ast.Import.names = property(lambda s: [], lambda s, v: None)\n"
        "_ast.Module._fields = ()\n"
        "print(sorted(pth_lines.imported_names('import rt39mod; rt39mod.go()')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "'rt39mod'" in out.stdout, out


def test_a_guarded_python_still_writes_a_module_no_pth_imports(own_kernel):
    (own_kernel.site / "rt39.pth").write_text("import rt39mod\n")
    (own_kernel.site / "rt39mod.py").write_text("VALUE = 1\n")
    time.sleep(2)
    writer = (
        "import os, sysconfig\n"
        "path = os.path.join(sysconfig.get_paths()['purelib'], 'rt39other.py')\n"
        "open(path, 'w').write('X = 1\\n')\n"
    )
    code = (
        "import os, sys\n"
        f"open('w.py', 'w').write({writer!r})\n"
        "assert os.system(sys.executable + ' w.py') == 0\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and (own_kernel.site / "rt39other.py").exists(), result
