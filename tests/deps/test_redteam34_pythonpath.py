"""Red team 34 R34-6: a guarded Python on the line (w.py) writes ``sitecustomize.py`` into a
folder outside the folder it runs in, named nowhere on the line, that a later Python on the
same line has on its PYTHONPATH; that Python imports it before its guard. The guard's write
rule covered site folders and libraries only, and the line's reading places a guarded Python
at its folder and its words (``commands.GuardedWriter``). Now its guard refuses start-up
modules in the folders of the PYTHONPATH it started with (``start_writes._pythonpath_folder``),
and the line refuses a later start whose PYTHONPATH holds a folder the writer's did not
(``commands._unguarded_pythonpath_folder``). Each vector installs without Warden."""

CELL = r"""
import os, shutil, sys, tempfile
d = tempfile.mkdtemp(prefix='r34-pp-')
body = 'import os\nos.system(' + repr(INSTALL) + ')\n'
open('w.py', 'w').write('import os\nopen(os.path.join(os.environ["D"], os.environ["N"]), "w")'
                        '.write(' + repr(body) + ')\n')
os.environ['D'], os.environ['N'] = d, NAME
SETUP
try:
    os.system(sys.executable + ' w.py && ' + LATER + sys.executable + ' -c pass')
finally:
    shutil.rmtree(d, ignore_errors=True)
"""


def _code(kernel, setup: str, later: str, name: str = "sitecustomize.py") -> str:
    install = kernel.uv_install()
    code = CELL.replace("INSTALL", repr(install)).replace("NAME", repr(name))
    code = code.replace("SETUP", setup).replace("LATER", later)
    return code.replace("{", "{{").replace("}", "}}")


def test_a_later_pythonpath_the_writer_does_not_have(kernel):
    """The later Python's PYTHONPATH is given on the line: refused when the line is read."""
    refused = kernel.proves(_code(kernel, "", "'PYTHONPATH=' + d + ' '"))
    assert "its guard refuses writing start-up modules only in the folders" in refused, refused


def test_a_pythonpath_both_inherit(kernel):
    """The kernel's PYTHONPATH holds the folder (the cell added it): w.py's guard refuses the
    write (before, the later Python's own start check refused the new module: one rule less
    between the payload and a start)."""
    setup = "os.environ['PYTHONPATH'] += os.pathsep + d"
    blocked = kernel.child_refuses(_code(kernel, setup, "''"))
    assert any("sitecustomize.py" in e["message"] for e in blocked), blocked


def test_a_module_of_another_name_in_the_pythonpath_runs(kernel):
    """A guarded Python writing an ordinary module into the kernel's PYTHONPATH folder, then a
    Python on the same line: runs (only start-up names are refused)."""
    code = _code(kernel, "os.environ['PYTHONPATH'] += os.pathsep + d", "''", "helpers.py")
    code = code.replace("os.system(", "assert 0 == os.system(")
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
