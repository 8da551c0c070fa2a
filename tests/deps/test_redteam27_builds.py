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
import subprocess
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


def test_a_sitecustomize_ahead_of_the_guards_folder_is_refused(kernel):
    """The same start with a folder ahead holding a sitecustomize: that Python runs it instead
    of the guard, unguarded (here it installs from the index the policy does not trust)."""
    install = f"import os; os.system({kernel.uv_install()!r})\n"
    cell = "import os\nos.makedirs('ahead', exist_ok=True)\n"
    cell += _writes("ahead/sitecustomize.py", install) + _probe([str(kernel.work / "ahead")])
    refused = kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "sitecustomize" in refused, refused


def test_a_start_up_module_in_a_folder_ahead_is_refused(kernel):
    """A folder the kernel was not started with, ahead of the standard library, holding a
    module Python imports while it starts (R10-6 kept): refused, proven the same way (a copy
    of ``encodings`` that also installs)."""
    install = f"\nimport os; os.system({kernel.uv_install()!r})\n"
    cell = (
        "import os, shutil, encodings\n"
        "shutil.rmtree('ahead', ignore_errors=True)\n"
        "shutil.copytree(os.path.dirname(encodings.__file__), 'ahead/encodings')\n"
    )
    cell += _writes("ahead/encodings/__init__.py", install) + _probe([str(kernel.work / "ahead")])
    refused = kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "encodings" in refused, refused


def test_a_stdlib_sitecustomize_ahead_of_the_guards_folder_counts():
    """Debian's /usr/lib/python3.X holds a sitecustomize.py: a folder that is a standard
    library too may not come before the guard's. Its Python, started so, loads Debian's."""
    assert os.path.exists("/usr/bin/python3.11"), "Debian's python3.11 is needed"
    debian = "/usr/lib/python3.11"
    assert os.path.isfile(os.path.join(debian, "sitecustomize.py"))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{debian}{os.pathsep}{SITE_DIR}"}
    done = subprocess.run(
        ["/usr/bin/python3.11", "-c", "import sitecustomize; print(sitecustomize.__file__)"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == os.path.join(debian, "sitecustomize.py")
    launched = SITE_DIR
    start = lambda path: commands._guard_loads(path, launched, "start")  # noqa: E731
    assert not start(f"{debian}{os.pathsep}{SITE_DIR}")
    # after the guard's folder, another Python's library still comes before this one's: its
    # start-up modules (encodings...) are not the kernel's own
    assert not start(f"{SITE_DIR}{os.pathsep}{debian}")
    # the kernel's own standard library, after the guard's folder
    stdlib = os.path.dirname(os.__file__)
    assert start(f"{SITE_DIR}{os.pathsep}{stdlib}")
    assert not start(stdlib)  # no guard folder at all
    # a shell line's Python: its earlier commands may write before it starts (the line rule)
    assert not commands._guard_loads(f"{SITE_DIR}{os.pathsep}{stdlib}", launched)


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


def test_only_a_python_is_read_by_the_direct_start_rule(tmp_path):
    """``names_python`` decides which PYTHONPATH rule a start gets: a link named python3 that
    leads to a shell runs a line, whose earlier commands may write a sitecustomize before a
    Python starts, so it keeps the line's rule."""
    shell = tmp_path / "python3"
    shell.symlink_to("/bin/sh")
    real = tmp_path / "python3.11"
    real.symlink_to(os.path.realpath(sys.executable))
    assert not commands.names_python(str(shell))
    assert commands.names_python(str(real))
    assert commands.names_python("python3")
    assert not commands.names_python("bash")
