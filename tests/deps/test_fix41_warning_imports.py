"""Fix round 41, R38c-1's neighbours: what a start's warning filters import before the guard.

A dotted category imports its module AND whatever that module imports (``-W ignore::json.W``
runs ``re``, ``enum``, ``collections``, ``reprlib``...), and a filter with a message or module
field imports ``re`` (``warnings._setoption``), all from the PYTHONPATH folders first, then the
standard library. So an edited standard module no list names (``reprlib``), or a PYTHONPATH
entry named like a standard module (``enum.py``), runs before the guard: refused. Builtin
categories and plain actions import nothing and stay free.
"""

import os
import shlex
import sys

import pytest
from launched import system_cell

from jupyterlab_warden.kernel.guard.installs import startup_modules

PY = sys.executable

# reprlib is copied into own_kernel's standard library (writable there, never the machine's)
OWN_KERNEL_COPIES = ("reprlib",)

# the cell: append an installing line (run once: the installer's own Python inherits nothing
# here, the variable only keeps a nested start from installing twice) to the standard
# library's reprlib.py, START a Python with a filter that imports it, put the file back
CELL = (
    "import os, sys, sysconfig\npath = sysconfig.get_paths()['stdlib'] + '/reprlib.py'\n"
    "py = sys.executable\nold = open(path).read()\n"
    "open(path, 'a').write('\\nimport os\\nos.environ.get(\"RT41\") or "
    '(os.environ.__setitem__("RT41", "1"), os.system(\' + repr(INSTALL) + \'))\\n\')\n'
    "try:\n    os.system(py + ' FILTER -c pass')\nfinally:\n    open(path, 'w').write(old)\n"
)


@pytest.mark.parametrize("option", ["-W ignore::json.W", "-W ignore:some.message"])
def test_an_edited_standard_module_a_filter_imports_is_refused(own_kernel, option):
    """Installs without Warden (json -> re -> collections -> reprlib; a message field -> re
    -> ... -> reprlib); under Warden the start is refused before it runs."""
    install = own_kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("INSTALL", repr(install)).replace("FILTER", option)
    refused = own_kernel.proves(code.replace("{", "{{").replace("}", "}}"))
    assert "reprlib" in refused and "standard library" in refused, refused


