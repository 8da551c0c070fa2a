"""A guardless Python's literal process starts are read as starts (red team 11 R11-15): the
command in ``os.system('...')`` or ``subprocess.run([...])`` goes through the same reading as a
start made in the kernel (links, PATH, relative programs, shells), and code that changes files
before starting a process is refused, since what it starts may not exist when Warden reads it.
Malicious cases install warden-demo-pkg without Warden and are refused with it."""

import os
import re
import sys

import pytest
from test_guardless_python import _installs_unguarded_then_refused, _pip_code

from jupyterlab_warden.kernel.guard.installs import commands, guardless


def _pip_script(tmp_path, index):
    script = tmp_path / "inner.py"
    script.write_text(_pip_code(tmp_path, index))
    return script


def test_a_literal_start_through_a_link_is_read_as_that_program(guarded, index, tmp_path):
    """`tools/ls` is the kernel's Python: the literal start runs pip with -I (no guard)."""
    (tmp_path / "tools").mkdir()
    os.symlink(sys.executable, tmp_path / "tools" / "ls")
    inner = _pip_script(tmp_path, index)
    code = f"import os; os.system('tools/ls -I {inner}')"
    command = [sys.executable, "-I", "-c", code]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "its code starts")


def test_code_that_makes_a_link_and_runs_it_is_refused(guarded, index, tmp_path):
    (tmp_path / "tools").mkdir()
    inner = _pip_script(tmp_path, index)
    code = (
        "import os, subprocess, sys; os.symlink(sys.executable, 'tools/ls'); "
        f"subprocess.run(['tools/ls', '-I', {str(inner)!r}])"
    )
    command = [sys.executable, "-I", "-c", code]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "changes files")


