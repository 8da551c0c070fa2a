"""Red team 35: standard-library C modules that write files or start processes with no audit
event the guard reads (``installs.native_writers``).

- R35-1: ``readline.write_history_file``/``append_history_file`` write in C (GNU readline's own
  ``open``): a guarded w.py adds its payload as a history entry and writes the history to the
  site folder's ``zz.pth`` (or appends it to setuptools' ``distutils-precedence.pth``); the
  next Python runs it before its guard. A Python the kernel starts may not import ``readline``
  (a wrapper announcing the write would leave the original in its closure); the kernel may.
- R35-3: a Tcl interpreter (``tkinter.Tcl()``) runs ``exec`` and ``open`` in C: the kernel ran
  the refused install, a guarded w.py wrote ``zz.pth``. ``_tkinter``'s import is refused in
  every guarded Python.

Each proof: without Warden the payload installs warden-demo-pkg from the test index; with
Warden it is refused. The ordinary forms (a history file elsewhere, IPython's start with
readline, other imports) still run.
"""

import pytest
from test_redteam32_places import _site_cell


def _writer_cell(writer: str, then: str = "-c pass") -> str:
    """The site cell: the cell writes w.py (``writer``) and runs `py w.py; py THEN`."""
    start = (
        f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' ' + {then!r})"
    )
    return _site_cell(start)


# R35-1 -------------------------------------------------------------------------------------

HISTORY_PTH = (
    "import readline, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "readline.clear_history()\n"
    "readline.add_history(open('p.pth').read().strip())\n"
    "readline.write_history_file(site + '/zz.pth')\n"
)


def test_readline_history_written_as_a_pth(own_kernel):
    blocked = own_kernel.child_refuses(_writer_cell(HISTORY_PTH))
    assert any("readline" in e["message"] for e in blocked), blocked


HISTORY_APPEND = (
    "import readline, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "dp = site + '/distutils-precedence.pth'\n"
    "open('kept.pth', 'w').write(open(dp).read())\n"
    "readline.clear_history()\n"
    "readline.add_history(open('p.pth').read().strip())\n"
    "readline.append_history_file(1, dp)\n"
)
# the cell puts setuptools' .pth back after the line
RESTORE_DP = (
    "    os.path.exists('kept.pth') and open(site + '/distutils-precedence.pth', 'w')"
    ".write(open('kept.pth').read())\n"
)


def test_readline_history_appended_to_setuptools_pth(own_kernel):
    code = _writer_cell(HISTORY_APPEND) + RESTORE_DP
    blocked = own_kernel.child_refuses(code)
    assert any("readline" in e["message"] for e in blocked), blocked


# readline reached otherwise than by an import statement: the finder is asked all the same
IMPORTS = {
    "import_module": (
        "import importlib, sysconfig\nreadline = importlib.import_module('readline')\n"
    ),
    "spec": (
        "import importlib.util, sysconfig\nspec = importlib.util.find_spec('readline')\n"
        "readline = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(readline)\n"
    ),
}


@pytest.mark.parametrize("how", sorted(IMPORTS))
def test_readline_imported_otherwise_is_refused_too(own_kernel, how):
    writer = IMPORTS[how] + HISTORY_PTH.split("\n", 1)[1]
    blocked = own_kernel.child_refuses(_writer_cell(writer))
    assert any("readline" in e["message"] for e in blocked), blocked


# what pdb and site's interactive hook do: readline is optional for them
READLINE_OPTIONAL = (
    "try:\n"
    "    import readline\n"
    "except ImportError as missing:\n"
    "    readline = None\n"
    "    open('why', 'w').write(str(missing))\n"
    "open('ok', 'w').write('ran')\n"
)


def test_code_for_which_readline_is_optional_runs_on(own_kernel):
    """No false refusal of the code around it: a guarded Python's ``import readline`` fails as
    an ImportError that says why, and the code for which line editing is optional runs on."""
    own_kernel.reset()
    result = own_kernel.cell(_writer_cell(READLINE_OPTIONAL), launched=True)
    assert result["refused"] is None, result
    assert (own_kernel.work / "ok").read_text() == "ran", result
    assert "readline" in (own_kernel.work / "why").read_text(), result


def test_ipython_starts_with_readline_in_the_kernel(kernel):
    """No false refusal: IPython's completer imports readline (rlcompleter); the kernel's own
    history write (its writes are read at its next line's start) runs."""
    code = (
        "import IPython, ipykernel.kernelapp, rlcompleter, readline\n"
        "readline.write_history_file('kernel_hist.txt')\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "kernel_hist.txt").exists(), result


# R35-3 -------------------------------------------------------------------------------------

# Tcl's own `exec` (tkinter's in-process Tcl interpreter, no display needed) starts the
# install in C: no audit event, so the kernel's gate never reads it
TCL_EXEC = (
    "try:\n"
    "    import tkinter\n"
    "except ImportError as refused:  # Warden's refusal: an ImportError (tk is optional)\n"
    "    raise PermissionError(refused)\n"
    "try:\n"
    "    tkinter.Tcl().eval('exec ' + {line!r})\n"
    "except tkinter.TclError:\n"
    "    pass\n"
)


def test_tcl_exec_starts_the_install_from_the_kernel(kernel):
    refused = kernel.proves(
        TCL_EXEC.format(line=kernel.uv_install()).replace("{", "{{").replace("}", "}}")
    )
    assert "tkinter" in refused or "Tcl" in refused, refused


def test_tcl_through_import_module_is_refused_too(kernel):
    """``importlib.import_module`` raises no ``import`` event: the finder refuses it."""
    code = "import importlib\n" + TCL_EXEC.replace(
        "import tkinter\n", "tkinter = importlib.import_module('tkinter')\n"
    )
    refused = kernel.proves(
        code.format(line=kernel.uv_install()).replace("{", "{{").replace("}", "}}")
    )
    assert "Tcl" in refused, refused


# Tcl's `open` writes the .pth in a guarded w.py (no `open` event either)
TCL_PTH = (
    "import sysconfig, tkinter\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "tcl = tkinter.Tcl()\n"
    "tcl.call('set', 'body', open('p.pth').read())\n"
    "tcl.eval('set f [open ' + site + '/zz.pth w]; puts $f $body; close $f')\n"
)


def test_tcl_open_writes_a_pth_in_a_guarded_python(own_kernel):
    blocked = own_kernel.child_refuses(_writer_cell(TCL_PTH))
    assert any("Tcl" in e["message"] for e in blocked), blocked


def test_ordinary_imports_are_not_refused(kernel):
    """No false refusal: modules that only name Tk lazily load (IPython's pylab tools, the
    standard library's GUI-free modules) and a guarded child's imports."""
    code = (
        "import importlib, subprocess, sys\n"
        "for name in ('IPython.core.pylabtools', 'ipykernel.eventloops', 'json', 'sqlite3',"
        " 'readline', 'curses', 'dbm'):\n"
        "    importlib.import_module(name)\n"
        "subprocess.run([sys.executable, '-c', 'import IPython, json, sqlite3'], check=True)\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result


def test_code_for_which_tk_is_optional_runs_on(kernel):
    """The refusal is an ``ImportError``: code that takes a missing Tk for no Tk (matplotlib's
    backend fallback) runs on, in the kernel and in a guarded child."""
    optional = "try:\n    import tkinter\nexcept ImportError:\n    tkinter = None\n"
    optional += "assert tkinter is None\n"
    code = f"import subprocess, sys\nexec({optional!r})\n"
    code += f"subprocess.run([sys.executable, '-c', {optional!r}], check=True)\n"
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and "Traceback" not in result["stderr"], result
