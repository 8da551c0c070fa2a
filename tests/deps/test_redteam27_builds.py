"""Red team 27b: torch.compile and ordinary build lines were refused in a Warden kernel.

R27b-1: torch's inductor starts its helper Pythons (the CPU's vector-ISA probe, the compile
workers) with ``PYTHONPATH=os.pathsep.join(sys.path)``: the notebook folder first, then the
guard's folder, the standard library, site-packages. The gate read any PYTHONPATH without the
guard's folder first as a Python without the guard, and the guard's boot, which takes the
PYTHONPATH folders off sys.path while it loads, lost the standard library. Now the gate asks
what Python itself does: ``site`` imports ``sitecustomize`` from the first folder holding one
(the PYTHONPATH folders, then the standard library's: the script's folder comes later), and a
folder the kernel was not started with may not hold a module Python imports while it starts.

R27b-2: ``names_installer`` read ``-I/usr/include/python3.11`` followed by ``-I.``, or
``-DPYTHON_EXECUTABLE=/usr/bin/python3`` followed by ``-DCMAKE_BUILD_TYPE=Release``, as
"python3.11 -I". A Python's name now counts only as a program word (a bare name, or a path to
an executable file) followed by a whole Python option word.

The allowed cases run for real in a kernel with the lab's launch guard; the refusals are
proven with a real install (it lands without Warden, and with Warden the cell is refused and
the index sees no request).
"""

import os
import sys

from launched import installed, system_cell

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import commands

# torch.compile of a small function, its inductor cache fresh so that its C++ build and its
# vector-ISA probe both run (the FX graph cache off: its pickle is the data guard's matter)
COMPILE = """
import os, tempfile
os.environ['TORCHINDUCTOR_CACHE_DIR'] = tempfile.mkdtemp()
os.environ['TORCHINDUCTOR_FX_GRAPH_CACHE'] = '0'
import torch
@torch.compile
def f(x):
    return torch.sin(x) * 2 + 1
x = torch.linspace(-1, 1, 16)
assert torch.allclose(f(x), torch.sin(x) * 2 + 1), f(x)
open('compiled.txt', 'w').write('ok')
"""

# torch's python_subprocess_env() start, without torch: a child Python given the kernel's
# whole sys.path as its PYTHONPATH (AHEAD: a folder put before it all). It says whether its
# guard loaded.
PROBE = """
import os, sys, subprocess
os.makedirs('ahead', exist_ok=True)
env = dict(os.environ)
env['PYTHONPATH'] = os.pathsep.join(AHEAD + sys.path)
done = subprocess.run(
    [sys.executable, '-c', 'import sys; print("jupyterlab_warden.kernel.guard" in sys.modules)'],
    env=env, capture_output=True, text=True, check=True)
open('probe.txt', 'w').write(done.stdout.strip())
"""


def _probe(ahead):
    return PROBE.replace("AHEAD", repr(ahead))


def test_torch_compile_runs_in_a_guarded_kernel(kernel):
    installed("g++")
    result = kernel.cell(COMPILE, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "compiled.txt").read_text() == "ok"


def test_a_child_given_the_kernels_sys_path_starts_guarded(kernel):
    """'' (the kernel's folder), then the guard's folder, the standard library and
    site-packages: the guard loads first, and the child runs with it."""
    result = kernel.cell(_probe([]), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "probe.txt").read_text() == "True"
    # a folder ahead of the guard's that holds no sitecustomize: still guarded
    (kernel.work / "ahead").mkdir(exist_ok=True)
    (kernel.work / "ahead" / "notes.txt").write_text("data")
    result = kernel.cell(_probe([str(kernel.work / "ahead")]), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "probe.txt").read_text() == "True"


def _writes(path, text):
    """A cell's statement writing ``text`` to ``path`` (appending to it when it exists)."""
    return f"open({path!r}, 'a').write({text!r})\n"


def _runs_only_without_warden(kernel, cell: str) -> None:
    """Without Warden the cell's start-up module installs from the index; with Warden the
    child starts with the guard's folder alone on its PYTHONPATH (red team 28a R28a-1), so
    that module never runs: nothing is refused, fetched or installed, and the child is
    guarded (probe.txt)."""
    kernel.never_runs_with_warden(cell.replace("{", "{{").replace("}", "}}"))
    assert (kernel.work / "probe.txt").read_text() == "True"