@pytest.mark.parametrize(
    "code",
    [
        "import os; os.system('pip install numpy')",  # installer word (as before)
        "import subprocess; subprocess.run('tools/ls sync', shell=True)",
        "import subprocess; subprocess.run(['sh', '-c', 'tools/ls sync'])",
        "import os; os.execv('tools/ls', ['ls', 'sync'])",
        "import os; os.posix_spawn('tools/ls', ['ls', 'sync'], {})",
        "import pathlib, os; pathlib.Path('x').write_text('y'); os.system('ls')",
        "import os; open('uv.toml', 'w').write('x'); os.system('ls')",
        "import os; os.chdir('d'); os.system('ls')",
    ],
)
def test_literal_starts_that_install_or_follow_a_change_are_unreadable(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tools").mkdir()
    uv = os.path.join(os.path.dirname(sys.executable), "uv")
    os.symlink(uv, tmp_path / "tools" / "ls")  # a program named like an inert one
    with pytest.raises(commands.Unreadable):
        commands.invocations([sys.executable, "-I", "-c", code])


@pytest.mark.parametrize(
    "code",
    [
        "import os, subprocess; os.system('ls -l'); subprocess.run(['git', 'status'])",
        "import subprocess; print(subprocess.check_output(['nvidia-smi']))",
        "import os; print(open('data.csv').read()); os.system('date')",
        "import os; os.makedirs('out', exist_ok=True)",  # a change without a start
    ],
)
def test_ordinary_literal_starts_still_run(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert commands.invocations([sys.executable, "-I", "-c", code]) == []


def test_literal_starts_are_found_as_the_process_gets_them():
    starts, changer = guardless.literal_starts(
        "import os, subprocess as sp\n"
        "os.system('a b')\nsp.run(['c', 'd'])\nsp.run('e f', shell=True)\n"
        "os.execl('/bin/g', 'g', 'h')\nos.spawnv(os.P_WAIT, '/bin/i', ['i', 'j'])\n"
    )
    assert starts == [
        ("shell", "a b"), ("argv", ["c", "d"]), ("shell", "e f"), ("argv", ["/bin/g", "h"]),
        ("argv", ["/bin/i", "j"]),
    ]  # fmt: skip
    assert changer == ""


def test_a_local_module_a_guardless_script_imports_is_read(guarded, index, tmp_path):
    """Gap after R11-15: `python -E train.py` read train.py, not the helper.py next to it that
    train.py imports (the script's folder is first on its sys.path): the helper's pip ran.
    Local modules are read by the same rules, theirs too, up to a bound."""
    (tmp_path / "helper.py").write_text(_pip_code(tmp_path, index))
    (tmp_path / "train.py").write_text("import helper\n")
    command = [sys.executable, "-E", str(tmp_path / "train.py")]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "module helper.py")


def test_local_imports_are_found_as_the_import_system_finds_them(tmp_path, monkeypatch):
    """Plain local modules pass; -I leaves the script's folder off sys.path (not read); a
    module found as an extension module, a package's submodule, a relative import are read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "util.py").write_text("import os\nprint(os.getcwd())\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from . import inner\n")
    (tmp_path / "pkg" / "inner.py").write_text("import os\nos.chdir('d'); os.system('ls')\n")
    (tmp_path / "train.py").write_text("import util\n")
    assert commands.invocations([sys.executable, "-E", "train.py"]) == []
    (tmp_path / "train.py").write_text("import util, pkg\n")
    with pytest.raises(commands.Unreadable, match="module inner.py changes files"):
        commands.invocations([sys.executable, "-E", "train.py"])
    # -I: not on its path, so found nowhere when it starts, which the code may write first
    # (red team 14 R14-1)
    with pytest.raises(commands.Unreadable, match="imports pkg, which is found nowhere"):
        commands.invocations([sys.executable, "-I", "train.py"])
    (tmp_path / "train.py").write_text("import fast\n")
    (tmp_path / "fast.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    with pytest.raises(commands.Unreadable, match="imports fast as fast.cpython"):
        commands.invocations([sys.executable, "-E", "train.py"])
    files, why = guardless.local_imports("import json, numpy\n", None, [str(tmp_path)])
    assert (files, why) == ([], "")  # the standard library's and installed ones: not read


# -- R12-7 with the local-module reading: what a local module defines is code Warden read ----

LOCAL_FILES = {
    "helpers.py": "import os\nGREETING = 'hi'\ndef greet(n):\n    return os.path.join('a', n)\n"
    "class Model:\n    pass\n",
    "reexport.py": "from posix import system as run\n",
    "cyc_a.py": "import cyc_b\ndef f():\n    return cyc_b.g()\n",
    "cyc_b.py": "import cyc_a\ndef g():\n    return 1\ndef h():\n    return cyc_a.f()\n",
    "pkg/__init__.py": "",
    "pkg/sub.py": "def go():\n    return 2\n",
    "pkg/rel.py": "from . import sub\nfrom .sub import go\ndef r():\n    return sub.go() + go()\n",
    "json.py": "def dumps(x):\n    return ''\n",
}


@pytest.mark.parametrize(
    ("code", "refused"),
    [
        ("import helpers; print(helpers.GREETING, helpers.greet('x'), helpers.Model())", ""),
        ("from helpers import greet as g; cb = g; print(cb('x'))", ""),
        ("import cyc_a; cyc_a.f()", ""),  # modules importing each other
        ("import pkg.rel; pkg.rel.r(); from pkg import sub; sub.go()", ""),
        ("import numpy; numpy.array([1])", "it uses numpy.array"),  # installed: not read
        ("import reexport; reexport.run('./ls sync')", "it uses reexport.run"),
        ("import helpers; helpers.os.system('./ls sync')", "it uses helpers.os.system"),
        ("import helpers as h; f = h; f.os.system('x')", "it uses helpers,"),  # the module
        ("from helpers import *; system('x')", "imports every name of helpers"),
        ("import json; json.dumps(1)", "in place of the standard library's"),  # shadowed
    ],
)
def test_guardless_code_may_call_what_its_local_modules_define(
    tmp_path, monkeypatch, code, refused
):
    """`!PYTHONPATH=src python train.py` with its own helpers: a name a local module defines
    (def, class, assignment) is code Warden read by the same rules, not a call into a module
    it does not know; a name the module's imports bind, the module object itself, an
    installed module and a local file standing in for a standard-library module stay
    refused."""
    monkeypatch.chdir(tmp_path)
    for name, text in LOCAL_FILES.items():
        if name == "json.py" and "json" not in code:
            continue  # any json.py there stands in for one the standard library imports (R13-21)
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text)
    argv = [sys.executable, "-c", code]
    if not refused:
        assert commands.invocations(argv, 1, {"PYTHONPATH": "src"}) == []
        return
    with pytest.raises(commands.Unreadable, match=re.escape(refused)):
        commands.invocations(argv, 1, {"PYTHONPATH": "src"})