@pytest.mark.parametrize("option", ["-W ignore::json.W", "-W ignore:noisy"])
def test_a_launch_folder_module_named_like_a_standard_one_is_refused(kernel, option):
    """A guarded child (the kernel's own PYTHONPATH, a folder the lab launched it with): the
    cell writes ``enum.py`` there, and the filter's standard module imports it from there,
    before the child's guard. Without Warden it installs; with Warden the start is refused."""
    lib = kernel.tmp / "lib"
    lib.mkdir()
    enum = (
        "import os\nos.environ.get('RT41') or (os.environ.__setitem__('RT41', '1'), "
        f"os.system({kernel.uv_install()!r}))\n"
        "import sys\nsys.path.remove(os.path.dirname(__file__)); del sys.modules['enum']\n"
        "import enum\nsys.modules[__name__] = enum\n"
    )
    code = (
        (
            f"import os\nopen({str(lib / 'enum.py')!r}, 'w').write({enum!r})\n"
            f"try:\n    os.system({PY!r} + ' {option} -c pass')\n"
            f"finally:\n    os.remove({str(lib / 'enum.py')!r})\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    results = {}
    for launched in (False, True):
        kernel.reset()
        env = kernel.env(launched)
        env["PYTHONPATH"] = env.get("PYTHONPATH", "") + os.pathsep + str(lib)
        results[launched] = kernel.cell(code, launched=launched, env=env)
        assert kernel.installed() is not launched, results
    assert kernel.index.requests == [] and "enum.py" in results[True]["refused"], results


@pytest.mark.parametrize(
    "line",
    [
        "PYTHONPATH=src {py} -W ignore::json.W -W 'ignore:some message' train.py",
        "PYTHONPATH=src PYTHONWARNINGS=ignore::DeprecationWarning,ignore {py} train.py",
    ],
)
def test_ordinary_filters_that_import_still_run(kernel, line):
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "model.py").write_text("X = 1\n")
    (kernel.work / "train.py").write_text("import model\nprint(model.X)\n")
    result = kernel.cell(system_cell(line.format(py=PY)), launched=True)
    assert result["refused"] is None, result


def test_which_filters_import_by_name(monkeypatch):
    monkeypatch.delenv("PYTHONWARNINGS", raising=False)
    imports = startup_modules.warning_imports
    assert not imports(["-W", "ignore", "-W", "error::DeprecationWarning"], set(), {})
    assert not imports([], set(), {"PYTHONWARNINGS": "ignore,default::builtins.UserWarning"})
    assert imports(["-W", "ignore::json.W"], set(), {})
    assert imports(["-Wignore:msg"], set(), {})  # re
    assert imports([], set(), {"PYTHONWARNINGS": "ignore:::mod"})  # re
    # -E/-I ignore PYTHONWARNINGS; the inherited one counts otherwise
    monkeypatch.setenv("PYTHONWARNINGS", "ignore::x.W")
    assert imports([], set(), {}) and not imports(["-E"], {"E"}, {})


def test_a_pythonpath_entry_named_like_a_standard_module(tmp_path):
    (tmp_path / "model.py").write_text("")
    (tmp_path / "data").mkdir()
    assert startup_modules.stdlib_named([str(tmp_path)]) is None
    (tmp_path / "enum").mkdir()
    assert startup_modules.stdlib_named([str(tmp_path)]) == str(tmp_path / "enum")
    assert startup_modules.stdlib_named([str(tmp_path / "model.py")])  # an archive word


# a multiprocessing spawn child gets the kernel's sys.warnoptions as -W options
SPAWN_CELL = (
    "import os, sys, sysconfig, multiprocessing\nlib = sysconfig.get_paths()['stdlib']\n"
    'body = \'import os\\nos.environ.get("RT41") or (os.environ.__setitem__("RT41", "1"), '
    "os.system(' + repr(INSTALL) + '))\\nclass W(Warning): pass\\n'\n"
    "open(lib + '/rt41w.py', 'w').write(body)\nsys.warnoptions.append('ignore::rt41w.W')\n"
    "try:\n    p = multiprocessing.get_context('spawn').Process(target=os.getpid)\n"
    "    p.start(); p.join()\nfinally:\n    os.remove(lib + '/rt41w.py')\n"
)


def test_a_spawn_child_given_the_kernels_warning_options_is_read(own_kernel):
    """The spawn start is read as any start (``gate.spawnv_passfds_wrapper``): its -W
    category's module, new in the standard library, never runs under Warden."""
    install = own_kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = SPAWN_CELL.replace("INSTALL", repr(install))
    refused = own_kernel.proves(code.replace("{", "{{").replace("}", "}}"))
    assert "rt41w" in refused, refused


# w.py, a guarded Python on the line, writes a new category module into the standard library
# (its guard refuses only the start-up names there); the line's next Python imports it
WRITER = (
    "import sys, sysconfig\nopen(sysconfig.get_paths()['stdlib'] + '/rt41x.py', 'w').write("
    '\'import os\\nos.environ.get("RT41") or (os.environ.__setitem__("RT41", "1"), '
    "os.system(' + repr(sys.argv[1]) + '))\\nclass W(Warning): pass\\n')\n"
)


def test_a_line_writer_then_a_filter_importing_its_module_is_refused(own_kernel):
    (own_kernel.work / "w.py").write_text(WRITER)
    install = own_kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    py = own_kernel.python
    line = f"{py} w.py {shlex.quote(install)} && PYTHONWARNINGS=ignore::rt41x.W {py} -c pass"
    code = (
        system_cell(line)
        + "import sysconfig\nos.remove(sysconfig.get_paths()['stdlib'] + '/rt41x.py')\n"
    )
    refused = own_kernel.proves(code.replace("{", "{{").replace("}", "}}"))
    assert "earlier command on the line" in refused, refused


def test_a_line_writer_then_a_builtin_filter_still_runs(kernel):
    (kernel.work / "prep.py").write_text("open('data.csv', 'w').write('1')\n")
    line = f"{PY} prep.py && {PY} -W ignore::DeprecationWarning -c pass"
    result = kernel.cell(system_cell(line), launched=True)
    assert result["refused"] is None, result