def test_a_sitecustomize_ahead_of_the_guards_folder_never_runs(kernel):
    """A folder ahead of the guard's holding a sitecustomize, written before the start."""
    install = f"import os; os.system({kernel.uv_install()!r})\n"
    cell = "import os\nos.makedirs('ahead', exist_ok=True)\n"
    cell += _writes("ahead/sitecustomize.py", install) + _probe([str(kernel.work / "ahead")])
    _runs_only_without_warden(kernel, cell)


# the child's code: whether its guard loaded, into probe.txt
CHILD = (
    "import sys; open('probe.txt', 'w').write(str('jupyterlab_warden.kernel.guard' in sys.modules))"
)


def test_a_sitecustomize_written_after_the_start_never_runs(kernel):
    """R28a-1: the cell writes ./sitecustomize.py right after Popen returns, into '' (the
    notebook's folder), first on torch's PYTHONPATH=os.pathsep.join(sys.path). A check of the
    folders at the start lost this race every time; the rewritten PYTHONPATH has no race."""
    install = f"import os; os.system({kernel.uv_install()!r})\n"
    cell = (
        "import os, sys, subprocess\n"
        "env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))\n"
        f"p = subprocess.Popen([sys.executable, '-c', {CHILD!r}], env=env)\n"
        + _writes("sitecustomize.py", install)
        + "p.wait()\nos.remove('sitecustomize.py')\n"
    )
    _runs_only_without_warden(kernel, cell)


def test_a_start_up_module_in_a_folder_ahead_never_runs(kernel):
    """A folder ahead of the standard library holding a module Python imports while it starts
    (R10-6: a copy of ``encodings`` that also installs): it is off the child's PYTHONPATH
    until its guard is in, and the standard library's encodings is the one loaded."""
    install = f"\nimport os; os.system({kernel.uv_install()!r})\n"
    cell = (
        "import os, shutil, encodings\n"
        "shutil.rmtree('ahead', ignore_errors=True)\n"
        "shutil.copytree(os.path.dirname(encodings.__file__), 'ahead/encodings')\n"
    )
    cell += _writes("ahead/encodings/__init__.py", install) + _probe([str(kernel.work / "ahead")])
    _runs_only_without_warden(kernel, cell)


def test_the_child_finds_its_modules_where_it_asked():
    """The rewritten child's sys.path: the folders it was given first, in their order, ''
    made absolute from its own folder; then what Python adds."""
    from jupyterlab_warden.kernel.boot.site_boot import _in_front

    assert _in_front(f"/a{os.pathsep}{os.pathsep}/b", ["/s", "/b", "/lib"]) == [
        "/a",
        os.getcwd(),
        "/b",
        "/s",
        "/lib",
    ]


def test_what_a_child_given_the_guards_folder_elsewhere_starts_with():
    """``child_path.deferred``: the guard's folder, then the kernel's own launch folders it
    names; None where the line rule already holds. A PYTHONPATH without the guard's folder,
    or none, gets it too (red team 28c R28c-3: such a start was read as guardless, and what
    it read changed before the child started)."""
    from jupyterlab_warden.kernel.guard.installs.child_path import deferred

    stdlib = os.path.dirname(os.__file__)
    admin = "/opt/admin-libs"
    launched = f"{SITE_DIR}{os.pathsep}{admin}"
    given = os.pathsep.join(["", "/w/ahead", SITE_DIR, admin, stdlib])
    assert deferred(given, launched) == f"{SITE_DIR}{os.pathsep}{admin}"
    assert deferred(launched, launched) is None
    assert deferred(f"/w/ahead{os.pathsep}{stdlib}", launched) == SITE_DIR
    assert deferred(f"/w/ahead{os.pathsep}{admin}", launched) == launched
    assert deferred(None, launched) == deferred("", launched) == SITE_DIR
    # Debian's /usr/lib/python3.11 holds a sitecustomize: ahead of the guard's folder it is
    # not "the standard library" to the line rule, and is deferred like any other folder
    assert deferred(f"/usr/lib/python3.11{os.pathsep}{SITE_DIR}", launched) == SITE_DIR
    assert not commands._guard_loads(f"{SITE_DIR}{os.pathsep}{stdlib}", SITE_DIR)


def test_the_kernels_own_pythonpath_change_keeps_its_rule():
    """os.environ['PYTHONPATH'] outlives the check (starts Warden never sees may come after a
    sitecustomize is written): only the standard library may come before the guard's folder,
    and a folder after it is allowed."""
    stdlib = os.path.dirname(os.__file__)
    assert commands.environ_change_drops_guard("PYTHONPATH", f"/tmp{os.pathsep}{SITE_DIR}")
    assert not commands.environ_change_drops_guard("PYTHONPATH", f"{SITE_DIR}{os.pathsep}src")
    assert not commands.environ_change_drops_guard(
        "PYTHONPATH", os.pathsep.join([SITE_DIR, stdlib])
    )


BUILD = (
    "import os\nopen('x.cpp', 'w').write('#include <Python.h>\\nint f() {{ return 1; }}\\n')\n"
    "assert os.system('g++ -O2 -shared -fPIC -I/usr/include/python3.11 -I. x.cpp -o x.so') == 0\n"
    "assert os.path.exists('x.so')\n"
)
CMAKE = (
    "import os\nos.makedirs('src', exist_ok=True)\n"
    "open('src/CMakeLists.txt', 'w')"
    ".write('cmake_minimum_required(VERSION 3.10)\\nproject(x NONE)\\n')\n"
    "assert os.system('cmake -S src -B build -DPYTHON_EXECUTABLE=/usr/bin/python3 "
    "-DCMAKE_BUILD_TYPE=Release > /dev/null') == 0\n"
    "assert os.path.exists('build/CMakeCache.txt')\n"
)
# torch's cpp_builder: the Python include folder of this Python, then another -I, as an argv
ARGV_BUILD = (
    "import os, subprocess, sysconfig\n"
    "open('y.cpp', 'w').write('int g() {{ return 2; }}\\n')\n"
    "subprocess.run(['g++', 'y.cpp', '-O3', '-shared', '-fPIC', '-I' + "
    "sysconfig.get_paths()['include'], '-I' + os.path.abspath('.'), '-o', 'y.so'], check=True)\n"
    "assert os.path.exists('y.so')\n"
)


def test_build_lines_naming_the_python_include_folder_run(kernel):
    installed("g++")
    installed("cmake")
    for cell in (BUILD, CMAKE, ARGV_BUILD):
        result = kernel.cell(cell, launched=True)
        assert result["refused"] is None, (cell, result)


def test_a_python_dropping_its_guard_under_an_unread_program_stays_refused(kernel):
    """`flock F python3 -I run.py`, with the guard-dropping flag written as Python's own
    option words (alone, clustered, after another option): Warden does not read flock, and
    the Python it runs starts without the guard."""
    installed("flock")
    (kernel.work / "run.py").write_text(f"import os\nos.system({kernel.uv_install()!r})\n")
    for flags in ("-I", "-IS", "-u -E", "-W ignore -I"):
        refused = kernel.proves(system_cell(f"flock lock python3 {flags} run.py"))
        assert "flock may run an installer" in refused, refused


def test_names_installer_reads_a_python_only_where_a_program_runs_it(tmp_path):
    """The reading alone: a folder or an option word named like a Python is no program; a
    word that is a whole Python option word is the Python's own flag."""
    include = tmp_path / "include" / "python3.11"
    include.mkdir(parents=True)
    assert not commands.names_installer(["-I", str(include), "-I", "x"])
    assert not commands.names_installer([f"-I{include}", "-I."])
    assert not commands.names_installer(["-DPY=/usr/bin/python3", "-DCMAKE_BUILD_TYPE=R"])
    assert commands.names_installer(["-DPY=/usr/bin/python3", "-IS"])
    assert commands.names_installer([os.path.realpath(sys.executable), "-I", "x.py"])
    assert commands.names_installer(["python3", "-Ic", "print()"])
    assert not commands.names_installer(["python3", "-c", "x", "-I"])
    # CPython's long option with a value is its own word, then the guard-dropping flag
    assert commands.names_installer(["python3", "--check-hash-based-pycs", "never", "-I", "x"])
    # a copy without its execute bit still runs under the dynamic loader (ld.so ./python3 -I)
    copy = tmp_path / "python3"
    copy.write_bytes(b"\x7fELF")
    copy.chmod(0o644)
    assert commands.names_installer([str(copy), "-I", "x.py"])
